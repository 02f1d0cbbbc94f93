"""What council staff (Evenementbeheer, not superusers) do in the admin, task by task."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from registrations import services
from registrations.models import Registration, RegistrationStatus
from tests.conftest import fill
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

EVENTS = reverse("admin:events_event_changelist")
REGISTRATIONS = reverse("admin:registrations_registration_changelist")


def sign_up(event, who: str) -> Registration:
    return services.register(event=event, name=who.title(), email=f"{who}@example.org")


def test_event_changelist_shows_counts_seats_left_and_the_public_link(staff_client):
    event = EventFactory(title="Wijkavond", capacity=3, waitlist_capacity=5)
    anna = sign_up(event, "anna")
    for who in ("bram", "cas", "dirk", "eva"):
        sign_up(event, who)
    services.cancel(registration=anna)  # bram moves up; 3 confirmed, 1 waiting, 1 cancelled

    html = staff_client.get(EVENTS).content.decode()
    row = html.split("Wijkavond", 1)[1].split("</tr>", 1)[0]
    cells = [cell.split(">", 1)[1].split("<", 1)[0] for cell in row.split("<td")[1:]]
    # location, capacity, confirmed, waiting, cancelled, seats left, published, link
    assert cells[2:6] == ["3", "3", "1", "1"]
    assert cells[6] == "0"
    assert event.get_absolute_url() in row


def test_event_changelist_filters_full_events(staff_client):
    full = EventFactory(title="Volle avond", capacity=1)
    fill(full, 1)
    EventFactory(title="Lege avond")
    html = staff_client.get(EVENTS, {"seats": "full"}).content.decode()
    assert "Volle avond" in html
    assert "Lege avond" not in html


def test_changelists_cost_the_same_queries_with_200_events_and_5000_registrations(
    staff_client, django_assert_max_num_queries, django_assert_num_queries
):
    few = EventFactory.create_batch(2, capacity=100)
    for event in few:
        fill(event, 2)
    with django_assert_max_num_queries(20) as captured:
        staff_client.get(EVENTS)
    events_few = len(captured)  # now: the next request clears the log
    with django_assert_max_num_queries(20) as captured:
        staff_client.get(REGISTRATIONS)
    registrations_few = len(captured)  # now: the next request clears the log

    # Benchmark-style setup: rows in bulk, counters set to match (not the service path).
    now = timezone.now()
    many = Event.objects.bulk_create(
        Event(
            title=f"Avond {n}",
            slug=f"avond-{n}",
            starts_at=now + datetime.timedelta(days=1 + n % 60),
            ends_at=now + datetime.timedelta(days=1 + n % 60, hours=2),
            location="Buurthuis",
            capacity=50,
            confirmed_count=25,
            is_published=True,
        )
        for n in range(200)
    )
    Registration.objects.bulk_create(
        Registration(
            event=event,
            name=f"Bewoner {n}",
            email=f"b{event.pk}-{n}@example.org",
            status=RegistrationStatus.CONFIRMED,
            token=f"t{event.pk}-{n}",
        )
        for event in many
        for n in range(25)
    )
    assert Registration.objects.count() >= 5000

    with django_assert_num_queries(events_few):
        staff_client.get(EVENTS)
    with django_assert_num_queries(registrations_few):
        staff_client.get(REGISTRATIONS)


def test_registration_changelist_filters_and_searches(staff_client):
    event = EventFactory(title="Wijkavond", capacity=1, waitlist_capacity=1)
    sign_up(event, "anna")
    sign_up(event, "bram")
    other = EventFactory(title="Andere avond")
    sign_up(other, "cas")

    by_status = staff_client.get(REGISTRATIONS, {"status__exact": "waitlisted"}).content.decode()
    assert "bram@example.org" in by_status
    assert "anna@example.org" not in by_status
    by_event = staff_client.get(REGISTRATIONS, {"event__id__exact": other.pk}).content.decode()
    assert "cas@example.org" in by_event
    assert "anna@example.org" not in by_event
    by_search = staff_client.get(REGISTRATIONS, {"q": "anna@"}).content.decode()
    assert "anna@example.org" in by_search
    assert "cas@example.org" not in by_search


def test_export_csv_has_dutch_columns_and_neutralises_formulas(staff_client):
    event = EventFactory(title="Wijkavond")
    services.register(event=event, name='=HYPERLINK("http://x")', email="x@example.org")
    sign_up(event, "anna")

    response = staff_client.post(EVENTS, {"action": "export_csv", "_selected_action": [event.pk]})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Evenement", "Begin", "Naam", "E-mailadres"]
    names = [row[2] for row in rows[1:]]
    assert sorted(names) == sorted(['\'=HYPERLINK("http://x")', "Anna"])
    assert LogEntry.objects.filter(object_id=str(event.pk)).exists()


def test_export_excel_lists_confirmed_then_waiting(staff_client):
    event = EventFactory(title="Wijkavond", capacity=1, waitlist_capacity=2)
    sign_up(event, "zoe")
    sign_up(event, "anna")

    response = staff_client.post(EVENTS, {"action": "export_xlsx", "_selected_action": [event.pk]})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][4:6] == ["Aantal personen", "Status"]
    assert [(row[2], row[4], row[5]) for row in values[1:]] == [
        ("Zoe", "1", "bevestigd"),
        ("Anna", "1", "wachtlijst"),
    ]


@pytest.fixture
def events_only_client(client):
    """Staff who may look at events (events.view_event) and nothing else: not at who
    signed up."""
    user = User.objects.create_user("kijker", password="geheim-wachtwoord", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_event"))
    client.force_login(user)
    return client


@pytest.mark.parametrize("action", ["export_csv", "export_xlsx"])
def test_the_attendee_export_needs_the_view_registration_permission(events_only_client, action):
    event = EventFactory(title="Wijkavond")
    sign_up(event, "anna")

    response = events_only_client.post(EVENTS, {"action": action, "_selected_action": [event.pk]})

    # The changelist again (the admin ignores an action it does not offer), no file.
    assert response.status_code in (200, 302, 403)
    assert "Content-Disposition" not in response
    assert response["Content-Type"].startswith("text/html")
    assert b"anna@example.org" not in response.content
    assert not LogEntry.objects.filter(object_id=str(event.pk)).exists()
    # Nor is the action offered.
    changelist = events_only_client.get(EVENTS)
    assert changelist.status_code == 200
    assert "Wijkavond" in changelist.content.decode()
    assert f'value="{action}"' not in changelist.content.decode()


def test_the_export_itself_refuses_without_the_permission(rf):
    """Not only hidden from the menu: called any other way, the export refuses too."""
    from django.contrib import admin
    from django.core.exceptions import PermissionDenied

    user = User.objects.create_user("kijker", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_event"))
    request = rf.post(EVENTS)
    request.user = user
    event_admin = admin.site._registry[Event]
    with pytest.raises(PermissionDenied):
        event_admin.export_csv(request, Event.objects.filter(pk=EventFactory().pk))


def test_the_attendance_list_needs_the_view_registration_permission(events_only_client):
    event = EventFactory()
    sign_up(event, "anna")
    url = reverse("admin:events_event_attendance_list", args=[event.pk])
    assert events_only_client.get(url).status_code == 403


@pytest.mark.parametrize("action", ["export_csv", "export_xlsx"])
def test_event_staff_see_the_attendee_export(staff_client, action):
    event = EventFactory()
    sign_up(event, "anna")
    assert f'value="{action}"' in staff_client.get(EVENTS).content.decode()
    response = staff_client.post(EVENTS, {"action": action, "_selected_action": [event.pk]})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


def test_mark_attended_and_not_attended(staff_client):
    event = EventFactory()
    anna, bram = sign_up(event, "anna"), sign_up(event, "bram")
    staff_client.post(
        REGISTRATIONS, {"action": "mark_attended", "_selected_action": [anna.pk, bram.pk]}
    )
    staff_client.post(REGISTRATIONS, {"action": "mark_not_attended", "_selected_action": [bram.pk]})
    anna.refresh_from_db(), bram.refresh_from_db()
    assert (anna.attended, bram.attended) == (True, False)
    assert LogEntry.objects.filter(object_id=str(anna.pk)).count() == 1
    assert LogEntry.objects.filter(object_id=str(bram.pk)).count() == 2


def test_printable_attendance_list_has_the_confirmed_names(staff_client):
    event = EventFactory(capacity=2, waitlist_capacity=1)
    for who in ("anna", "bram", "cas"):
        sign_up(event, who)
    html = staff_client.get(
        reverse("admin:events_event_attendance_list", args=[event.pk])
    ).content.decode()
    assert "Presentielijst" in html
    assert "Anna" in html and "Bram" in html
    assert "Cas" not in html  # on the waiting list, not coming
    assert html.count('class="tick-box"') == 2


def test_admin_start_page_shows_upcoming_events_with_bars(staff_client):
    event = EventFactory(title="Wijkavond", capacity=4, waitlist_capacity=4)
    fill(event, 4)
    sign_up(event, "wachter")
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert "Komende evenementen" in html
    assert "4 van 4" in html
    assert "1 op de wachtlijst" in html
    assert 'class="capacity-bar"' in html


def test_event_admin_page_shows_sign_ups_per_day(staff_client):
    event = EventFactory()
    fill(event, 3)
    html = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert "Aanmeldingen per dag" in html
    assert "<rect" in html
    assert "3 aanmeldingen sinds" in html


def test_staff_cannot_edit_or_delete_registrations_by_hand(staff_client):
    event = EventFactory()
    anna = sign_up(event, "anna")
    html = staff_client.get(
        reverse("admin:registrations_registration_change", args=[anna.pk])
    ).content.decode()
    assert 'name="status"' not in html
    assert 'name="attended"' not in html
    delete = reverse("admin:registrations_registration_delete", args=[anna.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    assert Registration.objects.filter(pk=anna.pk).exists()
