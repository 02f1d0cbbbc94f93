"""Mail that staff can see: the outbox on the admin's start page, and sending a failed mail
again, with the real worker and a real SMTP server."""

import logging
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from registrations import services
from registrations.models import Registration
from tests.factories import EventFactory
from tests.mailserver import SmtpServer, run_worker_in_process, smtp_settings

pytestmark = pytest.mark.django_db(transaction=True)

INDEX = reverse("admin:index")


class RefusingInbox:
    """An SMTP server that refuses every recipient, naming the address, as real ones do."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        return f"550 5.1.1 <{address}>: Recipient address rejected"


@pytest.fixture
def refusing_smtp(settings):
    server = SmtpServer()
    server.inbox = RefusingInbox()
    server.start()
    smtp_settings(settings, server)
    settings.BIJEEN_MAIL_MAX_ATTEMPTS = 1  # the first refusal is final
    yield server
    server.stop()


def panel(html: str) -> str:
    """The mail panel: from its module to the admin's list of apps that follows it."""
    assert 'class="module dashboard-mail"' in html, "no mail panel on the page"
    return html.split('class="module dashboard-mail"', 1)[1].split('class="app-', 1)[0]


def count(html: str, label: str) -> str:
    return re.search(rf"<dt>{label}</dt><dd>(\d+)", html).group(1)


def test_a_failed_mail_shows_on_the_start_page_with_its_error_and_no_personal_data(
    refusing_smtp, staff_client, caplog
):
    event = EventFactory(title="Wijkavond Noord")
    anna = services.register(event=event, name="Anna Jansen", email="anna@example.org")
    with caplog.at_level(logging.INFO):
        run_worker_in_process()

    [error] = [r for r in caplog.records if r.name == "registrations.tasks"]
    assert error.levelname == "ERROR"
    html = panel(staff_client.get(INDEX).content.decode())
    assert count(html, "Mislukt") == "1"
    assert count(html, "Wachtend") == "0"
    assert "Bevestiging van de aanmelding" in html
    assert f"aanmelding {anna.pk}</a>, Wijkavond Noord" in html
    assert "SMTPRecipientsRefused (550)" in html
    assert "Opnieuw versturen" in html
    assert "anna@" not in html and "Jansen" not in html


def test_staff_send_a_failed_mail_again_through_the_outbox(refusing_smtp, staff_client, settings):
    event = EventFactory(title="Wijkavond Noord")
    anna = services.register(event=event, name="Anna", email="anna@example.org")
    run_worker_in_process()
    [failed] = DBTaskResult.objects.filter(status="FAILED")
    retry_url = reverse("admin:registrations_registration_mail_retry", args=[failed.pk])
    assert retry_url in staff_client.get(INDEX).content.decode()

    done = staff_client.post(retry_url, follow=True)

    assert done.redirect_chain[-1][0] == INDEX
    html = done.content.decode()
    assert "De e-mail “bevestiging van de aanmelding” staat weer in de uitgaande post." in html
    assert count(panel(html), "Mislukt") == "0"  # retried: no longer needs attention
    assert count(panel(html), "Wachtend") == "1"
    assert "nieuwe poging" not in panel(html)  # to run at once, not a retry that waits
    [again] = DBTaskResult.objects.filter(status="READY")
    assert again.args_kwargs["kwargs"] == {
        "registration_id": anna.pk,
        "kind": "confirmed",
        "attempt": 1,
    }
    log = LogEntry.objects.get(object_id=str(anna.pk))
    assert "opnieuw in de uitgaande post gezet" in log.get_change_message()

    # The mail server works again: the worker delivers it.
    working = SmtpServer().start()
    try:
        smtp_settings(settings, working)
        run_worker_in_process()
        assert working.inbox.subjects() == ["Je bent aangemeld: Wijkavond Noord"]
    finally:
        working.stop()
    html = panel(staff_client.get(INDEX).content.decode())
    assert (count(html, "Vandaag verstuurd"), count(html, "Mislukt")) == ("1", "0")


def test_a_status_change_mail_is_sent_again_about_the_same_change(refusing_smtp, staff_client):
    event = EventFactory(title="Wijkavond Noord")
    services.register(event=event, name="Anna", email="anna@example.org")
    change = services.change_event_status(event=event, status="cancelled", reason="Ziekte.")
    run_worker_in_process()
    failed = DBTaskResult.objects.get(status="FAILED", args_kwargs__kwargs__kind="event_cancelled")

    staff_client.post(reverse("admin:registrations_registration_mail_retry", args=[failed.pk]))

    [again] = DBTaskResult.objects.filter(status="READY")
    assert again.args_kwargs["kwargs"]["change_id"] == change.pk


def test_a_worker_retry_waits_and_is_not_a_failure(settings, staff_client):
    server = SmtpServer()
    server.inbox = RefusingInbox()
    server.start()
    try:
        smtp_settings(settings, server)
        settings.BIJEEN_MAIL_RETRY_SECONDS = 3600
        services.register(event=EventFactory(), name="Anna", email="anna@example.org")
        run_worker_in_process()
    finally:
        server.stop()
    html = panel(staff_client.get(INDEX).content.decode())
    assert count(html, "Mislukt") == "0"
    assert count(html, "Wachtend") == "1"
    assert "1 wacht op een nieuwe poging" in html


def test_an_erased_registrations_mail_is_not_sent_again(refusing_smtp, staff_client):
    event = EventFactory()
    anna = services.register(event=event, name="Anna", email="anna@example.org")
    run_worker_in_process()
    [failed] = DBTaskResult.objects.filter(status="FAILED")
    services.erase(registration=anna)

    html = staff_client.get(INDEX).content.decode()
    assert reverse("admin:registrations_registration_mail_retry", args=[failed.pk]) not in html
    response = staff_client.post(
        reverse("admin:registrations_registration_mail_retry", args=[failed.pk]), follow=True
    )
    assert "is niet opnieuw verstuurd: De gegevens van deze aanmelding zijn gewist." in (
        response.content.decode()
    )
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_retrying_is_a_post_for_staff_who_may_change_registrations(refusing_smtp, client):
    services.register(event=EventFactory(), name="Anna", email="anna@example.org")
    run_worker_in_process()
    [failed] = DBTaskResult.objects.filter(status="FAILED")
    url = reverse("admin:registrations_registration_mail_retry", args=[failed.pk])
    viewer = User.objects.create_user("kijker", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_registration"))
    client.force_login(viewer)

    html = panel(client.get(INDEX).content.decode())
    assert count(html, "Mislukt") == "1"
    assert "Opnieuw versturen" not in html
    assert client.post(url).status_code == 403

    events_only = User.objects.create_user("evenementen", password="x", is_staff=True)
    events_only.user_permissions.add(Permission.objects.get(codename="view_event"))
    client.force_login(events_only)
    assert "dashboard-mail" not in client.get(INDEX).content.decode()


def test_retry_url_refuses_get_and_unknown_rows(staff_client):
    url = reverse(
        "admin:registrations_registration_mail_retry",
        args=["00000000-0000-0000-0000-000000000000"],
    )
    assert staff_client.get(url).status_code == 405
    assert staff_client.post(url).status_code == 404


def test_the_start_page_costs_the_same_queries_with_one_or_many_failed_mails(
    refusing_smtp, staff_client
):
    event = EventFactory(capacity=50)
    services.register(event=event, name="Anna", email="anna@example.org")
    run_worker_in_process()
    with CaptureQueriesContext(connection) as one:
        staff_client.get(INDEX)
    for number in range(15):
        services.register(event=event, name=f"Bewoner {number}", email=f"b{number}@example.org")
    run_worker_in_process()
    with CaptureQueriesContext(connection) as many:
        html = staff_client.get(INDEX).content.decode()
    assert count(panel(html), "Mislukt") == "16"
    assert len(many) == len(one)
    assert Registration.objects.count() == 16
