"""Waiting list, cancellation and the personal link, through the service and the pages."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from registrations import services
from registrations.models import Registration, RegistrationStatus
from tests.conftest import fill
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

FULL_NOTICE = "Maximaal aantal aanmeldingen bereikt, je kunt je niet meer aanmelden."
VALID = {"name": "Anna de Vries", "email": "anna@example.org", "consent": "on"}


def queued_kinds() -> list[str]:
    return [
        result.args_kwargs["kwargs"]["kind"]
        for result in DBTaskResult.objects.order_by("enqueued_at", "id")
    ]


def sign_up(event, who: str) -> Registration:
    return services.register(event=event, name=who.title(), email=f"{who}@example.org")


def test_full_event_with_a_waiting_list_puts_newcomers_on_it():
    event = EventFactory(capacity=1, waitlist_capacity=2)
    assert sign_up(event, "anna").status == RegistrationStatus.CONFIRMED
    assert sign_up(event, "bram").status == RegistrationStatus.WAITLISTED
    assert sign_up(event, "cas").status == RegistrationStatus.WAITLISTED
    with pytest.raises(services.EventFull):
        sign_up(event, "dirk")
    event.refresh_from_db()
    assert (event.confirmed_count, event.waitlisted_count) == (1, 2)
    assert queued_kinds() == ["confirmed", "waitlisted", "waitlisted"]


def test_cancelling_gives_the_seat_to_the_first_on_the_waiting_list():
    event = EventFactory(capacity=1, waitlist_capacity=5)
    anna, bram, cas = (sign_up(event, who) for who in ("anna", "bram", "cas"))

    services.cancel(registration=anna)

    anna.refresh_from_db(), bram.refresh_from_db(), cas.refresh_from_db()
    event.refresh_from_db()
    assert anna.status == RegistrationStatus.CANCELLED
    assert anna.cancelled_at is not None
    assert bram.status == RegistrationStatus.CONFIRMED
    assert bram.promoted_at is not None
    assert cas.status == RegistrationStatus.WAITLISTED
    assert (event.confirmed_count, event.waitlisted_count) == (1, 1)
    assert queued_kinds()[-2:] == ["cancelled", "promoted"]


def test_leaving_the_waiting_list_moves_nobody_up_and_says_so():
    event = EventFactory(capacity=1, waitlist_capacity=5)
    sign_up(event, "anna")
    bram = sign_up(event, "bram")
    services.cancel(registration=bram)
    event.refresh_from_db()
    assert (event.confirmed_count, event.waitlisted_count) == (1, 0)
    assert queued_kinds()[-1] == "left_waitlist"


def test_cancelling_twice_changes_nothing_the_second_time():
    event = EventFactory()
    anna = sign_up(event, "anna")
    services.cancel(registration=anna)
    before = DBTaskResult.objects.count()
    services.cancel(registration=anna)
    event.refresh_from_db()
    assert event.confirmed_count == 0
    assert DBTaskResult.objects.count() == before


def test_residents_cannot_cancel_once_the_event_began_but_staff_can():
    event = EventFactory()
    anna = sign_up(event, "anna")
    with time_machine.travel(event.starts_at + datetime.timedelta(minutes=1)):
        with pytest.raises(services.CancellationClosed):
            services.cancel(registration=anna)
        services.cancel(registration=anna, by_staff=True)
    anna.refresh_from_db()
    assert anna.status == RegistrationStatus.CANCELLED


def test_promote_from_waitlist_fills_raised_capacity_in_arrival_order():
    event = EventFactory(capacity=1, waitlist_capacity=5)
    for who in ("anna", "bram", "cas", "dirk"):
        sign_up(event, who)
    event.capacity = 3
    event.save(update_fields=["capacity"])

    assert services.promote_from_waitlist(event_id=event.pk) == 2

    confirmed = list(
        event.registrations.filter(status="confirmed").order_by("pk").values_list("name", flat=True)
    )
    assert confirmed == ["Anna", "Bram", "Cas"]


# --- No promotion once the event has begun (issue 13, item 8) ------------------------------


def full_with_one_waiting(**kwargs):
    event = EventFactory(capacity=1, waitlist_capacity=1, **kwargs)
    return event, sign_up(event, "anna"), sign_up(event, "bram")


@pytest.mark.parametrize(
    "give_up_the_seat",
    [
        pytest.param(lambda anna: services.erase(registration=anna), id="erased"),
        pytest.param(
            lambda anna: services.cancel(registration=anna, by_staff=True), id="staff-cancel"
        ),
    ],
)
def test_a_seat_freed_after_the_start_goes_to_nobody_and_nobody_is_mailed(give_up_the_seat):
    event, anna, bram = full_with_one_waiting()
    queued = len(queued_kinds())

    with time_machine.travel(event.starts_at + datetime.timedelta(minutes=1)):
        give_up_the_seat(anna)

    bram.refresh_from_db(), event.refresh_from_db()
    assert bram.status == RegistrationStatus.WAITLISTED
    assert bram.promoted_at is None
    assert (event.confirmed_count, event.waitlisted_count) == (0, 1)
    assert "promoted" not in queued_kinds()[queued:]


def test_a_capacity_raised_after_the_start_moves_nobody_up():
    event, _anna, bram = full_with_one_waiting()
    event.capacity = 2
    event.save(update_fields=["capacity"])

    with time_machine.travel(event.starts_at, tick=False):
        assert services.promote_from_waitlist(event_id=event.pk) == 0

    bram.refresh_from_db()
    assert bram.status == RegistrationStatus.WAITLISTED
    assert "promoted" not in queued_kinds()


def test_a_seat_freed_just_before_the_start_still_goes_to_the_next():
    event, anna, bram = full_with_one_waiting()

    with time_machine.travel(event.starts_at - datetime.timedelta(seconds=1), tick=False):
        services.cancel(registration=anna)

    bram.refresh_from_db()
    assert bram.status == RegistrationStatus.CONFIRMED
    assert queued_kinds().count("promoted") == 1  # (same enqueued_at: time stands still)


def test_a_new_personal_link_replaces_the_old_one(client):
    event = EventFactory()
    anna = sign_up(event, "anna")
    old_url = anna.get_absolute_url()
    services.rotate_token(registration=anna)
    assert client.get(old_url).status_code == 404
    assert client.get(anna.get_absolute_url()).status_code == 200


# --- pages -----------------------------------------------------------------------------


def block(client, event) -> str:
    html = client.get(event.get_absolute_url()).content.decode()
    return html.split('id="aanmelden"', 1)[1].split("</section>", 1)[0]


def test_full_event_offers_the_waiting_list_and_then_the_full_notice(client):
    event = EventFactory(capacity=1, waitlist_capacity=1)
    fill(event, 1)
    offer = block(client, event)
    assert "Alle plaatsen zijn bezet" in offer
    assert "Op de wachtlijst" in offer
    assert "<form" in offer
    assert "Vol – wachtlijst open" in client.get("/").content.decode()

    response = client.post(reverse("registrations:signup", args=[event.slug]), VALID)
    assert "Je staat op de wachtlijst" in client.get(response["Location"]).content.decode()

    closed = block(client, event)
    assert FULL_NOTICE in closed
    assert "<form" not in closed


def test_personal_page_cancels_after_a_confirmation_step(client):
    event = EventFactory(title="Wijkavond")
    anna = sign_up(event, "anna")
    page = client.get(anna.get_absolute_url()).content.decode()
    cancel_url = reverse("registrations:cancel", args=[anna.token])
    assert cancel_url in page

    confirm = client.get(cancel_url)
    assert confirm.status_code == 200
    assert "Ja, meld mij af" in confirm.content.decode()
    anna.refresh_from_db()
    assert anna.status == RegistrationStatus.CONFIRMED  # GET changes nothing

    response = client.post(cancel_url)
    assert response.status_code == 302
    after = client.get(anna.get_absolute_url())
    assert "Je aanmelding is geannuleerd" in after.content.decode()
    assert cancel_url not in after.content.decode()
    event.refresh_from_db()
    assert event.confirmed_count == 0


def test_cancel_page_after_the_start_refuses_and_changes_nothing(client):
    event = EventFactory()
    anna = sign_up(event, "anna")
    cancel_url = reverse("registrations:cancel", args=[anna.token])
    with time_machine.travel(event.starts_at + datetime.timedelta(minutes=5)):
        page = client.get(anna.get_absolute_url()).content.decode()
        assert "afmelden kan niet meer" in page
        assert cancel_url not in page
        assert client.post(cancel_url).status_code in (302, 409)
    anna.refresh_from_db()
    assert anna.status == RegistrationStatus.CONFIRMED


def test_waiting_list_member_sees_their_place_and_can_leave(client):
    event = EventFactory(capacity=1, waitlist_capacity=3)
    sign_up(event, "anna")
    sign_up(event, "bram")
    cas = sign_up(event, "cas")
    page = client.get(cas.get_absolute_url()).content.decode()
    assert "Je bent nummer 2 op de wachtlijst" in page
    assert "Van de wachtlijst af" in page
    client.post(reverse("registrations:cancel", args=[cas.token]))
    cas.refresh_from_db()
    assert cas.status == RegistrationStatus.CANCELLED


def test_cancel_with_an_unknown_link_is_not_found(client):
    assert client.post("/aanmelding/bestaat-niet/afmelden/").status_code == 404


# --- registration window -----------------------------------------------------------------


def test_the_form_appears_when_registration_opens_and_goes_when_it_closes(client):
    event = EventFactory()
    opens = event.starts_at - datetime.timedelta(days=5)
    closes = event.starts_at - datetime.timedelta(days=1)
    event.registration_opens_at, event.registration_closes_at = opens, closes
    event.save()
    signup = reverse("registrations:signup", args=[event.slug])

    with time_machine.travel(opens - datetime.timedelta(seconds=1), tick=False):
        assert "nog niet geopend" in block(client, event)
        assert client.post(signup, VALID).status_code == 409
    with time_machine.travel(opens, tick=False):
        assert "<form" in block(client, event)
    with time_machine.travel(closes - datetime.timedelta(seconds=1), tick=False):
        assert client.post(signup, VALID).status_code == 302
    with time_machine.travel(closes, tick=False):
        assert "is gesloten" in block(client, event)
        assert client.post(signup, {**VALID, "email": "bram@example.org"}).status_code == 409
    assert Registration.objects.count() == 1
