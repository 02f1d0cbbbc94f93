"""Attendee lists for council staff, as CSV (for Excel in Dutch) and as an Excel workbook."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from events.models import Event
from events.templatetags.events_tags import event_datetime
from registrations.models import ACTIVE_STATUSES, Question, Registration, RegistrationStatus
from registrations.questions import display

# A cell that starts with one of these is a formula to Excel and LibreOffice. Residents
# type names, so a name like "=HYPERLINK(...)" must stay text (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def headers(questions: Iterable[Question] = ()) -> list[str]:
    return [
        _("Evenement"),
        _("Begin"),
        _("Naam"),
        _("E-mailadres"),
        _("Aantal personen"),
        _("Status"),
        _("Aangemeld op"),
        _("Van de wachtlijst op"),
        _("Aanwezig"),
        *(question.text for question in questions),
    ]


def questions_of(events: Iterable[Event]) -> list[Question]:
    """Every question of ``events`` (hidden ones too: their answers are still data), by
    event and order: one column each."""
    return list(
        Question.objects.filter(event__in=events).order_by(
            "event__starts_at", "event_id", "order", "pk"
        )
    )


def attendees(events: Iterable[Event] | QuerySet[Event]) -> QuerySet[Registration]:
    """Everyone still coming or waiting, per event: confirmed first, then the waiting list
    in arrival order, the confirmed by name."""
    status_order = Case(
        When(status=RegistrationStatus.CONFIRMED, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        Registration.objects.filter(event__in=events, status__in=ACTIVE_STATUSES)
        .select_related("event")
        .prefetch_related("answers")
        .alias(status_order=status_order)
        .order_by("event__starts_at", "event_id", "status_order", "name", "pk")
    )


# Characters a spreadsheet cannot hold: XML 1.0 (inside an .xlsx) has no C0 control other
# than tab, line feed and carriage return, nor U+FFFE and U+FFFF; openpyxl refuses them.
# Word puts a vertical tab (U+000B) where Shift+Enter was pressed; a space keeps the words
# apart. DEL goes the same way. The CSV gets the same cells as the workbook.
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def _safe(value: str) -> str:
    value = UNPRINTABLE.sub(" ", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def rows(
    registrations: Iterable[Registration], questions: Iterable[Question] = ()
) -> Iterator[list[str]]:
    yes, no = _("ja"), _("nee")
    questions = list(questions)
    for registration in registrations:
        given = {answer.question_id: answer.value for answer in registration.answers.all()}
        answers = [
            display(question, given[question.pk]) if question.pk in given else ""
            for question in questions
        ]
        yield [
            _safe(str(value))
            for value in (
                registration.event.title,
                event_datetime(registration.event.starts_at),
                registration.name,
                registration.email,
                registration.party_size,
                registration.get_status_display(),
                event_datetime(registration.created_at),
                event_datetime(registration.promoted_at),
                yes if registration.attended else no,
                *answers,
            )
        ]


def as_csv(registrations: Iterable[Registration], questions: Iterable[Question] = ()) -> bytes:
    """Semicolons and a byte-order mark: what Excel with Dutch settings opens correctly."""
    questions = list(questions)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_safe(header) for header in headers(questions)])
    writer.writerows(rows(registrations, questions))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(registrations: Iterable[Registration], questions: Iterable[Question] = ()) -> bytes:
    questions = list(questions)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Aanmeldingen")[:31]
    sheet.append([_safe(header) for header in headers(questions)])
    for row in rows(registrations, questions):
        sheet.append(row)
    widths = (40, 20, 28, 34, 10, 14, 20, 20, 10) + (30,) * len(questions)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(events: list[Event], extension: str) -> str:
    stem = events[0].slug if len(events) == 1 else "aanmeldingen"
    return f"{stem}-{timezone.localdate():%Y%m%d}.{extension}"
