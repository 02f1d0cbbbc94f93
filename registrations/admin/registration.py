from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.templatetags.events_tags import event_datetime
from registrations import services
from registrations.admin.desk import DeskSignupMixin
from registrations.admin.mail import MailRetryMixin
from registrations.models import Registration, RegistrationStatus


class AttendedFilter(admin.SimpleListFilter):
    title = _("aanwezig")
    parameter_name = "attended"

    def lookups(self, request, model_admin):
        return [("1", _("Ja")), ("0", _("Nee"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(attended=self.value() == "1")
        return queryset


class RegistrationAdmin(MailRetryMixin, DeskSignupMixin, admin.ModelAdmin):
    """Registrations across events (registered by the backoffice app). "Aanmelding
    toevoegen" is a desk or phone sign-up (``DeskSignupMixin``); a failed mail is sent
    again from the start page (``MailRetryMixin``)."""

    actions = ["cancel_selected", "mark_attended", "mark_not_attended"]
    list_display = ["name", "email", "party_size", "event", "status", "created", "attended"]
    list_filter = ["status", AttendedFilter, "event"]
    search_fields = ["name", "email"]
    list_select_related = ["event"]
    date_hierarchy = "created_at"
    list_per_page = 100
    # Every field is read-only: a hand edit of the status would bypass the capacity lock
    # and the counters. Status changes are the actions below, which call the service.
    readonly_fields = [
        "event",
        "name",
        "email",
        "party_size",
        "status",
        "attended",
        "created_at",
        "promoted_at",
        "cancelled_at",
        "reminded_at",
    ]

    @admin.display(description=_("aangemeld op"), ordering="created_at")
    def created(self, registration: Registration) -> str:
        return event_datetime(registration.created_at)

    def get_urls(self):
        own = [
            path(
                "<int:object_id>/opgeslagen/",
                self.admin_site.admin_view(self.desk_done_view),
                name="registrations_registration_desk_done",
            )
        ]
        return own + super().get_urls()

    def has_delete_permission(self, request: HttpRequest, obj: Registration | None = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: Registration, form: forms.ModelForm, change: bool
    ) -> None:
        """Do nothing: every field is read-only, and a plain save() would write back the
        status as loaded, behind the service's back. Status changes go through services."""

    @admin.action(description=_("Geselecteerde aanmeldingen annuleren"), permissions=["change"])
    def cancel_selected(self, request: HttpRequest, queryset: QuerySet[Registration]):
        """Ask first (like Django's delete action), then cancel through the service so the
        waiting list moves up and residents are mailed."""
        active = queryset.exclude(status=RegistrationStatus.CANCELLED).select_related("event")
        if request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Aanmeldingen annuleren?"),
                "registrations": active,
                "queryset": queryset,
                "opts": self.opts,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "action": "cancel_selected",
            }
            return TemplateResponse(request, "admin/registrations/confirm_cancel.html", context)
        cancelled = 0
        for registration in active:
            services.cancel(registration=registration, by_staff=True)
            self.log_change(request, registration, _("Geannuleerd door een medewerker."))
            cancelled += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d aanmelding geannuleerd.",
                "%(count)d aanmeldingen geannuleerd.",
                cancelled,
            )
            % {"count": cancelled},
        )
        return None

    def _set_attendance(self, request, queryset, *, attended: bool) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        changed_ids = list(
            queryset.exclude(status=RegistrationStatus.CANCELLED)
            .exclude(attended=attended)
            .values_list("pk", flat=True)
        )
        changed = services.set_attendance(registration_ids=ids, attended=attended)
        message = _("Gemarkeerd als aanwezig.") if attended else _("Gemarkeerd als afwezig.")
        for registration in Registration.objects.filter(pk__in=changed_ids):
            self.log_change(request, registration, message)
        self.message_user(
            request,
            ngettext(
                "%(count)d aanmelding bijgewerkt.", "%(count)d aanmeldingen bijgewerkt.", changed
            )
            % {"count": changed},
        )

    @admin.action(description=_("Markeren als aanwezig"), permissions=["change"])
    def mark_attended(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        self._set_attendance(request, queryset, attended=True)

    @admin.action(description=_("Markeren als afwezig"), permissions=["change"])
    def mark_not_attended(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        self._set_attendance(request, queryset, attended=False)
