"""Households under real concurrency: parties of 1 to 4 persons from several app server
processes (gunicorn) at once, on PostgreSQL. Persons confirmed never exceed the capacity,
and the control run without the row lock overbooks, so the test can fail.

Also the waiting list: several residents lower their party or cancel at once, and the
freed seats go to whole parties without overbooking.
"""

import os
import random

import pytest
from django.db import connection
from django.urls import reverse

from events.models import Event
from registrations import services
from registrations.models import Registration, RegistrationStatus
from tests.concurrency.rush import FormPost, post_together
from tests.factories import EventFactory
from tests.servers import gunicorn

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

# Not a multiple of any party size: the last seats can only go to a party that fits.
CAPACITY = 23
ATTEMPTS = 40


def persons(event: Event, status: str) -> int:
    return sum(
        Registration.objects.filter(event=event, status=status).values_list("party_size", flat=True)
    )


def server_env() -> dict:
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DJANGO_RATELIMIT_ENABLE": "false",
        "BIJEEN_PAGE_CACHE_SECONDS": "0",
    }


def party_posts(event: Event, sizes: list[int]) -> list[FormPost]:
    path = event.get_absolute_url()
    return [
        FormPost(
            page=path,
            action=path + "aanmelden/",
            data={
                "name": f"Huishouden {number}",
                "email": f"huis{number}@example.org",
                "party_size": str(size),
                "consent": "on",
            },
        )
        for number, size in enumerate(sizes)
    ]


SIZES = [random.Random(14).randint(1, 4) for _ in range(ATTEMPTS)]  # noqa: S311


def test_parties_from_several_processes_never_exceed_the_capacity(without_capacity_backstop):
    """With the lock and without the database check: the lock alone holds the line."""
    event = EventFactory(capacity=CAPACITY, max_party_size=4)
    with gunicorn(env=server_env(), workers=3, threads=4) as base_url:
        statuses = post_together(base_url=base_url, posts=party_posts(event, SIZES))

    event.refresh_from_db()
    confirmed = persons(event, RegistrationStatus.CONFIRMED)
    assert confirmed <= CAPACITY
    assert event.confirmed_count == confirmed
    # Every refusal said why (409); nobody got a server error.
    assert set(statuses) <= {302, 409}, statuses
    assert statuses[302] == Registration.objects.filter(event=event).count()
    # Seats are left only when no refused party would have fitted in them.
    assert CAPACITY - confirmed < 4 or statuses[409] == 0


def test_control_without_the_lock_the_same_rush_overbooks(without_capacity_backstop):
    event = EventFactory(capacity=CAPACITY, max_party_size=4)
    with gunicorn(
        env=server_env(),
        workers=3,
        threads=4,
        app="tests.concurrency.unlocked_wsgi:application",
    ) as base_url:
        post_together(base_url=base_url, posts=party_posts(event, SIZES))

    confirmed = persons(event, RegistrationStatus.CONFIRMED)
    print(f"\nunsafe party rush: {confirmed} persons confirmed for {CAPACITY} seats")
    assert confirmed > CAPACITY


def test_lowering_and_cancelling_at_once_moves_whole_parties_up_without_overbooking():
    event = EventFactory(capacity=CAPACITY, max_party_size=4, waitlist_capacity=60)
    rng = random.Random(15)  # noqa: S311
    people = [
        services.register(
            event=event,
            name=f"Vroeg {n}",
            email=f"vroeg{n}@example.org",
            party_size=rng.randint(1, 4),
            waitlist_ok=True,
        )
        for n in range(24)
    ]
    confirmed = [p for p in people if p.status == RegistrationStatus.CONFIRMED]
    lowering = [p for p in confirmed if p.party_size > 1][:5]
    cancelling = [p for p in confirmed if p not in lowering][:4]
    posts = [
        FormPost(
            page=p.get_absolute_url(),
            action=reverse("registrations:party-size", args=[p.token]),
            data={"party_size": "1"},
        )
        for p in lowering
    ] + [
        FormPost(
            page=reverse("registrations:cancel", args=[p.token]),
            action=reverse("registrations:cancel", args=[p.token]),
        )
        for p in cancelling
    ]

    with gunicorn(env=server_env(), workers=3, threads=4) as base_url:
        statuses = post_together(base_url=base_url, posts=posts)

    assert statuses == {302: len(posts)}, statuses
    event.refresh_from_db()
    confirmed_persons = persons(event, RegistrationStatus.CONFIRMED)
    assert confirmed_persons <= CAPACITY
    assert (event.confirmed_count, event.waitlisted_count) == (
        confirmed_persons,
        persons(event, RegistrationStatus.WAITLISTED),
    )
    # No waiting party fits in the seats still free (the rule: first whose party fits).
    free = CAPACITY - confirmed_persons
    still_waiting = Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
    assert all(p.party_size > free for p in still_waiting)
    assert Registration.objects.filter(event=event).exclude(promoted_at=None).exists()
