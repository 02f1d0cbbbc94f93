from django import template
from django.utils import timezone

from events.models import Event
from registrations import selectors, tasks

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


@register.inclusion_tag("admin/registrations/_mail_overview.html", takes_context=True)
def mail_overview(context: template.Context) -> dict:
    """The outbox on the admin start page: waiting, sent today, failed (with the error and
    "Opnieuw versturen"). For staff who may see registrations: a failed mail links to one."""
    request = context["request"]
    if not request.user.has_perm("registrations.view_registration"):
        return {"overview": None}
    overview = selectors.mail_overview()
    for row in overview["failed"]:
        row["label"] = tasks.MAIL_KIND_LABELS.get(row["kind"], row["kind"])
    return {
        "overview": overview,
        "can_retry": request.user.has_perm("registrations.change_registration"),
        "csrf_token": context.get("csrf_token"),
    }
