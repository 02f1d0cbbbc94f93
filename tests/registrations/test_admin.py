import datetime
import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from events.admin import EventAdminForm
from events.models import Event
from registrations import services
from registrations.models import Registration
from tests.conftest import fill
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def event_form_data(*, event: Event | None = None, **overrides) -> dict:
    """The admin's event form, filled in. With ``event``: its own begin and end (an event
    with registrations is moved through "Status wijzigen", not through this form)."""
    starts = timezone.localtime(timezone.now() + datetime.timedelta(days=14)).replace(
        hour=19, minute=0, second=0, microsecond=0
    )
    data = {
        "title": "Wijkraad West",
        "slug": "wijkraad-west",
        "description": "Over de wijk.",
        "is_published": "on",
        "starts_at_0": starts.strftime("%d-%m-%Y"),
        "starts_at_1": "19:00",
        "ends_at_0": starts.strftime("%d-%m-%Y"),
        "ends_at_1": "21:00",
        "location": "Buurthuis",
        "address": "",
        "capacity": "30",
        "waitlist_capacity": "0",
        "max_party_size": "1",
        "registration_opens_at_0": "",
        "registration_opens_at_1": "",
        "registration_closes_at_0": "",
        "registration_closes_at_1": "",
        # The questions inline (registrations.admin), empty.
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
        "registrations-MIN_NUM_FORMS": "0",
        "registrations-MAX_NUM_FORMS": "0",
        # The reactions inline (reactions.admin), left at its defaults.
        "reaction_settings-TOTAL_FORMS": "1",
        "reaction_settings-INITIAL_FORMS": "0",
        "reaction_settings-MIN_NUM_FORMS": "0",
        "reaction_settings-MAX_NUM_FORMS": "1",
        "reaction_settings-0-is_open": "on",
        "reaction_settings-0-is_moderated": "on",
    }
    if event is not None:
        starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
        data["starts_at_0"], data["starts_at_1"] = f"{starts:%d-%m-%Y}", f"{starts:%H:%M:%S}"
        data["ends_at_0"], data["ends_at_1"] = f"{ends:%d-%m-%Y}", f"{ends:%H:%M:%S}"
    data.update(overrides)
    return data


def test_evenementbeheer_group_has_exactly_the_event_permissions():
    # Other models (reactions, themes, areas) are tested where they are made.
    codenames = set(
        Group.objects.get(name="Evenementbeheer")
        .permissions.filter(content_type__model__in=["event", "registration", "question"])
        .values_list("codename", flat=True)
    )
    assert codenames == {
        "add_event",
        "change_event",
        "view_event",
        "add_registration",  # at the desk or on the phone, through the service
        "view_registration",
        "change_registration",
        "add_question",
        "change_question",
        "view_question",
        "delete_question",  # only while it has no answers (the admin refuses otherwise)
    }


def test_staff_member_creates_an_event(staff_client):
    response = staff_client.post(reverse("admin:events_event_add"), event_form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(slug="wijkraad-west")
    assert timezone.localtime(event.starts_at).hour == 19
    assert event.capacity == 30


def test_staff_member_gets_a_dutch_message_for_an_end_before_the_start(staff_client):
    response = staff_client.post(
        reverse("admin:events_event_add"), event_form_data(ends_at_1="18:00")
    )
    assert response.status_code == 200
    assert "Het einde moet na het begin liggen." in response.content.decode()
    assert not Event.objects.exists()


def test_staff_member_adds_coordinates_for_the_map(staff_client):
    response = staff_client.post(
        reverse("admin:events_event_add"),
        event_form_data(latitude="52.0857", longitude="5.1373"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(slug="wijkraad-west")
    assert (str(event.latitude), str(event.longitude)) == ("52.085700", "5.137300")


def test_staff_member_gets_a_dutch_message_for_half_coordinates(staff_client):
    response = staff_client.post(
        reverse("admin:events_event_add"), event_form_data(latitude="52.0857")
    )
    assert response.status_code == 200
    assert "Vul de breedtegraad en de lengtegraad allebei in, of allebei niet." in (
        response.content.decode()
    )
    assert not Event.objects.exists()


def test_staff_member_publishes_and_edits_an_event(staff_client):
    event = EventFactory(is_published=False, slug="wijkraad-west")
    response = staff_client.post(
        reverse("admin:events_event_change", args=[event.pk]),
        event_form_data(title="Wijkraad West (nieuwe zaal)", is_published="on"),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.is_published
    assert event.title == "Wijkraad West (nieuwe zaal)"


def test_capacity_below_the_confirmed_count_is_refused(staff_client):
    event = EventFactory(capacity=5, slug="wijkraad-west")
    fill(event, 4)
    response = staff_client.post(
        reverse("admin:events_event_change", args=[event.pk]), event_form_data(capacity="3")
    )
    assert response.status_code == 200
    assert "Er zijn al 4 bevestigde aanmeldingen" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 5


def sign_up_during_admin_save(monkeypatch, event, count: int) -> list:
    """While the admin validates its form, ``count`` residents try to sign up on their own
    connections. Returns their outcomes once the admin request is done."""
    outcomes: list = []
    workers: list[threading.Thread] = []
    original_clean = EventAdminForm.clean_capacity

    def sign_up(number: int) -> None:
        try:
            services.register(event=event, name=f"Bewoner {number}", email=f"b{number}@example.org")
            outcomes.append("confirmed")
        except services.RegistrationError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    def clean_capacity_while_residents_sign_up(form):
        for number in range(count):
            worker = threading.Thread(target=sign_up, args=(number,))
            worker.start()
            workers.append(worker)
            # Bounded wait: without the admin's row lock the sign-up commits now, with it
            # the sign-up waits for the admin's transaction. Only outcomes are asserted.
            worker.join(timeout=1)
        return original_clean(form)

    monkeypatch.setattr(EventAdminForm, "clean_capacity", clean_capacity_while_residents_sign_up)
    return outcomes, workers


@pytest.mark.django_db(transaction=True)
def test_saving_an_event_keeps_sign_ups_made_while_the_admin_saves(staff_client, monkeypatch):
    event = EventFactory(capacity=5, slug="wijkraad-west")
    outcomes, workers = sign_up_during_admin_save(monkeypatch, event, 3)

    response = staff_client.post(
        reverse("admin:events_event_change", args=[event.pk]), event_form_data(capacity="5")
    )
    for worker in workers:
        worker.join(timeout=30)

    assert response.status_code == 302
    assert outcomes == ["confirmed"] * 3
    event.refresh_from_db()
    assert event.confirmed_count == 3
    assert event.registrations.filter(status="confirmed").count() == 3


@pytest.mark.django_db(transaction=True)
def test_lowering_capacity_while_residents_sign_up_never_errors(staff_client, monkeypatch):
    event = EventFactory(capacity=5, slug="wijkraad-west")
    outcomes, workers = sign_up_during_admin_save(monkeypatch, event, 3)

    response = staff_client.post(
        reverse("admin:events_event_change", args=[event.pk]), event_form_data(capacity="2")
    )
    for worker in workers:
        worker.join(timeout=30)

    assert response.status_code == 302
    assert sorted(outcomes) == ["EventFull", "confirmed", "confirmed"]
    event.refresh_from_db()
    assert (event.capacity, event.confirmed_count) == (2, 2)


def test_event_admin_page_lists_its_registrations(staff_client):
    event = EventFactory()
    fill(event, 2)
    html = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert "gast0@example.org" in html
    assert "gast1@example.org" in html


def test_staff_member_views_registrations_but_cannot_edit_their_status(staff_client):
    event = EventFactory()
    fill(event, 1)
    registration = Registration.objects.get()
    url = reverse("admin:registrations_registration_change", args=[registration.pk])
    html = staff_client.get(url).content.decode()
    assert "gast0@example.org" in html
    assert 'name="status"' not in html
    assert (
        staff_client.get(reverse("admin:registrations_registration_changelist")).status_code == 200
    )


def test_staff_member_cannot_manage_users(staff_client):
    assert staff_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert staff_client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_event_changelist_shows_the_columns_staff_need(staff_client):
    event = EventFactory(title="Wijkraad Oost", capacity=12, location="Raadzaal")
    fill(event, 3)
    html = staff_client.get(reverse("admin:events_event_changelist")).content.decode()
    for text in ["Wijkraad Oost", "Raadzaal", ">12<", ">3<", "Gepubliceerd"]:
        assert text in html


def test_event_changelist_searches_and_filters(staff_client):
    EventFactory(title="Wijkraad Noord")
    EventFactory(
        title="Jeugdraad",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3, hours=-1),
    )
    url = reverse("admin:events_event_changelist")
    assert "Jeugdraad" not in staff_client.get(url, {"q": "Noord"}).content.decode()
    upcoming = staff_client.get(url, {"when": "upcoming"}).content.decode()
    assert "Wijkraad Noord" in upcoming
    assert "Jeugdraad" not in upcoming
    past = staff_client.get(url, {"when": "past"}).content.decode()
    assert "Jeugdraad" in past
    assert "Wijkraad Noord" not in past


def test_event_changelist_query_count_does_not_grow_with_events(
    staff_client, django_assert_max_num_queries, django_assert_num_queries
):
    url = reverse("admin:events_event_changelist")
    EventFactory.create_batch(3)
    with django_assert_max_num_queries(20) as captured:
        staff_client.get(url)
    few = len(captured)  # now: the next request clears the log
    EventFactory.create_batch(60)
    with django_assert_num_queries(few):
        staff_client.get(url)


def test_registration_changelist_query_count_does_not_grow(
    staff_client, django_assert_max_num_queries, django_assert_num_queries
):
    url = reverse("admin:registrations_registration_changelist")
    fill(EventFactory(capacity=100), 3)
    with django_assert_max_num_queries(20) as captured:
        staff_client.get(url)
    few = len(captured)  # now: the next request clears the log
    for _ in range(5):
        fill(EventFactory(capacity=100), 12)
    with django_assert_num_queries(few):
        staff_client.get(url)


def test_saving_a_registration_in_the_admin_writes_nothing(staff_client, monkeypatch):
    """A save() from the admin would write back the status as loaded, behind the lock."""
    event = EventFactory()
    fill(event, 1)
    registration = Registration.objects.get()
    saves = []
    monkeypatch.setattr(Registration, "save", lambda self, *a, **kw: saves.append(self.pk))

    response = staff_client.post(
        reverse("admin:registrations_registration_change", args=[registration.pk]), {}
    )

    assert response.status_code == 302
    assert saves == []


def test_staff_cancel_action_moves_the_waiting_list_up_and_is_logged(staff_client):
    from django.contrib.admin.models import LogEntry

    event = EventFactory(capacity=1, waitlist_capacity=2)
    anna = services.register(event=event, name="Anna", email="anna@example.org")
    bram = services.register(event=event, name="Bram", email="bram@example.org")

    changelist = reverse("admin:registrations_registration_changelist")
    action = {"action": "cancel_selected", "_selected_action": [anna.pk]}

    asked = staff_client.post(changelist, action)
    assert asked.status_code == 200
    assert "Ja, annuleren" in asked.content.decode()
    anna.refresh_from_db()
    assert anna.status == "confirmed"  # nothing happens before the confirmation

    response = staff_client.post(changelist, {**action, "confirm": "yes"})
    assert response.status_code == 302
    anna.refresh_from_db(), bram.refresh_from_db()
    assert (anna.status, bram.status) == ("cancelled", "confirmed")
    entry = LogEntry.objects.get(object_id=str(anna.pk))
    assert entry.user.username == "medewerker"
    assert "Geannuleerd door een medewerker" in entry.get_change_message()


def test_raising_capacity_in_the_admin_moves_the_waiting_list_up(staff_client):
    event = EventFactory(capacity=1, waitlist_capacity=3, slug="wijkraad-west")
    for who in ("anna", "bram", "cas"):
        services.register(event=event, name=who, email=f"{who}@example.org")

    response = staff_client.post(
        reverse("admin:events_event_change", args=[event.pk]),
        event_form_data(event=event, capacity="2", waitlist_capacity="3"),
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.confirmed_count, event.waitlisted_count) == (2, 1)
    assert event.registrations.get(name="bram").status == "confirmed"


def test_admin_refuses_a_registration_window_that_ends_after_the_start(staff_client):
    data = event_form_data()
    data["registration_closes_at_0"] = data["starts_at_0"]
    data["registration_closes_at_1"] = "20:00"
    response = staff_client.post(reverse("admin:events_event_add"), data)
    assert response.status_code == 200
    assert "Aanmelden moet uiterlijk bij het begin van het evenement sluiten." in (
        response.content.decode()
    )
    assert not Event.objects.exists()
