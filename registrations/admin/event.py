from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.models import Event
from registrations import exports, services
from registrations.admin.messages import EventMessageMixin
from registrations.admin.status import EventStatusMixin
from registrations.models import Registration, RegistrationStatus
from registrations.questions import answered

CHART_DAYS = 30


class RegistrationInline(admin.TabularInline):
    """The registrations of one event, read-only: status changes go through the service."""

    model = Registration
    fields = ["name", "email", "party_size", "status", "attended", "created_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("aanmeldingen")
    # Folded by default: a popular event has hundreds; the filtered list (button above
    # the form) searches and pages them.
    classes = ["collapse"]

    def has_add_permission(self, request: HttpRequest, obj: Event | None = None) -> bool:
        return False


class EventRegistrationsMixin(EventStatusMixin, EventMessageMixin):
    """The registrations side of the event admin: the cancelled count, the waiting list
    moving up when staff raise the capacity, the attendee exports, the attendance list,
    the sign-ups chart, cancelling, postponing or moving the event with a mail to
    everyone signed up (``EventStatusMixin``), and a message to them
    (``EventMessageMixin``). Mixed into the one event admin by the
    backoffice app; the events app knows nothing of registrations.

    Columns it adds for ``list_display``: ``cancelled_count``.
    """

    change_form_template = "admin/registrations/event_change_form.html"
    actions = ["export_csv", "export_xlsx"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        # One aggregate in the changelist's own query: no query per row.
        return (
            super()
            .get_queryset(request)
            .annotate(
                cancelled=Count(
                    "registrations", filter=Q(registrations__status=RegistrationStatus.CANCELLED)
                )
            )
        )

    @admin.display(description=_("geannuleerd"), ordering="cancelled")
    def cancelled_count(self, event: Event) -> int:
        return event.cancelled

    def save_model(self, request: HttpRequest, obj: Event, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change:
            # A raised capacity frees seats: the waiting list moves up at once, under the
            # row lock the admin took for this save (see events.admin.EventAdmin.get_object).
            moved = services.promote_from_waitlist(event_id=obj.pk)
            if moved:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d persoon is van de wachtlijst aangemeld.",
                        "%(count)d personen zijn van de wachtlijst aangemeld.",
                        moved,
                    )
                    % {"count": moved},
                )

    # --- exports ------------------------------------------------------------------------

    def has_export_attendees_permission(self, request: HttpRequest) -> bool:
        """The attendee lists hold names and addresses: seeing events is not enough, as
        for the attendance list. (The admin offers an action only when this is true.)"""
        return self.has_view_permission(request) and request.user.has_perm(
            "registrations.view_registration"
        )

    def _export(self, request: HttpRequest, queryset: QuerySet[Event], kind: str) -> HttpResponse:
        if not self.has_export_attendees_permission(request):
            raise PermissionDenied
        events = list(queryset.order_by("starts_at"))
        registrations = exports.attendees(events)
        questions = exports.questions_of(events)
        if kind == "csv":
            body = exports.as_csv(registrations, questions)
            content_type = "text/csv; charset=utf-8"
        else:
            body = exports.as_xlsx(registrations, questions)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{exports.filename(events, kind)}"'
        response["Cache-Control"] = "private, no-store"
        for event in events:
            self.log_change(request, event, _("Deelnemerslijst gedownload (%s).") % kind.upper())
        return response

    @admin.action(
        description=_("Deelnemerslijst downloaden (CSV)"), permissions=["export_attendees"]
    )
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Event]) -> HttpResponse:
        return self._export(request, queryset, "csv")

    @admin.action(
        description=_("Deelnemerslijst downloaden (Excel)"), permissions=["export_attendees"]
    )
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[Event]) -> HttpResponse:
        return self._export(request, queryset, "xlsx")

    # --- the attendance list for the door and the sign-ups chart ------------------------

    def get_urls(self):
        own = [
            path(
                "<int:object_id>/presentielijst/",
                self.admin_site.admin_view(self.attendance_list_view),
                name="events_event_attendance_list",
            )
        ]
        return own + super().get_urls()

    def attendance_list_view(self, request: HttpRequest, object_id: int) -> TemplateResponse:
        event = get_object_or_404(Event, pk=object_id)
        if not (
            self.has_view_permission(request, event)
            and request.user.has_perm("registrations.view_registration")
        ):
            raise PermissionDenied
        confirmed = list(
            event.registrations.filter(status=RegistrationStatus.CONFIRMED)
            .prefetch_related("answers__question")
            .order_by("name", "pk")
        )
        rows = [
            {"registration": registration, "answers": answered(registration.answers.all())}
            for registration in confirmed
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Presentielijst"),
            "event": event,
            "registrations": confirmed,
            "rows": rows,
            "persons": sum(registration.party_size for registration in confirmed),
            "questions": [q.text for q in event.questions.order_by("order", "pk")],
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/registrations/attendance_list.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        # The chart and links only for an event number in plain ASCII digits ("²" is a
        # digit to isdigit() but not to int()); the admin itself handles any other id.
        if object_id and str(object_id).isascii() and str(object_id).isdigit():
            extra_context["signups_chart"] = signups_per_day(int(object_id))
            extra_context["attendance_list_url"] = reverse(
                "admin:events_event_attendance_list", args=[object_id]
            )
            if request.user.has_perm("events.change_event"):
                extra_context["status_url"] = reverse(
                    "admin:events_event_change_status", args=[object_id]
                )
            if request.user.has_perm("registrations.add_message"):
                extra_context["message_url"] = reverse(
                    "admin:events_event_message", args=[object_id]
                )
            if request.user.has_perm("registrations.add_registration"):
                extra_context["desk_signup_url"] = (
                    reverse("admin:registrations_registration_add") + f"?event={object_id}"
                )
            extra_context["registrations_url"] = (
                reverse("admin:registrations_registration_changelist")
                + f"?event__id__exact={object_id}"
            )
        return super().change_view(request, object_id, form_url, extra_context)


def signups_per_day(event_id: int) -> dict:
    """Sign-ups per day (Amsterdam dates) for the last CHART_DAYS days with any, as bars
    for a small server-rendered SVG chart."""
    tz = ZoneInfo(settings.TIME_ZONE)
    counts = dict(
        Registration.objects.filter(event_id=event_id)
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    if not counts:
        return {"bars": [], "total": 0, "max": 0}
    last = max(counts)
    first = max(min(counts), last - datetime.timedelta(days=CHART_DAYS - 1))
    days = [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]
    peak = max(counts.get(day, 0) for day in days)
    width = 100 / len(days)
    bars = [
        {
            "day": day,
            "count": counts.get(day, 0),
            "x": round(i * width, 3),
            "width": round(width * 0.8, 3),
            "height": round(100 * counts.get(day, 0) / peak, 3),
            "y": round(100 - 100 * counts.get(day, 0) / peak, 3),
        }
        for i, day in enumerate(days)
    ]
    return {"bars": bars, "total": sum(counts.values()), "max": peak}
