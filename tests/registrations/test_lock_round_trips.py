"""Round trips while a sign-up holds the event's row lock: each one is paid by every
sign-up queued behind it, so few, and counted here (`make bench-network` times them)."""

import contextlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registrations import services
from registrations.models import Registration
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


def under_the_lock(call) -> list[str]:
    with (
        CaptureQueriesContext(connection) as captured,
        contextlib.suppress(services.RegistrationError),
    ):
        call()
    sqls = [query["sql"] for query in captured.captured_queries]
    locked = next(i for i, sql in enumerate(sqls) if "FOR UPDATE" in sql)
    return [sql for sql in sqls[locked + 1 :] if sql not in ("COMMIT", "ROLLBACK")]


def sign_up(event, email):
    return lambda: services.register(event=event, name="Bewoner", email=email)


def test_a_confirmed_sign_up_writes_without_asking_first():
    event = EventFactory(capacity=2)
    statements = under_the_lock(sign_up(event, "a@example.org"))
    # The registration, the counter, the mail: no duplicate check (the constraint is it).
    assert len(statements) == 3, statements
    assert not any(sql.startswith("SELECT") for sql in statements)


def test_a_duplicate_with_seats_left_is_still_already_registered():
    event = EventFactory(capacity=3)
    services.register(event=event, name="Bewoner", email="a@example.org")
    with pytest.raises(services.AlreadyRegistered):
        services.register(event=event, name="Bewoner", email="A@example.org ")
    event.refresh_from_db()
    assert event.confirmed_count == 1
    assert Registration.objects.filter(event=event).count() == 1


def test_a_refusal_of_a_full_event_asks_one_question_under_the_lock():
    event = EventFactory(capacity=1)
    services.register(event=event, name="Eerste", email="eerste@example.org")
    statements = under_the_lock(sign_up(event, "b@example.org"))
    assert len(statements) == 1, statements  # already registered? (it says so before "full")
