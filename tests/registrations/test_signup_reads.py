"""What a sign-up POST reads before it takes the lock: the event and its questions, in
one query when the event asks questions; and a refused one reads nothing after."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event
from registrations import services
from registrations.models import Question, QuestionKind
from registrations.selectors import event_for_signup
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _ask(event, *, hidden=False, order=1, text="Wijk?"):
    return Question.objects.create(
        event=event, kind=QuestionKind.SHORT_TEXT, text=text, order=order, is_hidden=hidden
    )


def test_an_event_with_questions_comes_with_them_in_one_query(django_assert_num_queries):
    event = EventFactory()
    second = _ask(event, order=2, text="Tweede?")
    first = _ask(event, order=1, text="Eerste?")
    _ask(event, hidden=True, order=0, text="Verborgen?")
    _ask(EventFactory(), text="Elders?")
    with django_assert_num_queries(1):
        found, questions = event_for_signup(event.slug)
        assert found == event
        assert questions == [first, second]
        assert all(question.event is found for question in questions)
        assert found.max_party_size == event.max_party_size


def test_an_event_without_questions_takes_two(django_assert_num_queries):
    event = EventFactory()
    _ask(event, hidden=True)
    with django_assert_num_queries(2):
        assert event_for_signup(event.slug) == (event, [])


@pytest.mark.parametrize("with_questions", [True, False])
def test_an_unpublished_or_missing_event_is_not_found(with_questions):
    event = EventFactory(is_published=False)
    if with_questions:
        _ask(event)
    with pytest.raises(Event.DoesNotExist):
        event_for_signup(event.slug)
    with pytest.raises(Event.DoesNotExist):
        event_for_signup("bestaat-niet")


def test_a_sign_up_for_an_unpublished_event_with_questions_is_a_404(client):
    event = EventFactory(is_published=False)
    _ask(event)
    response = client.post(
        f"/evenementen/{event.slug}/aanmelden/",
        {"name": "Anna", "email": "anna@example.org", "consent": "on"},
    )
    assert response.status_code == 404


def test_a_refused_sign_up_reads_the_event_once_before_the_lock_and_never_after(client):
    """Full event with questions, page cache off: the event with its questions (1), BEGIN,
    the lock, "already registered?", ROLLBACK; the page then renders from the event as
    read under the lock (its own queries follow, none of them the event row again)."""
    event = EventFactory(capacity=1)
    question = _ask(event)
    services.register(event=event, name="Eerste", email="eerste@example.org")
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            f"/evenementen/{event.slug}/aanmelden/",
            {
                "name": "Anna",
                "email": "anna@example.org",
                "consent": "on",
                f"vraag_{question.pk}": "Noord",
            },
        )
    assert response.status_code == 409
    sqls = [query["sql"] for query in captured.captured_queries]
    lock = next(i for i, sql in enumerate(sqls) if "FOR UPDATE" in sql)
    before, after = sqls[:lock], sqls[lock + 1 :]
    assert [sql for sql in before if sql != "BEGIN" and "SAVEPOINT" not in sql] == [sqls[0]], before
    assert "registrations_question" in sqls[0] and "events_event" in sqls[0]
    event_reads = [sql for sql in after if sql.startswith('SELECT "events_event"."id"')]
    assert event_reads == [], event_reads
