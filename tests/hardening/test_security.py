"""Security headers, rate limits, honeypot, admin login throttling, request size limits."""

import contextlib
import io
import logging

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from config.logs import MaskTokensFilter, mask_tokens
from events.models import Event
from registrations import tasks
from registrations.models import Registration
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

VALID = {"name": "Anna de Vries", "email": "anna@example.org", "consent": "on"}


def signup_url(event) -> str:
    return reverse("registrations:signup", args=[event.slug])


def test_public_pages_send_a_strict_content_security_policy_and_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_sign_ups_beyond_the_rate_limit_get_a_dutch_429_and_write_nothing(client, settings):
    settings.SIGNUP_RATE_LIMIT = 2
    event = EventFactory()
    for number in range(2):
        client.post(signup_url(event), {**VALID, "email": f"p{number}@example.org"})

    response = client.post(signup_url(event), {**VALID, "email": "third@example.org"})

    assert response.status_code == 429
    assert "Even wachten" in response.content.decode()
    assert response["Retry-After"] == str(settings.SIGNUP_RATE_WINDOW)
    assert not Registration.objects.filter(email="third@example.org").exists()


def test_rate_limits_can_be_switched_off_for_a_load_test(client, settings):
    settings.SIGNUP_RATE_LIMIT = 1
    settings.RATELIMIT_ENABLE = False
    event = EventFactory()
    for number in range(3):
        response = client.post(signup_url(event), {**VALID, "email": f"p{number}@example.org"})
        assert response.status_code == 302
    assert Registration.objects.count() == 3


def test_personal_link_guessing_is_rate_limited(client, settings):
    settings.SELF_SERVICE_RATE_LIMIT = 3
    statuses = [client.get(f"/aanmelding/gok-{n}/").status_code for n in range(5)]
    assert statuses == [404, 404, 404, 429, 429]


def test_cookie_choices_are_rate_limited(client, settings):
    settings.CONSENT_RATE_LIMIT = 1
    url = reverse("consent:settings")
    assert client.post(url, {"keuze": "weigeren"}).status_code == 302
    assert client.post(url, {"keuze": "weigeren"}).status_code == 429


def test_filled_honeypot_on_the_sign_up_form_writes_nothing(client):
    event = EventFactory()
    response = client.post(signup_url(event), {**VALID, "website": "http://spam.example"})
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert not Registration.objects.exists()


def test_sign_up_form_carries_a_hidden_honeypot(client):
    html = client.get(EventFactory().get_absolute_url()).content.decode()
    assert 'class="honeypot" aria-hidden="true"' in html
    assert 'name="website"' in html


def test_oversized_requests_are_refused_early(client):
    event = EventFactory()
    big = client.post(signup_url(event), {**VALID, "name": "A" * (70 * 1024)})
    assert big.status_code == 400
    many = client.post(signup_url(event), {**VALID, **{f"f{n}": "x" for n in range(600)}})
    assert many.status_code == 400
    assert not Registration.objects.exists()


def test_admin_logins_are_throttled_after_repeated_failures():
    User.objects.create_user("medewerker", password="een-goed-wachtwoord", is_staff=True)
    client = Client()
    login = reverse("admin:login")
    for _ in range(5):
        client.post(login, {"username": "medewerker", "password": "fout"})

    locked = client.post(login, {"username": "medewerker", "password": "een-goed-wachtwoord"})

    assert locked.status_code == 429
    assert "Tijdelijk geblokkeerd" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_passwords_must_be_long_and_uncommon():
    with pytest.raises(ValidationError):
        validate_password("kort123")
    with pytest.raises(ValidationError):
        validate_password("password1234")
    validate_password("paars-fietsje-onder-de-lamp")


def test_database_lost_mid_sign_up_answers_503_in_dutch_and_writes_nothing(monkeypatch):
    """The connection drops after the registration row and the counter were written, but
    before the transaction commits (here: while the mail task is queued). The resident
    gets the 503 page, and none of the three writes survives: the registration, the seat
    and the mail are one transaction."""

    def connection_lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    event = EventFactory()
    monkeypatch.setattr(tasks, "queue_mail", connection_lost)
    client = Client(raise_request_exception=False)

    response = client.post(signup_url(event), VALID)

    assert response.status_code == 503
    assert "Even niet bereikbaar" in response.content.decode()
    assert response["Retry-After"]
    assert not Registration.objects.exists()
    assert Event.objects.get(pk=event.pk).confirmed_count == 0
    assert not DBTaskResult.objects.exists()


def test_mask_hides_email_addresses_and_personal_links():
    text = "Not Found: /aanmelding/Zk3_secret-Token/afmelden/ for anna.de.vries@example.org"
    masked = mask_tokens(text)
    assert "secret" not in masked
    assert "anna.de.vries@" not in masked
    assert "/aanmelding/***/afmelden/" in masked
    assert "a***@example.org" in masked


@contextlib.contextmanager
def django_log_lines():
    """What Django's log handler (the one with the masking filter) writes meanwhile."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, MaskTokensFilter) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def test_request_log_lines_carry_no_personal_link(client):
    with django_log_lines() as stream:
        client.get("/aanmelding/Zk3_secret-Token/")
    assert "Not Found: /aanmelding/***/" in stream.getvalue()
    assert "secret" not in stream.getvalue()


@pytest.mark.django_db
def test_a_refused_sign_up_is_no_warning_but_a_missing_page_still_is(client):
    """A 409 (full, closed, already registered) is an answer, not a problem: no
    "Conflict" warning per refused attempt; a 404 is still logged."""
    from registrations import services
    from tests.factories import EventFactory

    event = EventFactory(capacity=1)
    services.register(event=event, name="Eerste", email="eerste@example.org")
    with django_log_lines() as stream:
        refused = client.post(
            event.get_absolute_url() + "aanmelden/",
            {"name": "Anna", "email": "anna@example.org", "consent": "on"},
        )
        client.get("/bestaat-niet/")
    assert refused.status_code == 409
    assert "Conflict" not in stream.getvalue()
    assert "Not Found: /bestaat-niet/" in stream.getvalue()
