"""schema.org ``Event`` data for each event page (JSON-LD), for search engines and agendas.

A ``<script type="application/ld+json">`` block is data, not script: browsers never run
it, so the strict Content-Security-Policy (``script-src 'self'``) does not apply to it.
What matters is that no text in it can end the block: ``<``, ``>`` and ``&`` are written
as JSON escapes, as Django's ``json_script`` does.
"""

from __future__ import annotations

import json
import re
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from events.models import Event, EventStatus

SCHEMA = "https://schema.org/"
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
EVENT_STATUS = {
    EventStatus.SCHEDULED: "EventScheduled",
    EventStatus.CANCELLED: "EventCancelled",
    EventStatus.POSTPONED: "EventPostponed",
    EventStatus.RESCHEDULED: "EventRescheduled",
}
# "Lindelaan 14, 1234 CD Voorbeeldstad": street, then a Dutch postcode and the place.
_POSTCODE_AND_PLACE = re.compile(r"^(?P<postcode>[1-9][0-9]{3} ?[A-Za-z]{2})\s+(?P<place>.+)$")


def postal_address(address: str) -> dict[str, str]:
    """A ``PostalAddress`` from the address as staff typed it: with a Dutch postcode after
    the last comma, street, postcode and place apart; otherwise the whole as the street."""
    data = {"@type": "PostalAddress", "addressCountry": "NL"}
    street, _, rest = address.rpartition(",")
    match = _POSTCODE_AND_PLACE.match(rest.strip()) if street else None
    if match:
        data["streetAddress"] = street.strip()
        data["postalCode"] = match["postcode"].upper()
        data["addressLocality"] = match["place"]
    else:
        data["streetAddress"] = address
    return data


def _local_iso(value) -> str:
    """ISO 8601 with the Amsterdam offset: ``2025-03-12T19:00:00+01:00``."""
    return value.astimezone(ZoneInfo(settings.TIME_ZONE)).replace(microsecond=0).isoformat()


def _availability(event: Event) -> str:
    """No seats to be had for an event that is off; otherwise sold out or not."""
    if event.is_called_off:
        return "Discontinued"
    return "SoldOut" if event.is_full else "InStock"


def event_data(event: Event) -> dict[str, Any]:
    """The schema.org ``Event`` for ``event``, in the active language where staff gave an
    English text. No personal data: seats are counts."""
    url = settings.SITE_URL + event.get_absolute_url()
    title = event.localized("title")
    description = event.localized("description")
    place: dict[str, Any] = {"@type": "Place", "name": event.location}
    if event.address:
        place["address"] = postal_address(event.address)
    if event.has_coordinates:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(event.latitude),
            "longitude": float(event.longitude),
        }
    offer: dict[str, Any] = {
        "@type": "Offer",
        "price": 0,
        "priceCurrency": "EUR",
        "availability": SCHEMA + _availability(event),
        "url": url,
    }
    if event.registration_opens_at:
        offer["validFrom"] = _local_iso(event.registration_opens_at)
    offer["validThrough"] = _local_iso(event.effective_registration_closes_at)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": title.text,
        "inLanguage": title.lang,
        "startDate": _local_iso(event.starts_at),
        "endDate": _local_iso(event.ends_at),
        "eventStatus": SCHEMA + EVENT_STATUS[event.status],
        "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
        "location": place,
        "organizer": {
            "@type": "Organization",
            "name": settings.BIJEEN_ORGANISATION_NAME,
            "url": settings.SITE_URL + "/",
        },
        "isAccessibleForFree": True,
        "offers": offer,
        "maximumAttendeeCapacity": event.capacity,
        "remainingAttendeeCapacity": event.seats_left,
    }
    if event.previous_starts_at and event.status == EventStatus.RESCHEDULED:
        data["previousStartDate"] = _local_iso(event.previous_starts_at)
    if description.text:
        data["description"] = description.text
    if event.series_id:
        data["superEvent"] = {"@type": "EventSeries", "name": event.series.title}
    if event.area_id:
        place["containedInPlace"] = {"@type": "Place", "name": event.area.name}
    themes = [theme.localized_name for theme in event.themes.all()]
    if themes:
        data["keywords"] = ", ".join(themes)
    return data


def dumps(data: dict[str, Any]) -> str:
    """JSON that can stand inside a ``<script>`` element: ``<``, ``>``, ``&`` escaped."""
    return json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_ESCAPES)


def script_tag(data: dict[str, Any]) -> SafeString:
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(dumps(data)),  # noqa: S308 (escaped for a script element above)
    )
