import os
import shutil
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.utils import translation

from backoffice.roles import EVENT_STAFF
from events.models import Event
from registrations import services
from tests.factories import EventFactory
from tests.tools import missing_tool

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def fill(event: Event, count: int, *, prefix: str = "gast") -> None:
    """Sign ``count`` people up through the service, as residents would."""
    for number in range(count):
        services.register(event=event, name=f"Gast {number}", email=f"{prefix}{number}@example.org")
    event.refresh_from_db()


@pytest.fixture(autouse=True)
def dutch_by_default():
    """Each test starts in Dutch: a request to /en/ leaves English active in the test's
    thread, which would make later reverse() calls in the same test module English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, so rate-limit counters never carry over (the
    live server runs in this process and shares the in-memory cache)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def event(db) -> Event:
    return EventFactory()


@pytest.fixture
def staff_user() -> User:
    """A council staff member: staff, in Evenementbeheer (the group backoffice.roles keeps
    after every migrate and flush), not a superuser. Needs database access (a mark)."""
    user = User.objects.create_user("medewerker", password="geheim-wachtwoord", is_staff=True)
    user.groups.add(Group.objects.get(name=EVENT_STAFF))
    return user


@pytest.fixture
def staff_client(client, staff_user):
    """The test client, logged in as ``staff_user``."""
    client.force_login(staff_user)
    return client


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; skipped locally without it, fatal in CI."""
    if not os.path.exists(CHROMIUM):
        missing_tool(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def isolated_context(browser, **options):
    """A browser context that can only reach loopback; returns it and the blocked URLs.

    Tests never touch the internet. A page that tries (a map, a tracker) is stopped here,
    and the list of attempts lets a test assert that there were none.
    """
    context = browser.new_context(**options)
    attempts: list[str] = []

    def only_loopback(route) -> None:
        if urlsplit(route.request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            attempts.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    return context, attempts


@pytest.fixture
def page(browser):
    context, attempts = isolated_context(
        browser, locale="nl-NL", viewport={"width": 375, "height": 800}
    )
    page = context.new_page()
    yield page
    context.close()
    assert not attempts, f"the page tried to reach the internet: {attempts}"
