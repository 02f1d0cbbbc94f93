"""schema.org JSON-LD, link previews (meta description, Open Graph) and the feeds."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.utils import timezone

from events.jsonld import dumps, postal_address
from events.models import Area, Series, Theme
from tests.conftest import fill
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
ATOM = "{http://www.w3.org/2005/Atom}"


def json_ld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def meta(html: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    assert match, f"no {key}"
    return match.group(1)


def test_event_page_carries_schema_org_event_data(client, settings):
    settings.BIJEEN_ORGANISATION_NAME = "Gemeente Utrecht"
    settings.SITE_URL = "https://bijeen.example.org"
    event = EventFactory(
        title="Inloopavond",
        description="Kom langs.",
        # 18:00 UTC on 12 March 2030 is 19:00 in Amsterdam (CET).
        starts_at=datetime.datetime(2030, 3, 12, 18, tzinfo=UTC),
        ends_at=datetime.datetime(2030, 3, 12, 20, tzinfo=UTC),
        location="Buurthuis De Linde",
        address="Lindelaan 14, 1234 CD Voorbeeldstad",
        latitude="52.085700",
        longitude="5.137300",
        capacity=20,
        area=Area.objects.create(name="Noord", slug="noord"),
        series=Series.objects.create(title="Inloopavonden"),
    )
    event.themes.add(Theme.objects.create(name="Wonen", slug="wonen"))
    fill(event, 5)

    data = json_ld(client.get(event.get_absolute_url()).content.decode())

    url = "https://bijeen.example.org" + event.get_absolute_url()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert (data["name"], data["description"], data["url"]) == ("Inloopavond", "Kom langs.", url)
    assert data["startDate"] == "2030-03-12T19:00:00+01:00"
    assert data["endDate"] == "2030-03-12T21:00:00+01:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"] == {
        "@type": "Place",
        "name": "Buurthuis De Linde",
        "address": {
            "@type": "PostalAddress",
            "addressCountry": "NL",
            "streetAddress": "Lindelaan 14",
            "postalCode": "1234 CD",
            "addressLocality": "Voorbeeldstad",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": 52.0857, "longitude": 5.1373},
        "containedInPlace": {"@type": "Place", "name": "Noord"},
    }
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "Gemeente Utrecht",
        "url": "https://bijeen.example.org/",
    }
    assert data["offers"]["price"] == 0
    assert data["offers"]["priceCurrency"] == "EUR"
    assert data["offers"]["availability"] == "https://schema.org/InStock"
    assert data["remainingAttendeeCapacity"] == 15
    assert data["maximumAttendeeCapacity"] == 20
    assert data["superEvent"] == {"@type": "EventSeries", "name": "Inloopavonden"}
    assert data["keywords"] == "Wonen"


def test_a_full_event_is_sold_out_with_no_seats_and_no_geo_without_coordinates(client):
    event = EventFactory(capacity=1, address="")
    fill(event, 1)
    data = json_ld(client.get(event.get_absolute_url()).content.decode())
    assert data["offers"]["availability"] == "https://schema.org/SoldOut"
    assert data["remainingAttendeeCapacity"] == 0
    assert "geo" not in data["location"] and "address" not in data["location"]


def test_json_ld_cannot_be_broken_out_of_by_staff_text(client):
    event = EventFactory(title="</script><script>alert(1)</script>", description="a & b <!--")
    html = client.get(event.get_absolute_url()).content.decode()
    block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in block and ">" not in block and "&" not in block
    assert json_ld(html)["name"] == "</script><script>alert(1)</script>"
    assert dumps({"x": "<>&"}) == '{"x": "\\u003C\\u003E\\u0026"}'


def test_unpublished_preview_carries_no_json_ld(staff_client):
    event = EventFactory(is_published=False)
    html = staff_client.get(event.get_absolute_url()).content.decode()
    assert "application/ld+json" not in html


def test_an_address_without_a_dutch_postcode_is_the_street_address():
    assert postal_address("Marktplein")["streetAddress"] == "Marktplein"
    assert postal_address("Dorpsstraat 1, Ergens")["streetAddress"] == "Dorpsstraat 1, Ergens"
    assert postal_address("Dorpsstraat 1, 1234ab Ergens")["postalCode"] == "1234AB"


def test_event_page_link_preview_shows_title_date_and_place(client, settings):
    settings.SITE_URL = "https://bijeen.example.org"
    event = EventFactory(
        title="Inloopavond",
        starts_at=datetime.datetime(2030, 3, 12, 18, tzinfo=UTC),
        ends_at=datetime.datetime(2030, 3, 12, 20, tzinfo=UTC),
        location="Buurthuis",
        address="Lindelaan 14",
        description="Praat mee.",
    )
    html = client.get(event.get_absolute_url()).content.decode()
    summary = "12-03-2030 om 19:00 · Buurthuis, Lindelaan 14 – Praat mee."
    assert meta(html, "description") == summary
    assert meta(html, "og:title") == "Inloopavond"
    assert meta(html, "og:description") == summary
    assert meta(html, "og:url") == "https://bijeen.example.org" + event.get_absolute_url()
    assert meta(html, "og:locale") == "nl_NL"
    assert meta(html, "twitter:card") == "summary"
    english = client.get("/en" + event.get_absolute_url()).content.decode()
    assert meta(english, "og:locale") == "en_GB"
    assert "12-03-2030 at 19:00" in meta(english, "description")


@pytest.mark.parametrize("path", ["/", "/archief/", "/privacy/", "/toegankelijkheid/", "/cookies/"])
def test_every_public_page_has_a_description_and_open_graph_tags(client, path):
    html = client.get(path).content.decode()
    assert meta(html, "description")
    for key in ("og:title", "og:description", "og:type", "og:site_name", "og:url"):
        assert meta(html, key), key


def test_a_personal_page_does_not_repeat_its_secret_address(client):
    from registrations import services

    registration = services.register(event=EventFactory(), name="Anna", email="anna@example.org")
    html = client.get(registration.get_absolute_url()).content.decode()
    assert 'property="og:url"' not in html
    assert meta(html, "og:title")


def test_atom_feed_follows_the_filter(client):
    noord = Area.objects.create(name="Noord", slug="noord")
    in_noord = EventFactory(title="In Noord", area=noord)
    EventFactory(title="Elders")

    response = client.get("/agenda.atom?wijk=noord")

    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["In Noord"]
    assert feed.find(f"{ATOM}link").get("href").endswith("/?wijk=noord")
    assert entries[0].find(f"{ATOM}link").get("href").endswith(in_noord.get_absolute_url())


def test_ics_feed_follows_the_filter(client):
    theme = Theme.objects.create(name="Jeugd", slug="jeugd")
    EventFactory(title="Jeugdraad").themes.add(theme)
    EventFactory(title="Anders")
    calendar = icalendar.Calendar.from_ical(client.get("/agenda.ics?thema=jeugd").content)
    assert [str(event["summary"]) for event in calendar.walk("VEVENT")] == ["Jeugdraad"]


def test_feeds_leave_out_past_and_unpublished_events(client):
    EventFactory(title="Concept", is_published=False)
    EventFactory(
        title="Geweest",
        starts_at=timezone.now() - datetime.timedelta(days=1),
        ends_at=timezone.now() - datetime.timedelta(hours=20),
    )
    EventFactory(title="Komt")
    feed = client.get("/agenda.atom").content.decode()
    assert "Komt" in feed and "Concept" not in feed and "Geweest" not in feed


@pytest.mark.parametrize("path", ["/agenda.atom?thema=wonen", "/agenda.ics?thema=wonen"])
def test_feeds_cost_a_constant_number_of_queries(
    client, path, django_assert_max_num_queries, django_assert_num_queries
):
    theme = Theme.objects.create(name="Wonen", slug="wonen")
    theme.events.add(*EventFactory.create_batch(2))
    with django_assert_max_num_queries(6) as captured:
        client.get(path)
    few = len(captured)
    theme.events.add(*EventFactory.create_batch(40))
    with django_assert_num_queries(few):
        client.get(path)
