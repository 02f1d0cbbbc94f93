from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from events.maps import map_embed_url, map_link_url
from tests.factories import EventFactory


def test_without_coordinates_the_link_searches_for_the_address_and_there_is_no_embed():
    event = EventFactory.build(location="Buurthuis De Linde", address="Lindelaan 14, Voorbeeldstad")
    assert map_link_url(event) == (
        "https://www.openstreetmap.org/search?query=Lindelaan+14%2C+Voorbeeldstad"
    )
    assert map_embed_url(event) is None


def test_without_an_address_the_link_searches_for_the_place_name():
    event = EventFactory.build(location="Marktplein", address="")
    assert map_link_url(event).endswith("/search?query=Marktplein")


def test_with_coordinates_the_link_marks_the_spot():
    event = EventFactory.build(latitude=Decimal("52.0857"), longitude=Decimal("5.1373"))
    assert map_link_url(event) == (
        "https://www.openstreetmap.org/?mlat=52.0857&mlon=5.1373#map=17/52.0857/5.1373"
    )


def test_with_coordinates_the_embed_shows_a_marker_in_a_small_box_around_it():
    event = EventFactory.build(latitude=Decimal("52.085700"), longitude=Decimal("5.137300"))
    url = urlsplit(map_embed_url(event))
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == (
        "https://www.openstreetmap.org/export/embed.html"
    )
    assert query["marker"] == ["52.085700,5.137300"]
    west, south, east, north = (Decimal(v) for v in query["bbox"][0].split(","))
    assert west < Decimal("5.1373") < east
    assert south < Decimal("52.0857") < north


def test_the_map_site_is_a_setting(settings):
    settings.OPENSTREETMAP_URL = "http://127.0.0.1:8111/"
    event = EventFactory.build(latitude=Decimal("52"), longitude=Decimal("5"))
    assert map_embed_url(event).startswith("http://127.0.0.1:8111/export/embed.html?")
    assert map_link_url(event).startswith("http://127.0.0.1:8111/?mlat=52")
