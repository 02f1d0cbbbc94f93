"""Cancellations and sign-ups at once: seats and the waiting list stay right (PostgreSQL).

The lock's control experiment is in test_signup_race_postgres.py. Here the point is the
waiting list under real concurrency: promotions in arrival order, no seat lost or given
twice, counters equal to rows. (Serving the waiting list newest-first makes it fail.)
"""

import pytest
from django.urls import reverse

from registrations import services
from registrations.models import Registration, RegistrationStatus
from tests.concurrency.rush import FormPost, post_together, signup_post
from tests.factories import EventFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

CAPACITY = 20


def test_cancellations_and_sign_ups_at_once_keep_seats_and_arrival_order(live_server):
    event = EventFactory(capacity=CAPACITY, waitlist_capacity=40)
    people = [
        services.register(event=event, name=f"Vroeg {n}", email=f"vroeg{n}@example.org")
        for n in range(2 * CAPACITY)
    ]  # 20 confirmed, 20 waiting
    leaving = [p for p in people if p.status == RegistrationStatus.CONFIRMED][:15]
    leaving += [p for p in people if p.status == RegistrationStatus.WAITLISTED][-2:]
    path = event.get_absolute_url()
    posts = [
        FormPost(
            page=reverse("registrations:cancel", args=[p.token]),
            action=reverse("registrations:cancel", args=[p.token]),
        )
        for p in leaving
    ] + [signup_post(path, 100 + n) for n in range(20)]

    statuses = post_together(base_url=live_server.url, posts=posts)

    assert statuses[500] == 0, statuses
    event.refresh_from_db()
    rows = Registration.objects.filter(event=event)
    active = rows.exclude(status=RegistrationStatus.CANCELLED).count()
    confirmed = rows.filter(status=RegistrationStatus.CONFIRMED)
    waiting = rows.filter(status=RegistrationStatus.WAITLISTED)
    assert rows.filter(status=RegistrationStatus.CANCELLED).count() == len(leaving)
    assert confirmed.count() == min(CAPACITY, active)
    assert (event.confirmed_count, event.waitlisted_count) == (confirmed.count(), waiting.count())
    # First come, first served: everyone who moved up arrived before everyone still waiting,
    # and nobody who signed up during the rush got a seat ahead of an earlier waiter.
    promoted = confirmed.exclude(promoted_at=None).values_list("pk", flat=True)
    still_waiting = waiting.values_list("pk", flat=True)
    assert len(promoted) == 15
    assert max(promoted) < min(still_waiting)
    newcomers_with_a_seat = confirmed.filter(name__startswith="Bewoner", promoted_at=None)
    assert not newcomers_with_a_seat.exists()
