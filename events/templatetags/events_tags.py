import datetime

from django import template
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from events import jsonld, maps
from events.models import Event, EventStatus, LocalizedText, RegistrationWindow

register = template.Library()


@register.filter
def event_datetime(value: datetime.datetime | None) -> str:
    """Format as on the reference page, ``31-10-2023 om 19:00``, in the site's time zone."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return _("%(date)s om %(time)s") % {
        "date": formats.date_format(local, "d-m-Y"),
        "time": formats.time_format(local, "H:i"),
    }


@register.filter
def status_prefix(event: Event) -> str:
    """ "Afgelast: ", "Uitgesteld: " or "Verplaatst: " for an event that is not as
    planned, before its title in a browser tab, a feed or a calendar; else nothing."""
    if event.status == EventStatus.SCHEDULED:
        return ""
    return _("%(status)s: ") % {"status": event.get_status_display().capitalize()}


@register.filter
def registration_status(event: Event) -> str:
    """A short status a resident understands at a glance: seats left, full or closed, or
    that the event is off."""
    window = event.registration_window()
    if window is RegistrationWindow.CANCELLED:
        return _("Afgelast")
    if window is RegistrationWindow.POSTPONED:
        return _("Uitgesteld")
    if window is RegistrationWindow.NOT_YET_OPEN:
        return _("Aanmelden vanaf %(moment)s") % {
            "moment": event_datetime(event.registration_opens_at)
        }
    if window is not RegistrationWindow.OPEN:
        return _("Aanmelden gesloten")
    if event.accepts_waitlist:
        return _("Vol – wachtlijst open")
    if event.is_full:
        return _("Vol")
    return ngettext("Nog %(count)d plaats", "Nog %(count)d plaatsen", event.seats_left) % {
        "count": event.seats_left
    }


@register.filter
def registration_state(event: Event) -> str:
    """A stable keyword for styling the status: ``open``, ``full`` or the window's state."""
    window = event.registration_window()
    if window is RegistrationWindow.OPEN and event.accepts_waitlist:
        return "waitlist"
    if window is RegistrationWindow.OPEN and event.is_full:
        return "full"
    return str(window)


@register.filter
def map_link_url(event: Event) -> str:
    return maps.map_link_url(event)


@register.filter
def map_embed_url(event: Event) -> str | None:
    return maps.map_embed_url(event)


@register.simple_tag
def localized(event: Event, field: str) -> LocalizedText:
    """``{% localized event "title" as title %}``: the text in the active language, and
    ``title.is_fallback`` when /en/ shows the Dutch text (mark it ``lang="nl"``)."""
    return event.localized(field)


@register.filter
def event_summary(event: Event) -> str:
    """One line for a link preview: when and where, then the start of the description.

    A page shows it twice (description and link preview): made once per event object and
    language."""
    language = get_language()
    remembered = getattr(event, "_summary", None)
    if remembered is not None and remembered[0] == language:
        return remembered[1]
    summary = _summary(event)
    event._summary = (language, summary)
    return summary


def _summary(event: Event) -> str:
    when = event_datetime(event.starts_at)
    place = ", ".join(part for part in (event.location, event.address) if part)
    description = " ".join(event.localized("description").text.split())
    summary = f"{when} · {place}"
    if description:
        summary += f" – {Truncator(description).chars(200)}"
    return summary


@register.simple_tag
def event_json_ld(event: Event) -> str:
    """The event as schema.org JSON-LD in a ``<script type="application/ld+json">`` block."""
    return jsonld.script_tag(jsonld.event_data(event))
