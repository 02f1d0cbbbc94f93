"""Sign-ups that staff take at the desk or on the phone: the same service and lock."""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from registrations import services
from registrations.models import Question, Registration, RegistrationStatus
from tests.conftest import fill
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/registrations/registration/add/"


def test_staff_choose_the_event_first_then_fill_in_the_form(staff_client):
    event = EventFactory(title="Inloopavond Noord", max_party_size=4)
    Question.objects.create(event=event, kind="short_text", text="Telefoonnummer?")
    chooser = staff_client.get(ADD)
    assert chooser.status_code == 200
    assert "Inloopavond Noord" in chooser.content.decode()
    form = staff_client.get(ADD, {"event": event.pk}).content.decode()
    for label in ("Naam", "E-mailadres", "Aantal personen", "Telefoonnummer?"):
        assert label in form


def test_the_event_page_links_to_adding_a_sign_up(staff_client):
    event = EventFactory()
    html = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content
    assert f"{ADD}?event={event.pk}".encode() in html


def test_a_phone_sign_up_without_an_address_mails_nothing_and_shows_the_link(staff_client):
    event = EventFactory(max_party_size=4, is_published=False)
    response = staff_client.post(
        f"{ADD}?event={event.pk}", {"name": "Mevrouw De Wit", "email": "", "party_size": "2"}
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.name, registration.email, registration.party_size) == (
        "Mevrouw De Wit",
        "",
        2,
    )
    assert not DBTaskResult.objects.exists()
    done = staff_client.get(response["Location"]).content.decode()
    assert registration.get_absolute_url() in done
    assert "Zonder e-mailadres sturen we niets" in done
    entry = LogEntry.objects.get(object_id=str(registration.pk))
    assert entry.action_flag == ADDITION
    event.refresh_from_db()
    assert event.confirmed_count == 2


def test_a_desk_sign_up_with_an_address_gets_the_usual_mail(staff_client):
    event = EventFactory()
    staff_client.post(f"{ADD}?event={event.pk}", {"name": "Piet", "email": "piet@example.org"})
    assert DBTaskResult.objects.count() == 1


def test_a_full_event_refuses_unless_staff_choose_the_waiting_list(staff_client):
    event = EventFactory(capacity=2, waitlist_capacity=5)
    fill(event, 2)
    refused = staff_client.post(f"{ADD}?event={event.pk}", {"name": "Piet", "party_size": "1"})
    assert refused.status_code == 409
    assert str(services.FULL_NOTICE) in refused.content.decode()
    assert Registration.objects.count() == 2

    waiting = staff_client.post(
        f"{ADD}?event={event.pk}", {"name": "Piet", "party_size": "1", "waitlist_ok": "on"}
    )
    assert waiting.status_code == 302
    assert Registration.objects.get(name="Piet").status == RegistrationStatus.WAITLISTED


@pytest.mark.parametrize("size", ["0", "-1", "999", "drie"])
def test_bad_party_sizes_at_the_desk_write_nothing(staff_client, size):
    event = EventFactory(max_party_size=4)  # asked only when more than 1 may come
    response = staff_client.post(f"{ADD}?event={event.pk}", {"name": "Piet", "party_size": size})
    assert response.status_code == 422
    assert not Registration.objects.exists()


def test_an_unknown_event_goes_back_to_the_chooser(staff_client):
    response = staff_client.get(ADD, {"event": "999999"})
    assert response.status_code == 200
    assert "Kies een evenement uit de lijst." in response.content.decode()
    assert staff_client.get(ADD, {"event": "²"}).status_code == 200


def test_staff_without_the_add_permission_cannot(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("kijker", password="x" * 12, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_registration"))
    client.force_login(user)
    event = EventFactory()
    assert client.post(f"{ADD}?event={event.pk}", {"name": "Piet"}).status_code == 403
    assert not Registration.objects.exists()


def test_two_desk_sign_ups_without_an_address_are_not_duplicates(staff_client):
    event = EventFactory()
    for name in ("Piet", "Klaas"):
        staff_client.post(f"{ADD}?event={event.pk}", {"name": name, "email": ""})
    assert Registration.objects.filter(email="").count() == 2
