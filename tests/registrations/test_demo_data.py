import pytest
from django.core.management import call_command

from events.models import Event
from registrations.models import Registration

pytestmark = pytest.mark.django_db


def test_demo_data_is_idempotent_and_has_a_full_and_a_nearly_full_event():
    call_command("demo_data")
    first = (Event.objects.count(), Registration.objects.count())
    call_command("demo_data")
    assert (Event.objects.count(), Registration.objects.count()) == first

    upcoming = list(Event.objects.published().upcoming())
    assert len(upcoming) >= 3
    full = Event.objects.get(slug="wijkraden-over-veiligheid")
    assert full.is_full
    assert full.confirmed_count == Registration.objects.filter(event=full).count()
    assert any(0 < e.seats_left <= 5 for e in upcoming)
    assert Event.objects.published().past().exists()
