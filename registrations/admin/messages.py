"""A message to everyone signed up for an event ("Bericht aan aanmelders").

Write (to whom, subject, text), then a preview that says how many residents it reaches by
e-mail and lists, by name, those without an address so staff can phone them; then
``services.send_message``: one mail per resident through the outbox, never one mail with
many addresses. ``MessageAdmin`` is the record of what was sent.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers, widgets
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.validators import has_control_characters
from events.models import Event
from events.templatetags.events_tags import event_datetime
from registrations import emails, selectors, services
from registrations.models import Message, MessageAudience


class MessageForm(forms.Form):
    """The shape of a message; ``services.send_message`` checks it again."""

    audience = forms.ChoiceField(
        label=gettext_lazy("Aan"),
        widget=widgets.AdminRadioSelect(attrs={"class": "radiolist"}),
        initial=MessageAudience.CONFIRMED,
        error_messages={
            "required": gettext_lazy("Kies aan wie het bericht gaat."),
            "invalid_choice": gettext_lazy("Kies een van de keuzes in de lijst."),
        },
    )
    subject = forms.CharField(
        label=gettext_lazy("Onderwerp"),
        max_length=services.SUBJECT_MAX_LENGTH,
        # No strip: a line break typed or pasted at the end is refused, not silently cut.
        strip=False,
        widget=forms.TextInput(attrs={"size": 60}),
        error_messages={"required": gettext_lazy("Vul een onderwerp in.")},
    )
    body = forms.CharField(
        label=gettext_lazy("Bericht"),
        max_length=services.BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 60}),
        help_text=gettext_lazy(
            "Gewone tekst. De e-mail begint met “Beste [naam],”; onder je bericht zetten "
            "we wanneer en waar het evenement is en de persoonlijke link van de bewoner."
        ),
        error_messages={"required": gettext_lazy("Vul een bericht in.")},
    )
    # The form's own key, so sending it twice (a double click, the back button) sends once.
    key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, event: Event, **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["audience"].choices = [
            (value, f"{label.capitalize()} ({selectors.audience(event, value).count()})")
            for value, label in MessageAudience.choices
        ]

    def clean_subject(self) -> str:
        subject = self.cleaned_data["subject"]
        if "\n" in subject.strip() or "\r" in subject:
            raise forms.ValidationError(
                _("Het onderwerp moet op één regel staan, zonder regeleinde.")
            )
        subject = subject.strip()
        if not subject:
            raise forms.ValidationError(_("Vul een onderwerp in."))
        if has_control_characters(subject):
            raise forms.ValidationError(
                _("Het onderwerp bevat tekens die we niet kunnen gebruiken.")
            )
        return subject

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].replace("\r\n", "\n").strip()
        if has_control_characters(body, allowed="\n\t"):
            raise forms.ValidationError(_("Het bericht bevat tekens die we niet kunnen gebruiken."))
        return body


class EventMessageMixin:
    """For the event admin: "Bericht aan aanmelders", the form and its preview."""

    def get_urls(self):
        own = [
            path(
                "<int:object_id>/bericht/",
                self.admin_site.admin_view(self.message_view),
                name="events_event_message",
            )
        ]
        return own + super().get_urls()

    def message_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        event = get_object_or_404(Event, pk=object_id)
        if not (
            self.has_view_permission(request, event)
            and request.user.has_perm("registrations.add_message")
        ):
            raise PermissionDenied
        change_url = reverse("admin:events_event_change", args=[event.pk])
        form = MessageForm(request.POST if request.method == "POST" else None, event=event)
        status = 200
        if request.method == "POST" and "edit" not in request.POST:
            status = 422
            if form.is_valid():
                if request.POST.get("confirm") != "yes":
                    return self._message_preview(request, event, form)
                data = form.cleaned_data
                try:
                    message = services.send_message(
                        event=event,
                        audience=data["audience"],
                        subject=data["subject"],
                        body=data["body"],
                        key=data["key"],
                        sent_by=request.user,
                    )
                except services.MessageRefused as exc:
                    form.add_error(None, exc.message)
                else:
                    # The number, not the subject: the text goes with the event's
                    # personal data (Message), the log stays.
                    self.log_change(
                        request,
                        event,
                        _(
                            "Bericht %(number)d aan aanmelders verstuurd "
                            "(%(audience)s, %(count)d gemaild)."
                        )
                        % {
                            "number": message.pk,
                            "audience": message.get_audience_display(),
                            "count": message.mailed_count,
                        },
                    )
                    self.message_user(request, _sent_message(message), messages.SUCCESS)
                    return HttpResponseRedirect(change_url)
        admin_form = helpers.AdminForm(
            form, [(None, {"fields": ["audience", "subject", "body"]})], {}, model_admin=self
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Bericht aan aanmelders"),
            "event": event,
            "form": form,
            "adminform": admin_form,
            "errors": helpers.AdminErrorList(form, []),
            "opts": self.opts,
            "change_url": change_url,
            "sent": event.messages.select_related("sent_by")[:10],
        }
        return TemplateResponse(
            request, "admin/registrations/event_message.html", context, status=status
        )

    def _message_preview(
        self, request: HttpRequest, event: Event, form: MessageForm
    ) -> HttpResponse:
        data = form.cleaned_data
        registrations = selectors.audience(event, data["audience"])
        without_email = registrations.filter(email="")
        subject, text = emails.preview_message(
            event=event, subject=data["subject"], body=data["body"]
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Bericht aan aanmelders: voorbeeld"),
            "event": event,
            "form": form,
            "audience": MessageAudience(data["audience"]).label,
            "mailed_count": registrations.exclude(email="").count(),
            "without_email_count": without_email.count(),
            "without_email": (
                list(without_email.order_by("name", "pk"))
                if request.user.has_perm("registrations.view_registration")
                else []
            ),
            "preview_subject": subject,
            "preview_text": text,
            "opts": self.opts,
            "change_url": reverse("admin:events_event_change", args=[event.pk]),
        }
        return TemplateResponse(request, "admin/registrations/event_message_preview.html", context)


def _sent_message(message: Message) -> str:
    sent = ngettext(
        "Bericht verstuurd: %(count)d e-mail staat klaar in de uitgaande post.",
        "Bericht verstuurd: %(count)d e-mails staan klaar in de uitgaande post.",
        message.mailed_count,
    ) % {"count": message.mailed_count}
    if message.without_email_count:
        sent += " " + ngettext(
            "%(count)d bewoner heeft geen e-mailadres: bel hem of haar.",
            "%(count)d bewoners hebben geen e-mailadres: bel ze.",
            message.without_email_count,
        ) % {"count": message.without_email_count}
    return sent


class MessageAdmin(admin.ModelAdmin):
    """The messages staff sent: who, when, to whom and how many (registered by the
    backoffice app). Written from the event's page ("Bericht aan aanmelders"), never
    here; nothing here can be changed or deleted."""

    list_display = ["subject_or_erased", "event", "audience", "mailed_count", "sent_by", "sent"]
    list_filter = ["audience", "event"]
    list_select_related = ["event", "sent_by"]
    search_fields = ["subject", "event__title"]
    date_hierarchy = "sent_at"
    fields = [
        "event",
        "audience",
        "subject",
        "body",
        "sent_by",
        "sent_at",
        "mailed_count",
        "without_email_count",
        "erased_at",
    ]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("onderwerp"), ordering="subject")
    def subject_or_erased(self, message: Message) -> str:
        return message.subject or _("(gewist met de persoonsgegevens)")

    @admin.display(description=gettext_lazy("verstuurd op"), ordering="sent_at")
    def sent(self, message: Message) -> str:
        return event_datetime(message.sent_at)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False
