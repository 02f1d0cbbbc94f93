"""Retention purge and the resident's own data download and deletion."""

import datetime
import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from events.models import Event
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


# --- Erasure and purge reach the admin log and the mail outbox (issue 13, item 11) -------

REGISTRATIONS = reverse("admin:registrations_registration_changelist")


def admin_log_about(registration) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Registration),
            object_id=str(registration.pk),
        ).order_by("pk")
    )


def staff_leave_traces(staff_client, registration) -> None:
    """What staff do in the admin that writes the admin log: mark attendance (the entry's
    object_repr is str(registration), "Anna Jansen – Wijkavond"), and a message that
    quotes the address, as one written by hand or by an older version might."""
    staff_client.post(
        REGISTRATIONS, {"action": "mark_attended", "_selected_action": [registration.pk]}
    )
    [entry] = admin_log_about(registration)
    assert "Anna Jansen" in entry.object_repr
    LogEntry.objects.create(
        user=entry.user,
        content_type=entry.content_type,
        object_id=entry.object_id,
        object_repr=entry.object_repr,
        action_flag=CHANGE,
        change_message="Adres gecorrigeerd naar anna.jansen@example.org (Anna Jansen belde).",
    )


def mail_failed_with_the_address_in_its_error(registration) -> DBTaskResult:
    """A mail task row as a delivery failure left it before issue 13: the SMTP error
    quoted name and address in the traceback."""
    task = DBTaskResult.objects.get(args_kwargs__kwargs__registration_id=registration.pk)
    task.status = "FAILED"
    task.finished_at = timezone.now()
    task.exception_class_path = "smtplib.SMTPRecipientsRefused"
    task.traceback = (
        "smtplib.SMTPRecipientsRefused: {'Anna Jansen <anna.jansen@example.org>': "
        "(550, b'5.1.1 <anna.jansen@example.org>: Recipient address rejected')}"
    )
    task.save()
    return task


def assert_nothing_personal_left(registration, *, log_entries: int) -> None:
    entries = admin_log_about(registration)
    assert len(entries) == log_entries  # the history stays, without the person
    for entry in entries:
        for text in (entry.object_repr, entry.change_message):
            assert "Anna" not in text
            assert "anna.jansen" not in text
        assert "gegevens gewist" in entry.object_repr
    for task in DBTaskResult.objects.filter(args_kwargs__kwargs__registration_id=registration.pk):
        row = json.dumps(
            [task.args_kwargs, task.return_value, task.traceback, task.exception_class_path]
        )
        assert "Anna" not in row
        assert "anna.jansen" not in row


def test_erasure_removes_name_and_address_from_the_admin_log_and_the_mail_rows(
    client, staff_client
):
    event = EventFactory(title="Wijkavond")
    anna = services.register(event=event, name="Anna Jansen", email="anna.jansen@example.org")
    staff_leave_traces(staff_client, anna)
    failed = mail_failed_with_the_address_in_its_error(anna)

    client.post(reverse("registrations:erase", args=[anna.token]))

    assert_nothing_personal_left(anna, log_entries=2)
    [kept] = admin_log_about(anna)[:1]
    assert kept.get_change_message() == "Gemarkeerd als aanwezig."  # what staff did stays
    failed.refresh_from_db()
    assert failed.status == "FAILED"  # the failure itself stays visible
    assert failed.exception_class_path == "smtplib.SMTPRecipientsRefused"


def test_purge_removes_names_and_addresses_from_the_admin_log_and_the_mail_rows(
    staff_client, settings
):
    settings.BIJEEN_RETENTION_DAYS = 30
    old = EventFactory(title="Wijkavond")
    anna = services.register(event=old, name="Anna Jansen", email="anna.jansen@example.org")
    recent = EventFactory(title="Buurtfeest")
    bram = services.register(event=recent, name="Bram Jansen", email="bram@example.org")
    staff_leave_traces(staff_client, anna)
    staff_client.post(REGISTRATIONS, {"action": "mark_attended", "_selected_action": [bram.pk]})
    mail_failed_with_the_address_in_its_error(anna)
    end = timezone.now() - datetime.timedelta(days=31)
    Event.objects.filter(pk=old.pk).update(starts_at=end - datetime.timedelta(hours=2), ends_at=end)

    reaction = ReactionFactory(event=old, name="Anna Jansen", email="anna.jansen@example.org")
    LogEntry.objects.create(
        user=admin_log_about(anna)[0].user,
        content_type=ContentType.objects.get_for_model(Reaction),
        object_id=str(reaction.pk),
        object_repr=str(reaction),
        action_flag=CHANGE,
        change_message="Tekst ingekort op verzoek van anna.jansen@example.org.",
    )

    call_command("purge_personal_data")

    assert_nothing_personal_left(anna, log_entries=2)
    [untouched] = admin_log_about(bram)
    assert untouched.object_repr == "Bram Jansen – Buurtfeest"
    [about_the_reaction] = LogEntry.objects.filter(
        object_id=str(reaction.pk), content_type=ContentType.objects.get_for_model(Reaction)
    )
    assert about_the_reaction.object_repr == f"reactie {reaction.pk} (gegevens gewist)"
    assert about_the_reaction.change_message == "Tekst ingekort op verzoek van ***."


def test_a_mail_task_row_holds_the_registration_id_and_nothing_personal():
    event = EventFactory()
    anna = services.register(event=event, name="Anna Jansen", email="anna.jansen@example.org")

    [task] = DBTaskResult.objects.all()

    assert task.args_kwargs == {
        "args": [],
        "kwargs": {"registration_id": anna.pk, "kind": "confirmed", "attempt": 1},
    }
    assert "Anna" not in json.dumps([task.args_kwargs, task.return_value, task.traceback])


def test_erasure_leaves_reactions_and_the_page_says_so_first(client):
    event = EventFactory(title="Wijkavond")
    anna = services.register(event=event, name="Anna", email="anna@example.org")
    reaction = ReactionFactory(event=event, name="Anna", email="anna@example.org")
    erase_url = reverse("registrations:erase", args=[anna.token])

    dutch = client.get(erase_url).content.decode()
    english = client.get("/en" + erase_url).content.decode()
    client.post(erase_url)

    assert "Reacties die je bij dit evenement hebt geplaatst, blijven staan." in dutch
    assert "Reactions you posted at this event stay." in english
    reaction.refresh_from_db()
    assert (reaction.name, reaction.email) == ("Anna", "anna@example.org")


def test_purge_also_cleans_the_log_of_rows_anonymised_before_it_did_so(staff_client):
    event = EventFactory(title="Wijkavond")
    anna = services.register(event=event, name="Anna Jansen", email="anna.jansen@example.org")
    staff_client.post(REGISTRATIONS, {"action": "mark_attended", "_selected_action": [anna.pk]})
    end = timezone.now() - datetime.timedelta(days=400)
    Event.objects.filter(pk=event.pk).update(
        starts_at=end - datetime.timedelta(hours=2), ends_at=end
    )
    # As the purge of an earlier version left it: the row anonymised, the log not.
    Registration.objects.filter(pk=anna.pk).update(
        name="", email=f"verwijderd-{anna.pk}@example.invalid", anonymised_at=end
    )

    call_command("purge_personal_data")

    [entry] = admin_log_about(anna)
    assert entry.object_repr == f"aanmelding {anna.pk} (gegevens gewist)"
