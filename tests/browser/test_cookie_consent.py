"""Cookie consent in Debian's Chromium against a live server, with JavaScript on and off.

Matomo and OpenStreetMap are loopback fakes (tests/browser/fake_services.py) and every
other address is blocked, so "nothing optional loads" is measured: by the cookies the
browser holds, its storage, the page's markup and the requests the fakes received.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from consent.models import ConsentRecord
from tests.conftest import isolated_context
from tests.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NECESSARY = {"csrftoken"}
AFTER_A_CHOICE = {"csrftoken", "bijeen_consent"}
MATOMO_COOKIES = {"_pk_id.1.f00d", "_pk_ses.1.f00d"}
JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
LOOKS = """el => {
  const style = getComputedStyle(el);
  return [style.backgroundColor, style.color, style.fontSize, style.fontWeight, style.borderStyle];
}"""


@pytest.fixture
def visitor(browser):
    """Open a fresh browser (JavaScript on or off) that can only reach loopback."""
    opened = []

    def open_browser(*, javascript: bool = True, width: int = 375, locale: str = "nl-NL"):
        context, attempts = isolated_context(
            browser,
            java_script_enabled=javascript,
            locale=locale,
            viewport={"width": width, "height": 800},
        )
        opened.append((context, attempts))
        return context.new_page()

    yield open_browser
    for context, attempts in opened:
        context.close()
        assert not attempts, f"the page tried to reach the internet: {attempts}"


@pytest.fixture
def event_with_map(db):
    return EventFactory(title="Wijkavond Noord", latitude="52.085700", longitude="5.137300")


def cookie_names(page: Page) -> set[str]:
    return {cookie["name"] for cookie in page.context.cookies()}


def storage_is_empty(page: Page) -> bool:
    return page.evaluate("localStorage.length === 0 && sessionStorage.length === 0")


def assert_nothing_optional(page: Page, third_parties) -> None:
    assert page.locator("script#matomo-config").count() == 0
    assert page.locator("script[src*='statistics']").count() == 0
    assert page.locator("iframe").count() == 0
    assert third_parties.seen() == []
    assert storage_is_empty(page)


def banner_buttons(page: Page):
    banner = page.locator("#cookiemelding")
    return banner.get_by_role("button", name="Accepteren"), banner.get_by_role(
        "button", name="Weigeren"
    )


def choose_in_banner(page: Page, button: str) -> None:
    url = page.url
    page.locator("#cookiemelding").get_by_role("button", name=button).click()
    page.wait_for_url(url)


def wait_for_matomo(page: Page, third_parties) -> None:
    """The fake Matomo was loaded, set its cookies and sent its tracking request."""
    expect(page.locator("script#matomo-config")).to_have_count(1)
    page.wait_for_function("document.cookie.includes('_pk_ses.1.f00d')")
    for _ in range(50):
        if "/matomo.php" in third_parties.seen():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"no tracking request; Matomo saw {third_parties.seen()}")


# --- First visit ------------------------------------------------------------------------


@JS
def test_first_visit_has_only_necessary_cookies_and_nothing_optional(
    live_server, visitor, event_with_map, third_parties, javascript
):
    page = visitor(javascript=javascript)
    page.goto(live_server.url + event_with_map.get_absolute_url())

    expect(page.locator("#cookiemelding")).to_be_visible()
    assert cookie_names(page) == NECESSARY
    assert_nothing_optional(page, third_parties)
    expect(page.get_by_text("Hier staat een kaart van OpenStreetMap")).to_be_visible()
    map_link = page.get_by_role("link", name="Bekijk de plek op OpenStreetMap")
    assert map_link.get_attribute("href").startswith(third_parties.url + "/?mlat=52.085700")


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize(("locale", "path"), [("nl-NL", "/"), ("en-GB", "/en/")])
def test_accept_and_reject_are_equally_big_and_equally_prominent(
    live_server, visitor, width, locale, path
):
    page = visitor(width=width, locale=locale)
    page.goto(live_server.url + path)
    accept, reject = page.locator("#consent-accept"), page.locator("#consent-decline")
    expect(accept).to_be_visible()
    expect(reject).to_be_visible()

    accept_box, reject_box = accept.bounding_box(), reject.bounding_box()
    assert accept_box["width"] == pytest.approx(reject_box["width"], abs=0.5)
    assert accept_box["height"] == pytest.approx(reject_box["height"], abs=0.5)
    assert accept_box["height"] >= 44  # a comfortable touch target
    assert accept.evaluate(LOOKS) == reject.evaluate(LOOKS)
    # Both in view at once, without scrolling, on a phone as on a desktop.
    assert accept_box["y"] + accept_box["height"] <= 800
    assert reject_box["y"] + reject_box["height"] <= 800


# --- Weigeren ---------------------------------------------------------------------------


@JS
def test_rejecting_hides_the_banner_and_still_loads_nothing_optional(
    live_server, visitor, event_with_map, third_parties, javascript
):
    page = visitor(javascript=javascript)
    page.goto(live_server.url + event_with_map.get_absolute_url())

    choose_in_banner(page, "Weigeren")

    assert page.url == live_server.url + event_with_map.get_absolute_url()
    expect(page.locator("#cookiemelding")).to_have_count(0)
    page.goto(live_server.url + "/archief/")
    expect(page.locator("#cookiemelding")).to_have_count(0)
    page.goto(live_server.url + event_with_map.get_absolute_url())
    assert cookie_names(page) == AFTER_A_CHOICE
    assert_nothing_optional(page, third_parties)
    record = ConsentRecord.objects.get()
    assert record.choices == {"statistieken": False, "externe-media": False}


# --- Accepteren -----------------------------------------------------------------------------


def test_accepting_loads_statistics_and_the_map(
    live_server, visitor, event_with_map, third_parties
):
    page = visitor()
    page.goto(live_server.url + event_with_map.get_absolute_url())

    choose_in_banner(page, "Accepteren")

    expect(page.locator("#cookiemelding")).to_have_count(0)
    wait_for_matomo(page, third_parties)
    assert cookie_names(page) == AFTER_A_CHOICE | MATOMO_COOKIES
    the_map = page.locator("iframe.event__map")
    assert the_map.get_attribute("src").startswith(third_parties.url + "/export/embed.html?")
    assert the_map.get_attribute("title") == "Kaart van OpenStreetMap: Buurthuis De Linde"
    the_map.scroll_into_view_if_needed()
    expect(
        page.frame_locator("iframe.event__map").get_by_text("A fake OpenStreetMap")
    ).to_be_visible()
    assert "/export/embed.html" in third_parties.seen()
    assert storage_is_empty(page)
    assert ConsentRecord.objects.get().choices == {"statistieken": True, "externe-media": True}


def test_accepting_without_javascript_puts_the_code_and_the_map_in_the_page(
    live_server, visitor, event_with_map, third_parties
):
    page = visitor(javascript=False)
    page.goto(live_server.url + event_with_map.get_absolute_url())

    choose_in_banner(page, "Accepteren")

    expect(page.locator("#cookiemelding")).to_have_count(0)
    assert page.locator("script#matomo-config").count() == 1
    assert page.locator("iframe.event__map").count() == 1
    # Without JavaScript, Matomo cannot run: the browser holds only the necessary cookies.
    assert cookie_names(page) == AFTER_A_CHOICE
    assert "/matomo.js" not in third_parties.seen()


# --- Withdrawing on Cookie-instellingen ------------------------------------------------------


@JS
def test_withdrawing_deletes_the_optional_cookies_and_nothing_optional_loads_any_more(
    live_server, visitor, event_with_map, third_parties, javascript
):
    page = visitor(javascript=javascript)
    page.goto(live_server.url + event_with_map.get_absolute_url())
    choose_in_banner(page, "Accepteren")
    if javascript:
        wait_for_matomo(page, third_parties)
    else:
        # As if Matomo ran on an earlier visit with JavaScript on.
        page.context.add_cookies(
            [{"name": name, "value": "1", "url": live_server.url} for name in MATOMO_COOKIES]
        )
    assert cookie_names(page) == AFTER_A_CHOICE | MATOMO_COOKIES

    page.get_by_role("link", name="Cookie-instellingen", exact=True).click()
    expect(page.get_by_label("Statistieken toestaan")).to_be_checked()
    expect(page.get_by_label("Externe media toestaan")).to_be_checked()
    page.get_by_role("button", name="Alles weigeren").click()
    page.wait_for_url("**/cookies/#je-keuze")

    assert cookie_names(page) == AFTER_A_CHOICE
    expect(page.locator("#je-keuze")).to_contain_text("Statistieken: niet toegestaan")
    expect(page.locator("#je-keuze")).to_contain_text("Externe media: niet toegestaan")
    expect(page.get_by_label("Statistieken toestaan")).not_to_be_checked()
    third_parties.clear()
    page.goto(live_server.url + event_with_map.get_absolute_url())
    expect(page.locator("#cookiemelding")).to_have_count(0)
    assert_nothing_optional(page, third_parties)
    assert cookie_names(page) == AFTER_A_CHOICE
    assert [r.method for r in ConsentRecord.objects.order_by("created_at")] == [
        ConsentRecord.Method.ACCEPT_ALL,
        ConsentRecord.Method.DECLINE_ALL,
    ]


@JS
def test_withdrawing_statistics_only_keeps_the_map(
    live_server, visitor, event_with_map, third_parties, javascript
):
    page = visitor(javascript=javascript)
    page.goto(live_server.url + event_with_map.get_absolute_url())
    choose_in_banner(page, "Accepteren")
    page.context.add_cookies(
        [{"name": name, "value": "1", "url": live_server.url} for name in MATOMO_COOKIES]
    )

    page.goto(live_server.url + "/cookies/")
    page.get_by_label("Statistieken toestaan").uncheck()
    page.get_by_role("button", name="Keuze opslaan").click()
    page.wait_for_url("**/cookies/#je-keuze")

    assert cookie_names(page) == AFTER_A_CHOICE
    third_parties.clear()
    page.goto(live_server.url + event_with_map.get_absolute_url())
    assert page.locator("script#matomo-config").count() == 0
    assert page.locator("iframe.event__map").count() == 1
    assert "/matomo.js" not in third_parties.seen()


@JS
def test_choosing_per_category_from_the_banner_link(
    live_server, visitor, event_with_map, third_parties, javascript
):
    page = visitor(javascript=javascript)
    page.goto(live_server.url + event_with_map.get_absolute_url())
    page.get_by_role("link", name="Zelf kiezen per soort cookie").click()
    page.wait_for_url("**/cookies/#keuze")
    expect(page.get_by_label("Statistieken toestaan")).not_to_be_checked()
    expect(page.get_by_label("Externe media toestaan")).not_to_be_checked()

    page.get_by_label("Externe media toestaan").check()
    page.get_by_role("button", name="Keuze opslaan").click()
    page.wait_for_url("**/cookies/#je-keuze")

    page.goto(live_server.url + event_with_map.get_absolute_url())
    assert page.locator("iframe.event__map").count() == 1
    assert page.locator("script#matomo-config").count() == 0
    assert cookie_names(page) == AFTER_A_CHOICE


# --- Keyboard only -----------------------------------------------------------------------------

FOCUSED = "() => { const el = document.activeElement; return el.id || el.tagName }"


@pytest.mark.parametrize(
    ("button_id", "allowed"), [("consent-accept", True), ("consent-decline", False)]
)
def test_banner_buttons_work_with_tab_and_enter(
    live_server, visitor, event_with_map, button_id, allowed
):
    page = visitor()
    page.goto(live_server.url + event_with_map.get_absolute_url())

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    stops = []
    for _ in range(5):  # the banner's first link, Accepteren, Weigeren
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUSED))
        if stops[-1] == button_id:
            break
    assert stops[-1] == button_id, f"focus went {stops}"
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + event_with_map.get_absolute_url())

    expect(page.locator("#cookiemelding")).to_have_count(0)
    record = ConsentRecord.objects.get()
    assert record.choices == {"statistieken": allowed, "externe-media": allowed}
    assert (page.locator("iframe.event__map").count() == 1) is allowed
