"""The public JSON API: published events only, no personal data, filters, pages, CORS,
rate limit, the OpenAPI document."""

import datetime
import json

import pytest
from django.utils import timezone

from events.models import Area, Event, Series, Theme
from tests.conftest import fill
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_list_has_upcoming_published_events_soonest_first_with_seats_left(client):
    later = EventFactory(title="Later", starts_at=timezone.now() + datetime.timedelta(days=9))
    soon = EventFactory(title="Eerst", capacity=5)
    fill(soon, 2)
    EventFactory(title="Concept", is_published=False)
    EventFactory(
        title="Geweest",
        starts_at=timezone.now() - datetime.timedelta(days=1),
        ends_at=timezone.now() - datetime.timedelta(hours=20),
    )

    response = client.get("/api/v1/events/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["count"] == 2
    assert [event["slug"] for event in body["results"]] == [soon.slug, later.slug]
    first = body["results"][0]
    assert (first["capacity"], first["seats_left"], first["is_full"]) == (5, 3, False)
    assert first["registration_state"] == "open"
    assert first["url"].endswith(soon.get_absolute_url())


def test_no_personal_data_in_any_answer(client):
    event = EventFactory(capacity=3)
    fill(event, 2)
    body = (
        client.get("/api/v1/events/").content.decode()
        + client.get(f"/api/v1/events/{event.slug}/").content.decode()
    )
    assert "@example.org" not in body
    assert "Gast" not in body
    assert "email" not in body and "registrations" not in body


def test_list_filters_like_the_site(client):
    noord = Area.objects.create(name="Noord", slug="noord")
    jeugd = Theme.objects.create(name="Jeugd", name_en="Youth", slug="jeugd")
    match = EventFactory(title="Jeugdraad in de wijk", area=noord)
    match.themes.add(jeugd)
    EventFactory(title="Jeugdraad elders")

    body = client.get("/api/v1/events/?wijk=noord&thema=jeugd&q=jeugdraad&vrij=true").json()

    assert [event["slug"] for event in body["results"]] == [match.slug]
    assert body["results"][0]["area"] == {"slug": "noord", "name": "Noord"}
    assert body["results"][0]["themes"] == [{"slug": "jeugd", "name": "Jeugd", "name_en": "Youth"}]


def test_bad_filters_are_a_400_with_the_reasons(client):
    response = client.get("/api/v1/events/?van=morgen&periode=jaar&vrij=misschien&tot=")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"van", "periode", "vrij", "tot"}


def test_an_unknown_area_or_a_period_ending_before_it_starts_selects_nothing(client):
    EventFactory()
    for query in ["wijk=nergens", "thema=niets", "van=2030-05-01&tot=2030-04-01"]:
        response = client.get(f"/api/v1/events/?{query}")
        assert response.status_code == 200
        assert response.json()["count"] == 0


def test_detail_has_seats_left_and_any_published_event(client):
    series = Series.objects.create(title="Reeks")
    event = EventFactory(
        capacity=4, series=series, title_en="Evening", latitude="52.1", longitude="5.1"
    )
    fill(event, 4)
    body = client.get(f"/api/v1/events/{event.slug}/").json()
    assert (body["seats_left"], body["is_full"], body["registration_state"]) == (0, True, "full")
    assert body["series"] == {"id": series.pk, "title": "Reeks"}
    assert body["title_en"] == "Evening"
    assert body["latitude"] == 52.1
    assert body["ics_url"].endswith(f"/evenementen/{event.slug}/agenda.ics")


@pytest.mark.parametrize("slug", ["bestaat-niet", "concept", "a%00b", "x" * 300])
def test_detail_of_an_unknown_or_unpublished_event_is_a_json_404(client, slug):
    EventFactory(slug="concept", is_published=False)
    response = client.get(f"/api/v1/events/{slug}/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_list_is_paginated(client):
    EventFactory.create_batch(7)
    body = client.get("/api/v1/events/?page_size=3&page=2").json()
    assert body["count"] == 7
    assert len(body["results"]) == 3
    assert body["next"].endswith("page=3&page_size=3")
    assert body["previous"]
    assert client.get("/api/v1/events/?page=99").status_code == 404


def test_areas_and_themes_are_listed(client):
    Area.objects.create(name="Zuid", slug="zuid")
    Theme.objects.create(name="Wonen", slug="wonen")
    assert client.get("/api/v1/areas/").json() == [{"slug": "zuid", "name": "Zuid"}]
    assert client.get("/api/v1/themes/").json() == [
        {"slug": "wonen", "name": "Wonen", "name_en": ""}
    ]


@pytest.mark.parametrize("path", ["/api/v1/events/", "/api/v1/areas/", "/api/v1/openapi.json"])
def test_every_origin_may_read_the_api_and_no_cookie_is_set(client, path):
    response = client.get(path, headers={"Origin": "https://elders.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies


def test_the_api_is_read_only(client):
    for method in (client.post, client.put, client.patch, client.delete):
        assert method("/api/v1/events/").status_code == 405


def test_the_api_is_rate_limited_with_a_json_429(client, settings):
    settings.API_RATE_LIMIT = 2
    assert client.get("/api/v1/events/").status_code == 200
    assert client.get("/api/v1/areas/").status_code == 200
    response = client.get("/api/v1/events/")
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.API_RATE_WINDOW)
    assert "detail" in response.json()
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_openapi_document_describes_every_operation(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.0")
    assert set(schema["paths"]) == {
        "/api/v1/events/",
        "/api/v1/events/{slug}/",
        "/api/v1/areas/",
        "/api/v1/themes/",
    }
    parameters = {p["name"] for p in schema["paths"]["/api/v1/events/"]["get"]["parameters"]}
    assert {"q", "wijk", "thema", "periode", "van", "tot", "vrij", "page"} <= parameters


def test_api_list_query_count_is_constant_with_a_thousand_events(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    noord = Area.objects.create(name="Noord", slug="noord")
    theme = Theme.objects.create(name="Wonen", slug="wonen")
    theme.events.add(*EventFactory.create_batch(3, area=noord))
    urls = ["/api/v1/events/", "/api/v1/events/?wijk=noord&thema=wonen&q=bijeenkomst&vrij=1"]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(10) as captured:
            client.get(url)
        counts[url] = len(captured)
    now = timezone.now()
    Event.objects.bulk_create(
        EventFactory.build(
            slug=f"veel-{n}",
            area=noord,
            starts_at=now + datetime.timedelta(days=1, minutes=n),
            ends_at=now + datetime.timedelta(days=1, minutes=n + 60),
        )
        for n in range(1000)
    )
    theme.events.add(*Event.objects.filter(slug__startswith="veel-"))
    for url in urls:
        with django_assert_num_queries(counts[url]):
            response = client.get(url)
        assert response.json()["count"] == 1003
    print("API queries with 1,003 events:", counts)
