import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from registrations import services
from registrations.models import Registration, RegistrationStatus
from tests.conftest import fill
from tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_register_creates_a_confirmed_registration_and_counts_it(event):
    registration = services.register(event=event, name=" Anna de Vries ", email="Anna@Example.org ")

    event.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.name == "Anna de Vries"
    assert registration.email == "Anna@Example.org"
    assert event.confirmed_count == 1
    assert len(registration.token) >= 40


def test_register_when_full_raises_event_full_and_writes_nothing():
    event = EventFactory(capacity=2)
    fill(event, 2)
    with pytest.raises(services.EventFull) as excinfo:
        services.register(event=event, name="Laatkomer", email="laat@example.org")
    assert str(excinfo.value.message) == (
        "Maximaal aantal aanmeldingen bereikt, je kunt je niet meer aanmelden."
    )
    event.refresh_from_db()
    assert event.confirmed_count == 2
    assert Registration.objects.filter(event=event).count() == 2


def test_register_twice_with_the_same_email_in_any_case_is_refused(event):
    services.register(event=event, name="Anna", email="anna@example.org")
    with pytest.raises(services.AlreadyRegistered):
        services.register(event=event, name="Anna", email="ANNA@example.ORG")
    event.refresh_from_db()
    assert event.confirmed_count == 1
    assert Registration.objects.count() == 1


def test_same_email_may_register_for_another_event(event):
    other = EventFactory()
    services.register(event=event, name="Anna", email="anna@example.org")
    services.register(event=other, name="Anna", email="anna@example.org")
    assert Registration.objects.count() == 2


def test_a_cancelled_registration_does_not_block_signing_up_again(event):
    RegistrationFactory(
        event=event,
        email="anna@example.org",
        status=RegistrationStatus.CANCELLED,
        cancelled_at=timezone.now(),
    )
    services.register(event=event, name="Anna", email="anna@example.org")
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"is_published": False}, "gesloten"),
        ({"registration_opens_at_days": 1}, "nog niet geopend"),
        ({"registration_closes_at_days": -1}, "gesloten"),
    ],
)
def test_register_outside_the_window_raises_registration_closed(changes, message):
    now = timezone.now()
    kwargs = {"is_published": changes.get("is_published", True)}
    if "registration_opens_at_days" in changes:
        kwargs["registration_opens_at"] = now + datetime.timedelta(days=1)
    if "registration_closes_at_days" in changes:
        kwargs["registration_closes_at"] = now - datetime.timedelta(days=1)
    event = EventFactory(**kwargs)
    with pytest.raises(services.RegistrationClosed) as excinfo:
        services.register(event=event, name="Anna", email="anna@example.org")
    assert message in str(excinfo.value.message)
    assert not Registration.objects.exists()


def test_register_after_the_event_began_is_refused(event):
    with (
        time_machine.travel(event.starts_at + datetime.timedelta(minutes=1)),
        pytest.raises(services.RegistrationClosed, match="al begonnen"),
    ):
        services.register(event=event, name="Anna", email="anna@example.org")


def test_register_just_before_the_start_is_accepted(event):
    with time_machine.travel(event.starts_at - datetime.timedelta(seconds=1), tick=False):
        services.register(event=event, name="Anna", email="anna@example.org")
    assert Registration.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_lock_event_refuses_to_run_outside_a_transaction(event):
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        services.lock_event(event_id=event.pk)


def test_database_refuses_a_second_active_registration_for_the_same_email(event):
    RegistrationFactory(event=event, email="anna@example.org")
    with (
        pytest.raises(IntegrityError, match="registration_one_active_per_email"),
        transaction.atomic(),
    ):
        RegistrationFactory(event=event, email="ANNA@example.org")


def test_database_refuses_an_unknown_status(event):
    with pytest.raises(IntegrityError, match="registration_status_valid"), transaction.atomic():
        RegistrationFactory(event=event, status="maybe")


def test_backstop_turns_into_event_full_when_the_lock_is_bypassed(event, monkeypatch):
    """Without the lock and with a stale counter read, the check constraint still refuses."""
    fill(event, event.capacity)
    stale = EventFactory.build(pk=event.pk, capacity=event.capacity, confirmed_count=0)
    stale.starts_at, stale.ends_at, stale.is_published = event.starts_at, event.ends_at, True
    monkeypatch.setattr(services, "lock_event", lambda *, event_id: stale)

    with pytest.raises(services.EventFull):
        services.register(event=event, name="Te veel", email="teveel@example.org")

    event.refresh_from_db()
    assert event.confirmed_count == event.capacity
    assert not Registration.objects.filter(email="teveel@example.org").exists()
