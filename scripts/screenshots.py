"""Take screenshots of the main pages at a phone and a desktop width.

Sets up a throw-away SQLite database with the demo data, serves it, and writes PNGs to
docs/screenshots/. Run with `make screenshots` (needs Debian's chromium).

The first shot per width is the cookie banner as a new visitor sees it (the visible part
of the screen only); the script then chooses Weigeren, so the other pages show
themselves. Matomo is configured with an example address so the banner and the cookie
page show the statistics category; nothing is ever fetched from it (the browser can
only reach this machine, and statistics are declined).
"""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, Route, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
_numbers = itertools.count()
WIDTHS = {"phone": (375, 812), "desktop": (1280, 900)}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def only_loopback(route: Route) -> None:
    if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        route.abort()


def form_errors(page: Page, base: str) -> None:
    page.goto(base + "/evenementen/spreekuur-energie-besparen/")
    page.get_by_label("Naam", exact=True).fill("Anna de Vries")
    page.get_by_label("E-mailadres", exact=True).fill("anna-at-example")
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()


def confirmation(page: Page, base: str) -> None:
    page.goto(base + "/evenementen/spreekuur-energie-besparen/")
    page.get_by_label("Naam", exact=True).fill("Anna de Vries")
    page.get_by_label("E-mailadres", exact=True).fill(f"anna{next(_numbers)}@example.org")
    page.get_by_label("Ik geef toestemming").check()
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/aanmelding/**")


def cancel_step(page: Page, base: str) -> None:
    confirmation(page, base)
    page.goto(page.url + "afmelden/")


def reaction_received(page: Page, base: str) -> None:
    page.goto(base + "/evenementen/inloopavond-nieuwe-speeltuin/")
    page.get_by_label("Naam bij je reactie", exact=True).fill("Anna")
    page.get_by_label("E-mailadres voor vragen over je reactie", exact=True).fill(
        "anna@example.org"
    )
    page.get_by_label("Je reactie", exact=True).fill("Kunnen we ook meedenken over de bomen?")
    page.get_by_label("Ik ga akkoord").check()
    page.get_by_role("button", name="Reactie plaatsen").click()
    page.wait_for_url("**?reactie=ontvangen*")


PAGES = {
    "home": lambda page, base: page.goto(base + "/"),
    "event-open": lambda page, base: page.goto(base + "/evenementen/inloopavond-nieuwe-speeltuin/"),
    "event-full": lambda page, base: page.goto(base + "/evenementen/wijkraden-over-veiligheid/"),
    "event-form-errors": form_errors,
    "signup-confirmation": confirmation,
    "registration-cancel": cancel_step,
    "reaction-received": reaction_received,
    "event-open-en": lambda page, base: page.goto(
        base + "/en/evenementen/inloopavond-nieuwe-speeltuin/"
    ),
    "accessibility": lambda page, base: page.goto(base + "/toegankelijkheid/"),
    "cookie-settings": lambda page, base: page.goto(base + "/cookies/"),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": f"sqlite:///{tmp}/screenshots.sqlite3",
            "DJANGO_MATOMO_URL": "https://statistiek.example.org/",
            "DJANGO_MATOMO_SITE_ID": "1",
        }
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True)  # noqa: S603
        subprocess.run([*manage, "demo_data"], cwd=ROOT, env=env, check=True)  # noqa: S603
        subprocess.run([*manage, "demo_reactions"], cwd=ROOT, env=env, check=True)  # noqa: S603
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603
            [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"], cwd=ROOT, env=env
        )
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310
                    break
                except OSError:
                    time.sleep(0.2)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                for size_name, (width, height) in WIDTHS.items():
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, locale="nl-NL"
                    )
                    context.route("**/*", only_loopback)
                    page = context.new_page()
                    # What a first visit looks like: the banner, before any choice.
                    for name, path in (("cookie-banner", "/"), ("cookie-banner-en", "/en/")):
                        page.goto(base + path)
                        shot = OUT / f"{name}-{size_name}.png"
                        page.screenshot(path=str(shot))
                        print(f"wrote {shot.relative_to(ROOT)}")
                    page.locator("#consent-decline").click()
                    page.wait_for_load_state()
                    for name, visit in PAGES.items():
                        visit(page, base)
                        path = OUT / f"{name}-{size_name}.png"
                        page.screenshot(path=str(path), full_page=True)
                        print(f"wrote {path.relative_to(ROOT)}")
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
