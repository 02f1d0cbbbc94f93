from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.honeypot import HoneypotFormMixin
from core.validators import has_control_characters
from reactions.models import NAME_MAX_LENGTH, TEXT_MAX_LENGTH


class PlainTextField(forms.CharField):
    """Multi-line plain text. Browsers send line breaks as CR LF; counting them as one
    character keeps the maximum length the same as what the resident sees."""

    def to_python(self, value: object) -> str:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def widget_attrs(self, widget: forms.Widget) -> dict:
        # No maxlength attribute: a browser would cut off a pasted text without a word.
        # Too long a text gets an error message that says by how much instead.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class ReactionForm(HoneypotFormMixin, forms.Form):
    """The shape of a reaction; whether it may be posted is decided by the service."""

    name = forms.CharField(
        label=_("Naam bij je reactie"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Deze naam staat bij je reactie. Alleen je voornaam mag ook."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mailadres voor vragen over je reactie"),
        max_length=254,
        help_text=_(
            "We tonen je e-mailadres nooit. We gebruiken het alleen als we een vraag hebben "
            "over je reactie."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    text = PlainTextField(
        label=_("Je reactie"),
        max_length=TEXT_MAX_LENGTH,
        error_messages={
            "max_length": _(
                "Je reactie is %(show_value)d tekens lang; hoogstens %(limit_value)d kan."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    consent = forms.BooleanField(
        error_messages={
            "required": _("Geef toestemming, anders kunnen we je reactie niet plaatsen.")
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        # Own ids, so this form and the sign-up form can share the event page.
        kwargs.setdefault("auto_id", "id_reaction_%s")
        super().__init__(*args, **kwargs)
        # Built per request so it follows the active language and links the statement.
        self.fields["consent"].label = format_html(
            '{} (<a href="{}">{}</a>)',
            _(
                "Ik ga akkoord dat mijn naam en reactie op deze pagina komen te staan en dat "
                "%(organisation)s mijn e-mailadres bewaart voor vragen over mijn reactie"
            )
            % {"organisation": settings.BIJEEN_ORGANISATION_NAME},
            reverse("privacy"),
            _("lees de privacyverklaring"),
        )
        self.fields["text"].help_text = _(
            "Gewone tekst, hoogstens %(max)d tekens. Links worden niet klikbaar."
        ) % {"max": TEXT_MAX_LENGTH}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("name", "email", "text", "consent")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if has_control_characters(name):
            raise forms.ValidationError(_("Je naam bevat tekens die we niet kunnen gebruiken."))
        return name

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if has_control_characters(text, allowed="\n\t"):
            raise forms.ValidationError(_("Je reactie bevat tekens die we niet kunnen gebruiken."))
        return text
