"""The second demo municipality's house style in Chromium: the tokens, the brand colour and
the logo are applied, and axe finds no serious violation on the key pages (issue 18).

The default look is covered by test_accessibility.py over every public page; here the
pages whose colours differ most (header, buttons, forms with errors, the banner, the
statements) run again as Gemeente Groenwaard (deploy/themes/groenwaard.env).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.public_pages import PUBLIC_PAGES, WIDTHS, make_site_data
from tests.browser.test_accessibility import AXE_OPTIONS, BLOCKING, RECORD_CSP_VIOLATIONS
from tests.conftest import isolated_context
from tests.themes import GROENWAARD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY_PAGES = [
    "home",
    "home-after-declining",
    "event-open",
    "event-form-errors",
    "signup-confirmation",
    "cookies",
    "privacy",
    "accessibility",
]
GREEN = "rgb(29, 107, 58)"  # BIJEEN_BRAND_COLOR #1d6b3a
WHITE = "rgb(255, 255, 255)"


@pytest.fixture
def groenwaard(settings):
    for name, value in GROENWAARD.items():
        setattr(settings, name, value)


def css(page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("name", KEY_PAGES)
def test_second_theme_has_no_serious_accessibility_violations(
    live_server, browser, groenwaard, name, width
):
    data = make_site_data()
    context, attempts = isolated_context(browser, viewport={"width": width, "height": 900})
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    try:
        PUBLIC_PAGES[name](page, live_server.url, "nl", data)
        page.wait_for_load_state("load")

        # The theme is really there: a white header, green links, the logo drawn.
        assert css(page, ".page-header", "backgroundColor") == WHITE
        assert css(page, ".page-header__nav a", "color") == GREEN
        logo = page.get_by_role("img", name="Gemeente Groenwaard")
        assert logo.evaluate("img => img.complete && img.naturalWidth > 0")

        results = axe.run(page, options=AXE_OPTIONS)
        blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
        assert not blocking, results.generate_report()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate("window.__cspViolations") == []
        assert not attempts
    finally:
        context.close()


def test_second_theme_buttons_take_the_brand_colour(live_server, browser, groenwaard):
    data = make_site_data()
    context, attempts = isolated_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(live_server.url + data.open_event_path)
        button = "#signup-submit"
        assert css(page, button, "backgroundColor") == GREEN
        assert css(page, button, "color") == WHITE
        # Keyboard focus shows both rings: yellow outside, dark inside (technique C40).
        page.focus(button)
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        assert css(page, button, "outlineColor") == "rgb(255, 191, 71)"
        assert "rgb(11, 12, 12)" in css(page, button, "boxShadow")
        assert not attempts
    finally:
        context.close()


axe = Axe()
