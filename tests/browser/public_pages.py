"""Every public page a resident can reach, in one list.

A later feature adds its page here with one line, and the accessibility and translation
tests check it in both languages and at both widths.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from playwright.sync_api import Page

from core import ratelimit
from events.models import Area, Series, Theme
from reactions.models import ReactionStatus
from registrations import services
from tests.conftest import fill
from tests.factories import EventFactory, ReactionFactory, ReactionSettingsFactory

LANGUAGES = {"nl": "", "en": "/en"}
WIDTHS = {"phone": 375, "desktop": 1280}
_emails = itertools.count()

LABELS = {
    "nl": {"name": "Naam", "email": "E-mailadres", "consent": "Ik geef toestemming"},
    "en": {"name": "Name", "email": "Email address", "consent": "I consent"},
}
SUBMIT = {"nl": "Aanmelden", "en": "Sign up"}
RATE_LIMITED = {"nl": "Even wachten", "en": "Please wait a moment"}
REACTION_LABELS = {
    "nl": {
        "name": "Naam bij je reactie",
        "email": "E-mailadres voor vragen over je reactie",
        "text": "Je reactie",
        "consent": "Ik ga akkoord",
        "submit": "Reactie plaatsen",
    },
    "en": {
        "name": "Name shown with your reaction",
        "email": "Email address for questions about your reaction",
        "text": "Your reaction",
        "consent": "I agree",
        "submit": "Post reaction",
    },
}


@dataclass(frozen=True)
class SiteData:
    open_event_path: str
    full_event_path: str
    waitlist_event_path: str
    waiting_registration_path: str


def make_site_data() -> SiteData:
    # The open event has a wijk, a theme and a second date in its series (issue 16).
    noord = Area.objects.create(name="Noord", slug="noord")
    theme = Theme.objects.create(name="Veiligheid", name_en="Safety", slug="veiligheid")
    series = Series.objects.create(title="Wijkavond")
    open_event = EventFactory(
        title="Wijkavond Noord",
        slug="wijkavond-noord",
        capacity=20,
        latitude="52.085700",
        longitude="5.137300",
        area=noord,
        series=series,
    )
    open_event.themes.add(theme)
    EventFactory(
        title="Wijkavond Noord",
        slug="wijkavond-noord-2",
        starts_at=open_event.starts_at + datetime.timedelta(days=7),
        ends_at=open_event.ends_at + datetime.timedelta(days=7),
        area=noord,
        series=series,
    ).themes.add(theme)
    full_event = EventFactory(title="Jeugdraad Zuid", slug="jeugdraad-zuid", capacity=2)
    fill(full_event, 2)
    # The open event has published reactions and one waiting; the full one is closed for them.
    ReactionFactory(event=open_event, name="Fatima", text="Ik neem mijn buurvrouw mee.")
    ReactionFactory(event=open_event, name="Joost", text="Komt er ook koffie?\nTot dan!")
    ReactionFactory(event=open_event, name="Bas", status=ReactionStatus.PENDING)
    ReactionFactory(event=full_event, name="Wendy", text="Goed idee, deze avond.")
    ReactionSettingsFactory(event=full_event, is_open=False)
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


def _fill_reaction(page: Page, lang: str, *, email: str, text: str, consent: bool = True) -> None:
    labels = REACTION_LABELS[lang]
    page.get_by_label(labels["name"], exact=True).fill("Fatima")
    page.get_by_label(labels["email"], exact=True).fill(email)
    page.get_by_label(labels["text"], exact=True).fill(text)
    if consent:
        page.get_by_label(labels["consent"]).check()
    page.get_by_role("button", name=labels["submit"]).click()
    page.wait_for_load_state()


def reaction_with_errors(page: Page, base: str, lang: str, data: SiteData) -> None:
    page.goto(base + LANGUAGES[lang] + data.open_event_path)
    _fill_reaction(page, lang, email="fatima-at-example", text="", consent=False)
    assert page.locator("#reacties #error-summary").is_visible()


def reaction_received(page: Page, base: str, lang: str, data: SiteData) -> None:
    page.goto(base + LANGUAGES[lang] + data.open_event_path)
    _fill_reaction(page, lang, email="fatima@example.org", text="Ik kom graag.")
    page.wait_for_url("**?reactie=ontvangen*")


def reaction_rate_limited(page: Page, base: str, lang: str, data: SiteData) -> None:
    """The 429 page: this address (the browser's, on loopback) has used up its posts."""
    for _ in range(settings.REACTIONS_RATE_LIMIT):
        ratelimit.hit(
            scope="reactions",
            key="127.0.0.1",
            limit=settings.REACTIONS_RATE_LIMIT,
            window=settings.REACTIONS_RATE_WINDOW,
        )
    page.goto(base + LANGUAGES[lang] + data.open_event_path)
    _fill_reaction(page, lang, email="fatima@example.org", text="Nog een keer.")
    assert page.locator("h1").inner_text() == RATE_LIMITED[lang]


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


def _event_with_status(status: str, *, open_registration: bool = False):
    """An event that is off or moved (issue 15), made when the page is visited: its page,
    or with ``open_registration`` the personal page of someone signed up for it."""

    def visit(page: Page, base: str, lang: str, data: SiteData) -> None:
        event = EventFactory(
            title="Buurtschouw Oost", slug=f"buurtschouw-oost-{next(_emails)}", capacity=10
        )
        anna = services.register(event=event, name="Anna", email=f"anna{next(_emails)}@example.org")
        moved_to = event.starts_at + datetime.timedelta(days=14)
        services.change_event_status(
            event=event,
            status=status,
            reason="De zaal is niet beschikbaar.",
            starts_at=moved_to if status == "rescheduled" else None,
            ends_at=moved_to + datetime.timedelta(hours=2) if status == "rescheduled" else None,
        )
        path = anna.get_absolute_url() if open_registration else event.get_absolute_url()
        page.goto(base + LANGUAGES[lang] + path)

    return visit


def home_with_statuses(page: Page, base: str, lang: str, data: SiteData) -> None:
    """The list with an event cancelled, one postponed and one moved among the others."""
    for status, wijk in (("cancelled", "Noord"), ("postponed", "Zuid"), ("rescheduled", "West")):
        event = EventFactory(title=f"Buurtschouw {wijk}", slug=f"buurtschouw-{status}")
        moved_to = event.starts_at + datetime.timedelta(days=1)
        services.change_event_status(
            event=event,
            status=status,
            reason="De zaal is niet beschikbaar.",
            starts_at=moved_to if status == "rescheduled" else None,
            ends_at=moved_to + datetime.timedelta(hours=1) if status == "rescheduled" else None,
        )
    page.goto(base + LANGUAGES[lang] + "/")


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
    "event-reaction-errors": reaction_with_errors,
    "event-reaction-received": reaction_received,
    "reaction-rate-limited": reaction_rate_limited,
    "privacy": _path("/privacy/"),
    "accessibility": _path("/toegankelijkheid/"),
    "cookies": _path("/cookies/"),
    "cookies-after-accepting": cookies_after_accepting,
    "home-after-declining": _after_choice("decline", "/"),
    "event-with-map": _after_choice("accept", lambda data: data.open_event_path),
    "not-found": _path("/evenementen/bestaat-niet/"),
    "home-filtered": _path("/?wijk=noord&thema=veiligheid&q=wijkavond&vrij=on"),
    "home-filtered-empty": _path("/?q=olifant"),
    "home-filter-errors": _path("/?van=gisteren&thema=bestaat-niet"),
    "embed": _path("/embed/?wijk=noord"),
    # An event's later life (issue 15).
    "event-cancelled": _event_with_status("cancelled"),
    "event-moved": _event_with_status("rescheduled"),
    "registration-event-cancelled": _event_with_status("cancelled", open_registration=True),
    "home-with-statuses": home_with_statuses,
}
