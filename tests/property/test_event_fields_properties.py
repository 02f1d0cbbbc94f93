"""Anything staff can type into an event never breaks the files made from it.

Hypothesis fills in the admin's event form as staff would, with any text (control
characters pasted from Word included) in title, description, location and address, and
dates anywhere in the range the form accepts. Whatever the form saves then goes through
the attendee export (CSV and Excel, through the admin action) and the calendar (the
event's .ics and the feed): never an exception, and every file parses back, the workbook
with openpyxl and the calendars with icalendar.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools

import icalendar
import openpyxl
import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from events.admin import FIRST_YEAR, LAST_YEAR
from events.models import Event
from registrations.exports import headers
from tests.factories import RegistrationFactory
from tests.property.conftest import outcome, ran_example
from tests.property.examples import examples
from tests.property.strategies import ODD_CHARACTERS, odd_text
from tests.registrations.test_admin import event_form_data

pytestmark = pytest.mark.django_db

EXAMPLES = examples(100)
EVENTS = reverse("admin:events_event_changelist")

TITLES = ["Wijkavond", "Koffie & taart in 't Buurthuis", "Inloop\x0bspreekuur", "=1+1"]


# Text as staff paste it: believable, with odd characters (controls, separators, emoji)
# spliced in, or anything at all; up to the field's length.
def staff_text(max_size: int) -> st.SearchStrategy[str]:
    believable = st.sampled_from(TITLES)
    spliced = st.builds(
        lambda value, odd, at: value[:at] + odd + value[at:],
        believable,
        st.lists(ODD_CHARACTERS, min_size=1, max_size=5).map("".join),
        st.integers(min_value=0, max_value=20),
    )
    return st.one_of(believable, spliced, odd_text).map(lambda text: text[:max_size])


def typed(*parts: int) -> datetime.datetime:
    """A date and time as staff type it into the form: local, without a time zone."""
    return datetime.datetime(*parts)  # noqa: DTZ001


LATEST = typed(LAST_YEAR, 12, 31, 23, 59)
MOMENTS = st.one_of(
    st.datetimes(min_value=typed(FIRST_YEAR, 1, 1), max_value=LATEST - datetime.timedelta(days=1)),
    # The ends of the range and the nights the clocks change.
    st.sampled_from(
        [
            typed(FIRST_YEAR, 1, 1, 0, 0),
            typed(LAST_YEAR, 12, 31, 20, 0),
            typed(2026, 3, 29, 2, 30),  # does not exist
            typed(2026, 10, 25, 2, 30),  # happens twice
        ]
    ),
).map(lambda moment: moment.replace(second=0, microsecond=0))
DURATIONS = st.timedeltas(
    min_value=datetime.timedelta(minutes=1), max_value=datetime.timedelta(days=400)
)
NAMES = st.one_of(st.just("Anna de Vries"), staff_text(200))

serial = itertools.count()


def as_form(prefix: str, moment: datetime.datetime) -> dict[str, str]:
    return {f"{prefix}_0": moment.strftime("%d-%m-%Y"), f"{prefix}_1": moment.strftime("%H:%M")}


def calendar(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


@settings(max_examples=EXAMPLES)
@given(
    title=staff_text(200),
    description=st.one_of(staff_text(3000), st.just("")),
    location=staff_text(200),
    address=st.one_of(st.just(""), staff_text(300)),
    starts=MOMENTS,
    duration=DURATIONS,
    name=NAMES,
)
def test_whatever_staff_type_exports_and_calendars_parse(
    client, request, staff_user, title, description, location, address, starts, duration, name
):
    ran_example(request.node.name)
    client.force_login(staff_user)  # (the example starts with an empty cache)
    ends = min(starts + duration, LATEST)
    slug = f"eigenschap-{next(serial)}"
    data = event_form_data(
        title=title,
        slug=slug,
        description=description,
        location=location,
        address=address,
        **as_form("starts_at", starts),
        **as_form("ends_at", ends),
    )

    response = client.post(reverse("admin:events_event_add"), data)

    if response.status_code == 200:
        outcome(request.node.name, "refused by the form")
        assert not Event.objects.filter(slug=slug).exists()
        return
    assert response.status_code == 302, response.status_code
    outcome(request.node.name, "saved")
    event = Event.objects.get(slug=slug)
    # A stored name may hold anything but NUL (PostgreSQL cannot store it).
    RegistrationFactory(event=event, name=name.replace("\x00", "") or "x")
    try:
        export = client.post(EVENTS, {"action": "export_csv", "_selected_action": [event.pk]})
        assert export.status_code == 200
        rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
        assert rows[0] == headers()
        assert len(rows) == 2 and len(rows[1]) == len(headers())

        export = client.post(EVENTS, {"action": "export_xlsx", "_selected_action": [event.pk]})
        assert export.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
        assert sheet.max_row == 2
        assert sheet.cell(row=2, column=4).value == event.registrations.get().email

        [vevent] = calendar(client.get(reverse("events:ics", args=[slug]))).walk("VEVENT")
        assert vevent.decoded("DTSTART") == event.starts_at
        assert vevent.decoded("DTEND") == event.ends_at
        calendar(client.get(reverse("events:feed")))
    finally:
        event.registrations.all().delete()
        event.delete()
