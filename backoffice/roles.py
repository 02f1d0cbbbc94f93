"""The staff roles, in one table, and the one function that applies it.

``ROLES`` maps a group name to exactly the permissions its members need. ``sync_roles()``
makes every group in the table hold exactly those permissions: it creates a missing group,
adds what is missing and removes what is not in the table. It is idempotent and runs after
every ``migrate`` (``BackofficeConfig.ready``) and on demand (``manage.py sync_roles``).

Evenementbeheer (council staff): events, their themes, wijken and series, without
deleting them (an event with sign-ups is not deleted, its registrations are the record),
registrations viewed and cancelled or marked attended through the admin actions (which
need the change permission; every field stays read-only), messages sent to an event's
registrants (and the read-only record of them), reactions moderated and set per event.
Nothing else: no users, no consent records, no axes or task rows, so the third-party
admin sections (django-axes, django-tasks, in English) are hidden from them; failed mails
show on the start page instead, where staff can send them again.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

EVENT_STAFF = "Evenementbeheer"

ROLES: dict[str, list[tuple[str, str]]] = {
    EVENT_STAFF: [
        ("events", "add_event"),
        ("events", "change_event"),
        ("events", "view_event"),
        # Themes, wijken and series: kept by staff, never deleted by them (events refer
        # to them; a superuser can).
        ("events", "add_theme"),
        ("events", "change_theme"),
        ("events", "view_theme"),
        ("events", "add_area"),
        ("events", "change_area"),
        ("events", "view_area"),
        ("events", "add_series"),
        ("events", "change_series"),
        ("events", "view_series"),
        ("registrations", "view_registration"),
        ("registrations", "change_registration"),
        # Desk and phone sign-ups ("Aanmelding toevoegen"), through the same service.
        ("registrations", "add_registration"),
        # An event's questions; one with answers is hidden, not deleted (the admin refuses).
        ("registrations", "view_question"),
        ("registrations", "add_question"),
        ("registrations", "change_question"),
        ("registrations", "delete_question"),
        # Messages to an event's registrants ("Bericht aan aanmelders"); the record of what
        # was sent is read-only, for everyone.
        ("registrations", "add_message"),
        ("registrations", "view_message"),
        ("reactions", "view_reaction"),
        ("reactions", "change_reaction"),
        ("reactions", "view_reactionsettings"),
        ("reactions", "add_reactionsettings"),
        ("reactions", "change_reactionsettings"),
    ],
}


def sync_roles(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Give each group in ``ROLES`` exactly its permissions; return the number of
    permissions added or removed per group (0 everywhere when nothing changed)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    changes: dict[str, int] = {}
    for name, wanted in ROLES.items():
        permissions = {
            (p.content_type.app_label, p.codename): p
            for p in Permission.objects.using(using)
            .select_related("content_type")
            .filter(codename__in=[codename for _, codename in wanted])
        }
        missing = [key for key in wanted if key not in permissions]
        if missing:
            raise LookupError(f"permissions for the role {name!r} do not exist: {missing}")
        group, _ = Group.objects.using(using).get_or_create(name=name)
        have = set(group.permissions.values_list("pk", flat=True))
        want = {permissions[key].pk for key in wanted}
        if have != want:
            group.permissions.set(want)
        changes[name] = len(have ^ want)
    return changes


def sync_after_migrate(sender, *, apps=global_apps, using=DEFAULT_DB_ALIAS, plan=None, **kwargs):
    """post_migrate receiver. Skips a partial migrate (e.g. down to zero) where the tables
    or permissions of an app in the table are not there."""
    try:
        sync_roles(apps=apps, using=using)
    except LookupError:
        # `migrate app zero` or a database migrated part-way: nothing to sync yet.
        return
