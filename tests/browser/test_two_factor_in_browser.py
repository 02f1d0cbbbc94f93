"""A staff member's first login links an authenticator app; a later login asks a code."""

import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import isolated_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def password_login(page, base: str, username: str) -> None:
    page.goto(base + "/admin/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord")
    page.locator("#login-form").get_by_role("button").click()


@pytest.mark.parametrize("width", [375, 1280])
def test_first_login_enrols_and_a_later_login_asks_a_code(
    live_server, browser, staff_user, settings, width
):
    settings.ADMIN_REQUIRE_2FA = True
    context, attempts = isolated_context(
        browser, locale="nl-NL", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    try:
        password_login(page, live_server.url, staff_user.username)

        # First login: the enrolment page, with a QR code and the key as text.
        page.wait_for_url("**/tweestapsverificatie/instellen/**")
        assert page.get_by_role("heading", name="Tweestapsverificatie instellen").is_visible()
        qr = page.get_by_role("img", name="QR-code")
        assert qr.is_visible()
        assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # it renders
        blocking = [
            v
            for v in Axe().run(page, options=AXE_OPTIONS).response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        assert not blocking, blocking
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        device = TOTPDevice.objects.get(user=staff_user)
        shown = page.locator("#totp-secret").inner_text().replace(" ", "")
        assert shown in device.config_url
        # The code field has focus: a keyboard user types the code and presses Enter.
        page.keyboard.type(code_for(device))
        page.keyboard.press("Enter")
        page.wait_for_url(live_server.url + "/admin/")
        assert page.get_by_role("heading", name="Evenementbeheer").is_visible()

        # Log out, and in again: now a code is asked (the next one: a code is used once).
        page.get_by_role("button", name="Afmelden").click()
        password_login(page, live_server.url, staff_user.username)
        page.wait_for_url("**/tweestapsverificatie/code/**")
        page.get_by_label("Code uit je authenticator-app").fill(code_for(device, steps_ahead=1))
        page.get_by_role("button", name="Doorgaan").click()
        page.wait_for_url(live_server.url + "/admin/")
        assert page.get_by_role("heading", name="Evenementbeheer").is_visible()
        assert not attempts
    finally:
        context.close()
