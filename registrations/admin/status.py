"""Cancelling, postponing or moving an event from its admin page ("Status wijzigen").

A form (the new status, a reason, for a move the new begin and end), then a confirmation
page that says who will be mailed and lists those without an e-mail address by name, so
staff can phone them; only then ``services.change_event_status``, which writes and mails in
one transaction under the event's row lock.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers, widgets
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.validators import has_control_characters
from events.admin import validate_event_year
from events.models import Event, EventStatus
from events.templatetags.events_tags import event_datetime
from registrations import services
from registrations.models import RegistrationStatus

# What the confirmation button says for each status.
CONFIRM_LABELS = {
    EventStatus.CANCELLED: gettext_lazy("Ja, afgelasten en iedereen mailen"),
    EventStatus.POSTPONED: gettext_lazy("Ja, uitstellen en iedereen mailen"),
    EventStatus.RESCHEDULED: gettext_lazy("Ja, verplaatsen en iedereen mailen"),
}
STATUS_HELP = {
    EventStatus.CANCELLED: gettext_lazy("gaat niet door; aanmelden sluit, en dat blijft zo"),
    EventStatus.POSTPONED: gettext_lazy(
        "gaat niet door op deze datum, er is nog geen nieuwe; aanmelden sluit"
    ),
    EventStatus.RESCHEDULED: gettext_lazy(
        "naar een nieuw begin en einde; aanmeldingen blijven staan"
    ),
}


class LabelledSplitDateTime(widgets.AdminSplitDateTime):
    """The admin's date and time boxes, each with a name of its own ("Nieuw begin: datum"):
    the field's label cannot point at two boxes, and a box without a name is one a screen
    reader cannot tell apart (axe: label)."""

    def __init__(self, label, attrs=None) -> None:
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = format_lazy("{}: {}", label, gettext_lazy("datum"))
        self.widgets[1].attrs["aria-label"] = format_lazy("{}: {}", label, gettext_lazy("tijd"))


class StatusChangeForm(forms.Form):
    """The shape of a status change; ``services.change_event_status`` decides whether it
    may happen (and checks the times again, on the event as it is under the lock)."""

    status = forms.ChoiceField(
        label=gettext_lazy("Nieuwe status"),
        widget=widgets.AdminRadioSelect(attrs={"class": "radiolist"}),
        error_messages={
            "required": gettext_lazy("Kies een nieuwe status."),
            "invalid_choice": gettext_lazy("Kies een van de statussen in de lijst."),
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Reden"),
        max_length=services.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=gettext_lazy(
            "Staat op de pagina van het evenement en in de e-mail aan iedereen die zich "
            "heeft aangemeld. Bijvoorbeeld: De zaal is niet beschikbaar."
        ),
        error_messages={"required": gettext_lazy("Vul een reden in.")},
    )
    starts_at = forms.SplitDateTimeField(
        label=gettext_lazy("Nieuw begin"),
        required=False,
        widget=LabelledSplitDateTime(gettext_lazy("Nieuw begin")),
        help_text=gettext_lazy("Alleen bij verplaatsen."),
    )
    ends_at = forms.SplitDateTimeField(
        label=gettext_lazy("Nieuw einde"),
        required=False,
        widget=LabelledSplitDateTime(gettext_lazy("Nieuw einde")),
        help_text=gettext_lazy("Alleen bij verplaatsen."),
    )

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["status"].choices = [
            (status, f"{EventStatus(status).label.capitalize()}: {STATUS_HELP[status]}")
            for status in services.status_choices(event=event)
        ]
        for name in ("starts_at", "ends_at"):
            self.fields[name].validators.append(validate_event_year)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].replace("\r\n", "\n").strip()
        if has_control_characters(reason, allowed="\n\t"):
            raise forms.ValidationError(_("De reden bevat tekens die we niet kunnen gebruiken."))
        return reason

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("status") != EventStatus.RESCHEDULED:
            # Only a move has new times: whatever else was typed there is dropped.
            cleaned["starts_at"] = cleaned["ends_at"] = None
            return cleaned
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at is None and "starts_at" not in self.errors:
            self.add_error("starts_at", _("Vul het nieuwe begin in."))
        if ends_at is None and "ends_at" not in self.errors:
            self.add_error("ends_at", _("Vul het nieuwe einde in."))
        if starts_at and starts_at <= timezone.now():
            self.add_error("starts_at", _("Het nieuwe begin moet in de toekomst liggen."))
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("Het einde moet na het begin liggen."))
        return cleaned


class EventStatusMixin:
    """For the event admin: "Status wijzigen", the form and its confirmation page."""

    def get_urls(self):
        own = [
            path(
                "<int:object_id>/status/",
                self.admin_site.admin_view(self.change_status_view),
                name="events_event_change_status",
            )
        ]
        return own + super().get_urls()

    def change_status_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        event = get_object_or_404(Event, pk=object_id)
        if not self.has_change_permission(request, event):
            raise PermissionDenied
        change_url = reverse("admin:events_event_change", args=[event.pk])
        form = StatusChangeForm(request.POST if request.method == "POST" else None, event=event)
        status = 200
        if request.method == "POST":
            status = 422
            if form.is_valid() and "edit" not in request.POST:
                if request.POST.get("confirm") != "yes":
                    return self._confirm_status_page(request, event, form)
                data = form.cleaned_data
                try:
                    change = services.change_event_status(
                        event=event,
                        status=data["status"],
                        reason=data["reason"],
                        starts_at=data["starts_at"],
                        ends_at=data["ends_at"],
                        changed_by=request.user,
                    )
                except services.EventStatusRefused as exc:
                    status = 409
                    form.add_error(None, exc.message)
                    event.refresh_from_db()
                    form.fields["status"].choices = (
                        StatusChangeForm(event=event).fields["status"].choices
                    )
                else:
                    self.log_change(request, event, _status_log_message(change))
                    self.message_user(request, _status_done_message(change), messages.SUCCESS)
                    return HttpResponseRedirect(change_url)
            elif "edit" in request.POST:
                status = 200
        admin_form = helpers.AdminForm(
            form,
            [(None, {"fields": ["status", "reason", "starts_at", "ends_at"]})],
            {},
            model_admin=self,
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Status wijzigen"),
            "event": event,
            "form": form,
            "adminform": admin_form,
            "errors": helpers.AdminErrorList(form, []),
            "media": self.media + form.media,
            "opts": self.opts,
            "change_url": change_url,
            "history": event.status_changes.select_related("changed_by")[:10],
            "refusal": (
                None if form.fields["status"].choices else services.status_refusal(event=event)
            ),
        }
        return TemplateResponse(
            request, "admin/registrations/event_status.html", context, status=status
        )

    def _confirm_status_page(
        self, request: HttpRequest, event: Event, form: StatusChangeForm
    ) -> HttpResponse:
        """What will happen, and to whom, before anything does."""
        data = form.cleaned_data
        active = event.registrations.filter(
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED],
            anonymised_at__isnull=True,
        )
        with_email = active.exclude(email="")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Status wijzigen: bevestigen"),
            "event": event,
            "form": form,
            "new_status": EventStatus(data["status"]),
            "reason": data["reason"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "confirmed_count": with_email.filter(status=RegistrationStatus.CONFIRMED).count(),
            "waiting_count": with_email.filter(status=RegistrationStatus.WAITLISTED).count(),
            "mailed_count": with_email.count(),
            "without_email": _without_email(request, active),
            "without_email_count": active.filter(email="").count(),
            "confirm_label": CONFIRM_LABELS[data["status"]],
            "opts": self.opts,
            "change_url": reverse("admin:events_event_change", args=[event.pk]),
        }
        return TemplateResponse(request, "admin/registrations/event_status_confirm.html", context)


def _without_email(request: HttpRequest, registrations) -> list:
    """Who gets no mail (desk sign-ups without an address), by name, for staff who may
    see registrations: they phone them. Others see only how many."""
    if not request.user.has_perm("registrations.view_registration"):
        return []
    return list(registrations.filter(email="").order_by("name", "pk"))


def _status_log_message(change) -> str:
    if change.status == EventStatus.RESCHEDULED:
        return _("Verplaatst naar %(moment)s (bewoners gemaild: %(count)d). Reden: %(reason)s") % {
            "moment": event_datetime(change.starts_at),
            "count": change.mailed_count,
            "reason": change.reason,
        }
    return _("Nieuwe status: %(status)s (bewoners gemaild: %(count)d). Reden: %(reason)s") % {
        "status": change.get_status_display(),
        "count": change.mailed_count,
        "reason": change.reason,
    }


def _status_done_message(change) -> str:
    done = {
        EventStatus.CANCELLED: _("Het evenement is afgelast."),
        EventStatus.POSTPONED: _("Het evenement is uitgesteld."),
        EventStatus.RESCHEDULED: _("Het evenement is verplaatst naar %(moment)s.")
        % {"moment": event_datetime(change.starts_at)},
    }[change.status]
    return (
        done
        + " "
        + ngettext(
            "%(count)d bewoner krijgt een e-mail.",
            "%(count)d bewoners krijgen een e-mail.",
            change.mailed_count,
        )
        % {"count": change.mailed_count}
    )
