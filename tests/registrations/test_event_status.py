"""Cancelling, postponing and moving an event: the service, what residents see, the admin."""

import datetime
import json
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from events.models import Event, StatusChange
from registrations import services
from registrations.models import Registration
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def sign_up(event, who: str, **kwargs) -> Registration:
    return services.register(event=event, name=who.title(), email=f"{who}@example.org", **kwargs)


def mail_tasks(kind: str | None = None) -> list[dict]:
    rows = [row.args_kwargs["kwargs"] for row in DBTaskResult.objects.order_by("enqueued_at")]
    return [row for row in rows if kind is None or row["kind"] == kind]


@pytest.fixture
def full_event():
    """Two confirmed (one of them at the desk, without an address), one waiting, one
    cancelled."""
    event = EventFactory(title="Wijkavond Noord", capacity=2, waitlist_capacity=5)
    anna = sign_up(event, "anna")
    desk = services.register(event=event, name="Dirk Balie", email="", by_staff=True)
    bram = sign_up(event, "bram", waitlist_ok=True)
    cas = sign_up(event, "cas", waitlist_ok=True)
    services.cancel(registration=cas)
    event.refresh_from_db()
    DBTaskResult.objects.all().delete()
    return event, {"anna": anna, "desk": desk, "bram": bram, "cas": cas}


# --- The service ------------------------------------------------------------------------


def test_cancelling_mails_each_confirmed_and_waiting_resident_with_an_address_once(full_event):
    event, people = full_event
    change = services.change_event_status(
        event=event, status="cancelled", reason="De zaal is niet beschikbaar."
    )

    event.refresh_from_db()
    assert (event.status, event.status_reason, event.sequence) == (
        "cancelled",
        "De zaal is niet beschikbaar.",
        1,
    )
    tasks = mail_tasks()
    assert sorted(t["registration_id"] for t in tasks) == sorted(
        [people["anna"].pk, people["bram"].pk]
    )
    assert {t["kind"] for t in tasks} == {"event_cancelled"}
    assert {t["change_id"] for t in tasks} == {change.pk}
    assert change.mailed_count == 2
    # Registrations stay as they were: the record of who was coming.
    assert Registration.objects.get(pk=people["anna"].pk).status == "confirmed"
    assert Registration.objects.get(pk=people["bram"].pk).status == "waitlisted"
    assert (event.confirmed_count, event.waitlisted_count) == (2, 1)


def test_a_cancelled_event_takes_no_sign_ups_not_even_at_the_desk(full_event):
    event, _people = full_event
    services.change_event_status(event=event, status="cancelled", reason="Ziekte.")
    with pytest.raises(services.RegistrationClosed) as refused:
        sign_up(event, "eva", waitlist_ok=True)
    assert str(refused.value.message) == "Dit evenement is afgelast; aanmelden kan niet."
    with pytest.raises(services.RegistrationClosed):
        services.register(event=event, name="Fien", email="", by_staff=True, waitlist_ok=True)


def test_nobody_moves_up_on_a_cancelled_event(full_event):
    event, people = full_event
    services.change_event_status(event=event, status="cancelled", reason="Ziekte.")
    services.cancel(registration=people["anna"], by_staff=True)
    assert Registration.objects.get(pk=people["bram"].pk).status == "waitlisted"
    assert mail_tasks("promoted") == []


def test_a_cancelled_event_stays_cancelled(full_event):
    event, _people = full_event
    services.change_event_status(event=event, status="cancelled", reason="Ziekte.")
    for status in ("cancelled", "postponed", "rescheduled"):
        with pytest.raises(services.EventStatusRefused) as refused:
            services.change_event_status(
                event=event,
                status=status,
                reason="Toch wel.",
                starts_at=event.starts_at + DAY,
                ends_at=event.ends_at + DAY,
            )
        assert "al afgelast" in str(refused.value.message)
    assert StatusChange.objects.count() == 1


def test_an_event_that_has_begun_cannot_change_status():
    event = EventFactory(starts_at=timezone.now() - HOUR, ends_at=timezone.now() + HOUR)
    with pytest.raises(services.EventStatusRefused) as refused:
        services.change_event_status(event=event, status="cancelled", reason="Te laat.")
    assert "al begonnen" in str(refused.value.message)


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Vul een reden in."),
        ("   \n ", "Vul een reden in."),
        ("Zaal\x0bdicht", "De reden bevat tekens die we niet kunnen gebruiken."),
        ("x" * 1001, "De reden mag hoogstens 1000 tekens lang zijn."),
    ],
)
def test_a_status_change_needs_a_usable_reason(event, reason, message):
    with pytest.raises(services.EventStatusRefused) as refused:
        services.change_event_status(event=event, status="cancelled", reason=reason)
    assert str(refused.value.message).startswith(message)
    event.refresh_from_db()
    assert event.status == "scheduled"


def test_postponing_closes_sign_up_and_keeps_registrations(full_event, client):
    event, people = full_event
    services.change_event_status(event=event, status="postponed", reason="De spreker is ziek.")
    event.refresh_from_db()
    assert event.status == "postponed"
    assert {t["kind"] for t in mail_tasks()} == {"event_postponed"}
    with pytest.raises(services.RegistrationClosed):
        sign_up(event, "eva", waitlist_ok=True)
    # A resident can still give up their place.
    services.cancel(registration=people["anna"])
    assert Registration.objects.get(pk=people["bram"].pk).status == "confirmed"


def test_moving_keeps_registrations_moves_the_window_and_raises_the_sequence(full_event):
    event, people = full_event
    Event.objects.filter(pk=event.pk).update(
        registration_closes_at=event.starts_at - DAY,
        registration_opens_at=event.starts_at - 5 * DAY,
    )
    event.refresh_from_db()
    old_start = event.starts_at
    new_start = timezone.now() + 30 * DAY

    change = services.change_event_status(
        event=event,
        status="rescheduled",
        reason="Het buurthuis wordt verbouwd.",
        starts_at=new_start,
        ends_at=new_start + 2 * HOUR,
    )

    event.refresh_from_db()
    assert (event.status, event.starts_at, event.ends_at) == (
        "rescheduled",
        new_start,
        new_start + 2 * HOUR,
    )
    assert event.previous_starts_at == old_start
    assert event.sequence == 1
    assert event.registration_closes_at == new_start - DAY
    assert event.registration_opens_at == new_start - 5 * DAY
    assert (change.previous_starts_at, change.starts_at) == (old_start, new_start)
    assert Registration.objects.get(pk=people["anna"].pk).status == "confirmed"
    assert {t["kind"] for t in mail_tasks()} == {"event_rescheduled"}
    # The window moved along, so sign-up is what it says: not open yet.
    with pytest.raises(services.RegistrationClosed) as refused:
        sign_up(event, "eva", waitlist_ok=True)
    assert "nog niet geopend" in str(refused.value.message)


def test_a_postponed_event_gets_a_new_date_and_opens_again(event):
    sign_up(event, "anna")
    services.change_event_status(event=event, status="postponed", reason="Geen zaal.")
    new_start = timezone.now() + 20 * DAY
    services.change_event_status(
        event=event,
        status="rescheduled",
        reason="Nieuwe zaal gevonden.",
        starts_at=new_start,
        ends_at=new_start + HOUR,
    )
    event.refresh_from_db()
    assert (event.status, event.sequence) == ("rescheduled", 2)
    assert sign_up(event, "bram").status == "confirmed"


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        (None, None, "Vul het nieuwe begin en het nieuwe einde in."),
        (-DAY, -DAY + HOUR, "Het nieuwe begin moet in de toekomst liggen."),
        (10 * DAY, 10 * DAY - HOUR, "Het einde moet na het begin liggen."),
        (10 * DAY, 10 * DAY, "Het einde moet na het begin liggen."),
    ],
)
def test_a_move_needs_a_future_begin_before_its_end(event, starts, ends, message):
    now = timezone.now()
    with pytest.raises(services.EventStatusRefused) as refused:
        services.change_event_status(
            event=event,
            status="rescheduled",
            reason="Verbouwing.",
            starts_at=None if starts is None else now + starts,
            ends_at=None if ends is None else now + ends,
        )
    assert str(refused.value.message) == message


def test_a_move_to_the_same_times_is_refused(event):
    with pytest.raises(services.EventStatusRefused) as refused:
        services.change_event_status(
            event=event,
            status="rescheduled",
            reason="Verbouwing.",
            starts_at=event.starts_at,
            ends_at=event.ends_at,
        )
    assert "al heeft" in str(refused.value.message)


def test_status_change_outside_a_transaction_only():
    """Durable, like a sign-up: it commits its mails when it returns."""
    from django.db import transaction

    event = EventFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.change_event_status(event=event, status="cancelled", reason="Ziekte.")


# --- What residents see -----------------------------------------------------------------


def test_cancelled_event_page_says_so_with_the_reason_and_has_no_form(client):
    event = EventFactory(title="Wijkavond Noord")
    services.change_event_status(event=event, status="cancelled", reason="De zaal is dicht.")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "<title>Afgelast: Wijkavond Noord" in html
    assert re.search(r"<strong>Afgelast</strong>: <span>De zaal is dicht.</span>", html)
    assert "Dit evenement is afgelast; aanmelden kan niet." in html
    assert 'id="signup-submit"' not in html
    assert "Zet in agenda" not in html


def test_a_sign_up_posted_to_a_cancelled_event_is_refused_with_the_reason(client):
    """The form was open in a resident's browser when staff cancelled the event."""
    event = EventFactory(title="Wijkavond Noord")
    services.change_event_status(event=event, status="cancelled", reason="De zaal is dicht.")
    response = client.post(
        reverse("registrations:signup", args=[event.slug]),
        {"name": "Anna", "email": "anna@example.org", "consent": "on"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Dit evenement is afgelast; aanmelden kan niet." in html
    assert not Registration.objects.exists()


def test_postponed_event_page_says_a_new_date_will_follow(client):
    event = EventFactory(title="Wijkavond Noord")
    services.change_event_status(event=event, status="postponed", reason="Spreker ziek.")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "<strong>Uitgesteld</strong>: <span>Spreker ziek.</span>" in html
    assert "Aanmelden kan weer zodra er een nieuwe datum is." in html
    assert 'id="signup-submit"' not in html


def test_moved_event_page_shows_the_new_date_and_keeps_the_form(client):
    event = EventFactory(title="Wijkavond Noord")
    old = timezone.localtime(event.starts_at)
    new_start = datetime.datetime(2031, 11, 14, 19, 0, tzinfo=AMSTERDAM)
    services.change_event_status(
        event=event,
        status="rescheduled",
        reason="Verbouwing.",
        starts_at=new_start,
        ends_at=new_start + 2 * HOUR,
    )
    html = client.get(event.get_absolute_url()).content.decode()
    assert "<strong>Verplaatst naar 14-11-2031 om 19:00</strong>" in html
    assert f"Eerst gepland op {old:%d-%m-%Y} om {old:%H:%M}" in html
    assert 'id="signup-submit"' in html


def test_english_page_marks_the_dutch_reason(client):
    event = EventFactory(title="Wijkavond Noord")
    services.change_event_status(event=event, status="cancelled", reason="De zaal is dicht.")
    html = client.get("/en" + event.get_absolute_url()).content.decode()
    assert '<strong>Cancelled</strong>: <span lang="nl">De zaal is dicht.</span>' in html


def test_the_list_marks_an_event_that_is_off_or_moved(client):
    off = EventFactory(title="Gaat niet door")
    moved = EventFactory(title="Later")
    EventFactory(title="Gewoon")
    services.change_event_status(event=off, status="cancelled", reason="Ziekte.")
    new_start = moved.starts_at + 2 * DAY
    services.change_event_status(
        event=moved,
        status="rescheduled",
        reason="Zaal.",
        starts_at=new_start,
        ends_at=new_start + HOUR,
    )
    html = client.get(reverse("events:list")).content.decode()
    assert re.search(r"event-card__badge--cancelled\">Afgelast</span> <a[^>]*>Gaat niet door", html)
    assert re.search(r"event-card__badge--rescheduled\">Verplaatst</span> <a[^>]*>Later", html)
    assert 'event-card__badge"' not in html.split("Gewoon")[0].rsplit("<li", 1)[1]
    # Only with seats: an event that is off has none to offer.
    html = client.get(reverse("events:list"), {"vrij": "on"}).content.decode()
    assert "Gaat niet door" not in html
    assert "Later" in html


def test_json_ld_carries_the_real_event_status(client):
    event = EventFactory()
    old_start = event.starts_at
    new_start = event.starts_at + DAY
    services.change_event_status(
        event=event,
        status="rescheduled",
        reason="Zaal.",
        starts_at=new_start,
        ends_at=new_start + HOUR,
    )
    html = client.get(event.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    data = json.loads(block.group(1))
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["previousStartDate"].startswith(
        timezone.localtime(old_start).strftime("%Y-%m-%dT%H:%M")
    )
    services.change_event_status(event=event, status="cancelled", reason="Toch niet.")
    html = client.get(event.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.DOTALL).group(1))
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["offers"]["availability"] == "https://schema.org/Discontinued"


def vevent_of(client, event) -> icalendar.Event:
    response = client.get(reverse("events:ics", args=[event.slug]))
    [vevent] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    return vevent


def test_calendar_files_carry_the_status_and_a_higher_sequence(client):
    event = EventFactory(title="Wijkavond")
    before = vevent_of(client, event)
    assert (before["STATUS"], before["SEQUENCE"]) == ("CONFIRMED", 0)

    new_start = event.starts_at + 3 * DAY
    services.change_event_status(
        event=event,
        status="rescheduled",
        reason="Zaal.",
        starts_at=new_start,
        ends_at=new_start + HOUR,
    )
    moved = vevent_of(client, event)
    assert (moved["STATUS"], moved["SEQUENCE"]) == ("CONFIRMED", 1)
    assert moved["UID"] == before["UID"]
    assert moved.decoded("DTSTART") == new_start.replace(microsecond=0)

    services.change_event_status(event=event, status="cancelled", reason="Toch niet.")
    cancelled = vevent_of(client, event)
    assert (cancelled["STATUS"], cancelled["SEQUENCE"]) == ("CANCELLED", 2)
    assert str(cancelled["SUMMARY"]) == "Afgelast: Wijkavond"
    assert "Afgelast: Toch niet." in str(cancelled["DESCRIPTION"])
    # The subscribed feed says the same, so a subscribed calendar strikes it too.
    feed = icalendar.Calendar.from_ical(client.get(reverse("events:feed")).content)
    [in_feed] = feed.walk("VEVENT")
    assert (in_feed["STATUS"], in_feed["SEQUENCE"]) == ("CANCELLED", 2)


def test_atom_feed_and_api_say_the_status(client):
    event = EventFactory(title="Wijkavond")
    services.change_event_status(event=event, status="postponed", reason="Zaal.")
    atom = client.get(reverse("events:atom")).content.decode()
    assert "<title>Uitgesteld: Wijkavond</title>" in atom
    [item] = client.get("/api/v1/events/").json()["results"]
    assert (item["status"], item["status_reason"], item["registration_state"]) == (
        "postponed",
        "Zaal.",
        "postponed",
    )


def test_the_personal_page_says_the_event_is_cancelled_and_offers_no_cancelling(client):
    event = EventFactory()
    anna = sign_up(event, "anna")
    services.change_event_status(event=event, status="cancelled", reason="Ziekte.")
    html = client.get(anna.get_absolute_url()).content.decode()
    assert "<strong>Afgelast</strong>: <span>Ziekte.</span>" in html
    assert reverse("registrations:cancel", args=[anna.token]) not in html
    # Nor by the address: the cancel step sends them back to their page.
    response = client.get(reverse("registrations:cancel", args=[anna.token]))
    assert response.status_code == 302


def test_a_resident_can_give_up_a_postponed_event_whose_old_date_has_passed(client):
    event = EventFactory()
    anna = sign_up(event, "anna")
    services.change_event_status(event=event, status="postponed", reason="Zaal.")
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - DAY, ends_at=timezone.now() - DAY + HOUR
    )
    response = client.post(reverse("registrations:cancel", args=[anna.token]))
    assert response.status_code == 302
    assert Registration.objects.get(pk=anna.pk).status == "cancelled"


# --- The admin ----------------------------------------------------------------------------


def status_url(event) -> str:
    return reverse("admin:events_event_change_status", args=[event.pk])


def test_the_event_page_in_the_admin_has_a_status_button(staff_client):
    event = EventFactory()
    html = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert f'href="{status_url(event)}"' in html
    assert "Status wijzigen" in html
    assert "Gepland" in html


def test_staff_cancel_an_event_after_a_confirmation_page(staff_client, staff_user, full_event):
    event, _people = full_event
    form = staff_client.get(status_url(event)).content.decode()
    for label in ("Afgelast", "Uitgesteld", "Verplaatst"):
        assert label in form

    data = {"status": "cancelled", "reason": "De zaal is niet beschikbaar."}
    confirm = staff_client.post(status_url(event), data)

    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Wijkavond Noord afgelasten?" in html
    assert "2 bewoners krijgen een e-mail" in html
    assert "1 aangemeld, 1 op de wachtlijst" in html
    assert "bel deze bewoner" in html and "Dirk Balie" in html
    assert "Ja, afgelasten en iedereen mailen" in html
    event.refresh_from_db()
    assert event.status == "scheduled"  # nothing happened yet
    assert mail_tasks() == []

    done = staff_client.post(status_url(event), {**data, "confirm": "yes"}, follow=True)

    assert done.redirect_chain[-1][0] == reverse("admin:events_event_change", args=[event.pk])
    assert "Het evenement is afgelast. 2 bewoners krijgen een e-mail." in done.content.decode()
    event.refresh_from_db()
    assert event.status == "cancelled"
    change = StatusChange.objects.get()
    assert change.changed_by == staff_user
    assert len(mail_tasks("event_cancelled")) == 2
    log = LogEntry.objects.get(object_id=str(event.pk))
    assert "De zaal is niet beschikbaar." in log.get_change_message()
    # And now there is nothing left to change.
    html = staff_client.get(status_url(event)).content.decode()
    assert "al afgelast" in html
    assert 'name="reason"' not in html


def test_staff_move_an_event_and_can_go_back_to_edit(staff_client, full_event):
    event, _people = full_event
    data = {
        "status": "rescheduled",
        "reason": "Verbouwing.",
        "starts_at_0": "14-11-2031",
        "starts_at_1": "19:00",
        "ends_at_0": "14-11-2031",
        "ends_at_1": "21:00",
    }
    confirm = staff_client.post(status_url(event), data).content.decode()
    assert "Wijkavond Noord verplaatsen?" in confirm
    assert "14-11-2031 om 19:00" in confirm
    # "Terug, aanpassen": the form again, filled in.
    back = staff_client.post(status_url(event), {**data, "confirm": "yes", "edit": "1"})
    assert back.status_code == 200
    assert 'value="Verbouwing."' not in back.content.decode()  # a textarea, not a value
    assert "Verbouwing.</textarea>" in back.content.decode()
    event.refresh_from_db()
    assert event.status == "scheduled"

    staff_client.post(status_url(event), {**data, "confirm": "yes"})

    event.refresh_from_db()
    assert event.status == "rescheduled"
    assert timezone.localtime(event.starts_at).strftime("%d-%m-%Y %H:%M") == "14-11-2031 19:00"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "cancelled", "reason": ""}, "Vul een reden in."),
        ({"reason": "Ziekte."}, "Kies een nieuwe status."),
        ({"status": "opgeheven", "reason": "Ziekte."}, "Kies een van de statussen in de lijst."),
        ({"status": "cancelled", "reason": "Zaal\x0bdicht"}, "tekens die we niet kunnen"),
        ({"status": "rescheduled", "reason": "Zaal."}, "Vul het nieuwe begin in."),
        (
            {
                "status": "rescheduled",
                "reason": "Zaal.",
                "starts_at_0": "14-11-2031",
                "starts_at_1": "19:00",
                "ends_at_0": "14-11-2031",
                "ends_at_1": "18:00",
            },
            "Het einde moet na het begin liggen.",
        ),
        (
            {
                "status": "rescheduled",
                "reason": "Zaal.",
                "starts_at_0": "14-11-2001",
                "starts_at_1": "19:00",
                "ends_at_0": "14-11-2001",
                "ends_at_1": "21:00",
            },
            "Het nieuwe begin moet in de toekomst liggen.",
        ),
        (
            {
                "status": "rescheduled",
                "reason": "Zaal.",
                "starts_at_0": "14-11-9999",
                "starts_at_1": "19:00",
                "ends_at_0": "14-11-9999",
                "ends_at_1": "21:00",
            },
            "Vul een datum in tussen 1900 en 2999.",
        ),
        (
            {
                "status": "rescheduled",
                "reason": "Zaal.",
                "starts_at_0": "31-02-2031",
                "starts_at_1": "19:00",
                "ends_at_0": "31-02-2031",
                "ends_at_1": "21:00",
            },
            "Voer een geldige datum in.",
        ),
    ],
)
def test_bad_input_gets_a_dutch_message_and_changes_nothing(staff_client, event, data, message):
    for confirm in ({}, {"confirm": "yes"}):
        response = staff_client.post(status_url(event), {**data, **confirm})
        assert response.status_code == 422
        assert message in response.content.decode()
    event.refresh_from_db()
    assert event.status == "scheduled"
    assert not StatusChange.objects.exists()


def test_a_change_that_became_impossible_meanwhile_is_refused_with_a_message(staff_client, event):
    """Two staff members at once: the second confirmation finds the event cancelled."""
    services.change_event_status(event=event, status="cancelled", reason="Eerste.")
    Event.objects.filter(pk=event.pk).update(status="scheduled")  # what the page showed
    form_choices = staff_client.get(status_url(event))
    assert form_choices.status_code == 200
    Event.objects.filter(pk=event.pk).update(status="cancelled")
    response = staff_client.post(
        status_url(event), {"status": "postponed", "reason": "Tweede.", "confirm": "yes"}
    )
    assert response.status_code == 422  # "postponed" is no longer a choice
    assert StatusChange.objects.count() == 1


def test_changing_the_status_needs_the_change_permission(client, event):
    viewer = User.objects.create_user("kijker", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_event"))
    client.force_login(viewer)
    assert client.get(status_url(event)).status_code == 403
    assert client.post(status_url(event), {"status": "cancelled", "reason": "x"}).status_code == 403
    html = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert status_url(event) not in html


def test_the_event_form_refuses_a_new_date_once_people_signed_up(staff_client):
    from tests.registrations.test_admin import event_form_data

    event = EventFactory(slug="wijkraad-west")
    sign_up(event, "anna")
    response = staff_client.post(
        reverse("admin:events_event_change", args=[event.pk]), event_form_data()
    )
    assert response.status_code == 200
    assert "Verplaats het evenement met “Status wijzigen”" in response.content.decode()


def test_editing_the_date_or_place_of_an_event_raises_its_calendar_sequence(staff_client):
    from tests.registrations.test_admin import event_form_data

    event = EventFactory(slug="wijkraad-west")
    url = reverse("admin:events_event_change", args=[event.pk])
    same = {"title": event.title, "location": event.location, "address": event.address}
    staff_client.post(url, event_form_data(event=event, **same, capacity="40"))
    event.refresh_from_db()
    assert (event.capacity, event.sequence) == (40, 0)  # nothing a calendar shows changed
    staff_client.post(url, event_form_data(event=event, **{**same, "location": "Raadzaal"}))
    event.refresh_from_db()
    assert (event.location, event.sequence) == ("Raadzaal", 1)
