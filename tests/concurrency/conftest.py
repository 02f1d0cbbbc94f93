import pytest
from django.db import connection

from events.models import Event


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """Every client here shares 127.0.0.1; the rush is the point, not abuse."""
    settings.RATELIMIT_ENABLE = False


@pytest.fixture
def without_capacity_backstop():
    """Drop the database check on the confirmed counter for one test, then restore it: the
    control runs show what the row lock alone does."""
    constraint = next(
        c for c in Event._meta.constraints if c.name == "event_confirmed_within_capacity"
    )
    with connection.schema_editor() as editor:
        editor.remove_constraint(Event, constraint)
    yield
    Event.objects.filter(confirmed_count__gt=0).update(confirmed_count=0)
    with connection.schema_editor() as editor:
        editor.add_constraint(Event, constraint)
