import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.models import Event, RegistrationWindow
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

AMS = timezone.get_fixed_timezone(60)  # Europe/Amsterdam in winter (CET)


def at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, 0, tzinfo=AMS)


def test_end_before_start_is_refused_by_the_database():
    with pytest.raises(IntegrityError, match="event_ends_after_start"), transaction.atomic():
        EventFactory(starts_at=at(10, 19), ends_at=at(10, 18))


def test_zero_capacity_is_refused_by_the_database():
    with pytest.raises(IntegrityError, match="event_capacity_positive"), transaction.atomic():
        EventFactory(capacity=0)


def test_confirmed_counter_above_capacity_is_refused_by_the_database(event):
    with (
        pytest.raises(IntegrityError, match="event_confirmed_within_capacity"),
        transaction.atomic(),
    ):
        Event.objects.filter(pk=event.pk).update(confirmed_count=event.capacity + 1)


def test_registration_closing_after_start_is_refused_by_the_database():
    with (
        pytest.raises(IntegrityError, match="event_registration_closes_by_start"),
        transaction.atomic(),
    ):
        EventFactory(starts_at=at(10, 19), ends_at=at(10, 21), registration_closes_at=at(10, 20))


def test_full_clean_explains_a_bad_end_in_dutch():
    event = EventFactory.build(starts_at=at(10, 19), ends_at=at(10, 19))
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert "Het einde moet na het begin liggen." in str(excinfo.value)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(1, 8), RegistrationWindow.NOT_YET_OPEN),
        (at(1, 9), RegistrationWindow.OPEN),
        (at(9, 23), RegistrationWindow.OPEN),
        (at(10, 12), RegistrationWindow.CLOSED),
        (at(10, 19), RegistrationWindow.STARTED),
    ],
)
def test_registration_window_follows_opening_closing_and_start(now, expected):
    event = EventFactory.build(
        starts_at=at(10, 19),
        ends_at=at(10, 21),
        registration_opens_at=at(1, 9),
        registration_closes_at=at(10, 12),
    )
    assert event.registration_window(now=now) is expected


def test_registration_closes_at_the_start_when_no_closing_time_is_set():
    event = EventFactory.build(starts_at=at(10, 19), ends_at=at(10, 21))
    assert event.registration_window(now=at(10, 18)) is RegistrationWindow.OPEN
    assert event.registration_window(now=at(10, 19)) is RegistrationWindow.STARTED


def test_upcoming_published_lists_future_published_events_soonest_first():
    with time_machine.travel(at(1, 12), tick=False):
        later = EventFactory(starts_at=at(20, 19), ends_at=at(20, 21))
        sooner = EventFactory(starts_at=at(5, 19), ends_at=at(5, 21))
        EventFactory(starts_at=at(6, 19), ends_at=at(6, 21), is_published=False)
        past = EventFactory(
            starts_at=datetime.datetime(2026, 11, 20, 19, tzinfo=AMS),
            ends_at=datetime.datetime(2026, 11, 20, 21, tzinfo=AMS),
        )
        assert list(Event.objects.published().upcoming()) == [sooner, later]
        assert list(Event.objects.published().past()) == [past]


@pytest.mark.parametrize(
    ("latitude", "longitude"), [("52.1", None), (None, "5.1"), ("-90.5", "5"), ("52", "180.5")]
)
def test_half_or_impossible_coordinates_are_refused_by_the_database(latitude, longitude):
    with pytest.raises(IntegrityError, match="event_coordinates_valid"), transaction.atomic():
        EventFactory(latitude=latitude, longitude=longitude)


def test_full_clean_explains_half_coordinates_in_dutch():
    event = EventFactory.build(latitude="52.1", longitude=None)
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert "Vul de breedtegraad en de lengtegraad allebei in, of allebei niet." in str(
        excinfo.value
    )


def test_full_clean_refuses_a_latitude_beyond_the_pole():
    event = EventFactory.build(latitude="91", longitude="5")
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert "latitude" in excinfo.value.message_dict
