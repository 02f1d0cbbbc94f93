"""The one admin and the one staff role that the backoffice app assembles."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from backoffice.roles import EVENT_STAFF, ROLES, sync_roles
from events.models import Event
from reactions.admin import ReactionSettingsInline
from registrations.admin import QuestionInline, RegistrationInline

pytestmark = pytest.mark.django_db


def permissions_of(name: str) -> set[tuple[str, str]]:
    return set(
        Group.objects.get(name=name).permissions.values_list("content_type__app_label", "codename")
    )


def test_migrate_leaves_evenementbeheer_with_exactly_the_permissions_in_the_table():
    assert permissions_of(EVENT_STAFF) == set(ROLES[EVENT_STAFF])


def test_sync_roles_restores_a_changed_group_and_is_idempotent(capsys):
    group = Group.objects.get(name=EVENT_STAFF)
    group.permissions.remove(Permission.objects.get(codename="view_reaction"))
    group.permissions.add(Permission.objects.get(codename="delete_event"))

    call_command("sync_roles")

    assert "2 added or removed" in capsys.readouterr().out
    assert permissions_of(EVENT_STAFF) == set(ROLES[EVENT_STAFF])
    assert sync_roles() == {EVENT_STAFF: 0}


def test_sync_roles_creates_a_missing_group():
    Group.objects.filter(name=EVENT_STAFF).delete()
    sync_roles()
    assert permissions_of(EVENT_STAFF) == set(ROLES[EVENT_STAFF])


def test_one_event_admin_carries_every_apps_inlines():
    event_admin = admin.site.get_model_admin(Event)
    assert type(event_admin).__module__ == "backoffice.admin"
    assert event_admin.inlines == [QuestionInline, RegistrationInline, ReactionSettingsInline]
    assert "cancelled_count" in event_admin.list_display


def test_event_staff_see_only_dutch_sections_on_the_admin_start_page(staff_client):
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert "Evenementen" in html
    assert "Aanmeldingen" in html
    # Third-party sections with English labels are not theirs to see.
    for english in ("Axes", "Access attempts", "Tasks Database Backend", "TOTP devices", "Users"):
        assert f">{english}<" not in html
    assert staff_client.get("/admin/axes/accessattempt/").status_code == 403
    assert staff_client.get("/admin/django_tasks_database/dbtaskresult/").status_code == 403
