import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils import timezone

from tests.conftest import fill
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def test_home_lists_upcoming_published_events_with_begin_location_and_status(client):
    soon = EventFactory(title="Wijkraad Noord", capacity=12)
    later = EventFactory(
        title="Wijkraad Zuid", starts_at=timezone.now() + datetime.timedelta(days=30)
    )
    EventFactory(title="Verborgen concept", is_published=False)
    EventFactory(
        title="Al geweest",
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=2, hours=-2),
    )

    html = client.get("/").content.decode()

    assert html.index(soon.title) < html.index(later.title)
    assert "Verborgen concept" not in html
    assert "Al geweest" not in html
    assert "Nog 12 plaatsen" in html
    assert soon.location in html


def test_home_status_reads_one_seat_full_and_closed(client):
    one_left = EventFactory(title="Eén plaats", capacity=2)
    fill(one_left, 1)
    full = EventFactory(title="Volle avond", capacity=1)
    fill(full, 1, prefix="vol")
    EventFactory(
        title="Gesloten avond", registration_closes_at=timezone.now() - datetime.timedelta(hours=1)
    )

    html = client.get("/").content.decode()

    assert "Nog 1 plaats<" in html
    assert 'status--full">Vol<' in html
    assert "Aanmelden gesloten" in html


def test_home_status_says_when_registration_opens(client):
    opens = timezone.now() + datetime.timedelta(days=1)
    EventFactory(registration_opens_at=opens)
    local = timezone.localtime(opens)
    assert f"Aanmelden vanaf {local:%d-%m-%Y} om {local:%H:%M}" in client.get("/").content.decode()


def test_archive_lists_past_events_only(client):
    EventFactory(
        title="Vorige maand",
        starts_at=timezone.now() - datetime.timedelta(days=30),
        ends_at=timezone.now() - datetime.timedelta(days=30, hours=-2),
    )
    EventFactory(title="Volgende week")
    html = client.get(reverse("events:archive")).content.decode()
    assert "Vorige maand" in html
    assert "Volgende week" not in html


def test_home_query_count_does_not_grow_with_events(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    EventFactory.create_batch(3)
    with django_assert_max_num_queries(10) as captured:
        client.get("/")
    few = len(captured)  # now: the next request clears the log
    EventFactory.create_batch(40)
    with django_assert_num_queries(few):
        client.get("/")


@time_machine.travel(datetime.datetime(2023, 10, 1, 12, tzinfo=UTC), tick=False)
def test_event_page_shows_reference_page_content_in_order_and_amsterdam_time(client):
    event = EventFactory(
        title="Bijeenkomst wijkraden, buurtgemeenschappen en jeugdraden",
        # 18:00 UTC is 19:00 in Amsterdam on 31 October 2023 (CET, after the clock change).
        starts_at=datetime.datetime(2023, 10, 31, 18, 0, tzinfo=UTC),
        ends_at=datetime.datetime(2023, 10, 31, 20, 0, tzinfo=UTC),
        location="Gemeentehuis",
        description="Eerste alinea.\n\nTweede alinea.",
    )

    # The page itself (the head's link preview repeats the date and place).
    html = client.get(event.get_absolute_url()).content.decode().split("<main", 1)[1]

    positions = [
        html.index("<h1>Bijeenkomst wijkraden"),
        html.index("Begin"),
        html.index("31-10-2023 om 19:00"),
        html.index("Einde"),
        html.index("31-10-2023 om 21:00"),
        html.index('id="aanmelden"'),
        html.index("Locatie"),
        html.index("Gemeentehuis"),
        html.index("<p>Eerste alinea.</p>"),
        html.index("<p>Tweede alinea.</p>"),
    ]
    assert positions == sorted(positions)


def test_event_page_escapes_description_and_title(client):
    event = EventFactory(
        title="<b>Vet</b>", description="<script>alert(1)</script>\n<a href='x'>link</a>"
    )
    html = client.get(event.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Vet&lt;/b&gt;" in html


def test_event_page_query_count_does_not_grow_with_registrations(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    event = EventFactory(capacity=100)
    fill(event, 2)
    with django_assert_max_num_queries(10) as captured:
        client.get(event.get_absolute_url())
    few = len(captured)  # now: the next request clears the log
    fill(event, 60, prefix="meer")
    with django_assert_num_queries(few):
        client.get(event.get_absolute_url())


def test_unpublished_event_is_not_found_for_residents(client):
    event = EventFactory(is_published=False)
    assert client.get(event.get_absolute_url()).status_code == 404


def test_staff_who_may_view_events_can_preview_an_unpublished_event(client):
    event = EventFactory(is_published=False, title="Concept")
    staff = User.objects.create_user("medewerker", password="x", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_event"))
    client.force_login(staff)
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert "alleen medewerkers zien deze pagina" in response.content.decode()
    assert (
        "<form" not in response.content.decode().split('id="aanmelden"')[1].split("</section>")[0]
    )


def test_unknown_event_is_not_found(client):
    assert client.get("/evenementen/bestaat-niet/").status_code == 404
