"""WCAG 2.1 AA checks with axe-core in Chromium, on every public page, language and width."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.public_pages import LANGUAGES, PUBLIC_PAGES, WIDTHS, make_site_data
from tests.conftest import isolated_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}
axe = Axe()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_has_no_serious_accessibility_violations(
    live_server, browser, name, lang, width
):
    data = make_site_data()
    context, attempts = isolated_context(browser, viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        PUBLIC_PAGES[name](page, live_server.url, lang, data)
        assert page.locator("html").get_attribute("lang") == lang

        results = axe.run(page, options=AXE_OPTIONS)

        blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
        assert not blocking, results.generate_report()
        # Nothing wider than the viewport: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert not attempts
    finally:
        context.close()


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_page_reflows_at_320_pixels_with_text_at_200_percent(live_server, browser, name):
    """WCAG 1.4.4 and 1.4.10: text doubled on a 320 px screen needs no sideways scrolling."""
    data = make_site_data()
    # bypass_csp: the enlarged text is the reader's own setting, injected as a style tag.
    context, attempts = isolated_context(
        browser, viewport={"width": 320, "height": 640}, bypass_csp=True
    )
    page = context.new_page()
    try:
        PUBLIC_PAGES[name](page, live_server.url, "nl", data)
        page.add_style_tag(content="html { font-size: 200% !important; }")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert not attempts
    finally:
        context.close()


RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_runs_under_the_content_security_policy(live_server, browser, name):
    """The strict CSP blocks nothing that the page needs: no violation is reported."""
    data = make_site_data()
    context, attempts = isolated_context(browser, viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    try:
        PUBLIC_PAGES[name](page, live_server.url, "nl", data)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__cspViolations") == []
        assert attempts == []
    finally:
        context.close()
