from crispy_forms.helper import FormHelper
from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.honeypot import HoneypotFormMixin
from core.validators import has_control_characters, looks_like_link_or_address
from registrations import questions as event_questions
from registrations.models import Question


def party_size_field(maximum: int, *, label=None) -> forms.IntegerField:
    """ "Met hoeveel personen kom je?": 1 to ``maximum``, the resident included."""
    return forms.IntegerField(
        label=label or _("Met hoeveel personen kom je?"),
        help_text=_("Jijzelf meegeteld, hoogstens %(max)d.") % {"max": maximum},
        min_value=1,
        max_value=maximum,
        initial=1,
        error_messages={
            "required": _("Vul in met hoeveel personen je komt."),
            "invalid": _("Vul een aantal in cijfers in, bijvoorbeeld 2."),
            "min_value": _("Vul minstens 1 in: jijzelf."),
            "max_value": _("Je kunt je met hoogstens %(limit_value)s personen aanmelden."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class SignupForm(HoneypotFormMixin, forms.Form):
    """The shape of a sign-up; whether it is allowed is decided by services.register().

    For an event that asks for a party size (``Event.max_party_size`` above 1) or has
    questions, pass ``event`` and its visible ``questions``: the form then asks them, after
    the name and address. ``offer_waitlist`` adds the choice to wait when a party does not
    fit in the seats left (the view sets it after ``PartyDoesNotFit``).
    """

    name = forms.CharField(
        label=_("Naam"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        help_text=_("We gebruiken je e-mailadres alleen voor berichten over deze aanmelding."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        error_messages={"required": _("Geef toestemming, anders kunnen we je niet aanmelden.")},
    )

    def __init__(
        self,
        *args,
        event=None,
        questions: list[Question] | None = None,
        offer_waitlist: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions or [])
        extra = {}
        if event is not None and event.asks_party_size:
            extra["party_size"] = party_size_field(event.max_party_size)
        for question in self.questions:
            extra[event_questions.field_name(question)] = event_questions.form_field(question)
        if offer_waitlist:
            extra["waitlist_ok"] = forms.BooleanField(
                label=_("Zet ons op de wachtlijst als we niet allemaal passen"),
                required=False,
            )
        consent = self.fields.pop("consent")
        self.fields.update(extra)
        self.fields["consent"] = consent
        # Built per request so it follows the active language and links the statement.
        # With questions the consent covers the answers too; a question that staff
        # confirmed as a special category (health, religion, ...) needs explicit consent
        # for exactly that (AVG art. 9(2)(a)), so the label says it in words.
        if any(question.special_category_confirmed for question in self.questions):
            what = _(
                "Ik geef toestemming om mijn naam, e-mailadres en antwoorden te gebruiken voor "
                "deze aanmelding, ook als een antwoord iets zegt over mijn gezondheid, geloof "
                "of afkomst"
            )
        elif self.questions:
            what = _(
                "Ik geef toestemming om mijn naam, e-mailadres en antwoorden te gebruiken voor "
                "deze aanmelding"
            )
        else:
            what = _(
                "Ik geef toestemming om mijn naam en e-mailadres te gebruiken voor deze aanmelding"
            )
        self.fields["consent"].label = format_html(
            '{} (<a href="{}">{}</a>)', what, reverse("privacy"), _("lees de privacyverklaring")
        )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if has_control_characters(name):
            raise forms.ValidationError(_("Je naam bevat tekens die we niet kunnen gebruiken."))
        # Every mail starts "Beste <name>,": a web or e-mail address there would be the
        # municipality's mail carrying someone else's link (phishing).
        if looks_like_link_or_address(name):
            raise forms.ValidationError(_("Vul alleen je naam in, zonder webadres of e-mailadres."))
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        # Django's EmailField lets control characters through in a quoted local part
        # ("anna\x0b"@example.org); no mail server accepts them, so the mail would never
        # arrive.
        if has_control_characters(email):
            raise forms.ValidationError(
                _("Je e-mailadres bevat tekens die we niet kunnen gebruiken.")
            )
        return email

    @property
    def party_size(self) -> int:
        return self.cleaned_data.get("party_size") or 1

    @property
    def answers(self) -> dict[int, object]:
        return event_questions.answers_from(self.cleaned_data, self.questions)


class PartySizeForm(forms.Form):
    """On the personal page: change how many persons come."""

    def __init__(self, *args, maximum: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party_size"] = party_size_field(maximum, label=_("Aantal personen"))
        self.helper = FormHelper()
        self.helper.form_tag = False
