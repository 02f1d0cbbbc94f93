"""Take screenshots of the main pages at a phone and a desktop width.

Sets up a throw-away SQLite database with the demo data, serves it, and writes PNGs to
docs/screenshots/. Run with `make screenshots` (needs Debian's chromium).

The first shot per width is the cookie banner as a new visitor sees it (the visible part
of the screen only); the script then chooses Weigeren, so the other pages show
themselves. Matomo is configured with an example address so the banner and the cookie
page show the statistics category; nothing is ever fetched from it (the browser can
only reach this machine, and statistics are declined).

Then a few pages again as the second demo municipality (deploy/themes/groenwaard.env),
as theme-groenwaard-*.png: the same site with another name, logo and colours.
"""

from __future__ import annotations

import itertools
import os
import re
import shlex
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


def _admin(path: str):
    def visit(page: Page, base: str) -> None:
        page.goto(base + path)

    return visit


def status_confirm(page: Page, base: str) -> None:
    page.goto(base + f"/admin/events/event/{_event_id(page, base)}/status/")
    page.get_by_role("radio", name="Verplaatst: naar een nieuw begin").check()
    page.get_by_label("Reden").fill(
        "Het buurthuis wordt verbouwd; we wijken uit naar de bibliotheek."
    )
    page.locator("#id_starts_at_0").fill("14-01-2031")
    page.locator("#id_starts_at_1").fill("19:00")
    page.locator("#id_ends_at_0").fill("14-01-2031")
    page.locator("#id_ends_at_1").fill("21:00")
    with page.expect_navigation():
        page.get_by_role("button", name="Verder: controleren").click()


def status_form(page: Page, base: str) -> None:
    page.goto(base + f"/admin/events/event/{_event_id(page, base)}/status/")


def message_form(page: Page, base: str) -> None:
    page.goto(base + f"/admin/events/event/{_event_id(page, base)}/bericht/")


def message_preview(page: Page, base: str) -> None:
    message_form(page, base)
    page.get_by_label("Aangemeld en op de wachtlijst").check()
    page.get_by_label("Onderwerp").fill("Andere ingang")
    page.get_by_label("Bericht").fill(
        "De hoofdingang is dicht vanwege werkzaamheden. Loop om naar de ingang aan de "
        "Parklaan; daar staat iemand van de gemeente.\n\nTot donderdag!"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Verder: voorbeeld bekijken").click()


def _event_id(page: Page, base: str) -> str:
    """The playground evening's id, from its row in the admin's event list."""
    page.goto(base + "/admin/events/event/?q=speeltuin")
    href = page.locator("#result_list tbody th a").first.get_attribute("href")
    return re.search(r"/event/(\d+)/", href).group(1)


# Admin pages, as a member of Evenementbeheer sees them (issue 15).
ADMIN_PAGES = {
    "admin-start": _admin("/admin/"),
    "admin-status-form": status_form,
    "admin-status-confirm": status_confirm,
    "admin-message-form": message_form,
    "admin-message-preview": message_preview,
}

# A staff member of Evenementbeheer for the admin pages, and a mail the worker gave up on,
# so the start page shows its outbox panel as it looks with a failure.
STAFF_SETUP = """
import uuid
from django.contrib.auth.models import Group, User
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from registrations.models import Registration
user, _ = User.objects.get_or_create(username="medewerker", defaults={"is_staff": True})
user.set_password("geheim-wachtwoord")
user.save()
user.groups.add(Group.objects.get(name="Evenementbeheer"))
registration = Registration.objects.filter(event__slug="inloopavond-nieuwe-speeltuin").first()
DBTaskResult.objects.create(
    id=uuid.uuid4(), status="FAILED", task_path="registrations.tasks.send_registration_mail",
    args_kwargs={"args": [], "kwargs": {"registration_id": registration.pk,
                 "kind": "confirmed", "attempt": 12}},
    queue_name="default", backend_name="default", run_after=timezone.now(),
    finished_at=timezone.now(), exception_class_path="registrations.tasks.MailNotSent",
    traceback="registrations.tasks.MailNotSent: mail confirmed for registration "
    f"{registration.pk}, attempt 12 (the last): SMTPRecipientsRefused (550)",
)
"""

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
    # Finding events: a filtered list, a date of a series, and the embed (issue 16).
    "home-filtered": lambda page, base: page.goto(base + "/?thema=energie&vrij=on"),
    "home-filtered-en": lambda page, base: page.goto(base + "/en/?thema=energie&vrij=on"),
    "event-series": lambda page, base: page.goto(base + "/evenementen/spreekuur-energie-besparen/"),
    "embed": lambda page, base: page.goto(base + "/embed/?thema=energie"),
    "accessibility": lambda page, base: page.goto(base + "/toegankelijkheid/"),
    "cookie-settings": lambda page, base: page.goto(base + "/cookies/"),
    # An event's later life (issue 15): a cancelled event in the demo data.
    "event-cancelled": lambda page, base: page.goto(base + "/evenementen/buurtschouw-oost/"),
}


# The second demo municipality: the pages where its house style shows most.
THEME_ENV = ROOT / "deploy" / "themes" / "groenwaard.env"
THEME_PAGES = ["home", "event-open", "event-form-errors", "accessibility"]


def env_file(path: Path) -> dict[str, str]:
    """``KEY="value"`` lines as a shell reads them."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = " ".join(shlex.split(value))
    return values


def serve_and_shoot(
    browser,
    tmp: str,
    *,
    extra_env: dict,
    prefix: str,
    pages: list[str],
    admin_pages: list[str] = (),
    banner: bool = True,
) -> None:
    """A fresh demo database and server with ``extra_env``; the banner, then ``pages``,
    then ``admin_pages`` logged in as staff."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{tmp}/{prefix or 'default'}.sqlite3",
        "DJANGO_MATOMO_URL": "https://statistiek.example.org/",
        "DJANGO_MATOMO_SITE_ID": "1",
        **extra_env,
    }
    manage = [sys.executable, "manage.py"]
    for command in ("migrate", "demo_data", "demo_reactions"):
        args = [*manage, command] + (["--noinput"] if command == "migrate" else [])
        subprocess.run(args, cwd=ROOT, env=env, check=True)  # noqa: S603
    if admin_pages:
        subprocess.run([*manage, "shell", "-c", STAFF_SETUP], cwd=ROOT, env=env, check=True)  # noqa: S603
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
        for size_name, (width, height) in WIDTHS.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="nl-NL"
            )
            context.route("**/*", only_loopback)
            page = context.new_page()
            # What a first visit looks like: the banner, before any choice.
            banners = (("cookie-banner", "/"), ("cookie-banner-en", "/en/"))
            for name, path in (banners if not prefix else banners[:1]) if banner else ():
                page.goto(base + path)
                shot = OUT / f"{prefix}{name}-{size_name}.png"
                page.screenshot(path=str(shot))
                print(f"wrote {shot.relative_to(ROOT)}")
            if not banner:
                page.goto(base + "/")
            page.locator("#consent-decline").click()
            page.wait_for_load_state()
            for name in pages:
                PAGES[name](page, base)
                shot = OUT / f"{prefix}{name}-{size_name}.png"
                page.screenshot(path=str(shot), full_page=True)
                print(f"wrote {shot.relative_to(ROOT)}")
            if admin_pages:
                page.goto(base + "/admin/login/")
                page.get_by_label("Gebruikersnaam").fill("medewerker")
                page.get_by_label("Wachtwoord").fill("geheim-wachtwoord")
                with page.expect_navigation():
                    page.locator("#login-form").get_by_role("button").click()
            for name in admin_pages:
                ADMIN_PAGES[name](page, base)
                shot = OUT / f"{prefix}{name}-{size_name}.png"
                page.screenshot(path=str(shot), full_page=True)
                print(f"wrote {shot.relative_to(ROOT)}")
            context.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(names: list[str]) -> None:
    """Every screenshot, or only those ``names`` (``scripts/screenshots.py event-cancelled
    admin-start``: the default look, without the banners)."""
    unknown = set(names) - set(PAGES) - set(ADMIN_PAGES)
    if unknown:
        raise SystemExit(f"unknown page(s): {', '.join(sorted(unknown))}")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        if names:
            serve_and_shoot(
                browser,
                tmp,
                extra_env={},
                prefix="",
                pages=[name for name in names if name in PAGES],
                admin_pages=[name for name in names if name in ADMIN_PAGES],
                banner=False,
            )
            browser.close()
            return
        serve_and_shoot(
            browser, tmp, extra_env={}, prefix="", pages=list(PAGES), admin_pages=list(ADMIN_PAGES)
        )
        serve_and_shoot(
            browser,
            tmp,
            extra_env=env_file(THEME_ENV),
            prefix="theme-groenwaard-",
            pages=THEME_PAGES,
        )
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
