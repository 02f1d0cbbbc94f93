"""/embed/: a compact list other sites may frame, only from the configured origins."""

import pytest

from events.models import Area, Theme
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

ALLOWED = ["https://www.voorbeeldstad.nl", "https://wijk.voorbeeldstad.nl/pagina"]


def frame_ancestors(response) -> str:
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    return directives["frame-ancestors"]


def test_embed_may_be_framed_by_the_configured_origins_only(client, settings):
    settings.EMBED_ALLOWED_ORIGINS = ALLOWED
    response = client.get("/embed/")
    assert response.status_code == 200
    # Origins only (a path is dropped), and no X-Frame-Options, which would refuse them.
    assert frame_ancestors(response) == "https://wijk.voorbeeldstad.nl https://www.voorbeeldstad.nl"
    assert "X-Frame-Options" not in response
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/", "/en/", "/archief/", "/privacy/", "/agenda.atom"])
def test_every_other_page_still_refuses_to_be_framed(client, settings, path):
    settings.EMBED_ALLOWED_ORIGINS = ALLOWED
    response = client.get(path)
    assert frame_ancestors(response) == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_event_page_still_refuses_to_be_framed(client, settings):
    settings.EMBED_ALLOWED_ORIGINS = ALLOWED
    response = client.get(EventFactory().get_absolute_url())
    assert frame_ancestors(response) == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_without_configured_origins_nobody_may_frame_the_embed(client, settings):
    settings.EMBED_ALLOWED_ORIGINS = []
    response = client.get("/embed/")
    assert frame_ancestors(response) == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_embed_lists_upcoming_events_filtered_by_wijk_and_theme(client):
    noord = Area.objects.create(name="Noord", slug="noord")
    jeugd = Theme.objects.create(name="Jeugd", slug="jeugd")
    match = EventFactory(title="Jeugdraad Noord", area=noord)
    match.themes.add(jeugd)
    EventFactory(title="Wijkraad Noord", area=noord)
    EventFactory(title="Concept", area=noord, is_published=False)

    html = client.get("/embed/?wijk=noord&thema=jeugd").content.decode()

    assert "Jeugdraad Noord" in html
    assert "Wijkraad Noord" not in html and "Concept" not in html
    assert f'href="{match.get_absolute_url()}"' in html
    assert 'href="/?wijk=noord&amp;thema=jeugd">Alle evenementen en aanmelden' in html


def test_embed_links_open_in_the_top_window_and_it_has_no_form_banner_or_script(client):
    EventFactory()
    html = client.get("/embed/").content.decode()
    assert '<base target="_top">' in html
    assert "<form" not in html and "<script" not in html
    assert "cookiemelding" not in html


def test_embed_sets_no_cookie(client):
    EventFactory()
    response = client.get("/embed/")
    assert not response.cookies
    assert "Set-Cookie" not in str(response.headers)


def test_embed_shows_a_chosen_number_of_events(client):
    EventFactory.create_batch(25)
    count = lambda query: client.get("/embed/" + query).content.decode().count("embed__item")  # noqa: E731
    assert count("") == 5
    assert count("?aantal=2") == 2
    assert count("?aantal=999") == 20
    assert count("?aantal=veel") == 5


def test_embed_in_english_shows_english_titles(client):
    EventFactory(title="Wijkavond", title_en="Neighbourhood evening")
    html = client.get("/en/embed/").content.decode()
    assert 'lang="en"' in html
    assert "Neighbourhood evening" in html


def test_embed_query_count_is_constant(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    EventFactory.create_batch(2)
    with django_assert_max_num_queries(8) as captured:
        client.get("/embed/?aantal=20")
    few = len(captured)
    EventFactory.create_batch(30)
    with django_assert_num_queries(few):
        client.get("/embed/?aantal=20")


@pytest.mark.parametrize(
    ("origins", "ids"),
    [
        (["https://www.voorbeeldstad.nl", "http://localhost:8080"], []),
        (["www.voorbeeldstad.nl"], ["events.E001"]),
        (["https://www.voorbeeldstad.nl/agenda"], ["events.E001"]),
        (["*"], ["events.W001"]),
        (["https://*.voorbeeldstad.nl"], ["events.W001"]),
    ],
)
def test_the_allowed_origins_are_checked_at_start(settings, origins, ids):
    from events.checks import check_embed_allowed_origins

    settings.EMBED_ALLOWED_ORIGINS = origins
    assert [message.id for message in check_embed_allowed_origins(None)] == ids
