"""Every public page a resident can reach, in one list.

A later feature adds its page here with one line, and the accessibility and translation
tests check it in both languages and at both widths.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page

from registrations import services
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
    waitlist_event_path: str
    waiting_registration_path: str


def make_site_data() -> SiteData:
    open_event = EventFactory(title="Wijkavond Noord", slug="wijkavond-noord", capacity=20)
    full_event = EventFactory(title="Jeugdraad Zuid", slug="jeugdraad-zuid", capacity=2)
    fill(full_event, 2)
    waitlist_event = EventFactory(
        title="Buurtgesprek Oost", slug="buurtgesprek-oost", capacity=1, waitlist_capacity=5
    )
    fill(waitlist_event, 1)
    waiting = services.register(event=waitlist_event, name="Bram", email="bram@example.org")
    return SiteData(
        open_event.get_absolute_url(),
        full_event.get_absolute_url(),
        waitlist_event.get_absolute_url(),
        waiting.get_absolute_url(),
    )


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
    "event-waitlist": _path(lambda data: data.waitlist_event_path),
    "registration-waitlisted": _path(lambda data: data.waiting_registration_path),
    "registration-cancel": _path(lambda data: data.waiting_registration_path + "afmelden/"),
    "privacy": _path("/privacy/"),
    "accessibility": _path("/toegankelijkheid/"),
    "cookies": _path("/cookies/"),
    "not-found": _path("/evenementen/bestaat-niet/"),
}
