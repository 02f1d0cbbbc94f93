from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.admin import EventAdmin
from events.models import Event
from registrations import services
from registrations.models import Registration, RegistrationStatus


class RegistrationInline(admin.TabularInline):
    """The registrations of one event, read-only: status changes go through the service."""

    model = Registration
    fields = ["name", "email", "status", "created_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("aanmeldingen")

    def has_add_permission(self, request: HttpRequest, obj: Event | None = None) -> bool:
        return False


# The events app must not know about registrations, so the registrations app extends
# the event admin with its inline (it is loaded after events in INSTALLED_APPS).
admin.site.unregister(Event)


@admin.register(Event)
class EventWithRegistrationsAdmin(EventAdmin):
    inlines = [RegistrationInline]

    def save_model(self, request: HttpRequest, obj: Event, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change:
            # A raised capacity frees seats: the waiting list moves up at once, under the
            # row lock the admin took for this save (see EventAdmin.get_object).
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


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    actions = ["cancel_selected"]
    list_display = ["name", "email", "event", "status", "created_at"]
    list_filter = ["status", "event"]
    search_fields = ["name", "email", "event__title"]
    list_select_related = ["event"]
    date_hierarchy = "created_at"
    # Read-only until status changes get service-backed admin actions: a hand edit of
    # the status would bypass the capacity lock and the confirmed counter.
    readonly_fields = [
        "event",
        "name",
        "email",
        "status",
        "created_at",
        "promoted_at",
        "cancelled_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: Registration, form: forms.ModelForm, change: bool
    ) -> None:
        """Do nothing: every field is read-only, and a plain save() would write back the
        status as loaded, behind the service's back. Status changes go through services."""

    @admin.action(description=_("Geselecteerde aanmeldingen annuleren"), permissions=["change"])
    def cancel_selected(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        """Cancel through the service, so the waiting list moves up and residents are mailed."""
        cancelled = 0
        for registration in queryset.exclude(status=RegistrationStatus.CANCELLED):
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

    def has_delete_permission(self, request: HttpRequest, obj: Registration | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        return super().get_queryset(request).select_related("event")
