import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_event_calendar_file_has_the_fields_calendars_need(client, settings):
    settings.SITE_URL = "https://bijeen.example.org"
    event = EventFactory(title="Wijkavond", location="Buurthuis", address="Lindelaan 14")

    response = client.get(reverse("events:ics", args=[event.slug]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    [vevent] = calendar.walk("VEVENT")
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert str(vevent["UID"]) == f"event-{event.pk}@bijeen.example.org"
    assert "DTSTAMP" in vevent
    assert vevent["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert vevent.decoded("DTEND") == event.ends_at.replace(microsecond=0)
    assert str(vevent["LOCATION"]) == "Buurthuis, Lindelaan 14"
    assert str(vevent["URL"]) == "https://bijeen.example.org" + event.get_absolute_url()
    assert str(vevent["SUMMARY"]) == "Wijkavond"


def test_event_page_offers_the_calendar_file(client):
    event = EventFactory()
    html = client.get(event.get_absolute_url()).content.decode()
    assert f'href="{reverse("events:ics", args=[event.slug])}"' in html
    assert "Zet in agenda" in html


def test_feed_lists_upcoming_published_events_only(client):
    upcoming = EventFactory(title="Komt nog")
    EventFactory(title="Concept", is_published=False)
    EventFactory(
        title="Geweest",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3, hours=-2),
    )
    calendar = icalendar.Calendar.from_ical(client.get(reverse("events:feed")).content)
    assert [str(v["SUMMARY"]) for v in calendar.walk("VEVENT")] == [upcoming.title]


def test_unpublished_event_has_no_calendar_file(client):
    event = EventFactory(is_published=False)
    assert client.get(reverse("events:ics", args=[event.slug])).status_code == 404
