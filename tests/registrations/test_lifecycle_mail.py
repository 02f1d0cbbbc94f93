"""The mails of an event's later life (issue 15), through the outbox, the real worker and a
real SMTP server: the status change mails, reminders, staff messages, and retrying."""

import datetime
import uuid
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from registrations import services
from registrations.models import Registration
from tests.factories import EventFactory
from tests.mailserver import SITE_URL, SmtpServer, run_worker_in_process, smtp_settings

pytestmark = pytest.mark.django_db(transaction=True)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def smtp(settings):
    server = SmtpServer().start()
    smtp_settings(settings, server)
    yield server
    server.stop()


def parts(message) -> dict[str, object]:
    found = {}
    for part in message.walk():
        if part.get_content_maintype() != "multipart":
            found[part.get_content_type()] = part.get_content()
    return found


def by_recipient(smtp) -> dict[str, list]:
    """Each envelope recipient's messages; every message has exactly one recipient."""
    received: dict[str, list] = {}
    for recipients, message in zip(smtp.inbox.recipients, smtp.inbox.messages, strict=True):
        assert len(recipients) == 1, recipients
        assert str(message["To"]) == recipients[0]
        received.setdefault(recipients[0], []).append(message)
    return received


def people(event) -> dict[str, Registration]:
    """Anna and Bram confirmed (Bram in English), Cas waiting, Dirk at the desk without an
    address, Eva cancelled."""
    anna = services.register(event=event, name="Anna", email="anna@example.org")
    bram = services.register(event=event, name="Bram", email="bram@example.org", language="en")
    cas = services.register(event=event, name="Cas", email="cas@example.org", waitlist_ok=True)
    dirk = services.register(event=event, name="Dirk", email="", by_staff=True, waitlist_ok=True)
    eva = services.register(event=event, name="Eva", email="eva@example.org", waitlist_ok=True)
    services.cancel(registration=eva)
    return {"anna": anna, "bram": bram, "cas": cas, "dirk": dirk, "eva": eva}


def test_cancelling_an_event_mails_everyone_signed_up_once_with_the_calendar_update(smtp):
    event = EventFactory(title="Wijkavond Noord", capacity=2, waitlist_capacity=5)
    signed_up = people(event)
    run_worker_in_process()
    smtp.inbox.messages.clear()
    smtp.inbox.recipients.clear()

    services.change_event_status(event=event, status="cancelled", reason="De zaal is dicht.")
    run_worker_in_process()

    received = by_recipient(smtp)
    assert sorted(received) == ["anna@example.org", "bram@example.org", "cas@example.org"]
    assert all(len(messages) == 1 for messages in received.values())
    [anna] = received["anna@example.org"]
    assert anna["Subject"] == "Afgelast: Wijkavond Noord"
    text = parts(anna)["text/plain"]
    assert "gaat niet door: het evenement is afgelast" in text
    assert "Reden: De zaal is dicht." in text
    assert "De zaal is dicht." in parts(anna)["text/html"]
    [vevent] = icalendar.Calendar.from_ical(parts(anna)["text/calendar"]).walk("VEVENT")
    assert (vevent["STATUS"], vevent["SEQUENCE"]) == ("CANCELLED", 1)
    [bram] = received["bram@example.org"]
    assert bram["Subject"] == "Cancelled: Wijkavond Noord"
    assert "Reason: De zaal is dicht." in parts(bram)["text/plain"]
    assert signed_up["dirk"].email == ""  # the desk sign-up is on the staff's phone list


def test_a_moved_event_mail_has_both_dates_the_new_calendar_and_the_cancel_step(smtp):
    event = EventFactory(title="Wijkavond Noord")
    anna = services.register(event=event, name="Anna", email="anna@example.org")
    run_worker_in_process()
    smtp.inbox.messages.clear()
    old = timezone.localtime(event.starts_at)
    new_start = datetime.datetime(2031, 11, 14, 19, 0, tzinfo=AMSTERDAM)

    services.change_event_status(
        event=event,
        status="rescheduled",
        reason="Verbouwing.",
        starts_at=new_start,
        ends_at=new_start + 2 * HOUR,
    )
    run_worker_in_process()

    [message] = smtp.inbox.messages
    assert message["Subject"] == "Verplaatst: Wijkavond Noord"
    text = parts(message)["text/plain"]
    assert f"is verplaatst van {old:%d-%m-%Y} om {old:%H:%M} naar 14-11-2031 om 19:00" in text
    assert "Je aanmelding blijft staan." in text
    assert SITE_URL + reverse("registrations:cancel", args=[anna.token]) in text
    [vevent] = icalendar.Calendar.from_ical(parts(message)["text/calendar"]).walk("VEVENT")
    assert vevent.decoded("DTSTART") == new_start
    assert (vevent["STATUS"], vevent["SEQUENCE"]) == ("CONFIRMED", 1)


def test_a_postponed_event_mail_says_a_new_date_will_follow(smtp):
    event = EventFactory(title="Wijkavond Noord", capacity=1, waitlist_capacity=2)
    services.register(event=event, name="Anna", email="anna@example.org")
    services.register(event=event, name="Bram", email="bram@example.org", waitlist_ok=True)
    run_worker_in_process()
    smtp.inbox.messages.clear()

    services.change_event_status(event=event, status="postponed", reason="Spreker ziek.")
    run_worker_in_process()

    texts = {str(m["To"]): parts(m)["text/plain"] for m in smtp.inbox.messages}
    assert set(texts) == {"anna@example.org", "bram@example.org"}
    assert "Je aanmelding blijft staan." in texts["anna@example.org"]
    assert "Je plaats op de wachtlijst blijft staan." in texts["bram@example.org"]
    for text in texts.values():
        assert "het evenement is uitgesteld. Er is nog geen nieuwe datum." in text
        assert "Zodra er een nieuwe datum is, krijg je bericht." in text


def test_a_resident_who_cancelled_before_the_worker_ran_gets_no_news(smtp):
    event = EventFactory(title="Wijkavond Noord")
    anna = services.register(event=event, name="Anna", email="anna@example.org")
    services.register(event=event, name="Bram", email="bram@example.org")
    run_worker_in_process()
    smtp.inbox.messages.clear()

    services.change_event_status(event=event, status="postponed", reason="Spreker ziek.")
    services.cancel(registration=anna)
    run_worker_in_process()

    assert sorted((str(m["To"]), str(m["Subject"])) for m in smtp.inbox.messages) == [
        ("anna@example.org", "Je bent afgemeld: Wijkavond Noord"),
        ("bram@example.org", "Uitgesteld: Wijkavond Noord"),
    ]


# --- Reminders ----------------------------------------------------------------------------


def due_for_a_reminder(event, *people) -> None:
    """The event starts tomorrow; everyone signed up a week ago."""
    start = timezone.now() + DAY
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + 2 * HOUR)
    Registration.objects.filter(pk__in=[p.pk for p in people]).update(
        created_at=timezone.now() - 7 * DAY
    )
    event.refresh_from_db()


def test_the_reminder_has_the_event_the_calendar_and_a_way_out(smtp):
    event = EventFactory(title="Wijkavond Noord", max_party_size=4)
    anna = services.register(event=event, name="Anna", email="anna@example.org", party_size=3)
    bram = services.register(event=event, name="Bram", email="bram@example.org", language="en")
    due_for_a_reminder(event, anna, bram)
    run_worker_in_process()
    smtp.inbox.messages.clear()
    smtp.inbox.recipients.clear()

    assert services.send_due_reminders() == 2
    run_worker_in_process()

    received = by_recipient(smtp)
    [dutch] = received["anna@example.org"]
    start = timezone.localtime(event.starts_at)
    assert dutch["Subject"] == f"Herinnering: Wijkavond Noord, {start:%d-%m-%Y} om {start:%H:%M}"
    text, html = parts(dutch)["text/plain"], parts(dutch)["text/html"]
    cancel_url = SITE_URL + reverse("registrations:cancel", args=[anna.token])
    assert "Ik kan toch niet: meld je af via deze link" in text
    assert cancel_url in text
    assert f'<a href="{cancel_url}">Ik kan toch niet</a>' in html
    assert SITE_URL + anna.get_absolute_url() in text
    assert "Je komt met 3 personen." in text
    assert "Buurthuis De Linde" in text
    [vevent] = icalendar.Calendar.from_ical(parts(dutch)["text/calendar"]).walk("VEVENT")
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    [english] = received["bram@example.org"]
    assert str(english["Subject"]).startswith("Reminder: Wijkavond Noord")
    assert "/en/aanmelding/" in parts(english)["text/plain"]
    assert "I can't make it after all" in parts(english)["text/html"]


def test_a_reminder_for_an_event_called_off_before_delivery_is_dropped(smtp):
    event = EventFactory(title="Wijkavond Noord")
    anna = services.register(event=event, name="Anna", email="anna@example.org")
    due_for_a_reminder(event, anna)
    run_worker_in_process()
    smtp.inbox.messages.clear()

    services.send_due_reminders()
    services.change_event_status(event=event, status="cancelled", reason="Ziekte.")
    run_worker_in_process()

    assert smtp.inbox.subjects() == ["Afgelast: Wijkavond Noord"]


# --- A message to everyone signed up --------------------------------------------------------


def test_a_message_goes_to_each_resident_alone_with_the_event_and_their_link(smtp):
    event = EventFactory(title="Wijkavond Noord", capacity=2, waitlist_capacity=5)
    signed_up = people(event)
    run_worker_in_process()
    smtp.inbox.messages.clear()
    smtp.inbox.recipients.clear()

    message = services.send_message(
        event=event,
        audience="both",
        subject="Zaal & tijd: let op",
        body="We zitten in de grote zaal.\nKoffie staat klaar om 18:45.",
        key=uuid.uuid4(),
    )
    run_worker_in_process()

    received = by_recipient(smtp)  # asserts one recipient per mail, To = envelope
    assert sorted(received) == ["anna@example.org", "bram@example.org", "cas@example.org"]
    assert message.mailed_count == 3 and message.without_email_count == 1
    for address, [mail] in received.items():
        assert mail["Subject"] == "Zaal & tijd: let op"
        assert mail["Cc"] is None and mail["Bcc"] is None
        who = next(p for p in signed_up.values() if p.email == address)
        text = parts(mail)["text/plain"].replace("\r\n", "\n")
        assert "We zitten in de grote zaal.\nKoffie staat klaar om 18:45." in text
        assert "Wijkavond Noord" in text and "Buurthuis De Linde" in text
        assert f"/aanmelding/{who.token}/" in text  # /en/ first for Bram
        assert "text/calendar" not in parts(mail)
    assert "Beste Anna," in parts(received["anna@example.org"][0])["text/plain"]
    english = parts(received["bram@example.org"][0])
    assert "Dear Bram," in english["text/plain"]
    assert "This message is about Wijkavond Noord:" in english["text/plain"]
    assert '<div lang="nl"><p>We zitten in de grote zaal.<br>' in english["text/html"]
