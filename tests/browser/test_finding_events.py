"""Finding events in the browser: the filter form with the keyboard only (nl and en), the
JSON-LD under the CSP, and /embed/ framed only by the configured origins."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from events.models import Area, Theme
from tests.browser.test_keyboard import tab_until
from tests.conftest import isolated_context
from tests.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORM = {
    "nl": {"submit": "Toon evenementen", "found": "1 evenement gevonden", "prefix": ""},
    "en": {"submit": "Show events", "found": "1 event found", "prefix": "/en"},
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_filter_form_works_with_the_keyboard_only(live_server, browser, lang):
    noord = Area.objects.create(name="Noord", slug="noord")
    Area.objects.create(name="Zuid", slug="zuid")
    theme = Theme.objects.create(name="Veiligheid", name_en="Safety", slug="veiligheid")
    EventFactory(title="Wijkavond Noord", area=noord).themes.add(theme)
    EventFactory(title="Wijkavond Zuid")
    context, attempts = isolated_context(
        browser, locale="nl-NL", viewport={"width": 375, "height": 800}
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + FORM[lang]["prefix"] + "/")
        tab_until(page, "id_q", limit=25)
        page.keyboard.type("wijkavond")
        tab_until(page, "id_wijk", limit=1)
        page.keyboard.press("ArrowDown")  # "Alle wijken" → Noord
        tab_until(page, "id_thema", limit=1)
        tab_until(page, "id_periode", limit=1)
        tab_until(page, "id_van", limit=1)
        # A date field has a stop per part (day, month, year) and its calendar button.
        tab_until(page, "id_tot", limit=5)
        tab_until(page, "id_vrij", limit=5)
        page.keyboard.press("Space")
        tab_until(page, "filter-submit", limit=1)
        page.keyboard.press("Enter")
        page.wait_for_url("**wijk=noord**")

        assert "q=wijkavond" in page.url and "vrij=on" in page.url
        status = page.get_by_role("status")
        assert status.inner_text() == FORM[lang]["found"]
        assert page.title().startswith(FORM[lang]["found"])
        assert page.locator(".event-card").count() == 1
        # The form shows what was chosen, so the next change starts from it.
        assert page.locator("#id_wijk").input_value() == "noord"
        assert page.locator("#id_vrij").is_checked()
        assert not attempts
    finally:
        context.close()


def test_event_page_json_ld_is_read_by_the_browser_without_a_csp_violation(live_server, page):
    event = EventFactory(title="Wijkavond </script> & co")
    violations = []
    page.on("console", lambda message: violations.append(message.text))
    page.goto(live_server.url + event.get_absolute_url())
    page.wait_for_load_state("load")
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "Event"
    assert data["name"] == "Wijkavond </script> & co"
    assert not [text for text in violations if "Content Security Policy" in text]


class HostSite:
    """Another site on a loopback origin of its own, whose page frames ours."""

    def __init__(self, page_html: str) -> None:
        body = page_html.encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def frames_page(site: str) -> str:
    return (
        '<!DOCTYPE html><html lang="nl"><head><title>Gemeente</title></head><body>'
        f'<iframe id="embed" title="Evenementen" src="{site}/embed/" width="400" height="500">'
        "</iframe>"
        f'<iframe id="home" title="Home" src="{site}/" width="400" height="500"></iframe>'
        f'<iframe id="event" title="Event" src="{site}/evenementen/wijkavond/"></iframe>'
        "</body></html>"
    )


def frame_content(page, frame_id: str):
    return page.locator(f"#{frame_id}").element_handle().content_frame()


def loaded_our_page(frame) -> bool:
    """True when the frame shows our page, False when the browser refused to frame it."""
    return frame.url.startswith("http") and frame.locator("h1").count() > 0


@pytest.fixture
def live_origin(live_server) -> str:
    # The live server answers on "localhost": a different origin from the host sites,
    # which run on 127.0.0.1 with ports of their own.
    return live_server.url.replace("127.0.0.1", "localhost")


def test_embed_can_be_framed_by_the_configured_origin_and_no_other_page_can(
    live_origin, browser, settings
):
    EventFactory(title="Wijkavond", slug="wijkavond")
    allowed = HostSite(frames_page(live_origin))
    other = HostSite(frames_page(live_origin))
    settings.EMBED_ALLOWED_ORIGINS = [allowed.origin]
    context, attempts = isolated_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(allowed.origin + "/")
        page.wait_for_load_state("load")
        embed = frame_content(page, "embed")
        assert loaded_our_page(embed)
        assert embed.get_by_role("link", name="Wijkavond").is_visible()
        # Every other page of ours refuses this very site.
        assert not loaded_our_page(frame_content(page, "home"))
        assert not loaded_our_page(frame_content(page, "event"))

        # An event link opens the full page in the top window, not inside the frame.
        embed.get_by_role("link", name="Wijkavond").click()
        page.wait_for_url("**/evenementen/wijkavond/")
        assert page.url.startswith(live_origin)

        # A site that is not configured cannot frame even the embed.
        page.goto(other.origin + "/")
        page.wait_for_load_state("load")
        for frame_id in ("embed", "home", "event"):
            assert not loaded_our_page(frame_content(page, frame_id)), frame_id
        assert not attempts
    finally:
        context.close()
        allowed.stop()
        other.stop()


def test_the_embed_sets_no_cookie_in_the_browser(live_origin, browser, settings):
    EventFactory(title="Wijkavond", slug="wijkavond")
    host = HostSite(frames_page(live_origin))
    settings.EMBED_ALLOWED_ORIGINS = [host.origin]
    context, _attempts = isolated_context(browser)
    page = context.new_page()
    try:
        page.goto(host.origin + "/")
        page.wait_for_load_state("load")
        assert loaded_our_page(frame_content(page, "embed"))
        page.goto(live_origin + "/embed/")
        assert context.cookies() == []
    finally:
        context.close()
        host.stop()
