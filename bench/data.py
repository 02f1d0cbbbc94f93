"""The benchmark's data and its SQL query counts, through Django's ORM and test client.

Imported only after ``django.setup()`` with the same settings as the app servers
(production settings against the benchmark's own database).

The bulk inserts here are benchmark set-up, not the service path: they bypass
``registrations.services.register()`` on purpose, to put 10,000 registrations in place in
a second. They keep the one invariant that the pages rely on: ``Event.confirmed_count``
equals the confirmed rows, and it stays within the capacity (the database checks that).
"""

from __future__ import annotations

import datetime

from django.db import connection, connections
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event
from registrations.models import Registration, RegistrationStatus, new_token

BATCH = 2000


def _times(days: int) -> dict:
    starts = timezone.now().replace(hour=19, minute=0, second=0, microsecond=0)
    starts += datetime.timedelta(days=days)
    return {"starts_at": starts, "ends_at": starts + datetime.timedelta(hours=2)}


def create_event(*, slug: str, capacity: int, days: int = 30) -> Event:
    """A published event, open for sign-ups, with a description like a real one's."""
    return Event.objects.create(
        title="Bijeenkomst wijkraden, buurtgemeenschappen en jeugdraden",
        slug=slug,
        description=(
            "Een avond voor iedereen die zich inzet voor de wijk. We praten over de plannen "
            "voor het komende jaar en over wat bewoners zelf kunnen doen.\n\n"
            "Na afloop is er tijd om na te praten."
        ),
        location="Stadhuis, raadzaal",
        address="Markt 1",
        capacity=capacity,
        is_published=True,
        **_times(days),
    )


def add_registrations(*, event: Event, total: int) -> None:
    """Bring ``event`` to ``total`` confirmed registrations with bulk inserts (set-up only;
    see the module docstring) and move its counter along in the same transaction."""
    from django.db import transaction

    have = Registration.objects.filter(event=event).count()
    if total <= have:
        return
    if total > event.capacity:
        raise ValueError("the benchmark event's capacity must exceed the registrations")
    with transaction.atomic():
        for start in range(have, total, BATCH):
            Registration.objects.bulk_create(
                Registration(
                    event=event,
                    name=f"Deelnemer {number}",
                    email=f"deelnemer{number}@example.org",
                    status=RegistrationStatus.CONFIRMED,
                    token=new_token(),
                )
                for number in range(start, min(start + BATCH, total))
            )
        added = total - have
        Event.objects.filter(pk=event.pk).update(confirmed_count=F("confirmed_count") + added)
    event.refresh_from_db()
    connections.close_all()


def set_upcoming_events(*, total: int, keep: Event | None = None) -> None:
    """Exactly ``total`` published upcoming events: ``keep`` plus list events as needed.

    Every other event is unpublished, so the home page lists only these.
    """
    Event.objects.exclude(pk=keep.pk if keep else None).update(is_published=False)
    wanted = total - (1 if keep else 0)
    existing = list(Event.objects.filter(slug__startswith="lijst-").order_by("pk"))
    missing = wanted - len(existing)
    if missing > 0:
        Event.objects.bulk_create(
            Event(
                title=f"Buurtavond {number}",
                slug=f"lijst-{number}",
                description="Een avond in de buurt.",
                location="Buurthuis",
                capacity=50,
                is_published=False,
                **_times(1 + number % 300),
            )
            for number in range(len(existing), wanted)
        )
    ids = list(
        Event.objects.filter(slug__startswith="lijst-").order_by("pk").values_list("pk", flat=True)
    )[:wanted]
    Event.objects.filter(pk__in=ids).update(is_published=True)
    connections.close_all()


def queries_for(path: str) -> int:
    """The SQL queries one anonymous GET of ``path`` makes (after one warm-up request)."""
    client = Client()
    client.get(path, secure=True)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    connections.close_all()
    return len(ctx.captured_queries)


def signups(*, event: Event) -> dict:
    """What the database says after a rush: confirmed rows and the event's counter."""
    event.refresh_from_db()
    rows = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count()
    counter = event.confirmed_count
    connections.close_all()
    return {"confirmed": rows, "confirmed_counter": counter}
