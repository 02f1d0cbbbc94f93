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


def test_demo_data_has_themes_wijken_a_series_and_an_english_text():
    call_command("demo_data")
    call_command("demo_data")
    playground = Event.objects.get(slug="inloopavond-nieuwe-speeltuin")
    assert playground.area.name == "Parkkwartier"
    assert playground.title_en
    assert {theme.slug for theme in playground.themes.all()} == {"groen-en-spelen", "jeugd"}
    energy = Event.objects.get(slug="spreekuur-energie-besparen")
    dates = Event.objects.filter(series=energy.series).order_by("starts_at")
    assert [event.slug for event in dates] == [
        "spreekuur-energie-besparen",
        "spreekuur-energie-besparen-noord",
        "spreekuur-energie-besparen-parkkwartier",
    ]
    assert all(event.is_published for event in dates)
