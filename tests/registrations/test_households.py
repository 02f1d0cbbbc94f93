"""Households: a registration brings a party of 1 to ``Event.max_party_size`` persons, and
seats, counters and the waiting list count persons."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from registrations import services
from registrations.models import Registration, RegistrationStatus
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

VALID = {"name": "Anna de Vries", "email": "anna@example.org", "consent": "on"}


def sign_up(event, name, size, **kwargs) -> Registration:
    return services.register(
        event=event, name=name, email=f"{name.lower()}@example.org", party_size=size, **kwargs
    )


def persons(event: Event, status: str) -> int:
    return sum(
        Registration.objects.filter(event=event, status=status).values_list("party_size", flat=True)
    )


def assert_counters_match(event: Event) -> None:
    event.refresh_from_db()
    assert event.confirmed_count == persons(event, RegistrationStatus.CONFIRMED)
    assert event.waitlisted_count == persons(event, RegistrationStatus.WAITLISTED)
    assert event.confirmed_count <= event.capacity


def test_seats_are_persons_and_a_party_fits_exactly():
    event = EventFactory(capacity=5, max_party_size=4)
    sign_up(event, "Anna", 3)
    sign_up(event, "Bram", 2)
    event.refresh_from_db()
    assert (event.confirmed_count, event.seats_left, event.is_full) == (5, 0, True)
    assert_counters_match(event)


def test_a_party_that_does_not_fit_is_told_the_seats_left_and_nothing_is_written():
    event = EventFactory(capacity=5, max_party_size=4, waitlist_capacity=10)
    sign_up(event, "Anna", 3)
    with pytest.raises(services.PartyDoesNotFit) as refused:
        sign_up(event, "Bram", 4)
    assert refused.value.seats_left == 2
    assert refused.value.waitlist_possible
    assert "Er zijn nog 2 plaatsen vrij" in str(refused.value.message)
    assert "wachtlijst" in str(refused.value.message)
    assert Registration.objects.count() == 1
    assert_counters_match(event)


def test_a_party_that_does_not_fit_may_choose_the_waiting_list():
    event = EventFactory(capacity=5, max_party_size=4, waitlist_capacity=10)
    sign_up(event, "Anna", 3)
    bram = sign_up(event, "Bram", 4, waitlist_ok=True)
    assert bram.status == RegistrationStatus.WAITLISTED
    assert_counters_match(event)
    assert event.waitlisted_count == 4


def test_the_waiting_list_holds_persons_and_refuses_a_party_it_cannot_hold():
    event = EventFactory(capacity=2, max_party_size=4, waitlist_capacity=3)
    sign_up(event, "Anna", 2)
    sign_up(event, "Bram", 3)  # full event: straight to the waiting list
    with pytest.raises(services.EventFull):
        sign_up(event, "Cas", 1)
    assert_counters_match(event)


@pytest.mark.parametrize("size", [0, -1, 5, 999])
def test_the_service_refuses_a_party_size_outside_1_to_the_maximum(size):
    event = EventFactory(capacity=50, max_party_size=4)
    with pytest.raises(services.PartySizeNotAllowed):
        sign_up(event, "Anna", size)
    assert not Registration.objects.exists()


def test_the_database_refuses_a_party_of_zero():
    event = EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, name="X", email="x@example.org", party_size=0)


def test_the_database_backstop_counts_persons():
    event = EventFactory(capacity=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(confirmed_count=4)


def test_rule_first_in_line_moves_up_once_the_whole_party_fits():
    """The written rule (docs/architecture.md): parties move up in arrival order, each as
    soon as its whole party fits; a party too big for the free seats keeps its place, and
    a smaller party behind it may take those seats."""
    event = EventFactory(capacity=6, max_party_size=4, waitlist_capacity=20)
    anna = sign_up(event, "Anna", 3)
    sign_up(event, "Bram", 3)
    cas = sign_up(event, "Cas", 4)  # waiting 1st
    dirk = sign_up(event, "Dirk", 2)  # waiting 2nd
    eva = sign_up(event, "Eva", 1)  # waiting 3rd

    services.change_party_size(registration=anna, party_size=1)  # 2 seats free

    statuses = {
        r.name: r.status for r in Registration.objects.filter(pk__in=[cas.pk, dirk.pk, eva.pk])
    }
    # Cas (4) does not fit in 2 and keeps the first place; Dirk (2) fits and moves up;
    # Eva would have fitted too but the seats are gone.
    assert statuses == {
        "Cas": RegistrationStatus.WAITLISTED,
        "Dirk": RegistrationStatus.CONFIRMED,
        "Eva": RegistrationStatus.WAITLISTED,
    }
    assert_counters_match(event)

    services.cancel(registration=Registration.objects.get(name="Bram"))  # 3 free
    # Cas (4) still does not fit; Eva (1) does.
    assert Registration.objects.get(name="Eva").status == RegistrationStatus.CONFIRMED
    assert Registration.objects.get(name="Cas").status == RegistrationStatus.WAITLISTED
    services.cancel(registration=Registration.objects.get(name="Dirk"))  # 4 free
    assert Registration.objects.get(name="Cas").status == RegistrationStatus.CONFIRMED
    assert_counters_match(event)


def test_lowering_the_party_frees_seats_for_the_waiting_list_at_once():
    event = EventFactory(capacity=4, max_party_size=4, waitlist_capacity=5)
    anna = sign_up(event, "Anna", 4)
    bram = sign_up(event, "Bram", 2)
    assert bram.status == RegistrationStatus.WAITLISTED

    services.change_party_size(registration=anna, party_size=2)

    bram.refresh_from_db()
    assert bram.status == RegistrationStatus.CONFIRMED
    assert bram.promoted_at is not None
    assert_counters_match(event)
    assert event.seats_left == 0


def test_raising_the_party_only_within_the_free_seats_and_the_maximum():
    event = EventFactory(capacity=5, max_party_size=4)
    anna = sign_up(event, "Anna", 2)
    sign_up(event, "Bram", 2)
    with pytest.raises(services.NotEnoughSeats):
        services.change_party_size(registration=anna, party_size=4)
    with pytest.raises(services.PartySizeNotAllowed):
        services.change_party_size(registration=anna, party_size=5)
    services.change_party_size(registration=anna, party_size=3)
    anna.refresh_from_db()
    assert anna.party_size == 3
    assert_counters_match(event)
    assert event.seats_left == 0


def test_cancelling_a_party_gives_back_all_its_seats():
    event = EventFactory(capacity=4, max_party_size=4)
    anna = sign_up(event, "Anna", 4)
    services.cancel(registration=anna)
    assert_counters_match(event)
    assert event.confirmed_count == 0


def test_no_change_after_the_start():
    event = EventFactory(capacity=4, max_party_size=4)
    anna = sign_up(event, "Anna", 3)
    with (
        time_machine.travel(event.starts_at + datetime.timedelta(minutes=1)),
        pytest.raises(services.CancellationClosed),
    ):
        services.change_party_size(registration=anna, party_size=1)
    anna.refresh_from_db()
    assert anna.party_size == 3


# --- the public form --------------------------------------------------------------


def signup_url(event) -> str:
    return reverse("registrations:signup", args=[event.slug])


def test_the_form_asks_the_party_size_only_when_the_event_allows_more_than_one(client):
    single = EventFactory()
    party = EventFactory(max_party_size=6)
    assert (
        "Met hoeveel personen kom je?" not in client.get(single.get_absolute_url()).content.decode()
    )
    html = client.get(party.get_absolute_url()).content.decode()
    assert "Met hoeveel personen kom je?" in html
    assert 'name="party_size"' in html
    assert 'max="6"' in html


def test_a_resident_signs_up_with_their_household(client):
    event = EventFactory(capacity=10, max_party_size=6)
    response = client.post(signup_url(event), {**VALID, "party_size": "3"})
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.party_size == 3
    event.refresh_from_db()
    assert event.confirmed_count == 3
    page = client.get(response["Location"]).content.decode()
    assert "Aantal personen" in page
    assert "<dd>3</dd>" in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Vul minstens 1 in: jijzelf."),
        ("-1", "Vul minstens 1 in: jijzelf."),
        ("999", "Je kunt je met hoogstens 6 personen aanmelden."),
        ("drie", "Vul een aantal in cijfers in, bijvoorbeeld 2."),
        ("", "Vul in met hoeveel personen je komt."),
        ("2.5", "Vul een aantal in cijfers in, bijvoorbeeld 2."),
    ],
)
def test_bad_party_sizes_get_a_dutch_message_and_write_nothing(client, value, message):
    event = EventFactory(max_party_size=6)
    response = client.post(signup_url(event), {**VALID, "party_size": value})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Registration.objects.exists()
    event.refresh_from_db()
    assert event.confirmed_count == 0


def test_a_party_too_big_for_the_seats_left_is_told_and_offered_the_waiting_list(client):
    event = EventFactory(capacity=5, max_party_size=6, waitlist_capacity=10)
    sign_up(event, "Cas", 3)
    response = client.post(signup_url(event), {**VALID, "party_size": "4"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Er zijn nog 2 plaatsen vrij" in html
    assert 'name="waitlist_ok"' in html
    assert Registration.objects.count() == 1

    again = client.post(signup_url(event), {**VALID, "party_size": "4", "waitlist_ok": "on"})
    assert again.status_code == 302
    assert Registration.objects.get(email="anna@example.org").status == "waitlisted"


def test_the_personal_page_lowers_the_party_and_refuses_bad_numbers(client):
    event = EventFactory(capacity=10, max_party_size=6)
    registration = sign_up(event, "Anna", 4)
    url = reverse("registrations:party-size", args=[registration.token])
    page = client.get(registration.get_absolute_url()).content.decode()
    assert "Aantal wijzigen" in page

    assert client.post(url, {"party_size": "nul"}).status_code == 422
    assert client.post(url, {"party_size": "0"}).status_code == 422
    tight = EventFactory(capacity=5, max_party_size=6)
    registration_tight = sign_up(tight, "Bram", 4)
    refused = client.post(
        reverse("registrations:party-size", args=[registration_tight.token]), {"party_size": "6"}
    )
    assert refused.status_code == 409
    assert "Er is nog 1 plaats vrij" in refused.content.decode()

    response = client.post(url, {"party_size": "2"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.party_size == 2
    assert_counters_match(event)


def test_the_personal_data_download_holds_the_party_size(client):
    event = EventFactory(max_party_size=3)
    registration = sign_up(event, "Anna", 2)
    data = client.get(reverse("registrations:data", args=[registration.token])).json()
    assert data["aantal_personen"] == 2


def test_seats_left_on_the_event_page_count_persons(client):
    event = EventFactory(capacity=10, max_party_size=4)
    sign_up(event, "Anna", 4)
    assert "Nog 6 plaatsen" in client.get(event.get_absolute_url()).content.decode()


def test_nothing_changes_for_events_without_households(client):
    event = EventFactory(capacity=10)
    now = timezone.now()
    assert event.max_party_size == 1
    response = client.post(signup_url(event), {**VALID, "party_size": "5"})
    assert response.status_code == 302
    assert Registration.objects.get().party_size == 1
    assert now <= Registration.objects.get().created_at
