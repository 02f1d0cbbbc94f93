"""iCalendar (RFC 5545) files for events, built with the icalendar library."""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

from events.models import Event

PRODID = "-//Bijeen//Evenementen//NL"


def _vevent(event: Event, *, site_url: str) -> icalendar.Event:
    tz = ZoneInfo(settings.TIME_ZONE)
    url = site_url + event.get_absolute_url()
    vevent = icalendar.Event()
    # Stable across edits and exports, so calendars update the event instead of adding one.
    vevent.add("uid", f"event-{event.pk}@{site_url.split('://', 1)[-1]}")
    vevent.add("dtstamp", timezone.now())
    vevent.add("last-modified", event.updated_at)
    vevent.add("dtstart", event.starts_at.astimezone(tz))
    vevent.add("dtend", event.ends_at.astimezone(tz))
    vevent.add("summary", event.title)
    vevent.add("location", ", ".join(part for part in (event.location, event.address) if part))
    vevent.add("url", url)
    vevent.add("description", f"{event.description}\n\n{url}".strip())
    return vevent


def calendar_for(events: Iterable[Event], *, site_url: str, name: str | None = None) -> bytes:
    """One VCALENDAR with a VEVENT per event and the Europe/Amsterdam VTIMEZONE."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    events = list(events)
    for event in events:
        calendar.add_component(_vevent(event, site_url=site_url))
    if events:
        # Only the years the events need: a compact but complete VTIMEZONE.
        first = min(event.starts_at for event in events).date()
        last = max(event.ends_at for event in events).date()
        calendar.add_missing_timezones(
            first_date=first.replace(year=first.year - 1, month=1, day=1),
            last_date=last.replace(year=last.year + 2, month=1, day=1),
        )
    return calendar.to_ical()
