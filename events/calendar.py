"""iCalendar (RFC 5545) files for events, built with the icalendar library."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

from events.models import Event

PRODID = "-//Bijeen//Evenementen//NL"
# The VTIMEZONE lists every transition of its years: a feed that reaches far ahead (an
# event typed in for the year 9998) keeps it at this many years, as a calendar needs.
MAX_TIMEZONE_YEARS = 100

logger = logging.getLogger(__name__)


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
    included = []
    for event in events:
        try:
            vevent = _vevent(event, site_url=site_url)
        except (OverflowError, ValueError):
            # A time that cannot be written in local time (at the very ends of the
            # calendar, years 1 and 9999): leave that event out, never fail the file.
            logger.warning(
                "Event %s left out of a calendar file: its time is out of range", event.pk
            )
            continue
        calendar.add_component(vevent)
        included.append(event)
    if included:
        # Only the years the events need: a compact but complete VTIMEZONE.
        first = min(event.starts_at for event in included).year - 1
        last = max(event.ends_at for event in included).year + 2
        first = max(first, datetime.MINYEAR)
        last = min(last, first + MAX_TIMEZONE_YEARS, datetime.MAXYEAR)
        calendar.add_missing_timezones(
            first_date=datetime.date(first, 1, 1), last_date=datetime.date(last, 1, 1)
        )
    return calendar.to_ical()
