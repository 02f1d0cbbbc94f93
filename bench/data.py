"""The benchmark's data and its SQL query counts, through Django's ORM and test client.

Imported only after ``django.setup()`` with the same settings as the app servers
(production settings against the benchmark's own database).

The events look like real ones: a wijk, two themes, parties of up to four persons and
three optional questions on the sign-up form (a short text, one choice, yes/no). The list
events get a wijk and two themes round-robin from ``THEMES`` and ``AREAS``.

The bulk inserts here are benchmark set-up, not the service path: they bypass
``registrations.services.register()`` on purpose, to put 10,000 registrations (with their
answers) in place in seconds. They keep the one invariant that the pages rely on:
``Event.confirmed_count`` equals the persons of the confirmed rows (the sum of their party
sizes), and it stays within the capacity (the database checks that).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection, connections, transaction
from django.db.models import F, Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Area, Event, Theme
from registrations import questions as event_questions
from registrations.models import (
    Answer,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
    new_token,
)

BATCH = 2000
MAX_PARTY = 4
THEMES = ("Veiligheid", "Jeugd", "Wonen", "Groen", "Verkeer", "Cultuur")
AREAS = ("Noord", "Oost", "Zuid", "West", "Centrum")
# (kind, question, options, the answer a resident posts, the value stored for it)
QUESTIONS = (
    (QuestionKind.SHORT_TEXT, "Waar wil je het graag over hebben?", "", "De speeltuin", None),
    (
        QuestionKind.CHOICE,
        "Hoe heb je van deze avond gehoord?",
        "Wijkkrant | Neighbourhood paper\nWebsite | Website\nBuren | Neighbours",
        "Wijkkrant",
        None,
    ),
    (QuestionKind.YES_NO, "Wil je het verslag van de avond ontvangen?", "", "ja", True),
)


@dataclass(frozen=True)
class Topics:
    themes: list[Theme]
    areas: list[Area]


def _times(days: int) -> dict:
    starts = timezone.now().replace(hour=19, minute=0, second=0, microsecond=0)
    starts += datetime.timedelta(days=days)
    return {"starts_at": starts, "ends_at": starts + datetime.timedelta(hours=2)}


def create_topics() -> Topics:
    """The themes and wijken the events are filed under."""
    themes = [
        Theme.objects.get_or_create(slug=name.lower(), defaults={"name": name})[0]
        for name in THEMES
    ]
    areas = [
        Area.objects.get_or_create(slug=name.lower(), defaults={"name": name})[0] for name in AREAS
    ]
    connections.close_all()
    return Topics(themes=themes, areas=areas)


def create_event(*, slug: str, capacity: int, topics: Topics, days: int = 30) -> Event:
    """A published event, open for sign-ups, like a real one: a description, the first
    wijk and the first two themes (``filter_path()`` selects those), parties of up to
    ``MAX_PARTY`` persons and the three optional ``QUESTIONS``."""
    with transaction.atomic():
        event = Event.objects.create(
            title="Bijeenkomst wijkraden, buurtgemeenschappen en jeugdraden",
            slug=slug,
            description=(
                "Een avond voor iedereen die zich inzet voor de wijk. We praten over de "
                "plannen voor het komende jaar en over wat bewoners zelf kunnen doen.\n\n"
                "Na afloop is er tijd om na te praten."
            ),
            location="Stadhuis, raadzaal",
            address="Markt 1",
            capacity=capacity,
            max_party_size=MAX_PARTY,
            area=topics.areas[0],
            is_published=True,
            **_times(days),
        )
        event.themes.set(topics.themes[:2])
        Question.objects.bulk_create(
            Question(event=event, kind=kind, text=text, options=options, order=order)
            for order, (kind, text, options, _posted, _stored) in enumerate(QUESTIONS)
        )
    connections.close_all()
    return event


def filter_path(topics: Topics) -> str:
    """The event list filtered by the main event's wijk and first theme (the parameter
    names of events/filters.py)."""
    return f"/?thema={topics.themes[0].slug}&wijk={topics.areas[0].slug}"


def signup_fields(event: Event) -> dict[str, str]:
    """What a resident posts besides name, e-mail address and consent: one person, and
    an answer to each of the event's questions (their field names are the form's)."""
    fields = {"party_size": "1"} if event.asks_party_size else {}
    posted = {text: answer for _kind, text, _options, answer, _stored in QUESTIONS}
    for question in Question.objects.filter(event=event, is_hidden=False):
        fields[event_questions.field_name(question)] = posted[question.text]
    connections.close_all()
    return fields


def add_registrations(*, event: Event, total: int) -> dict:
    """Bring ``event`` to ``total`` confirmed registrations of 1 to ``MAX_PARTY`` persons,
    each with an answer to every question, with bulk inserts (set-up only; see the module
    docstring), and move its counter (persons) along in the same transaction. Returns the
    registrations, persons and answers the event then has."""
    questions = list(Question.objects.filter(event=event).order_by("order"))
    stored = {text: (posted if value is None else value) for _, text, _, posted, value in QUESTIONS}
    have = Registration.objects.filter(event=event).count()
    if total > have:
        with transaction.atomic():
            added = 0
            for start in range(have, total, BATCH):
                rows = Registration.objects.bulk_create(
                    Registration(
                        event=event,
                        name=f"Deelnemer {number}",
                        email=f"deelnemer{number}@example.org",
                        party_size=number % MAX_PARTY + 1,
                        status=RegistrationStatus.CONFIRMED,
                        token=new_token(),
                    )
                    for number in range(start, min(start + BATCH, total))
                )
                added += sum(row.party_size for row in rows)
                Answer.objects.bulk_create(
                    Answer(registration=row, question=question, value=stored[question.text])
                    for row in rows
                    for question in questions
                )
            if event.confirmed_count + added > event.capacity:
                raise ValueError("the benchmark event's capacity must exceed the persons")
            Event.objects.filter(pk=event.pk).update(confirmed_count=F("confirmed_count") + added)
    event.refresh_from_db()
    shape = {
        "registrations": Registration.objects.filter(event=event).count(),
        "persons": event.confirmed_count,
        "answers": Answer.objects.filter(registration__event=event).count(),
    }
    connections.close_all()
    return shape


def set_upcoming_events(*, total: int, keep: Event, topics: Topics) -> None:
    """Exactly ``total`` published upcoming events: ``keep`` plus list events as needed,
    each list event in a wijk and with two themes, round-robin.

    Every other event is unpublished, so the home page lists only these.
    """
    Event.objects.exclude(pk=keep.pk).update(is_published=False)
    wanted = total - 1
    existing = Event.objects.filter(slug__startswith="lijst-").count()
    if wanted > existing:
        themes, areas = topics.themes, topics.areas
        with transaction.atomic():
            events = Event.objects.bulk_create(
                Event(
                    title=f"Buurtavond {number}",
                    slug=f"lijst-{number}",
                    description="Een avond in de buurt.",
                    location="Buurthuis",
                    capacity=50,
                    area=areas[number % len(areas)],
                    is_published=False,
                    **_times(1 + number % 300),
                )
                for number in range(existing, wanted)
            )
            Event.themes.through.objects.bulk_create(
                Event.themes.through(event=event, theme=themes[(number + offset) % len(themes)])
                for number, event in enumerate(events, start=existing)
                for offset in (0, 1)
            )
    ids = list(
        Event.objects.filter(slug__startswith="lijst-").order_by("pk").values_list("pk", flat=True)
    )[:wanted]
    Event.objects.filter(pk__in=ids).update(is_published=True)
    connections.close_all()


def matching_upcoming(topics: Topics) -> int:
    """The published upcoming events that ``filter_path()`` selects."""
    count = (
        Event.objects.published()
        .upcoming()
        .filter(area=topics.areas[0], themes=topics.themes[0])
        .count()
    )
    connections.close_all()
    return count


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
    """What the database says after a rush: confirmed persons (the sum of the confirmed
    registrations' party sizes) and registrations, and the event's counter (persons)."""
    event.refresh_from_db()
    confirmed = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
    totals = confirmed.aggregate(persons=Sum("party_size"))
    persons = totals["persons"] or 0
    result = {
        # "confirmed" is persons, as the counter and the seats are.
        "confirmed": persons,
        "confirmed_persons": persons,
        "confirmed_registrations": confirmed.count(),
        "confirmed_counter": event.confirmed_count,
        "answers": Answer.objects.filter(registration__event=event).count(),
    }
    connections.close_all()
    return result
