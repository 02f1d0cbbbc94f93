"""Personal pages (/aanmelding/<token>/…): their address is the key to a resident's data,
so it never reaches the statistics, neither as the page tracked nor as the next page's
referrer."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from registrations import services
from registrations.models import Registration, RegistrationStatus
from tests.consent.conftest import consent_cookie
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

STATISTICS = ("matomo-config", "statistics.js", "statistiek.example.org")


@pytest.fixture
def registration() -> Registration:
    return services.register(event=EventFactory(), name="Anna", email="anna@example.org")


@pytest.fixture
def allowed(client, matomo):
    """A visitor who allowed statistics: every ordinary page carries Matomo's code."""
    client.cookies["bijeen_consent"] = consent_cookie(statistieken=True, externe_media=True)
    return client


def personal_urls(registration: Registration) -> list[str]:
    return [
        reverse(name, args=[registration.token])
        for name in (
            "registrations:detail",
            "registrations:cancel",
            "registrations:data",
            "registrations:erase",
        )
    ]


def test_an_ordinary_page_has_the_statistics_code(allowed, registration):
    """The control: with this consent the code is there, so its absence below means
    something."""
    html = allowed.get(registration.event.get_absolute_url()).content.decode()
    assert all(marker in html for marker in STATISTICS)


def test_no_statistics_code_on_personal_pages(allowed, registration):
    for url in personal_urls(registration):
        response = allowed.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert not any(marker in body for marker in STATISTICS), url
        assert "statistiek.example.org" not in response.get("Content-Security-Policy", ""), url


def test_personal_pages_send_no_referrer(allowed, registration):
    for url in personal_urls(registration):
        assert allowed.get(url)["Referrer-Policy"] == "no-referrer", url
    # Ordinary pages keep the site's policy.
    assert allowed.get("/")["Referrer-Policy"] == "same-origin"


def test_the_redirects_of_a_personal_page_send_no_referrer(client, registration):
    """After cancelling or erasing, the next page must not learn the address either."""
    cancelled = client.post(reverse("registrations:cancel", args=[registration.token]))
    assert cancelled.status_code == 302
    assert cancelled["Referrer-Policy"] == "no-referrer"
    other = services.register(event=EventFactory(), name="Bram", email="bram@example.org")
    erased = client.post(reverse("registrations:erase", args=[other.token]))
    assert erased.status_code == 302
    assert erased["Referrer-Policy"] == "no-referrer"


def test_no_statistics_on_a_personal_link_that_does_not_work(allowed):
    """An unknown or erased link answers 404 with the site's page: no statistics there."""
    response = allowed.get("/aanmelding/bestaat-niet-meer/")
    assert response.status_code == 404
    assert not any(marker in response.content.decode() for marker in STATISTICS)


def test_no_statistics_on_the_too_many_requests_page_of_a_personal_link(
    allowed, registration, settings
):
    settings.SELF_SERVICE_RATE_LIMIT = 1
    url = reverse("registrations:detail", args=[registration.token])
    allowed.get(url)
    response = allowed.get(url)
    assert response.status_code == 429
    assert not any(marker in response.content.decode() for marker in STATISTICS)


def test_no_cookie_banner_on_personal_pages(client, matomo, registration):
    """The banner's form cannot be posted from a page without a referrer (the browser
    sends ``Origin: null``, which CSRF protection refuses); the page uses nothing optional,
    so the visitor is asked on the next ordinary page."""
    for url in personal_urls(registration)[:2]:
        assert 'id="cookiemelding"' not in client.get(url).content.decode(), url
    assert 'id="cookiemelding"' in client.get("/").content.decode()


def _form_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("action", ["registrations:cancel", "registrations:erase"])
def test_the_forms_of_personal_pages_work_from_a_page_without_referrer(registration, action):
    """What a browser sends from a page with ``Referrer-Policy: no-referrer``: ``Origin:
    null`` and no Referer, over HTTPS."""
    browser = Client(enforce_csrf_checks=True)
    url = reverse(action, args=[registration.token])
    token = _form_token(browser.get(url).content.decode())
    response = browser.post(url, {"csrfmiddlewaretoken": token}, HTTP_ORIGIN="null", secure=True)
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
