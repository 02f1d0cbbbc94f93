"""What staff type into the admin never answers 500: odd addresses, characters pasted from
Word, dates at the ends of the calendar. A clear message or a sane file instead."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import icalendar
import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from events.models import Event
from registrations import services
from tests.factories import EventFactory
from tests.registrations.test_admin import event_form_data

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EVENTS = reverse("admin:events_event_changelist")

# Object ids in the address that are not an event's number. The superscript two and the
# Arabic-Indic digit one are digits to str.isdigit(); the long one is beyond any integer
# column.
ODD_IDS = ["%C2%B2", "%D9%A1", "99999999999999999999", "-1", "1.0", "%20", "x", "0"]


@pytest.fixture
def staff(client, staff_user) -> Client:
    # The test client follows no redirect and raises what the view raises: a 500 fails.
    client.force_login(staff_user)
    return client


@pytest.mark.parametrize("object_id", ODD_IDS)
@pytest.mark.parametrize("page", ["change", "history", "delete"])
def test_an_odd_event_address_in_the_admin_is_not_an_error(staff, object_id, page):
    EventFactory()  # an event 1 may exist; the answer is its page or "does not exist"
    response = staff.get(f"/admin/events/event/{object_id}/{page}/")
    # (403: Evenementbeheer may not delete events.)
    assert response.status_code in (200, 302, 403, 404), response.status_code


@pytest.mark.parametrize("object_id", ODD_IDS)
def test_posting_to_an_odd_event_address_is_not_an_error(staff, object_id):
    response = staff.post(f"/admin/events/event/{object_id}/change/", event_form_data())
    assert response.status_code in (200, 302, 404), response.status_code


# (NUL never gets this far: the admin's fields refuse it, and PostgreSQL cannot store it.)
CONTROL_TITLE = "Wijk\x0bavond met\x1f koffie\x7f en\x85 taart\u2028"


def export(staff: Client, event: Event, action: str):
    response = staff.post(EVENTS, {"action": action, "_selected_action": [event.pk]})
    assert response.status_code == 200
    return response


def test_a_title_pasted_from_word_exports_to_excel(staff):
    event = EventFactory(title=CONTROL_TITLE, location="Buurthuis\x0c", address="Laan\x01 14")
    services.register(event=event, name="Anna\x0bde Vries", email="anna@example.org")

    response = export(staff, event, "export_xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    row = [cell.value for cell in next(sheet.iter_rows(min_row=2))]
    assert row[0] == "Wijk avond met  koffie  en\x85 taart\u2028"
    assert row[2] == "Anna de Vries"


def test_a_title_pasted_from_word_exports_to_csv(staff):
    event = EventFactory(title=CONTROL_TITLE)
    services.register(event=event, name="Anna\x0bde Vries", email="anna@example.org")

    response = export(staff, event, "export_csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "Wijk avond met  koffie  en\x85 taart\u2028"
    assert rows[1][2] == "Anna de Vries"


def at(year: int, month: int = 1, day: int = 1, hour: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=AMSTERDAM)


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        (at(9998, 12, 31, 20), at(9998, 12, 31, 22)),
        (at(9999, 12, 31, 20), at(9999, 12, 31, 23)),
        (at(2030, 5, 1, 19), at(9999, 12, 31, 23)),
    ],
)
def test_an_event_near_the_year_9999_never_breaks_the_calendar_feed(client, starts, ends):
    ordinary = EventFactory(title="Gewoon")
    far = EventFactory(title="Ver weg", starts_at=starts, ends_at=ends)

    feed = parse(client.get(reverse("events:feed")))
    assert str(ordinary.title) in [str(v["SUMMARY"]) for v in feed.walk("VEVENT")]
    parse(client.get(reverse("events:ics", args=[far.slug])))


def test_an_event_in_the_early_years_never_breaks_its_calendar_file(client):
    event = EventFactory(starts_at=at(1, 1, 2, 10), ends_at=at(1, 1, 2, 12))
    parse(client.get(reverse("events:ics", args=[event.slug])))


def test_an_event_whose_time_cannot_be_written_locally_is_left_out_of_the_feed(client):
    """Not possible through the admin (see the date range below); a row written otherwise
    still never breaks the feed."""
    ordinary = EventFactory(title="Gewoon")
    EventFactory(
        title="Buiten bereik",
        starts_at=datetime.datetime(9999, 12, 31, 22, 30, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(9999, 12, 31, 23, 30, tzinfo=datetime.UTC),
    )
    feed = parse(client.get(reverse("events:feed")))
    assert [str(v["SUMMARY"]) for v in feed.walk("VEVENT")] == [ordinary.title]


OUT_OF_RANGE = "Vul een datum in tussen 1900 en 2999."


@pytest.mark.parametrize(
    "overrides",
    [
        {"starts_at_0": "01-01-0001", "ends_at_0": "01-01-0001"},
        # Just after midnight in Amsterdam: a date BC in UTC.
        {"starts_at_0": "01-01-0001", "starts_at_1": "00:05", "ends_at_0": "01-01-0001"},
        {"starts_at_0": "31-12-9999", "ends_at_0": "31-12-9999"},
        {"starts_at_0": "01-06-3000", "ends_at_0": "01-06-3000"},
        {"starts_at_0": "31-12-1899", "ends_at_0": "31-12-1899"},
        {"ends_at_0": "31-12-9998"},
        {"registration_opens_at_0": "01-01-0001", "registration_opens_at_1": "10:00"},
        {"registration_closes_at_0": "02-01-0001", "registration_closes_at_1": "10:00"},
    ],
)
def test_the_admin_refuses_dates_outside_the_years_an_event_can_have(staff, overrides):
    response = staff.post(reverse("admin:events_event_add"), event_form_data(**overrides))
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"starts_at_0": "01-01-1900", "ends_at_0": "01-01-1900", "is_published": ""},
        {"starts_at_0": "31-12-2999", "ends_at_0": "31-12-2999"},
    ],
)
def test_the_admin_accepts_the_first_and_last_day_of_the_range(staff, client, overrides):
    response = staff.post(reverse("admin:events_event_add"), event_form_data(**overrides))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    parse(client.get(reverse("events:feed")))
    if event.is_published:
        parse(client.get(reverse("events:ics", args=[event.slug])))
