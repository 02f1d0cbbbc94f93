"""What a resident sees and clicks, in Debian's Chromium against a live server."""

import pytest

from registrations.models import Registration
from tests.conftest import fill
from tests.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FULL_NOTICE = "Maximaal aantal aanmeldingen bereikt, je kunt je niet meer aanmelden."


def test_resident_finds_an_event_and_signs_up(live_server, page):
    event = EventFactory(title="Wijkraad Noord praat over veiligheid", capacity=12)

    page.goto(live_server.url + "/")
    assert page.locator(".event-card", has_text=event.title).locator(".status").inner_text() == (
        "Nog 12 plaatsen"
    )
    page.get_by_role("link", name=event.title).click()
    page.get_by_label("Naam", exact=True).fill("Anna de Vries")
    page.get_by_label("E-mailadres", exact=True).fill("anna@example.org")
    page.get_by_label("Ik geef toestemming").check()
    page.get_by_role("button", name="Aanmelden").click()

    page.wait_for_url("**/aanmelding/**")
    assert page.get_by_role("heading", name="Je bent aangemeld").is_visible()
    assert event.title in page.locator("main").inner_text()
    assert Registration.objects.get().email == "anna@example.org"


def test_resident_sees_errors_next_to_the_fields_and_keeps_what_they_typed(live_server, page):
    event = EventFactory()

    page.goto(live_server.url + event.get_absolute_url())
    page.get_by_label("Naam", exact=True).fill("Anna de Vries")
    page.get_by_label("E-mailadres", exact=True).fill("anna-at-example")
    page.get_by_role("button", name="Aanmelden").click()

    assert page.title().startswith("Fout:")
    email_field = page.locator("#div_id_email")
    assert "Voer een geldig e-mailadres in." in email_field.inner_text()
    assert page.get_by_label("Naam", exact=True).input_value() == "Anna de Vries"
    assert page.get_by_label("E-mailadres", exact=True).get_attribute("aria-invalid") == "true"
    assert "Geef toestemming" in page.locator("#div_id_consent").inner_text()
    assert not Registration.objects.exists()


def test_full_event_shows_the_notice_and_no_form(live_server, page):
    event = EventFactory(capacity=3)
    fill(event, 3)

    page.goto(live_server.url + event.get_absolute_url())

    assert page.get_by_text(FULL_NOTICE, exact=True).is_visible()
    assert page.locator("form[action$='aanmelden/']").count() == 0
