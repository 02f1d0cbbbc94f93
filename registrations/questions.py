"""An event's own questions on the sign-up form: the form fields, reading the answers
back, and the warning for questions that look like special categories of personal data.

Answers are stored by ``registrations.services`` in the sign-up transaction; this module
only builds and reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import forms
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.validators import has_control_characters
from registrations.models import Answer, Question, QuestionKind

FIELD_PREFIX = "vraag_"
SHORT_MAX = 200
LONG_MAX = 2000

# Words that suggest a special category of personal data (AVG art. 9 and 10): health,
# religion, origin, politics, union membership, sexual orientation, criminal record,
# biometric or genetic data. A match asks staff to confirm the event needs the question;
# it cannot prove a question harmless, so the staff guide says what to ask instead
# ("Heb je hulp nodig om mee te doen?" rather than "Welke beperking heb je?").
SPECIAL_CATEGORY_WORDS = re.compile(
    r"gezond|ziek|medisch|medicijn|beperking|handicap|allergi|dieet|diëet|halal|kosjer|"
    r"koosjer|geloof|religie|godsdienst|kerk|moskee|afkomst|etnisch|nationaliteit|ras\b|"
    r"politiek|partij|vakbond|seksu|geaardheid|strafbla|veroordeel|biometri|genetisch|"
    r"zwanger|psychisch|diagnose|health|medical|disab|religio|ethnic|politic|union|"
    r"sexual|criminal|pregnan",
    re.IGNORECASE,
)


def looks_like_special_category(*texts: str) -> bool:
    return any(SPECIAL_CATEGORY_WORDS.search(text or "") for text in texts)


def _english() -> bool:
    return (get_language() or "nl").startswith("en")


def label(question: Question) -> str:
    return question.text_en if _english() and question.text_en else question.text


def help_text(question: Question) -> str:
    return question.help_text_en if _english() and question.help_text_en else question.help_text


def _marked(text: str, english: str) -> str:
    """On the English site, staff text that has no English version is shown in Dutch and
    marked as Dutch (``lang="nl"``), so a screen reader pronounces it as Dutch."""
    if _english() and text and not english:
        return format_html('<span lang="nl">{}</span>', text)
    return text


def field_name(question: Question) -> str:
    return f"{FIELD_PREFIX}{question.pk}"


class _PlainText(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        allowed = "\n\t" if isinstance(self.widget, forms.Textarea) else ""
        if value and has_control_characters(value.replace("\r\n", "\n"), allowed=allowed):
            raise forms.ValidationError(_("Je antwoord bevat tekens die we niet kunnen gebruiken."))
        return value.replace("\r\n", "\n") if value else value


def form_field(question: Question) -> forms.Field:
    """The form field for ``question`` in the active language."""
    common = {
        "label": _marked(label(question), question.text_en),
        "help_text": _marked(help_text(question), question.help_text_en),
        "required": question.is_required,
        "error_messages": {"required": _("Beantwoord deze vraag.")},
    }
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT:
        return _PlainText(max_length=SHORT_MAX, **common)
    if kind == QuestionKind.LONG_TEXT:
        return _PlainText(max_length=LONG_MAX, widget=forms.Textarea(attrs={"rows": 4}), **common)
    if kind == QuestionKind.YES_NO:
        common["error_messages"]["invalid_choice"] = _("Kies een van de mogelijkheden.")
        return forms.TypedChoiceField(
            choices=[("ja", _("Ja")), ("nee", _("Nee"))],
            coerce=lambda value: value == "ja",
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    english = _english()
    choices = [
        (dutch, english_text if english else dutch)
        for dutch, english_text in question.option_pairs()
    ]
    invalid = {"invalid_choice": _("Kies een van de mogelijkheden.")}
    common["error_messages"] = {**common["error_messages"], **invalid}
    if kind == QuestionKind.CHOICE:
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    common["error_messages"]["invalid_list"] = _("Kies een of meer van de mogelijkheden.")
    return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)


def visible_questions(questions: Iterable[Question]) -> list[Question]:
    return [question for question in questions if not question.is_hidden]


def answers_from(cleaned_data: dict, questions: Iterable[Question]) -> dict[int, object]:
    """``{question id: value}`` for the answered questions in ``cleaned_data``."""
    answers = {}
    for question in questions:
        value = cleaned_data.get(field_name(question))
        if value in (None, "", []):
            continue
        answers[question.pk] = value
    return answers


def display(question: Question, value: object) -> str:
    """An answer as text, in the active language."""
    if question.kind == QuestionKind.YES_NO:
        return _("Ja") if value else _("Nee")
    if question.kind in (QuestionKind.CHOICE, QuestionKind.CHOICES):
        names = dict(question.option_pairs()) if _english() else {}
        values = value if isinstance(value, list) else [value]
        return ", ".join(names.get(v, v) for v in values)
    return str(value)


def answered(registration_answers: Iterable[Answer]) -> list[tuple[str, str]]:
    """``[(question label, answer text)]`` in the questions' order, for pages and exports."""
    rows = sorted(registration_answers, key=lambda a: (a.question.order, a.question.pk))
    return [(label(a.question), display(a.question, a.value)) for a in rows]


QUESTION_KIND_HELP = gettext_lazy(
    "Vraag alleen wat het evenement echt nodig heeft. Vraag liever 'Heb je iets nodig om mee "
    "te kunnen doen?' dan naar een ziekte of beperking."
)
