"""The privacy statement (AVG article 13) and the accessibility statement (the Dutch model
statement), filled in from the organisation's settings, in Dutch and English (issue 18)."""

import re

import pytest
from django.test import override_settings

from tests.themes import GROENWAARD

pytestmark = pytest.mark.django_db


def main_text(html: str) -> str:
    """HTML as plain text, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def main_html(client, url: str) -> str:
    """The page's main content."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


# --- Privacy statement ------------------------------------------------------------------


def test_privacy_statement_names_controller_and_data_protection_officer(client):
    html = main_html(client, "/privacy/")
    text = main_text(html)
    assert "Gemeente Voorbeeldstad is verantwoordelijk voor wat er met je gegevens gebeurt" in text
    assert "verwerkingsverantwoordelijke" in text
    assert "Postadres: Postbus 1234, 1234 AB Voorbeeldstad" in text
    assert '<a href="mailto:fg@example.org">fg@example.org</a>' in html


def test_privacy_statement_gives_a_legal_basis_for_every_processing(client):
    text = main_text(main_html(client, "/privacy/"))
    sections = {
        "Aanmelden voor een evenement": "artikel 6, lid 1, onder a AVG",
        "E-mail over je aanmelding": "dezelfde toestemming als voor je aanmelding",
        "Reageren op een evenement": "artikel 6, lid 1, onder a AVG",
        "Je keuze over cookies": "artikel 6, lid 1, onder c AVG",
        "De kaart bij een evenement": "artikel 6, lid 1, onder a AVG",
        "Beveiliging en misbruik": "artikel 6, lid 1, onder e AVG",
    }
    for heading, basis in sections.items():
        section = text[text.index(heading) :]
        grond = section[section.index("Grond:") :][:200]
        assert basis in grond, heading


def test_privacy_statement_lists_processors_retention_rights_and_the_complaint(client):
    html = main_html(client, "/privacy/")
    text = main_text(html)
    assert "Voorbeeld Hosting B.V.: Hosting van de website en de database" in text
    assert "Voorbeeld Mail B.V.: Versturen van e-mail" in text
    assert "verwerkersovereenkomst" in text
    assert "binnen de Europese Economische Ruimte" in text
    assert "tot 30 dagen na het evenement" in text
    assert "Je antwoorden op de vragen bij de aanmelding wissen we op hetzelfde moment." in text
    for right in ("in te zien", "verbeteren of verwijderen", "beperken", "bezwaar maken"):
        assert right in text
    assert "Met de persoonlijke link in je bevestigingsmail download je zelf alles" in text
    assert '<a href="https://autoriteitpersoonsgegevens.nl" hreflang="nl">' in html
    assert "Autoriteit Persoonsgegevens" in text


@override_settings(BIJEEN_RETENTION_DAYS=60, BIJEEN_PROCESSING_INSIDE_EEA=False)
def test_privacy_statement_follows_the_settings(client):
    text = main_text(main_html(client, "/privacy/"))
    assert "tot 60 dagen na het evenement" in text
    assert "buiten de Europese Economische Ruimte" in text


def test_privacy_statement_says_so_when_there_are_no_statistics(client):
    text = main_text(main_html(client, "/privacy/"))
    assert "Deze website houdt geen bezoekersstatistieken bij." in text
    assert "Matomo" not in text


def test_privacy_statement_describes_statistics_when_matomo_is_configured(client, settings):
    settings.MATOMO_URL = "https://statistiek.voorbeeldstad.nl/"
    settings.MATOMO_SITE_ID = "3"
    html = main_html(client, "/privacy/")
    text = main_text(html)
    assert "meten we met Matomo (statistiek.voorbeeldstad.nl)" in text
    assert '<a href="/cookies/">Cookie-instellingen</a>' in html


@override_settings(**GROENWAARD)
def test_privacy_statement_of_another_organisation_in_english(client):
    html = main_html(client, "/en/privacy/")
    text = main_text(html)
    assert "Gemeente Groenwaard is responsible for what happens to your data" in text
    assert (
        '<a href="https://www.groenwaard.example/privacy/functionaris-gegevensbescherming">' in html
    )
    assert "Groene Hosting B.V.: Hosting of the website and the database" in text
    assert "Legal basis: your consent (Article 6(1)(a) GDPR)" in text
    assert "Dutch Data Protection Authority (Autoriteit Persoonsgegevens)" in text
    assert "Voorbeeldstad" not in text


# --- Accessibility statement ------------------------------------------------------------


def test_accessibility_statement_of_a_new_installation_is_honest_about_its_status(client):
    text = main_text(main_html(client, "/toegankelijkheid/"))
    assert "Gemeente Voorbeeldstad wil dat iedereen deze website kan gebruiken" in text
    assert "Deze verklaring geldt voor de website" in text  # the scope
    assert "Status E: geen verklaring." in text
    assert "nog niet gedaan" in text  # no evaluation yet
    assert "OpenStreetMap" in text  # the known problems the software knows of
    assert "Contactformulier" in text
    assert "Je krijgt binnen 5 werkdagen antwoord." in text
    assert "de Nationale ombudsman" in text


@override_settings(**GROENWAARD)
def test_accessibility_statement_follows_the_model_with_the_organisations_data(client):
    html = main_html(client, "/toegankelijkheid/")
    text = main_text(html)
    assert "Status B: voldoet gedeeltelijk." in text
    assert "Gemeente Groenwaard heeft deze verklaring ondertekend op 2 maart 2026." in text
    assert (
        "Voorbeeld Toegankelijkheid B.V. heeft deze website op 20 januari 2026 onderzocht" in text
    )
    assert 'href="https://www.groenwaard.example/toegankelijkheid/onderzoek-2026.pdf"' in html
    assert "De agenda van de raadsavond van 12 maart staat alleen in een pdf" in text
    assert (
        '<a href="mailto:toegankelijkheid@groenwaard.example">'
        "toegankelijkheid@groenwaard.example</a>" in html
    )
    assert "een klacht indienen bij Gemeente Groenwaard" in text
    assert '<a href="https://www.nationaleombudsman.nl">www.nationaleombudsman.nl</a>' in html


@override_settings(**GROENWAARD)
def test_accessibility_statement_in_english_marks_the_dutch_known_issues(client):
    html = main_html(client, "/en/toegankelijkheid/")
    text = main_text(html)
    assert "Status B: partially compliant." in text
    assert "Gemeente Groenwaard signed this statement on 2 March 2026." in text
    assert '<li lang="nl">De agenda van de raadsavond' in html
    assert "you can turn to the National Ombudsman" in text


@override_settings(
    BIJEEN_OMBUDSMAN_NAME="de Ombudsman Metropool Amsterdam",
    BIJEEN_OMBUDSMAN_URL="https://www.ombudsmanmetropool.nl",
    BIJEEN_ACCESSIBILITY_RESPONSE_DAYS=1,
)
def test_a_municipal_ombudsman_replaces_the_national_one(client):
    text = main_text(main_html(client, "/toegankelijkheid/"))
    assert "terecht bij de Ombudsman Metropool Amsterdam" in text
    assert "Nationale ombudsman" not in text
    assert "Je krijgt binnen 1 werkdag antwoord." in text
