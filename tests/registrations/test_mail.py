"""Confirmation mail through the outbox, delivered by the real worker to a real SMTP server."""

import subprocess
import sys
import time

import icalendar
import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from registrations import services
from registrations.models import Registration
from tests.factories import EventFactory
from tests.mailserver import SITE_URL, SmtpServer, run_worker, worker_env
from tests.servers import ROOT, free_port

pytestmark = pytest.mark.django_db(transaction=True)

VALID = {"name": "Anna de Vries", "email": "anna@example.org", "consent": "on"}


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


def parts(message) -> dict[str, str]:
    found = {}
    for part in message.walk():
        if part.get_content_maintype() != "multipart":
            found[part.get_content_type()] = part.get_content()
    return found


def test_signup_mail_waits_in_the_outbox_and_the_worker_delivers_it(client, smtp):
    event = EventFactory(title="Wijkavond Noord", location="Buurthuis De Linde")
    response = client.post(reverse("registrations:signup", args=[event.slug]), VALID)
    registration = Registration.objects.get()

    assert response.status_code == 302
    assert smtp.inbox.messages == []  # nothing is sent inside the request
    assert DBTaskResult.objects.count() == 1

    run_worker(smtp.port)

    [message] = smtp.inbox.messages
    assert message["Subject"] == "Je bent aangemeld: Wijkavond Noord"
    assert "anna@example.org" in message["To"]
    content = parts(message)
    text, html = content["text/plain"], content["text/html"]
    for body in (text, html):
        assert "Wijkavond Noord" in body
        assert "Buurthuis De Linde" in body
        assert SITE_URL + event.get_absolute_url() in body
        assert SITE_URL + registration.get_absolute_url() in body
    assert " om " in text
    calendar = icalendar.Calendar.from_ical(content["text/calendar"])
    [vevent] = calendar.walk("VEVENT")
    assert vevent["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)


def test_english_sign_up_gets_english_mail(client, smtp):
    event = EventFactory(title="Wijkavond Noord")
    client.post("/en" + reverse("registrations:signup", args=[event.slug]), VALID)
    run_worker(smtp.port)
    [message] = smtp.inbox.messages
    assert message["Subject"] == "You are signed up: Wijkavond Noord"
    assert "/en/aanmelding/" in parts(message)["text/plain"]


def test_smtp_outage_delays_mail_without_failing_the_sign_up(client):
    port = free_port()  # nothing listens here yet: the mail server is down
    event = EventFactory(title="Wijkavond Noord")

    response = client.post(reverse("registrations:signup", args=[event.slug]), VALID)
    assert response.status_code == 302
    run_worker(port)  # first attempt fails and schedules the next one

    assert list(DBTaskResult.objects.values_list("status", flat=True).order_by("enqueued_at")) == [
        "FAILED",
        "READY",
    ]

    server = SmtpServer(port).start()
    try:
        retry_at = DBTaskResult.objects.get(status="READY").run_after
        deadline = time.monotonic() + 30
        while not server.inbox.messages and time.monotonic() < deadline:
            if retry_at is not None:
                time.sleep(0.2)  # bounded wait until the backoff has passed
            run_worker(port)
        assert server.inbox.subjects() == ["Je bent aangemeld: Wijkavond Noord"]
    finally:
        server.stop()


KILLED_AFTER_COMMIT = """
import os
from events.models import Event
from registrations import services
services.register(event=Event.objects.get(slug="{slug}"), name="Bram", email="bram@example.org")
os._exit(9)  # the web process dies right after its transaction committed
"""


def test_mail_survives_a_web_process_killed_right_after_the_commit(smtp):
    event = EventFactory(title="Wijkavond Noord")
    killed = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", KILLED_AFTER_COMMIT.format(slug=event.slug)],
        cwd=ROOT,
        env=worker_env(smtp.port),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert killed.returncode == 9

    run_worker(smtp.port)

    assert smtp.inbox.subjects() == ["Je bent aangemeld: Wijkavond Noord"]


def test_full_story_sends_each_resident_the_right_mails(client, smtp):
    """Sign-up, waiting list, promotion, cancellation: the subjects each resident sees."""
    event = EventFactory(title="Jeugdraad", capacity=1, waitlist_capacity=1)
    signup = reverse("registrations:signup", args=[event.slug])
    client.post(signup, {**VALID, "email": "anna@example.org", "name": "Anna"})
    client.post(signup, {**VALID, "email": "bram@example.org", "name": "Bram"})
    anna = Registration.objects.get(email="anna@example.org")
    bram = Registration.objects.get(email="bram@example.org")
    client.post(reverse("registrations:cancel", args=[anna.token]))  # Bram moves up
    services.cancel(registration=bram)

    run_worker(smtp.port)

    received = {
        who: [str(m["Subject"]) for m in smtp.inbox.messages if who in str(m["To"])]
        for who in ("anna@", "bram@")
    }
    assert received["anna@"] == ["Je bent aangemeld: Jeugdraad", "Je bent afgemeld: Jeugdraad"]
    assert sorted(received["bram@"]) == sorted(
        [
            "Je staat op de wachtlijst: Jeugdraad",
            "Er is een plaats vrijgekomen: Jeugdraad",
            "Je bent afgemeld: Jeugdraad",
        ]
    )
    promoted = next(m for m in smtp.inbox.messages if "vrijgekomen" in str(m["Subject"]))
    assert "text/calendar" in parts(promoted)


def test_refused_sign_up_queues_no_mail(client):
    event = EventFactory(capacity=1)
    signup = reverse("registrations:signup", args=[event.slug])
    client.post(signup, VALID)
    client.post(signup, {**VALID, "email": "bram@example.org"})
    assert DBTaskResult.objects.count() == 1
