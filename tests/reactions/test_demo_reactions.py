import pytest
from django.core.management import call_command

from reactions.models import Reaction, ReactionSettings, ReactionStatus

pytestmark = pytest.mark.django_db


def test_demo_reactions_are_idempotent_and_show_every_state():
    call_command("demo_data")
    call_command("demo_reactions")
    first = Reaction.objects.count()
    call_command("demo_reactions")
    assert Reaction.objects.count() == first

    statuses = set(Reaction.objects.values_list("status", flat=True))
    assert statuses == {ReactionStatus.APPROVED, ReactionStatus.PENDING}
    assert ReactionSettings.objects.filter(is_open=False).exists()


def test_demo_reactions_without_demo_events_add_nothing():
    call_command("demo_reactions")
    assert not Reaction.objects.exists()
