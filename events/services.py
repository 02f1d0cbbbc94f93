"""Writes to events that are more than a form's save: a further date of a series."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from events.models import Area, Event, Series

SLUG_MAX = 200


def _unique_slug(base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… the first that no event has (cut to fit)."""
    slug = base[:SLUG_MAX]
    number = 2
    while Event.objects.filter(slug=slug).exists():
        suffix = f"-{number}"
        slug = base[: SLUG_MAX - len(suffix)] + suffix
        number += 1
    return slug


def series_date_slug(event: Event, starts_at: datetime.datetime) -> str:
    """``inloopavond-energie-2025-03-12`` for a date of the series ``event`` is part of:
    the title's words and the local date, so each date has an address of its own."""
    day = timezone.localdate(starts_at).isoformat()
    title = slugify(event.title)[: SLUG_MAX - len(day) - 4] or "evenement"
    return _unique_slug(f"{title}-{day}")


def add_series_date(
    *,
    event: Event,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    location: str,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    area: Area | None = None,
    is_published: bool = False,
) -> Event:
    """A further date of ``event``'s series, at a new time and place: a new event with the
    same texts, themes, capacity and sign-up settings, no registrations, and the
    registration window moved along with the start. ``event`` gets a series named after
    it when it has none yet.

    Only the source's ``series`` is written (never its counters, which registrations'
    services keep under the row lock). Raises ``django.db.IntegrityError`` when the new
    dates break a constraint (the admin form checks them first).
    """
    shift = starts_at - event.starts_at
    with transaction.atomic():
        series = event.series
        if series is None:
            series = Series.objects.create(title=event.title)
            Event.objects.filter(pk=event.pk).update(series=series)
            event.series = series
        new = Event.objects.create(
            title=event.title,
            title_en=event.title_en,
            slug=series_date_slug(event, starts_at),
            description=event.description,
            description_en=event.description_en,
            starts_at=starts_at,
            ends_at=ends_at,
            location=location,
            address=address,
            latitude=latitude,
            longitude=longitude,
            area=area,
            series=series,
            capacity=event.capacity,
            waitlist_capacity=event.waitlist_capacity,
            max_party_size=event.max_party_size,
            registration_opens_at=(
                event.registration_opens_at + shift if event.registration_opens_at else None
            ),
            registration_closes_at=(
                event.registration_closes_at + shift if event.registration_closes_at else None
            ),
            is_published=is_published,
        )
        new.themes.set(event.themes.all())
    return new
