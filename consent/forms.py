from django import forms
from django.utils.translation import gettext_lazy as _

from consent.categories import Category
from consent.models import ConsentRecord


class ConsentForm(forms.Form):
    """One choice about cookies: accept all, decline all, or a yes/no per category.

    The banner sends only the button (``keuze``); Cookie-instellingen also sends a checkbox
    per category. No box is ticked before the visitor chose.
    """

    ACCEPT = "accepteren"
    DECLINE = "weigeren"
    SAVE = "opslaan"

    keuze = forms.ChoiceField(
        choices=[(ACCEPT, _("Accepteren")), (DECLINE, _("Weigeren")), (SAVE, _("Opslaan"))],
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Kies Accepteren, Weigeren of Keuze opslaan."),
            "invalid_choice": _("Kies Accepteren, Weigeren of Keuze opslaan."),
        },
    )

    def __init__(self, *args, categories: list[Category], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.categories = categories
        for category in categories:
            self.fields[category.key] = forms.BooleanField(
                label=_("%(category)s toestaan") % {"category": category.name},
                required=False,
            )

    def choices(self) -> dict[str, bool]:
        """The visitor's yes/no for each category."""
        button = self.cleaned_data["keuze"]
        return {
            category.key: (
                button == self.ACCEPT or (button == self.SAVE and self.cleaned_data[category.key])
            )
            for category in self.categories
        }

    def method(self) -> ConsentRecord.Method:
        return {
            self.ACCEPT: ConsentRecord.Method.ACCEPT_ALL,
            self.DECLINE: ConsentRecord.Method.DECLINE_ALL,
            self.SAVE: ConsentRecord.Method.PER_CATEGORY,
        }[self.cleaned_data["keuze"]]
