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


def _questions(event):
    from registrations.models import Question, QuestionKind

    return [
        Question.objects.create(event=event, kind=QuestionKind.SHORT_TEXT, text="Wijk?", order=1),
        Question.objects.create(event=event, kind=QuestionKind.YES_NO, text="Lift?", order=2),
    ]


@pytest.mark.parametrize("caller_passes_questions", [True, False])
def test_answers_are_checked_before_the_lock(caller_passes_questions):
    event = EventFactory(capacity=2)
    wijk, lift = _questions(event)
    statements = under_the_lock(
        lambda: services.register(
            event=event,
            name="Bewoner",
            email="a@example.org",
            answers={wijk.pk: "Noord", lift.pk: "ja"},
            questions=[wijk, lift] if caller_passes_questions else None,
        )
    )
    # The registration, its answers (one INSERT), the counter, the mail; no SELECT.
    assert len(statements) == 4, statements
    assert not any(sql.startswith("SELECT") for sql in statements)
    registration = Registration.objects.get(event=event)
    assert {a.question_id: a.value for a in registration.answers.all()} == {
        wijk.pk: "Noord",
        lift.pk: "ja",
    }


@pytest.mark.parametrize("caller_passes_questions", [True, False])
def test_answers_to_hidden_or_other_events_questions_are_dropped(caller_passes_questions):
    event, other = EventFactory(capacity=2), EventFactory(capacity=2)
    wijk, lift = _questions(event)
    elsewhere = _questions(other)[0]
    lift.is_hidden = True
    lift.save()
    services.register(
        event=event,
        name="Bewoner",
        email="a@example.org",
        answers={wijk.pk: "Noord", lift.pk: "ja", elsewhere.pk: "Zuid"},
        questions=[wijk, lift, elsewhere] if caller_passes_questions else None,
    )
    registration = Registration.objects.get(event=event)
    assert {a.question_id for a in registration.answers.all()} == {wijk.pk}


def test_a_refusal_under_the_lock_carries_the_event_as_read_there():
    event = EventFactory(capacity=1)
    stale = type(event).objects.get(pk=event.pk)
    services.register(event=event, name="Eerste", email="eerste@example.org")
    with pytest.raises(services.EventFull) as refused:
        services.register(event=stale, name="Tweede", email="tweede@example.org")
    assert stale.confirmed_count == 0
    assert refused.value.event is not None
    assert refused.value.event.confirmed_count == 1
    assert refused.value.event.is_full


def test_a_question_deleted_after_the_form_was_read_is_dropped_not_a_500():
    """Staff delete a question (no answers yet) while a resident's POST, whose form still
    had it, waits: the foreign key breaks at COMMIT; the sign-up is taken once more with
    the questions as they are then, and keeps the other answers."""
    event = EventFactory(capacity=2)
    wijk, lift = _questions(event)
    read_for_the_form = [wijk, lift]
    type(lift).objects.filter(pk=lift.pk).delete()
    registration = services.register(
        event=event,
        name="Bewoner",
        email="a@example.org",
        answers={wijk.pk: "Noord", lift.pk: "ja"},
        questions=read_for_the_form,
    )
    assert {a.question_id: a.value for a in registration.answers.all()} == {wijk.pk: "Noord"}
    event.refresh_from_db()
    assert event.confirmed_count == 1
    assert Registration.objects.filter(event=event).count() == 1
