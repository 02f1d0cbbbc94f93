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
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
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
