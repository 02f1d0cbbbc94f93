"""iCalendar (RFC 5545) files for events, built with the icalendar library."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, EventStatus

PRODID = "-//Bijeen//Evenementen//NL"
# The VTIMEZONE lists every transition of its years: a feed that reaches far ahead (an
# event typed in for the year 9998) keeps it at this many years, as a calendar needs.
MAX_TIMEZONE_YEARS = 100

logger = logging.getLogger(__name__)

# RFC 5545's STATUS of a VEVENT for each of the event's statuses: a postponed event keeps
# its old date in the file, marked as not certain.
ICAL_STATUS = {
    EventStatus.SCHEDULED: "CONFIRMED",
    EventStatus.RESCHEDULED: "CONFIRMED",
    EventStatus.POSTPONED: "TENTATIVE",
    EventStatus.CANCELLED: "CANCELLED",
}


def _summary(event: Event) -> str:
    """The title, after "Afgelast:" or "Uitgesteld:" when it is off: not every calendar
    shows STATUS, and a cancelled meeting must not look like one to go to."""
    if event.status == EventStatus.CANCELLED:
        return _("Afgelast: %(title)s") % {"title": event.title}
    if event.status == EventStatus.POSTPONED:
        return _("Uitgesteld: %(title)s") % {"title": event.title}
    return event.title


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
    vevent.add("summary", _summary(event))
    # A calendar that has this UID replaces it with a version of a higher SEQUENCE: moving
    # or calling off the event raises it (registrations.services.change_event_status).
    vevent.add("sequence", event.sequence)
    vevent.add("status", ICAL_STATUS[event.status])
    vevent.add("location", ", ".join(part for part in (event.location, event.address) if part))
    vevent.add("url", url)
    description = f"{event.description}\n\n{url}".strip()
    if event.status != EventStatus.SCHEDULED and event.status_reason:
        description = f"{event.get_status_display().capitalize()}: {event.status_reason}\n\n"
        description += f"{event.description}\n\n{url}".strip()
    vevent.add("description", description)
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
