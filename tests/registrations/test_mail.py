"""Confirmation mail through the outbox, delivered by the real worker to a real SMTP server."""

import logging
import subprocess
import sys
import time

import icalendar
import pytest
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from registrations import services, tasks
from registrations.models import Registration
from tests.factories import EventFactory
from tests.mailserver import (
    SITE_URL,
    SmtpServer,
    run_worker,
    run_worker_in_process,
    smtp_settings,
    worker_env,
)
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


# --- Addresses and failures (issue 13, item 1) ---------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Jansen, Piet",
        "Anna; Bram",
        "Piet: Jansen",
        'Karel "Kees" de Vries',
        # Refused by the form since issue 13; rows written before still get their mail.
        "aanvaller@evil.example (",
        "Bram <bram@evil.example>",
    ],
)
def test_the_name_can_neither_lose_nor_redirect_the_mail(smtp, name):
    event = EventFactory(title="Wijkavond Noord")
    services.register(event=event, name=name, email="anna@example.org")

    run_worker(smtp.port)

    assert smtp.inbox.recipients == [["anna@example.org"]]
    [message] = smtp.inbox.messages
    assert message["To"].addresses[0].addr_spec == "anna@example.org"
    assert "evil.example" not in str(message["To"])
    assert f"Beste {name}," in parts(message)["text/plain"]  # the name is in the greeting


@pytest.fixture
def smtp_here(settings, smtp):
    """The SMTP backend pointed at ``smtp``, for the worker run in this process."""
    smtp_settings(settings, smtp)
    return smtp


def test_an_unexpected_error_fails_the_task_visibly_without_personal_data(
    smtp_here, monkeypatch, caplog
):
    event = EventFactory(title="Wijkavond Noord")
    services.register(event=event, name="Anna Jansen", email="anna@example.org")

    def broken(**kwargs):
        raise ValueError('Invalid address "Anna Jansen <anna@example.org>"')

    monkeypatch.setattr("registrations.emails.build_message", broken)
    with caplog.at_level(logging.INFO):
        run_worker_in_process()

    [task] = DBTaskResult.objects.all()  # failed, and no retry queued: it would fail again
    assert task.status == "FAILED"
    assert task.exception_class_path == "registrations.tasks.MailNotSent"
    assert "ValueError" in task.traceback
    [error] = [r for r in caplog.records if r.name == "registrations.tasks"]
    assert error.levelname == "ERROR"
    assert "ValueError" in error.getMessage()
    for text in (task.traceback, *(r.getMessage() for r in caplog.records), caplog.text):
        assert "anna@" not in text
        assert "Jansen" not in text
    assert smtp_here.inbox.messages == []


class RefusingInbox:
    """An SMTP server that refuses every recipient, naming the address, as real ones do."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        return f"550 5.1.1 <{address}>: Recipient address rejected"


def test_a_refused_recipient_is_retried_and_the_task_rows_hold_no_address(
    settings, monkeypatch, caplog
):
    server = SmtpServer()
    server.inbox = RefusingInbox()
    server.start()
    try:
        smtp_settings(settings, server)
        settings.BIJEEN_MAIL_RETRY_SECONDS = 3600  # the retry waits: one attempt here
        event = EventFactory(title="Wijkavond Noord")
        services.register(event=event, name="Anna Jansen", email="anna@example.org")
        with caplog.at_level(logging.INFO):
            run_worker_in_process()
    finally:
        server.stop()

    failed, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert (failed.status, retry.status) == ("FAILED", "READY")
    assert "SMTPRecipientsRefused" in failed.traceback
    assert "550" in failed.traceback
    warning = next(r for r in caplog.records if r.name == "registrations.tasks")
    assert warning.levelname == "WARNING"
    for text in (failed.traceback, caplog.text):
        assert "anna@" not in text


def test_a_registration_without_an_address_is_skipped_not_failed(smtp_here):
    # A desk sign-up (Registration.email may be blank): nothing to send, nothing wrong.
    event = EventFactory(title="Wijkavond Noord")
    registration = services.register(event=event, name="Anna Jansen", email="", by_staff=True)
    # The service queues nothing without an address; should a mail be queued anyway (an
    # address erased while it waited), the worker skips it.
    assert not DBTaskResult.objects.exists()
    with transaction.atomic():
        tasks.queue_mail(registration=registration, kind="confirmed")

    run_worker_in_process()

    [task] = DBTaskResult.objects.all()
    assert (task.status, task.return_value) == ("SUCCESSFUL", "skipped: no e-mail address")
    assert smtp_here.inbox.messages == []
