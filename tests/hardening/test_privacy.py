"""Retention purge and the resident's own data download and deletion."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reactions.models import Reaction
from registrations import services
from registrations.models import Registration, RegistrationStatus
from tests.factories import EventFactory, ReactionFactory

pytestmark = pytest.mark.django_db


def past_event(days_ago: int, **kwargs):
    end = timezone.now() - datetime.timedelta(days=days_ago)
    return EventFactory(starts_at=end - datetime.timedelta(hours=2), ends_at=end, **kwargs)


def add(event, *names):
    """Registrations on events that are over, set up directly (the service refuses them)."""
    return [
        Registration.objects.create(event=event, name=name, email=f"{name}@example.org")
        for name in names
    ]


def test_purge_anonymises_only_events_past_the_retention_and_keeps_counts(settings, capsys):
    settings.BIJEEN_RETENTION_DAYS = 30
    old, recent = past_event(31, confirmed_count=2), past_event(5)
    add(old, "anna", "bram")
    add(recent, "cas")
    ReactionFactory(event=old, name="Fatima", email="fatima@example.org")
    ReactionFactory(event=recent, name="Joost", email="joost@example.org")

    call_command("purge_personal_data")

    assert "Anonymised 2 registrations and 1 reactions" in capsys.readouterr().out
    gone = Registration.objects.filter(event=old)
    assert set(gone.values_list("name", flat=True)) == {""}
    assert all(email.endswith("@example.invalid") for email in gone.values_list("email", flat=True))
    assert all(r.anonymised_at for r in gone)
    assert Registration.objects.get(event=recent).email == "cas@example.org"
    assert Reaction.objects.get(event=old).email == ""
    assert Reaction.objects.get(event=recent).email == "joost@example.org"
    old.refresh_from_db()
    assert old.confirmed_count == 2
    assert gone.count() == 2


def test_purge_is_idempotent(capsys):
    add(past_event(400), "anna")
    call_command("purge_personal_data")
    capsys.readouterr()
    call_command("purge_personal_data")
    assert "Anonymised 0 registrations and 0 reactions" in capsys.readouterr().out


def test_personal_link_stops_working_after_the_purge(client):
    [anna] = add(past_event(400), "anna")
    url = anna.get_absolute_url()
    call_command("purge_personal_data")
    assert client.get(url).status_code == 404


def test_resident_downloads_what_we_hold(client):
    event = EventFactory(title="Wijkavond")
    anna = services.register(event=event, name="Anna", email="anna@example.org")

    response = client.get(reverse("registrations:data", args=[anna.token]))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["naam"] == "Anna"
    assert data["e-mailadres"] == "anna@example.org"
    assert data["evenement"]["titel"] == "Wijkavond"


def test_resident_erases_their_data_and_the_seat_goes_to_the_next(client):
    event = EventFactory(capacity=1, waitlist_capacity=1)
    anna = services.register(event=event, name="Anna", email="anna@example.org")
    bram = services.register(event=event, name="Bram", email="bram@example.org")
    erase_url = reverse("registrations:erase", args=[anna.token])
    queued_before = DBTaskResult.objects.count()

    assert "Ja, verwijder mijn gegevens" in client.get(erase_url).content.decode()
    response = client.post(erase_url)

    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:erased")
    anna.refresh_from_db(), bram.refresh_from_db()
    assert (anna.name, anna.status) == ("", RegistrationStatus.CANCELLED)
    assert "anna" not in anna.email
    assert bram.status == RegistrationStatus.CONFIRMED
    kinds = [r.args_kwargs["kwargs"]["kind"] for r in DBTaskResult.objects.order_by("enqueued_at")][
        queued_before:
    ]
    assert kinds == ["promoted"]  # nothing is mailed to the erased address
    assert client.get(reverse("registrations:detail", args=[anna.token])).status_code == 404
