"""Mails come from the organisation: its name as the sender's display name and in the
signature and footer (issue 18)."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings

from config.settings.base import sender_address
from registrations import services
from registrations.emails import build_message
from tests.factories import EventFactory
from tests.mailserver import SmtpServer, worker_env
from tests.servers import ROOT


def text_and_html(message) -> tuple[str, str]:
    [(html, _mimetype)] = message.alternatives
    return message.body, html


@pytest.mark.django_db
def test_the_sender_and_the_signature_are_the_organisation():
    registration = services.register(
        event=EventFactory(title="Wijkavond Noord"), name="Anna", email="anna@example.org"
    )
    message = build_message(registration=registration, kind="confirmed")
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert settings.DEFAULT_FROM_EMAIL == "Gemeente Voorbeeldstad <noreply@example.org>"
    text, html = text_and_html(message)
    assert "Met vriendelijke groet,\nGemeente Voorbeeldstad\n" in text
    assert "Telefoon 0123 456 789" in text
    assert "Contactformulier: https://www.example.org/contact" in text
    assert "aangemeld via de website van Gemeente Voorbeeldstad." in text
    assert "Met vriendelijke groet,<br>Gemeente Voorbeeldstad</p>" in html
    assert '<a href="https://www.example.org/contact">Contactformulier</a>' in html
    assert "aangemeld via de website van Gemeente Voorbeeldstad." in html
    assert "de gemeente" not in text + html


@pytest.mark.django_db
@override_settings(BIJEEN_ORGANISATION_NAME="Gemeente Groenwaard")
@pytest.mark.parametrize(
    "kind", ["confirmed", "waitlisted", "promoted", "cancelled", "left_waitlist"]
)
def test_every_kind_of_mail_is_signed_in_the_residents_language(kind):
    registration = services.register(
        event=EventFactory(title="Wijkavond Noord"),
        name="Anna",
        email="anna@example.org",
        language="en",
    )
    text, html = text_and_html(build_message(registration=registration, kind=kind))
    for body in (text, html):
        assert "Kind regards," in body
        assert "on the website of Gemeente Groenwaard." in body


@pytest.mark.parametrize(
    ("address", "name", "expected"),
    [
        ("noreply@x.nl", "Gemeente X", "Gemeente X <noreply@x.nl>"),
        # A comma or quote in the name is quoted, so it can never split the address.
        ("noreply@x.nl", "Gemeente X, afdeling Y", '"Gemeente X, afdeling Y" <noreply@x.nl>'),
        ("noreply@x.nl", "Evil <a@evil.example>", '"Evil <a@evil.example>" <noreply@x.nl>'),
        # An address with a display name of its own keeps it.
        ("Bijeen <noreply@x.nl>", "Gemeente X", "Bijeen <noreply@x.nl>"),
    ],
)
def test_the_sender_address_is_built_safely(address, name, expected):
    assert sender_address(address, name=name) == expected


@pytest.mark.django_db(transaction=True)
def test_a_name_with_accents_and_a_comma_arrives_as_the_senders_display_name():
    """Through the settings, the real worker and a real SMTP server, parsed back."""
    name = 'Gemeente Súdwest-Fryslân, afdeling "Participatie"'
    smtp = SmtpServer().start()
    try:
        services.register(event=EventFactory(), name="Anna", email="anna@example.org")
        subprocess.run(
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
            cwd=ROOT,
            env={**worker_env(smtp.port), "BIJEEN_ORGANISATION_NAME": name},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    finally:
        smtp.stop()
    [message] = smtp.inbox.messages
    [sender] = message["From"].addresses
    assert sender.display_name == name
    assert sender.addr_spec == "noreply@example.org"
    assert name in message.get_body(("plain",)).get_content()
