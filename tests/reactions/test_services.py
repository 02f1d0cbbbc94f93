import datetime

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from reactions import services
from reactions.models import Reaction, ReactionStatus
from tests.factories import EventFactory, ReactionFactory, ReactionSettingsFactory

pytestmark = pytest.mark.django_db


def post(event, **overrides) -> Reaction:
    values = {"name": "Fatima", "email": "fatima@example.org", "text": "Ik kom met mijn buren."}
    return services.reaction_create(event=event, **{**values, **overrides})


@pytest.fixture
def moderator() -> User:
    return User.objects.create_user("moderator", is_staff=True)


def test_a_new_reaction_waits_for_moderation_by_default(event):
    reaction = post(event, name="  Fatima ", text="\nIk kom met mijn buren.\n")
    assert reaction.status == ReactionStatus.PENDING
    assert (reaction.name, reaction.text) == ("Fatima", "Ik kom met mijn buren.")
    assert reaction.moderated_at is None


def test_a_new_reaction_is_published_at_once_when_moderation_is_off(event):
    ReactionSettingsFactory(event=event, is_moderated=False)
    assert post(event).status == ReactionStatus.APPROVED


@pytest.mark.parametrize(
    "setup",
    [
        lambda: ReactionSettingsFactory(is_open=False).event,
        lambda: EventFactory(is_published=False),
    ],
    ids=["closed", "unpublished"],
)
def test_reacting_to_a_closed_or_unpublished_event_is_refused_and_writes_nothing(setup):
    event = setup()
    with pytest.raises(services.ReactionsClosed):
        post(event)
    assert not Reaction.objects.exists()


def test_approving_in_bulk_publishes_and_records_who_and_when(moderator):
    pending = ReactionFactory.create_batch(3, status=ReactionStatus.PENDING)
    already = ReactionFactory(status=ReactionStatus.APPROVED)
    moment = timezone.now() - datetime.timedelta(minutes=1)

    changed = services.reactions_approve(
        reaction_ids=[r.pk for r in [*pending, already]], moderator=moderator, now=moment
    )

    assert changed == 3
    for reaction in pending:
        reaction.refresh_from_db()
        assert reaction.status == ReactionStatus.APPROVED
        assert (reaction.moderated_by, reaction.moderated_at) == (moderator, moment)
    already.refresh_from_db()
    assert already.moderated_by is None  # untouched: it was published already


def test_rejecting_takes_a_published_reaction_off_the_site(moderator):
    published = ReactionFactory(status=ReactionStatus.APPROVED)
    pending = ReactionFactory(status=ReactionStatus.PENDING)
    other = ReactionFactory(status=ReactionStatus.PENDING)

    assert (
        services.reactions_reject(reaction_ids=[published.pk, pending.pk], moderator=moderator) == 2
    )

    statuses = dict(Reaction.objects.values_list("pk", "status"))
    assert statuses == {
        published.pk: ReactionStatus.REJECTED,
        pending.pk: ReactionStatus.REJECTED,
        other.pk: ReactionStatus.PENDING,
    }


@pytest.mark.parametrize("text", ["", "x" * 2001], ids=["empty", "too-long"])
def test_the_database_refuses_an_empty_or_overlong_text(event, text):
    with pytest.raises(IntegrityError), transaction.atomic():
        Reaction.objects.create(event=event, name="A", email="a@example.org", text=text)


def test_the_database_refuses_a_pending_reaction_with_a_moderation_date(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReactionFactory(event=event, status=ReactionStatus.PENDING, moderated_at=timezone.now())
