"""Reminders before an event: who gets one, when, and only once (time-machine for time)."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from events.models import Event
from registrations import services
from registrations.models import Registration
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)
DAY = datetime.timedelta(days=1)
# The event of these tests: Thursday 12 November 2026, 19:00 in Amsterdam.
STARTS = datetime.datetime(2026, 11, 12, 19, 0, tzinfo=AMSTERDAM)
SIGNED_UP = STARTS - 10 * DAY


def reminded() -> list[int]:
    """Registration ids with a reminder in the outbox, one entry per task row."""
    return sorted(
        row.args_kwargs["kwargs"]["registration_id"]
        for row in DBTaskResult.objects.all()
        if row.args_kwargs["kwargs"]["kind"] == "reminder"
    )


def remind_at(moment: datetime.datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return services.send_due_reminders()


@pytest.fixture
def event():
    return EventFactory(
        title="Wijkavond Noord",
        starts_at=STARTS,
        ends_at=STARTS + 2 * HOUR,
        capacity=3,
        waitlist_capacity=5,
    )


def sign_up(event, who: str, *, at=SIGNED_UP, **kwargs) -> Registration:
    with time_machine.travel(at, tick=False):
        return services.register(
            event=event, name=who.title(), email=f"{who}@example.org", **kwargs
        )


def test_a_confirmed_resident_is_reminded_once_from_48_hours_before(event):
    anna = sign_up(event, "anna")

    assert remind_at(STARTS - 48 * HOUR - MINUTE) == 0
    assert reminded() == []

    assert remind_at(STARTS - 48 * HOUR + MINUTE) == 1
    assert reminded() == [anna.pk]
    anna.refresh_from_db()
    assert anna.reminded_at == STARTS - 48 * HOUR + MINUTE

    # Every later run, up to the start, finds nothing more to do.
    for moment in (STARTS - 47 * HOUR, STARTS - HOUR, STARTS - MINUTE):
        assert remind_at(moment) == 0
    assert reminded() == [anna.pk]


def test_a_run_that_comes_late_still_reminds_but_not_after_the_start(event):
    anna = sign_up(event, "anna")
    bram = sign_up(event, "bram")
    assert remind_at(STARTS) == 0  # begun: too late
    assert remind_at(STARTS + HOUR) == 0
    assert reminded() == []
    Registration.objects.filter(pk=bram.pk).update(reminded_at=None)
    assert remind_at(STARTS - 5 * MINUTE) == 2
    assert reminded() == sorted([anna.pk, bram.pk])


def test_only_confirmed_residents_with_an_address_are_reminded(event):
    anna = sign_up(event, "anna")
    with time_machine.travel(SIGNED_UP, tick=False):
        services.register(event=event, name="Dirk", email="", by_staff=True)
    sign_up(event, "cas")
    sign_up(event, "eva", waitlist_ok=True)  # full: waiting
    cas = Registration.objects.get(name="Cas")
    with time_machine.travel(SIGNED_UP + HOUR, tick=False):
        services.cancel(registration=cas)  # Eva moves up, long before the reminder period
    erased = sign_up(event, "fien", waitlist_ok=True)
    with time_machine.travel(SIGNED_UP + 2 * HOUR, tick=False):
        services.erase(registration=erased)

    remind_at(STARTS - 24 * HOUR)

    eva = Registration.objects.get(name="Eva")
    assert reminded() == sorted([anna.pk, eva.pk])


def test_a_confirmation_inside_the_reminder_period_is_its_own_reminder(event):
    early = sign_up(event, "anna")
    sign_up(event, "bram", at=STARTS - 20 * HOUR)  # confirmed inside the period
    sign_up(event, "cas", at=STARTS - 30 * DAY)
    waiting = sign_up(event, "dirk", waitlist_ok=True)  # full
    with time_machine.travel(STARTS - 30 * HOUR, tick=False):
        services.cancel(registration=Registration.objects.get(name="Cas"))  # Dirk moves up

    remind_at(STARTS - 10 * HOUR)

    assert reminded() == [early.pk]
    waiting.refresh_from_db()
    assert waiting.status == "confirmed" and waiting.reminded_at is None


@pytest.mark.parametrize("hours", [None, 0])
def test_staff_can_switch_reminders_off(event, hours):
    Event.objects.filter(pk=event.pk).update(reminder_hours=hours)
    sign_up(event, "anna")
    assert remind_at(STARTS - HOUR) == 0


def test_staff_choose_another_number_of_hours(event):
    Event.objects.filter(pk=event.pk).update(reminder_hours=6)
    anna = sign_up(event, "anna")
    assert remind_at(STARTS - 6 * HOUR - MINUTE) == 0
    assert remind_at(STARTS - 6 * HOUR + MINUTE) == 1
    assert reminded() == [anna.pk]


@pytest.mark.parametrize(
    "change",
    [
        {"is_published": False},
        {"status": "cancelled"},
        {"status": "postponed"},
    ],
)
def test_no_reminders_for_an_unpublished_cancelled_or_postponed_event(event, change):
    sign_up(event, "anna")
    Event.objects.filter(pk=event.pk).update(**change)
    assert remind_at(STARTS - HOUR) == 0


def test_many_registrations_are_reminded_in_batches_each_once(event, monkeypatch):
    monkeypatch.setattr(services, "REMINDER_BATCH", 2)
    Event.objects.filter(pk=event.pk).update(capacity=7)
    people = [sign_up(event, f"bewoner{n}") for n in range(7)]
    assert remind_at(STARTS - HOUR) == 7
    assert reminded() == sorted(p.pk for p in people)
    assert remind_at(STARTS - HOUR) == 0


def test_a_moved_event_reminds_again_before_its_new_date(event):
    anna = sign_up(event, "anna")
    remind_at(STARTS - 40 * HOUR)
    new_start = STARTS + 7 * DAY
    with time_machine.travel(STARTS - 30 * HOUR, tick=False):
        services.change_event_status(
            event=event,
            status="rescheduled",
            reason="Verbouwing.",
            starts_at=new_start,
            ends_at=new_start + HOUR,
        )
    anna.refresh_from_db()
    assert anna.reminded_at is None
    assert remind_at(new_start - 49 * HOUR) == 0
    assert remind_at(new_start - 47 * HOUR) == 1
    assert reminded() == [anna.pk, anna.pk]


def test_a_move_into_the_reminder_period_is_itself_the_reminder(event):
    anna = sign_up(event, "anna")
    moved_at = STARTS - 5 * DAY
    new_start = moved_at + DAY
    with time_machine.travel(moved_at, tick=False):
        services.change_event_status(
            event=event,
            status="rescheduled",
            reason="Eerder.",
            starts_at=new_start,
            ends_at=new_start + HOUR,
        )
    anna.refresh_from_db()
    assert anna.reminded_at == moved_at
    assert remind_at(new_start - HOUR) == 0


def test_send_reminders_is_idempotent(event):
    sign_up(event, "anna")
    sign_up(event, "bram")
    outputs = []
    with time_machine.travel(STARTS - HOUR, tick=False):
        for _ in range(2):
            out = StringIO()
            call_command("send_reminders", stdout=out)
            outputs.append(out.getvalue().strip())
    assert outputs == ["Queued 2 reminders.", "Queued 0 reminders."]
    assert len(reminded()) == 2


def test_send_reminders_refuses_a_pointless_interval():
    with pytest.raises(SystemExit) as exit_:
        call_command("send_reminders", every=0, stderr=StringIO())
    assert exit_.value.code == 2


def admin_form_data(event, **overrides) -> dict:
    from tests.registrations.test_admin import event_form_data

    return event_form_data(event=event, slug=event.slug, title=event.title, **overrides)


def test_staff_set_the_reminder_in_the_admin(staff_client, event):
    url = reverse("admin:events_event_change", args=[event.pk])
    html = staff_client.get(url).content.decode()
    assert 'name="reminder_hours"' in html
    assert 'value="48"' in html
    assert "Leeg of 0: geen herinnering." in html

    response = staff_client.post(url, admin_form_data(event, reminder_hours="24"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.reminder_hours == 24

    response = staff_client.post(url, admin_form_data(event, reminder_hours=""))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.reminder_hours is None

    response = staff_client.post(url, admin_form_data(event, reminder_hours="1000"))
    assert response.status_code == 200
    assert "Zorg ervoor dat deze waarde hoogstens 672 is." in response.content.decode()
    response = staff_client.post(url, admin_form_data(event, reminder_hours="-1"))
    assert response.status_code == 200
