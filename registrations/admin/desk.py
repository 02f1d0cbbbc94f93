"""Sign-ups that staff take at the desk or on the phone ("Aanmelding toevoegen").

Through the same service and lock as a resident's own sign-up. The e-mail address is
optional: with one the resident gets the usual mail; without one nothing is mailed and the
admin shows the personal link and a printable confirmation.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.validators import has_control_characters
from events.models import Event
from registrations import questions as event_questions
from registrations import services
from registrations.forms import party_size_field
from registrations.models import Registration
from registrations.selectors import visible_questions


class ChooseEventForm(forms.Form):
    event = forms.ModelChoiceField(
        label=gettext_lazy("Evenement"),
        queryset=Event.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("Kies een evenement uit de lijst.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(ends_at__gt=timezone.now()).order_by(
            "starts_at", "pk"
        )


class DeskSignupForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=200)
    email = forms.EmailField(
        label=gettext_lazy("E-mailadres"),
        max_length=254,
        required=False,
        help_text=gettext_lazy("Niet verplicht. Zonder e-mailadres sturen we niets."),
    )
    waitlist_ok = forms.BooleanField(
        label=gettext_lazy("Op de wachtlijst zetten als er geen plaats is"),
        required=False,
    )

    def __init__(self, *args, event: Event, questions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.questions = questions
        waitlist = self.fields.pop("waitlist_ok")
        if event.asks_party_size:
            self.fields["party_size"] = party_size_field(
                event.max_party_size, label=_("Aantal personen")
            )
        for question in questions:
            self.fields[event_questions.field_name(question)] = event_questions.form_field(question)
        if event.waitlist_capacity:
            self.fields["waitlist_ok"] = waitlist

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if has_control_characters(name):
            raise forms.ValidationError(_("De naam bevat tekens die we niet kunnen gebruiken."))
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if has_control_characters(email):
            raise forms.ValidationError(
                _("Het e-mailadres bevat tekens die we niet kunnen gebruiken.")
            )
        return email


class DeskSignupMixin:
    """For the registration admin: "Aanmelding toevoegen" is a desk sign-up."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("registrations.add_registration")

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Aanmelding toevoegen"),
        }
        chooser = ChooseEventForm(request.GET or None)
        if not chooser.is_bound or not chooser.is_valid():
            context["chooser"] = chooser
            return TemplateResponse(request, "admin/registrations/desk_choose_event.html", context)
        event = chooser.cleaned_data["event"]
        questions = visible_questions(event)
        form = DeskSignupForm(
            request.POST if request.method == "POST" else None,
            event=event,
            questions=questions,
        )
        status = 200
        if request.method == "POST":
            status = 422
            if form.is_valid():
                try:
                    registration = services.register(
                        event=event,
                        name=form.cleaned_data["name"],
                        email=form.cleaned_data["email"],
                        party_size=form.cleaned_data.get("party_size") or 1,
                        answers=event_questions.answers_from(form.cleaned_data, questions),
                        questions=questions,
                        waitlist_ok=bool(form.cleaned_data.get("waitlist_ok")),
                        by_staff=True,
                        language=settings.LANGUAGE_CODE,
                    )
                except services.RegistrationError as exc:
                    status = 409
                    field = {
                        services.AlreadyRegistered: "email",
                        services.PartySizeNotAllowed: "party_size",
                        services.PartyDoesNotFit: "party_size",
                    }.get(type(exc))
                    form.add_error(field, exc.message)
                    event.refresh_from_db()
                else:
                    self.log_addition(
                        request, registration, _("Aangemeld door een medewerker (balie/telefoon).")
                    )
                    messages.success(request, _("De aanmelding is opgeslagen."))
                    return HttpResponseRedirect(
                        reverse(
                            "admin:registrations_registration_desk_done", args=[registration.pk]
                        )
                    )
        context.update(
            {
                "event": event,
                "form": form,
                "errors": admin.helpers.AdminErrorList(form, []),
                "title": _("Aanmelding toevoegen: %(event)s") % {"event": event.title},
            }
        )
        return TemplateResponse(
            request, "admin/registrations/desk_signup.html", context, status=status
        )

    def desk_done_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """After a desk sign-up: the status, the personal link and a printable page."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        registration = get_object_or_404(
            Registration.objects.select_related("event").filter(anonymised_at__isnull=True),
            pk=object_id,
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Aanmelding opgeslagen"),
            "registration": registration,
            "event": registration.event,
            "personal_url": settings.SITE_URL + registration.get_absolute_url(),
            "answers": event_questions.answered(registration.answers.select_related("question")),
        }
        return TemplateResponse(request, "admin/registrations/desk_done.html", context)
