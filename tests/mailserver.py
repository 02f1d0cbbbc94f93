"""A real SMTP server on loopback (aiosmtpd) and the real mail worker in a subprocess."""

from __future__ import annotations

import email
import email.policy
import os
import subprocess
import sys
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from django.db import connection

from tests.servers import ROOT, free_port


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts, and the envelope
    recipients (``RCPT TO``) each one was delivered to."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []  # per message, in the same order

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        return [str(message["Subject"]) for message in self.messages]


class SmtpServer:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> SmtpServer:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller:
            self._controller.stop()
            self._controller = None


SITE_URL = "https://bijeen.example.org"


def worker_env(smtp_port: int) -> dict:
    """Environment for manage.py subprocesses: the test database, SMTP on loopback."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "DJANGO_EMAIL_TIMEOUT": "5",
        "DJANGO_SITE_URL": SITE_URL,
        "BIJEEN_MAIL_RETRY_SECONDS": "0.5",
    }


def run_worker_in_process() -> None:
    """Run django-tasks' database worker in this process until no task is ready: the same
    code as `manage.py db_worker --batch`, without a subprocess's start-up second, for
    tests that run it once per Hypothesis example. Needs ``django_db(transaction=True)``
    (the worker commits) and the SMTP backend pointed at an ``SmtpServer``
    (``smtp_settings``)."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["default"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
    ).run()


def smtp_settings(settings, server: SmtpServer) -> None:
    """Point Django's SMTP backend (pytest-django's ``settings`` fixture) at ``server``."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = SITE_URL


def run_worker(smtp_port: int) -> subprocess.CompletedProcess:
    """Run `manage.py db_worker` until no task is ready, as the operator's worker would."""
    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--interval",
            "0",
        ],
        cwd=ROOT,
        env=worker_env(smtp_port),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
