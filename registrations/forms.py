from crispy_forms.helper import FormHelper
from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.honeypot import HoneypotFormMixin
from core.validators import has_control_characters, looks_like_link_or_address


class SignupForm(HoneypotFormMixin, forms.Form):
    """The shape of a sign-up; whether it is allowed is decided by services.register()."""

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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Built per request so it follows the active language and links the statement.
        self.fields["consent"].label = format_html(
            '{} (<a href="{}">{}</a>)',
            _("Ik geef toestemming om mijn naam en e-mailadres te gebruiken voor deze aanmelding"),
            reverse("privacy"),
            _("lees de privacyverklaring"),
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
