"""Every public page a resident can reach, in one list.

A later feature adds its page here with one line, and the accessibility and translation
tests check it in both languages and at both widths.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page

from tests.conftest import fill
from tests.factories import EventFactory

LANGUAGES = {"nl": "", "en": "/en"}
WIDTHS = {"phone": 375, "desktop": 1280}
_emails = itertools.count()

LABELS = {
    "nl": {"name": "Naam", "email": "E-mailadres", "consent": "Ik geef toestemming"},
    "en": {"name": "Name", "email": "Email address", "consent": "I consent"},
}
SUBMIT = {"nl": "Aanmelden", "en": "Sign up"}


@dataclass(frozen=True)
class SiteData:
    open_event_path: str
    full_event_path: str


def make_site_data() -> SiteData:
    open_event = EventFactory(
        title="Wijkavond Noord",
        slug="wijkavond-noord",
        capacity=20,
        latitude="52.085700",
        longitude="5.137300",
    )
    full_event = EventFactory(title="Jeugdraad Zuid", slug="jeugdraad-zuid", capacity=2)
    fill(full_event, 2)
    return SiteData(open_event.get_absolute_url(), full_event.get_absolute_url())


def _fill_form(page: Page, lang: str, *, email: str, consent: bool = True) -> None:
    labels = LABELS[lang]
    page.get_by_label(labels["name"], exact=True).fill("Anna de Vries")
    page.get_by_label(labels["email"], exact=True).fill(email)
    if consent:
        page.get_by_label(labels["consent"]).check()
    page.get_by_role("button", name=SUBMIT[lang]).click()
    page.wait_for_load_state()


def event_with_errors(page: Page, base: str, lang: str, data: SiteData) -> None:
    page.goto(base + LANGUAGES[lang] + data.open_event_path)
    _fill_form(page, lang, email="anna-at-example", consent=False)


def signup_confirmation(page: Page, base: str, lang: str, data: SiteData) -> None:
    page.goto(base + LANGUAGES[lang] + data.open_event_path)
    _fill_form(page, lang, email=f"anna{next(_emails)}@example.org")
    page.wait_for_url("**/aanmelding/**")


def _after_choice(button: str, path: str | Callable[[SiteData], str]):
    """The page after the visitor chose in the banner (``accept`` or ``decline``)."""

    def visit(page: Page, base: str, lang: str, data: SiteData) -> None:
        target = base + LANGUAGES[lang] + (path(data) if callable(path) else path)
        page.goto(target)
        page.locator(f"#consent-{button}").click()
        page.wait_for_url(target)

    return visit


def cookies_after_accepting(page: Page, base: str, lang: str, data: SiteData) -> None:
    """Cookie-instellingen showing a choice (the banner is not on this page itself)."""
    _after_choice("accept", "/")(page, base, lang, data)
    page.goto(base + LANGUAGES[lang] + "/cookies/")


def _path(path: str | Callable[[SiteData], str]):
    def visit(page: Page, base: str, lang: str, data: SiteData) -> None:
        page.goto(base + LANGUAGES[lang] + (path(data) if callable(path) else path))

    return visit


PUBLIC_PAGES = {
    "home": _path("/"),
    "archive": _path("/archief/"),
    "event-open": _path(lambda data: data.open_event_path),
    "event-form-errors": event_with_errors,
    "event-full": _path(lambda data: data.full_event_path),
    "signup-confirmation": signup_confirmation,
    "privacy": _path("/privacy/"),
    "accessibility": _path("/toegankelijkheid/"),
    "cookies": _path("/cookies/"),
    "cookies-after-accepting": cookies_after_accepting,
    "home-after-declining": _after_choice("decline", "/"),
    "event-with-map": _after_choice("accept", lambda data: data.open_event_path),
    "not-found": _path("/evenementen/bestaat-niet/"),
}
