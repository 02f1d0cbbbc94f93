"""The embedded SQLite default under concurrency: gunicorn with several worker processes.

Several processes write one SQLite file, as `make run`-style single-machine installs
would. IMMEDIATE transactions make writers queue instead of racing or failing.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.concurrency.rush import signup_rush

pytestmark = pytest.mark.concurrency

ROOT = Path(__file__).resolve().parents[2]
SEATS = 10
ATTEMPTS = 50

CREATE_EVENT = """
import datetime
from django.utils import timezone
from events.models import Event
start = timezone.now() + datetime.timedelta(days=7)
Event.objects.create(title="Drukke avond", slug="drukke-avond", starts_at=start,
    ends_at=start + datetime.timedelta(hours=2), location="Buurthuis", capacity={seats},
    is_published=True)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def sqlite_server(tmp_path):
    database = tmp_path / "bijeen.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    manage = [sys.executable, "manage.py"]
    for args in (["migrate", "--noinput"], ["shell", "-c", CREATE_EVENT.format(seats=SEATS)]):
        subprocess.run([*manage, *args], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603

    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base_url + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not start"
            assert server.poll() is None, "gunicorn exited"
            time.sleep(0.2)
        yield base_url, database
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_concurrent_signups_on_sqlite_fill_exactly_the_capacity(sqlite_server):
    base_url, database = sqlite_server

    statuses = signup_rush(
        base_url=base_url, event_path="/evenementen/drukke-avond/", attempts=ATTEMPTS
    )

    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT count(*) FROM registrations_registration WHERE status = 'confirmed'"
        ).fetchone()[0]
        counter = db.execute("SELECT confirmed_count FROM events_event").fetchone()[0]
    assert rows == SEATS
    assert counter == SEATS
    assert statuses == {302: SEATS, 409: ATTEMPTS - SEATS}, statuses
