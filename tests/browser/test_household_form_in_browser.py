"""A sign-up form with a party size and questions, as a resident meets it: axe in nl and
en at 375 and 1280 px, the keyboard alone, and the error summary for bad answers."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from registrations.models import Question, QuestionKind, Registration
from tests.browser.test_keyboard import FOCUSED, tab_until
from tests.conftest import isolated_context
from tests.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def household_event():
    event = EventFactory(title="Jeugdraad praat mee", capacity=20, max_party_size=6)
    Question.objects.create(
        event=event,
        kind=QuestionKind.SHORT_TEXT,
        text="Welke wijkraad vertegenwoordig je?",
        text_en="Which district council do you represent?",
        is_required=True,
        order=1,
    )
    Question.objects.create(
        event=event,
        kind=QuestionKind.CHOICE,
        text="Wat wil je eten?",
        text_en="What would you like to eat?",
        options="Vlees | Meat\nVegetarisch | Vegetarian",
        is_required=True,
        order=2,
    )
    Question.objects.create(
        event=event,
        kind=QuestionKind.YES_NO,
        text="Heb je een ringleiding nodig?",
        text_en="Do you need a hearing loop?",
        order=3,
    )
    return event


def blocking(page) -> list:
    results = Axe().run(page, options=AXE_OPTIONS)
    return [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_form_and_its_errors_pass_axe(live_server, browser, lang, width):
    event = household_event()
    context, attempts = isolated_context(browser, viewport={"width": width, "height": 900})
    page = context.new_page()
    prefix = "" if lang == "nl" else "/en"
    try:
        page.goto(live_server.url + prefix + event.get_absolute_url())
        assert not blocking(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.locator("#signup-submit").click()
        page.wait_for_load_state()
        assert page.locator("#error-summary").is_visible()
        assert not blocking(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=f"/tmp/bijeen-household-{lang}-{width}.png", full_page=True)  # noqa: S108
        assert not attempts
    finally:
        context.close()


def test_keyboard_only_sign_up_with_a_household_and_answers(live_server, page):
    event = household_event()
    page.goto(live_server.url + event.get_absolute_url())
    tab_until(page, "id_name", limit=20)
    page.keyboard.type("Anna de Vries")
    tab_until(page, "id_email", limit=1)
    page.keyboard.type("anna@example.org")
    tab_until(page, "id_party_size", limit=1)
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    question = Question.objects.get(order=1)
    tab_until(page, f"id_vraag_{question.pk}", limit=1)
    page.keyboard.type("Wijkraad Noord")
    eten = Question.objects.get(order=2)
    tab_until(page, f"id_vraag_{eten.pk}_0", limit=1)
    page.keyboard.press("ArrowDown")  # radio group: arrows choose, as in every browser
    assert page.evaluate(FOCUSED) == f"id_vraag_{eten.pk}_1"
    ring = Question.objects.get(order=3)
    tab_until(page, f"id_vraag_{ring.pk}_0", limit=1)
    page.keyboard.press("Space")
    tab_until(page, "id_consent", limit=2)
    page.keyboard.press("Space")
    tab_until(page, "signup-submit", limit=3)
    page.keyboard.press("Enter")

    page.wait_for_url("**/aanmelding/**")
    registration = Registration.objects.get()
    assert registration.party_size == 3
    answers = {a.question.order: a.value for a in registration.answers.select_related("question")}
    assert answers == {1: "Wijkraad Noord", 2: "Vegetarisch", 3: True}


def test_the_error_summary_links_to_a_missing_choice(live_server, page):
    event = household_event()
    page.goto(live_server.url + event.get_absolute_url())
    page.get_by_label("Naam", exact=True).fill("Anna")
    page.get_by_label("E-mailadres", exact=True).fill("anna@example.org")
    page.get_by_label("Met hoeveel personen kom je?").fill("")
    page.get_by_label("Ik geef toestemming").check()
    page.locator("#signup-submit").click()
    # autofocus moves focus to the summary once the page is shown (expect() waits for it,
    # without evaluating a string, which the page's CSP would refuse).
    expect(page.locator("#error-summary")).to_be_focused()
    summary = page.locator("#error-summary")
    assert "Vul in met hoeveel personen je komt." in summary.inner_text()
    eten = Question.objects.get(order=2)
    summary.get_by_role("link", name="Wat wil je eten?: Beantwoord deze vraag.").click()
    assert page.evaluate(FOCUSED) == f"id_vraag_{eten.pk}_0"
    assert not Registration.objects.exists()
