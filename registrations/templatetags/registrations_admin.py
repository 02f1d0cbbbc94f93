from django import template
from django.utils import timezone

from events.models import Event

register = template.Library()


@register.inclusion_tag("admin/registrations/_dashboard.html", takes_context=True)
def upcoming_events_overview(context: template.Context, limit: int = 10) -> dict:
    """The next events with a bar of confirmed / capacity and the waiting list, for the
    admin start page. One query: the counts are the event's own counters."""
    request = context["request"]
    if not request.user.has_perm("events.view_event"):
        return {"rows": []}
    events = Event.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at", "pk")[:limit]
    rows = []
    for event in events:
        total = max(event.capacity + event.waitlist_capacity, 1)
        rows.append(
            {
                "event": event,
                "confirmed_width": round(100 * event.confirmed_count / total, 2),
                "seats_width": round(100 * event.capacity / total, 2),
                "waiting_width": round(100 * event.waitlisted_count / total, 2),
            }
        )
    return {"rows": rows}
