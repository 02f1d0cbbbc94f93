import datetime
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from consent import categories
from consent.models import ConsentRecord
from tests.consent.conftest import consent_cookie
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/cookies/"
MAP_EVENT = {"latitude": Decimal("52.0857"), "longitude": Decimal("5.1373")}


def banner(html: str) -> str:
    if 'id="cookiemelding"' not in html:
        return ""
    return html.split('id="cookiemelding"', 1)[1].split("</section>", 1)[0]


def choose(client: Client, keuze: str, next_url: str = "/", **extra):
    return client.post(SETTINGS_URL, {"keuze": keuze, "next": next_url, **extra})


# --- The banner ---------------------------------------------------------------------


def test_first_visit_shows_the_banner_with_both_buttons_and_both_links(client, matomo):
    html = client.get("/").content.decode()
    block = banner(html)
    assert "Gemeente Voorbeeldstad wil met jouw toestemming" in block
    assert "(met Matomo)" in block
    assert "kaart van OpenStreetMap" in block
    assert 'value="accepteren"' in block
    assert ">Accepteren</button>" in block
    assert ">Weigeren</button>" in block
    assert 'href="/cookies/"' in block
    assert 'href="/cookies/#keuze"' in block
    assert 'name="csrfmiddlewaretoken"' in block
    assert 'name="next" value="/"' in block
    assert 'method="post"' in block


def test_the_banner_is_on_every_page_including_not_found(client):
    event = EventFactory()
    for url in ("/", "/archief/", event.get_absolute_url(), "/privacy/", "/bestaat-niet/"):
        assert banner(client.get(url).content.decode()), url


def test_the_banner_comes_right_after_the_skip_link(client):
    html = client.get("/").content.decode()
    assert html.index("skip-link") < html.index('id="cookiemelding"') < html.index("page-header")


def test_the_cookie_settings_page_itself_has_no_banner(client):
    assert not banner(client.get(SETTINGS_URL).content.decode())


def test_without_matomo_the_banner_does_not_mention_statistics(client):
    block = banner(client.get("/").content.decode())
    assert "Matomo" not in block
    assert "kaart van OpenStreetMap" in block


def test_the_banner_in_english(client, matomo):
    block = banner(client.get("/en/").content.decode())
    assert ">Accept</button>" in block
    assert ">Reject</button>" in block
    assert 'href="/en/cookies/"' in block
    assert 'action="/en/cookies/"' in block


def test_after_a_choice_the_banner_is_gone(client):
    choose(client, "weigeren")
    assert not banner(client.get("/").content.decode())


def test_a_year_later_the_banner_is_back(client):
    choose(client, "weigeren")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=366)):
        assert banner(client.get("/").content.decode())


def test_a_new_version_of_the_cookie_list_brings_the_banner_back(client, monkeypatch):
    choose(client, "accepteren")
    monkeypatch.setattr(categories, "VERSION", categories.VERSION + 1)
    assert banner(client.get("/").content.decode())


def test_statistics_switched_on_later_brings_the_banner_back(client, settings):
    choose(client, "accepteren")
    settings.MATOMO_URL, settings.MATOMO_SITE_ID = "https://statistiek.example.org/", "7"
    assert "(met Matomo)" in banner(client.get("/").content.decode())


# --- Recording a choice -----------------------------------------------------------------


def test_accepting_records_the_choice_sets_the_cookie_and_returns_to_the_page(client, matomo):
    event = EventFactory()
    response = choose(client, "accepteren", next_url=event.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    record = ConsentRecord.objects.get()
    assert record.choices == {"statistieken": True, "externe-media": True}
    assert record.method == ConsentRecord.Method.ACCEPT_ALL
    assert record.version == categories.VERSION
    assert record.language == "nl"
    cookie = response.cookies["bijeen_consent"]
    assert cookie.value.endswith(f"|{record.receipt}|statistieken:1|externe-media:1")
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_declining_records_a_no_for_every_category(client, matomo):
    response = choose(client, "weigeren")
    assert ConsentRecord.objects.get().choices == {"statistieken": False, "externe-media": False}
    assert response.cookies["bijeen_consent"].value.endswith("|statistieken:0|externe-media:0")


def test_choosing_per_category_takes_the_ticked_boxes_only(client, matomo):
    response = client.post(SETTINGS_URL, {"keuze": "opslaan", "externe-media": "on"})
    record = ConsentRecord.objects.get()
    assert record.choices == {"statistieken": False, "externe-media": True}
    assert record.method == ConsentRecord.Method.PER_CATEGORY
    assert response["Location"] == "/cookies/#je-keuze"


def test_the_record_holds_nothing_that_identifies_the_visitor(client):
    choose(client, "accepteren", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Testbrowser/1.0")
    fields = {field.name for field in ConsentRecord._meta.get_fields()}
    assert fields == {"id", "receipt", "version", "choices", "method", "language", "created_at"}
    values = str(list(ConsentRecord.objects.values()))
    assert "203.0.113.9" not in values
    assert "Testbrowser" not in values


def test_every_choice_gets_its_own_random_receipt(client):
    choose(client, "accepteren")
    choose(client, "weigeren")
    receipts = set(ConsentRecord.objects.values_list("receipt", flat=True))
    assert len(receipts) == 2
    assert all(len(receipt) == 32 for receipt in receipts)


def test_a_choice_in_english_returns_to_the_english_page(client):
    response = client.post("/en/cookies/", {"keuze": "weigeren", "next": "/en/archief/"})
    assert response["Location"] == "/en/archief/"
    assert ConsentRecord.objects.get().language == "en"


def test_a_choice_is_one_insert(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        choose(client, "accepteren")


# --- Bad requests: 4xx, never a 500, never a record ---------------------------------------


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/pad",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
        "\\\\evil.example",
        "",
    ],
)
def test_a_return_address_off_this_site_is_ignored(client, next_url):
    response = choose(client, "weigeren", next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == "/cookies/#je-keuze"


def test_without_csrf_token_nothing_is_recorded():
    client = Client(enforce_csrf_checks=True)
    client.get("/")  # gets the CSRF cookie, but the POST below lacks the token
    response = choose(client, "accepteren")
    assert response.status_code == 403
    assert "bijeen_consent" not in response.cookies
    assert not ConsentRecord.objects.exists()


def test_with_the_csrf_token_from_the_banner_the_choice_is_recorded():
    client = Client(enforce_csrf_checks=True)
    html = client.get("/").content.decode()
    token = banner(html).split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = client.post(SETTINGS_URL, {"keuze": "weigeren", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert ConsentRecord.objects.count() == 1


@pytest.mark.parametrize(
    "data", [{}, {"keuze": "misschien"}, {"keuze": ""}, {"keuze": "accepteren" * 1000}]
)
def test_bad_input_answers_400_with_an_explanation_and_records_nothing(client, data):
    response = client.post(SETTINGS_URL, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Kies Accepteren, Weigeren of Keuze opslaan." in html
    assert "<title>Fout:" in html
    assert "bijeen_consent" not in response.cookies
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_not_allowed(client, method):
    assert getattr(client, method)(SETTINGS_URL).status_code == 405
    assert not ConsentRecord.objects.exists()


def test_looking_at_the_settings_page_changes_nothing(client):
    response = client.get(SETTINGS_URL + "?keuze=accepteren")
    assert "bijeen_consent" not in response.cookies
    assert not ConsentRecord.objects.exists()


# --- Cookie-instellingen --------------------------------------------------------------------


def test_the_settings_page_lists_every_cookie_with_purpose_lifetime_and_who(client, matomo):
    html = client.get(SETTINGS_URL).content.decode()
    for name in ("csrftoken", "bijeen_consent", "sessionid", "messages", "_pk_id.*", "_pk_ses.*"):
        assert f">{name}</th>" in html, name
    assert ">Cookies van OpenStreetMap</th>" in html
    for heading in ("Naam", "Doel", "Bewaartermijn", "Wie plaatst hem"):
        assert f'<th scope="col">{heading}</th>' in html
    assert "Gemeente Voorbeeldstad, met Matomo (statistiek.example.org)" in html
    assert "Deze website (Gemeente Voorbeeldstad)" in html
    assert "OpenStreetMap Foundation" in html


def test_before_a_choice_no_box_is_ticked(client, matomo):
    html = client.get(SETTINGS_URL).content.decode()
    assert "Je hebt nog geen keuze gemaakt." in html
    assert "checked" not in html


def test_the_settings_page_shows_the_current_choice_per_category(client, matomo):
    client.post(SETTINGS_URL, {"keuze": "opslaan", "statistieken": "on"})
    response = client.get(SETTINGS_URL)
    html = response.content.decode()
    record = ConsentRecord.objects.get()
    assert "Statistieken: <strong>toegestaan</strong>" in html
    assert "Externe media: <strong>niet toegestaan</strong>" in html
    assert record.receipt in html
    assert 'name="statistieken" class="checkboxinput" id="id_statistieken" checked' in html
    assert 'id="id_externe-media" checked' not in html
    assert "no-store" in response["Cache-Control"]


def test_without_matomo_the_settings_page_has_no_statistics(client):
    html = client.get(SETTINGS_URL).content.decode()
    assert "Statistieken" not in html
    assert "_pk_id" not in html


# --- What loads, and what is deleted ---------------------------------------------------------


def test_no_statistics_code_before_consent_or_after_declining(client, matomo):
    for _ in range(2):
        html = client.get("/").content.decode()
        assert "<script" not in html
        assert "statistiek.example.org" not in html
        choose(client, "weigeren")


def test_statistics_code_after_consent(client, matomo):
    choose(client, "accepteren")
    html = client.get("/").content.decode()
    assert '<script id="matomo-config" type="application/json">' in html
    assert '"url": "https://statistiek.example.org/", "siteId": "7"' in html
    assert "/static/js/statistics.js" in html


def test_without_matomo_no_statistics_code_even_with_an_old_yes(client):
    client.cookies["bijeen_consent"] = consent_cookie(statistieken=True, externe_media=True)
    assert "<script" not in client.get("/").content.decode()


def test_the_map_is_a_link_until_external_media_is_allowed(client):
    event = EventFactory(**MAP_EVENT)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "<iframe" not in html
    assert "Hier staat een kaart van OpenStreetMap als je externe media toestaat." in html
    assert 'href="https://www.openstreetmap.org/?mlat=52.085700' in html

    choose(client, "accepteren")
    html = client.get(event.get_absolute_url()).content.decode()
    assert (
        '<iframe class="event__map" src="https://www.openstreetmap.org/export/embed.html?' in html
    )
    assert 'title="Kaart van OpenStreetMap: Buurthuis De Linde"' in html


def test_without_coordinates_there_is_only_a_search_link_even_with_consent(client):
    event = EventFactory()
    choose(client, "accepteren")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "<iframe" not in html
    assert "Hier staat een kaart" not in html
    assert "https://www.openstreetmap.org/search?query=Lindelaan+14" in html


def test_the_event_page_makes_as_many_queries_with_consent_as_without(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    event = EventFactory(**MAP_EVENT)
    with django_assert_max_num_queries(10) as captured:
        client.get(event.get_absolute_url())
    before = len(captured)  # now: the next request clears the log
    choose(client, "accepteren")
    with django_assert_num_queries(before):
        client.get(event.get_absolute_url())


def test_declining_deletes_statistics_cookies_but_keeps_necessary_ones(client, matomo):
    client.cookies["_pk_id.7.1a2b"] = "abc.123"
    client.cookies["_pk_ses.7.1a2b"] = "1"
    client.cookies["csrftoken"] = "x" * 32
    response = choose(client, "weigeren")
    for name in ("_pk_id.7.1a2b", "_pk_ses.7.1a2b"):
        assert response.cookies[name]["max-age"] == 0
        assert response.cookies[name]["path"] == "/"
        assert response.cookies[name].value == ""
    assert "csrftoken" not in response.cookies


def test_accepting_keeps_statistics_cookies(client, matomo):
    client.cookies["_pk_id.7.1a2b"] = "abc.123"
    response = choose(client, "accepteren")
    assert "_pk_id.7.1a2b" not in response.cookies
    assert "_pk_id.7.1a2b" not in client.get("/").cookies


def test_any_page_deletes_statistics_cookies_without_consent(client, matomo):
    client.cookies["_pk_id.7.1a2b"] = "abc.123"
    assert client.get("/archief/").cookies["_pk_id.7.1a2b"]["max-age"] == 0


def test_statistics_cookies_go_when_consent_expires(client, matomo):
    choose(client, "accepteren")
    client.cookies["_pk_id.7.1a2b"] = "abc.123"
    assert "_pk_id.7.1a2b" not in client.get("/").cookies
    with time_machine.travel(timezone.now() + datetime.timedelta(days=366)):
        assert client.get("/").cookies["_pk_id.7.1a2b"]["max-age"] == 0


def test_statistics_cookies_go_when_matomo_is_switched_off(client, settings):
    client.cookies["bijeen_consent"] = consent_cookie(statistieken=True, externe_media=True)
    client.cookies["_pk_id.7.1a2b"] = "abc.123"
    assert client.get("/").cookies["_pk_id.7.1a2b"]["max-age"] == 0


def test_pages_say_they_depend_on_cookies(client):
    assert "Cookie" in client.get("/").headers["Vary"]
