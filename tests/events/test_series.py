"""Series: staff add a further date from an event; each date lists the others."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Area, Event, Series, Theme
from tests.conftest import fill
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def add_date_url(event: Event) -> str:
    return reverse("admin:events_event_add_series_date", args=[event.pk])


def split(moment: datetime.datetime, prefix: str) -> dict[str, str]:
    local = timezone.localtime(moment)
    return {f"{prefix}_0": f"{local:%d-%m-%Y}", f"{prefix}_1": f"{local:%H:%M}"}


def test_a_further_date_copies_the_event_with_a_new_slug_time_place_and_no_sign_ups():
    theme = Theme.objects.create(name="Wonen", slug="wonen")
    event = EventFactory(
        title="Inloopavond energie",
        title_en="Energy drop-in",
        capacity=3,
        waitlist_capacity=2,
        max_party_size=4,
        registration_closes_at=timezone.now() + datetime.timedelta(days=6),
    )
    event.themes.add(theme)
    fill(event, 3)
    zuid = Area.objects.create(name="Zuid", slug="zuid")
    starts = event.starts_at + datetime.timedelta(days=14)

    new = services.add_series_date(
        event=event,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        location="Wijkcentrum Zuid",
        area=zuid,
    )

    event.refresh_from_db()
    assert event.series is not None and event.series.title == "Inloopavond energie"
    assert event.confirmed_count == 3  # the source's counter untouched
    assert new.series == event.series
    assert new.slug == f"inloopavond-energie-{timezone.localdate(starts).isoformat()}"
    assert (new.title_en, new.capacity, new.waitlist_capacity, new.max_party_size) == (
        "Energy drop-in",
        3,
        2,
        4,
    )
    assert (new.confirmed_count, new.waitlisted_count, new.registrations.count()) == (0, 0, 0)
    assert (new.location, new.area, new.is_published) == ("Wijkcentrum Zuid", zuid, False)
    assert list(new.themes.all()) == [theme]
    # The window moves with the start: it still closes a day before.
    assert new.registration_closes_at == event.registration_closes_at + datetime.timedelta(days=14)


def test_two_dates_on_one_day_get_different_slugs():
    event = EventFactory(title="Spreekuur")
    starts = event.starts_at + datetime.timedelta(days=7)
    slugs = {
        services.add_series_date(
            event=event, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1), location=x
        ).slug
        for x in ("A", "B")
    }
    assert len(slugs) == 2
    assert Series.objects.count() == 1


def test_staff_add_a_date_from_the_event_page_in_the_admin(staff_client):
    event = EventFactory(title="Inloopavond energie")
    change = staff_client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert add_date_url(event) in change.content.decode()
    assert "Datum toevoegen aan deze reeks" in change.content.decode()

    form = staff_client.get(add_date_url(event))
    assert form.status_code == 200
    assert 'value="Buurthuis De Linde"' in form.content.decode()

    starts = event.starts_at + datetime.timedelta(days=21)
    response = staff_client.post(
        add_date_url(event),
        {
            **split(starts, "starts_at"),
            **split(starts + datetime.timedelta(hours=2), "ends_at"),
            "location": "Bibliotheek Noord",
            "address": "Noordweg 1",
            "is_published": "on",
        },
    )

    new = Event.objects.exclude(pk=event.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:events_event_change", args=[new.pk])
    assert new.is_published and new.location == "Bibliotheek Noord"
    assert new.starts_at == starts.replace(second=0, microsecond=0)


def test_the_add_date_form_refuses_an_end_before_the_start(staff_client):
    event = EventFactory()
    starts = event.starts_at + datetime.timedelta(days=7)
    response = staff_client.post(
        add_date_url(event),
        {**split(starts, "starts_at"), **split(starts, "ends_at"), "location": "Hier"},
    )
    assert response.status_code == 200
    assert "Het einde moet na het begin liggen." in response.content.decode()
    assert Event.objects.count() == 1


def test_only_staff_who_may_add_events_can_add_a_date(client):
    event = EventFactory()
    viewer = User.objects.create_user("kijker", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_event"))
    client.force_login(viewer)
    assert client.get(add_date_url(event)).status_code == 403
    change = client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert "Datum toevoegen aan deze reeks" not in change.content.decode()


def test_each_date_lists_the_other_upcoming_dates_with_seats_left(client):
    series = Series.objects.create(title="Inloopavond energie")
    this = EventFactory(series=series, location="Noord")
    soon = EventFactory(
        series=series,
        location="Zuid",
        capacity=4,
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    fill(soon, 1)
    full = EventFactory(series=series, location="Oost", capacity=1)
    fill(full, 1, prefix="vol")
    EventFactory(series=series, location="Concept", is_published=False)
    EventFactory(
        series=series,
        location="Geweest",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3, hours=-1),
    )

    html = client.get(this.get_absolute_url()).content.decode()
    section = html.split('id="andere-data"')[1].split("</section>")[0]

    assert section.index("Zuid") < section.index("Oost")
    assert "Nog 3 plaatsen" in section
    assert 'status--full">Vol<' in section
    assert "Concept" not in section and "Geweest" not in section
    assert ">Noord<" not in section


def test_the_other_dates_cost_one_query_however_many(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    series = Series.objects.create(title="Reeks")
    event = EventFactory(series=series)
    EventFactory(series=series)
    with django_assert_max_num_queries(15) as captured:
        client.get(event.get_absolute_url())
    few = len(captured)
    EventFactory.create_batch(30, series=series)
    with django_assert_num_queries(few):
        client.get(event.get_absolute_url())


def test_an_event_outside_a_series_shows_no_other_dates(client):
    event = EventFactory()
    assert 'id="andere-data"' not in client.get(event.get_absolute_url()).content.decode()
