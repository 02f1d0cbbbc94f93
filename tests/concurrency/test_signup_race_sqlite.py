"""The embedded SQLite default under concurrency: gunicorn with several worker processes.

Several processes write one SQLite file, as `make run`-style single-machine installs
would. IMMEDIATE transactions make writers queue instead of racing or failing.
"""

import os
import sqlite3

import pytest

from tests.concurrency.rush import signup_rush
from tests.servers import gunicorn, manage

pytestmark = pytest.mark.concurrency

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


@pytest.fixture
def sqlite_server(tmp_path):
    database = tmp_path / "bijeen.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_RATELIMIT_ENABLE": "false",
    }
    for args in (["migrate", "--noinput"], ["shell", "-c", CREATE_EVENT.format(seats=SEATS)]):
        result = manage(*args, env=env)
        assert result.returncode == 0, result.stderr
    with gunicorn(env=env, workers=4, threads=4) as base_url:
        yield base_url, database


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
