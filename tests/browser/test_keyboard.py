"""A resident who uses only the keyboard can sign up, and focus is never lost."""

import pytest

from registrations.models import Registration
from tests.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = "() => { const el = document.activeElement; return el.id || el.tagName }"


def tab_until(page, target_id: str, limit: int = 15) -> list[str]:
    visited = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused != "BODY", f"focus was lost after {visited}"
        visited.append(focused)
        if focused == target_id:
            return visited
    raise AssertionError(f"never reached #{target_id}; focus went {visited}")


def test_keyboard_only_sign_up(live_server, page):
    event = EventFactory(title="Wijkavond Noord")
    page.goto(live_server.url + event.get_absolute_url())

    first_stops = tab_until(page, "id_name")
    assert first_stops[0] == "A"  # the skip link comes first
    # Then the cookie banner, unanswered on a first visit: its explanation link,
    # Accepteren and Weigeren, then its per-category link. Four stops before the header.
    assert first_stops[1:5] == ["A", "consent-accept", "consent-decline", "A"]
    page.keyboard.type("Anna de Vries")
    tab_until(page, "id_email", limit=1)
    page.keyboard.type("anna@example.org")
    tab_until(page, "id_consent", limit=1)
    page.keyboard.press("Space")
    tab_until(page, "signup-submit", limit=3)  # via the privacy link in the label
    page.keyboard.press("Enter")

    page.wait_for_url("**/aanmelding/**")
    assert page.get_by_role("heading", name="Je bent aangemeld").is_visible()
    assert Registration.objects.get().name == "Anna de Vries"


def test_skip_link_moves_focus_to_the_main_content(live_server, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED) == "main"


def test_error_summary_takes_focus_and_links_to_the_fields(live_server, page):
    event = EventFactory()
    page.goto(live_server.url + event.get_absolute_url())
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()

    assert page.title().startswith("Fout:")
    assert page.evaluate(FOCUSED) == "error-summary"
    summary = page.locator("#error-summary")
    assert summary.get_by_role("link").count() == 3
    summary.get_by_role("link", name="E-mailadres: Dit veld is verplicht.").click()
    assert page.evaluate(FOCUSED) == "id_email"
