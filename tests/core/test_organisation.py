"""The organisation's name and contact details from settings, on every page and in the
admin (issue 18)."""

import re

import pytest
from django.db import OperationalError
from django.test import override_settings

from core.organisation import Contact, organisation, parse_processors
from core.views import server_error
from registrations import services
from tests.factories import EventFactory
from tests.themes import GROENWAARD

pytestmark = pytest.mark.django_db


def footer(html: str) -> str:
    return html[html.index('<footer class="page-footer">') :]


def test_every_page_names_the_organisation_in_header_title_and_footer(client):
    html = client.get("/").content.decode()
    assert re.search(r"<title>[^<]* – Gemeente Voorbeeldstad</title>", html)
    assert '<a class="page-header__logo" href="/">Gemeente Voorbeeldstad</a>' in html
    bottom = footer(html)
    assert (
        '<h2 class="page-footer__title" id="footer-contact">Gemeente Voorbeeldstad</h2>' in bottom
    )
    assert '<a href="tel:0123456789">0123 456 789</a>' in bottom
    assert '<a href="https://www.example.org/contact">Contactformulier</a>' in bottom
    assert '<a href="https://www.example.org">www.example.org</a>' in bottom
    assert "Postadres: Postbus 1234, 1234 AB Voorbeeldstad" in bottom
    assert "Bijeen</a>" not in html


@override_settings(**GROENWAARD)
def test_another_organisation_is_another_name_logo_and_footer(client):
    html = client.get("/en/").content.decode()
    assert "– Gemeente Groenwaard</title>" in html
    assert (
        '<img class="page-header__logo-image" src="/static/themes/groenwaard/logo.svg" '
        'alt="Gemeente Groenwaard">' in html
    )
    bottom = footer(html)
    assert '<a href="tel:0123987654">0123 987 654</a>' in bottom
    assert "Postal address: Postbus 50, 9999 ZZ Groenwaard" in bottom
    assert "Voorbeeldstad" not in html


@override_settings(
    BIJEEN_ORGANISATION_NAME='Gemeente <b>"Dorp"</b>',
    BIJEEN_ORGANISATION_PHONE="",
    BIJEEN_ORGANISATION_ADDRESS=[],
)
def test_settings_are_text_not_html_and_empty_ones_leave_no_line(client):
    html = client.get("/").content.decode()
    assert "Gemeente &lt;b&gt;&quot;Dorp&quot;&lt;/b&gt;" in html
    assert "<b>" not in html
    assert "tel:" not in html
    assert "Postadres" not in html


def test_the_cookie_texts_name_the_organisation(client):
    html = client.get("/cookies/").content.decode()
    assert "Gemeente Voorbeeldstad gebruikt op deze website cookies" in html
    assert "Deze website (Gemeente Voorbeeldstad)" in html
    assert "de gemeente" not in html.lower().replace("gemeente voorbeeldstad", "")


def test_the_admin_header_is_the_organisations_name(staff_client):
    html = staff_client.get("/admin/").content.decode()
    assert '<a href="/admin/">Gemeente Voorbeeldstad</a>' in html
    with override_settings(BIJEEN_ORGANISATION_NAME="Gemeente Groenwaard"):
        html = staff_client.get("/admin/").content.decode()
    assert '<a href="/admin/">Gemeente Groenwaard</a>' in html
    assert "| Gemeente Groenwaard</title>" in html


def test_the_admin_login_page_shows_the_name_too(client):
    html = client.get("/admin/login/").content.decode()
    assert "Gemeente Voorbeeldstad" in html


# --- The pieces ----------------------------------------------------------------------------


def test_processors_are_role_and_name_pairs_in_order():
    processors = parse_processors("hosting=Host B.V.; mail = Post B.V. ;;Losse Partij;x=")
    assert [(p.role, p.name) for p in processors] == [
        ("hosting", "Host B.V."),
        ("mail", "Post B.V."),
        ("", "Losse Partij"),
    ]
    assert str(processors[0].task) == "Hosting van de website en de database"
    assert parse_processors("archief=Archief B.V.")[0].task == "archief"


@pytest.mark.parametrize(
    ("value", "href"),
    [
        ("fg@voorbeeldstad.nl", "mailto:fg@voorbeeldstad.nl"),
        ("https://www.voorbeeldstad.nl/fg", "https://www.voorbeeldstad.nl/fg"),
        ("https://x.nl/?a=b@c", "https://x.nl/?a=b@c"),
    ],
)
def test_a_contact_is_an_email_or_a_web_address(value, href):
    assert Contact(value).href == href


@override_settings(BIJEEN_ORGANISATION_PHONE="+31 (0)20 123 45 67")
def test_an_international_phone_number_keeps_its_plus():
    assert organisation().phone_href == "tel:+31201234567"


@pytest.mark.parametrize(
    ("error", "title"),
    [(OperationalError("down"), "Even niet bereikbaar"), (ValueError("bug"), "Er ging iets mis")],
)
def test_the_error_pages_without_a_database_carry_the_name_too(rf, error, title):
    try:
        raise error
    except Exception:
        response = server_error(rf.get("/"))
    assert f"<title>{title} – Gemeente Voorbeeldstad</title>" in response.content.decode()


def test_the_event_list_and_the_erase_page_name_the_organisation(client):
    html = client.get("/").content.decode()
    assert (
        '<meta name="description" content="Bijeenkomsten van Gemeente Voorbeeldstad waarvoor'
        in html
    )
    registration = services.register(event=EventFactory(), name="Anna", email="a@example.org")
    html = client.get(registration.get_absolute_url() + "verwijderen/").content.decode()
    assert "neem dan contact op met Gemeente Voorbeeldstad." in html


@override_settings(BIJEEN_ORGANISATION_NAME="Gemeente Groenwaard")
def test_the_feeds_are_named_after_the_organisation(client):
    assert "<title>Evenementen van Gemeente Groenwaard</title>" in client.get(
        "/agenda.atom"
    ).content.decode("utf-8")
    assert "X-WR-CALNAME:Evenementen van Gemeente Groenwaard" in client.get(
        "/agenda.ics"
    ).content.decode("utf-8")
    assert "Events of Gemeente Groenwaard" in client.get("/en/agenda.atom").content.decode()
