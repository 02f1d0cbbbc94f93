"""An event's own questions, as an inline on the event's admin page."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from registrations.models import CHOICE_KINDS, Question
from registrations.questions import QUESTION_KIND_HELP, looks_like_special_category

# Fixed once a question has answers: changing them would change what the answers mean.
FIXED_WHEN_ANSWERED = ["kind", "text", "text_en", "options"]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "order",
            "kind",
            "text",
            "text_en",
            "help_text",
            "help_text_en",
            "options",
            "is_required",
            "is_hidden",
            "special_category_confirmed",
        ]
        widgets = {"options": forms.Textarea(attrs={"rows": 3, "cols": 40})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A question with answers keeps its kind, texts and options (disabled fields keep
        # their stored value whatever is posted).
        if self.instance.pk and getattr(self.instance, "answer_count", 0):
            for name in FIXED_WHEN_ANSWERED:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Vast: er zijn al antwoorden op deze vraag.")

    def clean(self) -> dict:
        data = super().clean()
        instance = self.instance
        kind = data.get("kind", instance.kind)
        options = data.get("options", instance.options) or ""
        if kind in CHOICE_KINDS:
            pairs = Question(options=options).option_pairs()
            if len(pairs) < 2:
                self.add_error("options", _("Geef minstens twee keuzes, één per regel."))
            elif len({dutch for dutch, _english in pairs}) != len(pairs):
                self.add_error("options", _("Twee keuzes hebben dezelfde tekst."))
        elif options.strip() and "options" in self.changed_data:
            self.add_error("options", _("Alleen vragen met keuzes hebben keuzes."))
        texts = [
            data.get(name, getattr(instance, name))
            for name in ("text", "text_en", "help_text", "help_text_en", "options")
        ]
        if looks_like_special_category(*texts) and not data.get("special_category_confirmed"):
            self.add_error(
                "special_category_confirmed",
                _(
                    "Deze vraag lijkt te gaan over gezondheid, geloof, afkomst of een ander "
                    "bijzonder persoonsgegeven. Die mag de gemeente alleen vragen als het echt "
                    "nodig is. Pas de vraag aan, of vink aan dat dit evenement hem nodig heeft."
                ),
            )
        return data


class QuestionFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            if (
                self.can_delete
                and self._should_delete_form(form)
                and form.instance.pk
                and form.instance.answers.exists()
            ):
                raise forms.ValidationError(
                    _(
                        "De vraag '%(question)s' heeft al antwoorden en kan niet weg. "
                        "Verberg hem in plaats daarvan."
                    ),
                    params={"question": form.instance.text},
                )


class QuestionInline(admin.StackedInline):
    """The event's questions on the sign-up form. A question with answers can only be
    hidden or re-ordered, or get another help text: its kind, texts and options stay."""

    model = Question
    form = QuestionForm
    formset = QuestionFormSet
    extra = 0
    classes = ["collapse"]
    verbose_name = _("vraag op het aanmeldformulier")
    verbose_name_plural = _("vragen op het aanmeldformulier")
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("order", "kind", "is_required", "is_hidden"),
                    ("text", "text_en"),
                    ("help_text", "help_text_en"),
                    "options",
                    "special_category_confirmed",
                ],
                "description": QUESTION_KIND_HELP,
            },
        )
    ]

    def get_queryset(self, request: HttpRequest):
        # Whether each question has answers, in the same query (QuestionForm reads it).
        return super().get_queryset(request).annotate(answer_count=Count("answers"))
