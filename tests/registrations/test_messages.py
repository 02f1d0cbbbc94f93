"""A message to everyone signed up: the service, the admin's form and preview, the record."""

import datetime
import uuid

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from events.models import Event
from registrations import services
from registrations.models import Message, Registration
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def message_tasks() -> list[dict]:
    rows = [row.args_kwargs["kwargs"] for row in DBTaskResult.objects.order_by("enqueued_at")]
    return [row for row in rows if row["kind"] == "message"]


@pytest.fixture
def event():
    """Anna and Bram confirmed, Dirk confirmed at the desk without an address, Cas and
    Fien waiting, Eva cancelled, Gijs erased."""
    event = EventFactory(title="Wijkavond Noord", capacity=3, waitlist_capacity=5)
    for who in ("anna", "bram"):
        services.register(event=event, name=who.title(), email=f"{who}@example.org")
    services.register(event=event, name="Dirk Balie", email="", by_staff=True)
    for who in ("cas", "fien", "eva", "gijs"):
        services.register(
            event=event, name=who.title(), email=f"{who}@example.org", waitlist_ok=True
        )
    services.cancel(registration=Registration.objects.get(name="Eva"))
    services.erase(registration=Registration.objects.get(name="Gijs"))
    DBTaskResult.objects.all().delete()
    event.refresh_from_db()
    return event


def send(event, audience="both", **kwargs) -> Message:
    return services.send_message(
        event=event,
        audience=audience,
        subject=kwargs.pop("subject", "Andere zaal"),
        body=kwargs.pop("body", "We zitten in de grote zaal.\nKoffie staat klaar."),
        key=kwargs.pop("key", uuid.uuid4()),
        **kwargs,
    )


def emails_of(tasks: list[dict]) -> list[str]:
    ids = [task["registration_id"] for task in tasks]
    return sorted(Registration.objects.filter(pk__in=ids).values_list("email", flat=True))


@pytest.mark.parametrize(
    ("audience", "mailed", "without"),
    [
        ("confirmed", ["anna@example.org", "bram@example.org"], 1),
        ("waitlisted", ["cas@example.org", "fien@example.org"], 0),
        (
            "both",
            ["anna@example.org", "bram@example.org", "cas@example.org", "fien@example.org"],
            1,
        ),
    ],
)
def test_one_mail_per_resident_of_the_audience_and_a_record(
    event, staff_user, audience, mailed, without
):
    message = send(event, audience, sent_by=staff_user)

    tasks = message_tasks()
    assert emails_of(tasks) == mailed
    assert {task["message_id"] for task in tasks} == {message.pk}
    assert (message.mailed_count, message.without_email_count) == (len(mailed), without)
    assert (message.sent_by, message.audience, message.subject) == (
        staff_user,
        audience,
        "Andere zaal",
    )
    assert message.body == "We zitten in de grote zaal.\nKoffie staat klaar."


def test_the_same_form_sent_twice_is_one_message(event):
    key = uuid.uuid4()
    first = send(event, key=key)
    again = send(event, key=key, subject="Iets anders")
    assert again.pk == first.pk
    assert Message.objects.count() == 1
    assert len(message_tasks()) == 4


@pytest.mark.parametrize(
    ("subject", "body", "refusal"),
    [
        ("Andere\nzaal", "Tekst", "Het onderwerp moet op één regel staan, zonder regeleinde."),
        ("Andere zaal\r", "Tekst", "Het onderwerp moet op één regel staan, zonder regeleinde."),
        ("  ", "Tekst", "Vul een onderwerp in."),
        ("Zaal", " \n ", "Vul een bericht in."),
        ("x" * 151, "Tekst", "Het onderwerp mag hoogstens 150"),
        ("Zaal", "x" * 5001, "het bericht 5000 tekens"),
        ("Zaal\x07", "Tekst", "De tekst bevat tekens die we niet kunnen gebruiken."),
        ("Zaal", "Tekst\x1b[31m", "De tekst bevat tekens die we niet kunnen gebruiken."),
    ],
)
def test_a_message_that_cannot_go_out_is_refused_and_nothing_is_written(
    event, subject, body, refusal
):
    with pytest.raises(services.MessageRefused) as refused:
        send(event, subject=subject, body=body)
    assert refusal in str(refused.value.message)
    assert not Message.objects.exists()
    assert message_tasks() == []


def test_the_text_of_a_message_goes_with_the_events_personal_data(event):
    message = send(event)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=40),
        ends_at=timezone.now() - datetime.timedelta(days=40, hours=-2),
    )
    services.purge_personal_data(ended_before=timezone.now() - datetime.timedelta(days=30))
    message.refresh_from_db()
    assert (message.subject, message.body) == ("", "")
    assert message.erased_at is not None
    assert (message.mailed_count, message.audience) == (4, "both")  # the record stays


# --- The admin ----------------------------------------------------------------------------


def message_url(event) -> str:
    return reverse("admin:events_event_message", args=[event.pk])


FORM = {
    "audience": "both",
    "subject": "Andere zaal",
    "body": "We zitten in de grote zaal.\r\nKoffie staat klaar.",
    "key": "0b9f6a1e-8d53-4c8e-9a0c-3a7d7c1e2f10",
}


def test_the_event_page_has_a_message_button(staff_client, event):
    html = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert f'href="{message_url(event)}"' in html
    assert "Bericht aan aanmelders" in html


def test_staff_write_preview_and_send_a_message(staff_client, staff_user, event):
    form = staff_client.get(message_url(event)).content.decode()
    assert "Aangemeld (3)" in form
    assert "Op de wachtlijst (2)" in form
    assert "Aangemeld en op de wachtlijst (5)" in form

    preview = staff_client.post(message_url(event), FORM)

    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Dit bericht bereikt 4 bewoners per e-mail." in html
    assert "bel deze bewoner" in html and "Dirk Balie" in html
    assert "Beste (naam van de bewoner)," in html
    assert "We zitten in de grote zaal.\nKoffie staat klaar." in html
    assert "Dit bericht gaat over Wijkavond Noord:" in html
    assert "Versturen aan 4 bewoners" in html
    assert "Anna" not in html  # no one's name but those to phone
    assert not Message.objects.exists()

    done = staff_client.post(message_url(event), {**FORM, "confirm": "yes"}, follow=True)

    assert done.redirect_chain[-1][0] == reverse("admin:events_event_change", args=[event.pk])
    page = done.content.decode()
    assert "Bericht verstuurd: 4 e-mails staan klaar in de uitgaande post." in page
    assert "1 bewoner heeft geen e-mailadres: bel hem of haar." in page
    message = Message.objects.get()
    assert message.sent_by == staff_user
    assert message.body == "We zitten in de grote zaal.\nKoffie staat klaar."
    assert len(message_tasks()) == 4
    log = LogEntry.objects.get(object_id=str(event.pk)).get_change_message()
    assert f"Bericht {message.pk} aan aanmelders verstuurd" in log
    assert "Andere zaal" not in log  # the text goes with the personal data; the log stays
    # A second click on "Versturen" (the same form) sends nothing more.
    staff_client.post(message_url(event), {**FORM, "confirm": "yes"})
    assert Message.objects.count() == 1
    assert len(message_tasks()) == 4
    # The compose page lists what was sent.
    assert "Eerder verstuurd" in staff_client.get(message_url(event)).content.decode()


def test_back_to_edit_keeps_what_was_written(staff_client, event):
    back = staff_client.post(message_url(event), {**FORM, "confirm": "yes", "edit": "1"})
    assert back.status_code == 200
    html = back.content.decode()
    assert 'value="Andere zaal"' in html
    assert "Koffie staat klaar.</textarea>" in html
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"subject": "Andere\r\nzaal"},
            "Het onderwerp moet op één regel staan, zonder regeleinde.",
        ),
        ({"subject": ""}, "Vul een onderwerp in."),
        ({"subject": "   "}, "Vul een onderwerp in."),
        ({"body": ""}, "Vul een bericht in."),
        ({"audience": ""}, "Kies aan wie het bericht gaat."),
        ({"audience": "iedereen"}, "Kies een van de keuzes in de lijst."),
        ({"subject": "x" * 151}, "Zorg dat deze waarde niet meer dan 150 tekens bevat"),
        ({"body": "Tek\x0bst"}, "Het bericht bevat tekens die we niet kunnen gebruiken."),
        ({"key": "geen-sleutel"}, "Voer een geldige UUID in."),
    ],
)
def test_bad_input_gets_a_dutch_message_and_sends_nothing(staff_client, event, change, message):
    for confirm in ({}, {"confirm": "yes"}):
        response = staff_client.post(message_url(event), {**FORM, **change, **confirm})
        assert response.status_code == 422
        assert message in response.content.decode()
    assert not Message.objects.exists()
    assert message_tasks() == []


def test_nobody_to_mail_offers_no_send_button(staff_client):
    event = EventFactory()
    services.register(event=event, name="Dirk", email="", by_staff=True)
    html = staff_client.post(message_url(event), FORM).content.decode()
    assert "Dit bericht bereikt 0 bewoners per e-mail." in html
    assert "er valt niets te versturen" in html
    assert "Versturen aan" not in html


def test_messages_need_the_add_message_permission(client, event):
    viewer = User.objects.create_user("kijker", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_event"))
    client.force_login(viewer)
    assert client.get(message_url(event)).status_code == 403
    assert client.post(message_url(event), {**FORM, "confirm": "yes"}).status_code == 403
    html = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert message_url(event) not in html
    assert not Message.objects.exists()


def test_the_record_of_messages_is_read_only(staff_client, event):
    message = send(event)
    listing = staff_client.get(reverse("admin:registrations_message_changelist"))
    assert listing.status_code == 200
    assert "Andere zaal" in listing.content.decode()
    detail = staff_client.get(reverse("admin:registrations_message_change", args=[message.pk]))
    assert detail.status_code == 200
    assert 'name="body"' not in detail.content.decode()
    assert staff_client.get(reverse("admin:registrations_message_add")).status_code == 403
    delete = reverse("admin:registrations_message_delete", args=[message.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
