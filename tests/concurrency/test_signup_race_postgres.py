"""The sign-up invariant under real concurrency: a live server on PostgreSQL.

Each request runs in its own server thread with its own database connection, so the
transactions really overlap. The unsafe variants switch the protections off one by one
to show that this harness does catch an overbooking when there is one.
"""

import pytest

from events.models import Event
from registrations import services
from registrations.models import Registration, RegistrationStatus
from tests.concurrency.rush import signup_rush
from tests.factories import EventFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

SEATS = 10
ATTEMPTS = 50


def confirmed(event: Event) -> int:
    return Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count()


def unlocked_read(*, event_id: int) -> Event:
    """What the service would do without the row lock: a plain read."""
    return Event.objects.get(pk=event_id)


def test_concurrent_signups_fill_exactly_the_capacity(live_server):
    event = EventFactory(capacity=SEATS)

    statuses = signup_rush(
        base_url=live_server.url, event_path=event.get_absolute_url(), attempts=ATTEMPTS
    )

    event.refresh_from_db()
    assert confirmed(event) == SEATS
    assert event.confirmed_count == SEATS
    assert statuses == {302: SEATS, 409: ATTEMPTS - SEATS}, statuses


def test_the_row_lock_alone_prevents_overbooking(live_server, without_capacity_backstop):
    """The headline proof: with the database check removed, the lock holds the line..."""
    event = EventFactory(capacity=SEATS)

    statuses = signup_rush(
        base_url=live_server.url, event_path=event.get_absolute_url(), attempts=ATTEMPTS
    )

    assert confirmed(event) == SEATS
    assert statuses == {302: SEATS, 409: ATTEMPTS - SEATS}, statuses


def test_without_lock_and_backstop_the_rush_overbooks(
    live_server, monkeypatch, without_capacity_backstop
):
    """...and the same rush without the lock overbooks, so the test above can fail."""
    monkeypatch.setattr(services, "lock_event", unlocked_read)
    event = EventFactory(capacity=SEATS)

    signup_rush(base_url=live_server.url, event_path=event.get_absolute_url(), attempts=ATTEMPTS)

    print(f"\nunsafe rush: {confirmed(event)} confirmed for {SEATS} seats")
    assert confirmed(event) > SEATS


def test_without_the_lock_the_database_backstop_still_refuses_overbooking(live_server, monkeypatch):
    monkeypatch.setattr(services, "lock_event", unlocked_read)
    event = EventFactory(capacity=SEATS)

    statuses = signup_rush(
        base_url=live_server.url, event_path=event.get_absolute_url(), attempts=ATTEMPTS
    )

    event.refresh_from_db()
    assert confirmed(event) == SEATS
    assert event.confirmed_count == SEATS
    assert statuses == {302: SEATS, 409: ATTEMPTS - SEATS}, statuses
