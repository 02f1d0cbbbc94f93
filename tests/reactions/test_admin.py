import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from reactions.models import Reaction, ReactionSettings, ReactionStatus
from tests.factories import EventFactory, ReactionFactory, ReactionSettingsFactory
from tests.registrations.test_admin import event_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:reactions_reaction_changelist"


def evenementbeheer() -> Group:
    return Group.objects.get(name="Evenementbeheer")


@pytest.fixture
def moderator(staff_user):
    return staff_user


def test_evenementbeheer_may_moderate_and_set_reactions_and_no_more():
    codenames = set(
        evenementbeheer()
        .permissions.filter(content_type__app_label="reactions")
        .values_list("codename", flat=True)
    )
    assert codenames == {
        "view_reaction",
        "change_reaction",
        "view_reactionsettings",
        "add_reactionsettings",
        "change_reactionsettings",
    }


def test_the_queue_shows_reactions_waiting_for_review_across_events(staff_client):
    ReactionFactory(text="Wacht in Noord", status=ReactionStatus.PENDING, event__title="Noord")
    ReactionFactory(text="Wacht in Zuid", status=ReactionStatus.PENDING, event__title="Zuid")
    ReactionFactory(text="Al goedgekeurd", status=ReactionStatus.APPROVED)
    ReactionFactory(text="Al afgewezen", status=ReactionStatus.REJECTED)

    html = staff_client.get(reverse(CHANGELIST)).content.decode()

    assert "Wacht in Noord" in html
    assert "Wacht in Zuid" in html
    assert "Noord" in html and "Zuid" in html  # the event of each reaction
    assert "Al goedgekeurd" not in html
    assert "Al afgewezen" not in html


def test_the_list_filters_by_status_and_event_and_searches(staff_client):
    noord = EventFactory(title="Wijkavond Noord")
    ReactionFactory(event=noord, text="Goedgekeurd in Noord")
    ReactionFactory(text="Goedgekeurd elders")
    ReactionFactory(event=noord, text="Afgewezen in Noord", status=ReactionStatus.REJECTED)
    url = reverse(CHANGELIST)

    approved = staff_client.get(url, {"status": "approved"}).content.decode()
    assert "Goedgekeurd in Noord" in approved
    assert "Afgewezen in Noord" not in approved
    in_noord = staff_client.get(url, {"status": "all", "event__id__exact": noord.pk})
    assert "Afgewezen in Noord" in in_noord.content.decode()
    assert "Goedgekeurd elders" not in in_noord.content.decode()
    found = staff_client.get(url, {"status": "all", "q": "elders"}).content.decode()
    assert "Goedgekeurd elders" in found
    assert "Goedgekeurd in Noord" not in found


def test_moderator_approves_in_bulk_and_the_event_page_shows_them(staff_client, moderator, client):
    event = EventFactory()
    chosen = ReactionFactory.create_batch(2, event=event, status=ReactionStatus.PENDING)
    left = ReactionFactory(event=event, status=ReactionStatus.PENDING, text="Nog niet bekeken")

    response = staff_client.post(
        reverse(CHANGELIST),
        {"action": "approve", "_selected_action": [r.pk for r in chosen]},
        follow=True,
    )

    assert "2 reacties goedgekeurd" in response.content.decode()
    for reaction in chosen:
        reaction.refresh_from_db()
        assert reaction.status == ReactionStatus.APPROVED
        assert reaction.moderated_by == moderator
    left.refresh_from_db()
    assert left.status == ReactionStatus.PENDING
    html = client.get(event.get_absolute_url()).content.decode()
    assert '<h2 id="reacties-titel">2 reacties</h2>' in html
    assert "Nog niet bekeken" not in html


def test_moderator_rejects_in_bulk_also_reactions_already_published(staff_client):
    event = EventFactory()
    reactions = [
        ReactionFactory(event=event, status=ReactionStatus.PENDING),
        ReactionFactory(event=event, status=ReactionStatus.APPROVED, text="Toch niet"),
    ]
    response = staff_client.post(
        reverse(CHANGELIST) + "?status=all",
        {"action": "reject", "_selected_action": [r.pk for r in reactions]},
        follow=True,
    )
    assert "2 reacties afgewezen" in response.content.decode()
    assert set(Reaction.objects.values_list("status", flat=True)) == {ReactionStatus.REJECTED}


def test_actions_in_the_queue_only_touch_what_the_queue_shows(staff_client):
    """The default view is the queue: a published reaction selected by a stale page stays."""
    published = ReactionFactory(status=ReactionStatus.APPROVED)
    staff_client.post(reverse(CHANGELIST), {"action": "reject", "_selected_action": [published.pk]})
    published.refresh_from_db()
    assert published.status == ReactionStatus.APPROVED


def test_moderator_sees_the_event_text_and_email_of_a_reaction(staff_client):
    reaction = ReactionFactory(text="Kan de bijeenkomst later beginnen?", email="vraag@example.org")
    html = staff_client.get(
        reverse("admin:reactions_reaction_change", args=[reaction.pk])
    ).content.decode()
    assert "Kan de bijeenkomst later beginnen?" in html
    assert "vraag@example.org" in html
    assert reaction.event.title in html
    assert 'name="status"' not in html  # moderation goes through the actions


def test_saving_a_reaction_in_the_admin_writes_nothing(staff_client, monkeypatch):
    reaction = ReactionFactory(status=ReactionStatus.PENDING)
    saves = []
    monkeypatch.setattr(Reaction, "save", lambda self, *a, **kw: saves.append(self.pk))
    response = staff_client.post(reverse("admin:reactions_reaction_change", args=[reaction.pk]), {})
    assert response.status_code == 302
    assert saves == []


def test_staff_cannot_add_or_delete_reactions(staff_client):
    reaction = ReactionFactory()
    assert staff_client.get(reverse("admin:reactions_reaction_add")).status_code == 403
    delete = reverse("admin:reactions_reaction_delete", args=[reaction.pk])
    assert staff_client.get(delete).status_code == 403


def test_staff_close_reactions_and_switch_moderation_off_on_the_event_page(staff_client):
    event = EventFactory(slug="wijkraad-west")
    change = reverse("admin:events_event_change", args=[event.pk])
    assert "Reacties eerst beoordelen" in staff_client.get(change).content.decode()

    response = staff_client.post(
        change,
        {
            **event_form_data(),
            "reaction_settings-0-is_open": "",
            "reaction_settings-0-is_moderated": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    settings = ReactionSettings.objects.get(event=event)
    assert (settings.is_open, settings.is_moderated) == (False, False)


def test_saving_an_event_with_the_default_settings_writes_no_settings_row(staff_client):
    event = EventFactory(slug="wijkraad-west")
    response = staff_client.post(
        reverse("admin:events_event_change", args=[event.pk]), event_form_data()
    )
    assert response.status_code == 302
    assert not ReactionSettings.objects.exists()


def test_staff_reopen_reactions(staff_client):
    settings = ReactionSettingsFactory(event__slug="wijkraad-west", is_open=False)
    data = {
        **event_form_data(),
        "reaction_settings-INITIAL_FORMS": "1",
        "reaction_settings-0-event": str(settings.event.pk),
    }
    response = staff_client.post(
        reverse("admin:events_event_change", args=[settings.event.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    settings.refresh_from_db()
    assert settings.is_open


def test_the_event_admin_keeps_the_registrations_inline(staff_client):
    html = staff_client.get(reverse("admin:events_event_add")).content.decode()
    assert 'id="registrations-group"' in html
    assert 'id="reaction_settings-group"' in html


def test_reaction_changelist_query_count_does_not_grow(
    staff_client, django_assert_max_num_queries, django_assert_num_queries
):
    ReactionFactory.create_batch(3, status=ReactionStatus.PENDING)
    with django_assert_max_num_queries(20) as captured:
        staff_client.get(reverse(CHANGELIST))
    few = len(captured)  # now: the next request clears the log
    for _ in range(5):
        ReactionFactory.create_batch(8, status=ReactionStatus.PENDING, event=EventFactory())
    with django_assert_num_queries(few):
        staff_client.get(reverse(CHANGELIST))


def test_the_status_filter_shows_counts_when_asked(staff_client):
    ReactionFactory.create_batch(2, status=ReactionStatus.PENDING)
    html = staff_client.get(reverse(CHANGELIST), {"_facets": "1"}).content.decode()
    assert "Wacht op beoordeling (2)" in html
