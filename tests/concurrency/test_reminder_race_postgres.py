"""Two reminder runs at once remind every registration exactly once (PostgreSQL).

`manage.py send_reminders` runs from a timer every five minutes, and an operator may run
it on two machines, or by hand while the timer fires. Each run here has its own database
connection (two threads released by a barrier, or two processes), so their transactions
really overlap. The control run switches off the event's row lock and the row claim and
shows that the same two runs then remind everyone twice: the harness can see the race.
"""

import datetime
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from events.models import Event
from registrations import services, tasks
from registrations.models import Registration
from tests.factories import EventFactory
from tests.mailserver import SmtpServer, run_worker, worker_env
from tests.servers import ROOT

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

EVENTS = 3
PEOPLE = 40
# Each queued mail takes this long, so every run holds its transaction open a while and
# the two runs overlap (without the protections, both read the same rows as unreminded).
SLOW_QUEUE_SECONDS = 0.004


def due_registrations() -> list[Registration]:
    """EVENTS events starting tomorrow, each with PEOPLE residents who signed up a week
    ago: all due for their reminder now."""
    people = []
    for number in range(EVENTS):
        event = EventFactory(title=f"Wijkavond {number}", capacity=PEOPLE)
        people += [
            services.register(event=event, name=f"Bewoner {n}", email=f"b{number}-{n}@example.org")
            for n in range(PEOPLE)
        ]
    start = timezone.now() + datetime.timedelta(days=1)
    Event.objects.update(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    Registration.objects.update(created_at=timezone.now() - datetime.timedelta(days=7))
    DBTaskResult.objects.all().delete()  # the confirmations
    return people


def reminders_per_registration() -> Counter:
    return Counter(
        row.args_kwargs["kwargs"]["registration_id"]
        for row in DBTaskResult.objects.all()
        if row.args_kwargs["kwargs"]["kind"] == "reminder"
    )


@pytest.fixture
def slow_queue(monkeypatch):
    real = tasks.queue_mail

    def slow(**kwargs):
        time.sleep(SLOW_QUEUE_SECONDS)
        real(**kwargs)

    monkeypatch.setattr(tasks, "queue_mail", slow)


def two_runs_at_once() -> list[int]:
    """Two `send_due_reminders` in two threads, each with its own connection, released
    together; returns what each queued."""
    barrier = threading.Barrier(2)
    queued: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            queued.append(services.send_due_reminders())
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return queued


def test_two_runs_at_once_remind_each_registration_once(slow_queue):
    people = due_registrations()

    queued = two_runs_at_once()

    per_registration = reminders_per_registration()
    assert sum(queued) == len(people) == EVENTS * PEOPLE
    assert set(per_registration) == {p.pk for p in people}
    assert set(per_registration.values()) == {1}
    assert not Registration.objects.filter(reminded_at__isnull=True).exists()


def test_the_row_claim_alone_keeps_it_to_one_each(slow_queue, monkeypatch):
    """Without the event's row lock the runs work on the same event at the same time;
    skipping rows the other run holds, and re-checking reminded_at, still reminds each
    registration once."""
    monkeypatch.setattr(services, "lock_event", unlocked_read)
    people = due_registrations()

    queued = two_runs_at_once()

    assert sum(queued) == len(people)
    assert set(reminders_per_registration().values()) == {1}


def unlocked_read(*, event_id: int) -> Event:
    """What a run would do without the event's row lock: a plain read."""
    return Event.objects.get(pk=event_id)


def unprotected_claim(*, event, confirmed_before, now) -> list[Registration]:
    """What a run would do without the row claim: read what looks due, mark it."""
    due = list(
        Registration.objects.filter(
            event=event,
            status="confirmed",
            reminded_at__isnull=True,
            created_at__lt=confirmed_before,
        ).only("pk")
    )
    Registration.objects.filter(pk__in=[r.pk for r in due]).update(reminded_at=now)
    return due


def test_control_without_lock_and_claim_two_runs_remind_twice(slow_queue, monkeypatch):
    """The control experiment: the same two runs, unprotected, send duplicates."""
    monkeypatch.setattr(services, "lock_event", unlocked_read)
    monkeypatch.setattr(services, "_claim_reminders", unprotected_claim)
    people = due_registrations()

    queued = two_runs_at_once()

    per_registration = reminders_per_registration()
    twice = sum(1 for count in per_registration.values() if count > 1)
    print(f"\nunprotected: {sum(queued)} reminders queued for {len(people)} registrations")
    assert twice > 0, "the two runs did not overlap: the harness cannot show the race"


def waiting_on_a_lock() -> int:
    """How many other sessions of the test database wait for a lock now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def holding_the_row_lock_of(event_id: int, release: threading.Event) -> threading.Thread:
    """A thread that locks the event's row (as a run would) until ``release`` is set: the
    gate that makes two processes, started one after the other, wait for it together."""
    locked = threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                services.lock_event(event_id=event_id)
                locked.set()
                release.wait(timeout=120)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert locked.wait(timeout=30)
    return thread


def test_two_send_reminders_processes_send_each_resident_one_mail():
    """End to end: two `manage.py send_reminders` processes at once, then the mail worker
    and a real SMTP server. Every resident receives exactly one reminder.

    Both processes are made to wait on the first event's row lock together before either
    can start, so they certainly run at the same time (Python's start-up would otherwise
    decide which runs first)."""
    people = due_registrations()
    first_event = min(p.event_id for p in people)
    smtp = SmtpServer().start()
    release = threading.Event()
    gate = holding_the_row_lock_of(first_event, release)
    try:
        env = worker_env(smtp.port)
        command = [sys.executable, "manage.py", "send_reminders"]
        runs = [
            subprocess.Popen(  # noqa: S603
                command,
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        deadline = time.monotonic() + 60
        while waiting_on_a_lock() < 2:
            assert time.monotonic() < deadline, "the two runs never waited together"
            assert all(run.poll() is None for run in runs), "a run ended early"
            time.sleep(0.05)
        release.set()
        outputs = [run.communicate(timeout=120) for run in runs]
        gate.join(timeout=30)
        assert [run.returncode for run in runs] == [0, 0], outputs
        queued = [int(out.split("Queued ", 1)[1].split()[0]) for out, _err in outputs]
        print(f"\ntwo processes queued {queued}")
        assert sum(queued) == len(people)

        run_worker(smtp.port)

        received = Counter(rcpt for rcpts in smtp.inbox.recipients for rcpt in rcpts)
        assert all(len(rcpts) == 1 for rcpts in smtp.inbox.recipients)
        assert set(received) == {p.email for p in people}
        assert set(received.values()) == {1}
        assert all(s.startswith("Herinnering: Wijkavond") for s in smtp.inbox.subjects())
    finally:
        release.set()
        smtp.stop()
