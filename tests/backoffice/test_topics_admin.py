"""Event staff keep the themes, wijken and series in the admin; the event form has them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from events.admin import EventAdminForm
from events.models import Area, Event, Series, Theme
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_event_staff_add_a_theme_and_a_wijk(staff_client):
    response = staff_client.post(
        reverse("admin:events_theme_add"),
        {"name": "Veiligheid", "name_en": "Safety", "slug": "veiligheid"},
    )
    assert response.status_code == 302
    response = staff_client.post(
        reverse("admin:events_area_add"), {"name": "Noord", "slug": "noord"}
    )
    assert response.status_code == 302
    assert Theme.objects.get().name_en == "Safety"
    assert Area.objects.get().slug == "noord"


def test_event_staff_cannot_delete_themes_or_wijken(staff_client):
    theme = Theme.objects.create(name="Jeugd", slug="jeugd")
    area = Area.objects.create(name="Zuid", slug="zuid")
    assert (
        staff_client.get(reverse("admin:events_theme_delete", args=[theme.pk])).status_code == 403
    )
    assert staff_client.get(reverse("admin:events_area_delete", args=[area.pk])).status_code == 403


def test_event_form_sets_the_wijk_themes_series_and_english_texts(staff_client):
    theme = Theme.objects.create(name="Jeugd", slug="jeugd")
    area = Area.objects.create(name="Zuid", slug="zuid")
    series = Series.objects.create(title="Jeugdraden")
    event = EventFactory()
    html = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content
    assert b'name="themes"' in html and b'type="checkbox"' in html
    assert b"Engelse tekst (niet verplicht)" in html

    local = timezone.localtime
    form = EventAdminForm(
        instance=event,
        data={
            **{name: getattr(event, name) for name in ("title", "slug", "location", "capacity")},
            "title_en": "Youth council",
            "is_published": "on",
            "area": area.pk,
            "themes": [theme.pk],
            "series": series.pk,
            "starts_at": f"{local(event.starts_at):%d-%m-%Y %H:%M}",
            "ends_at": f"{local(event.ends_at):%d-%m-%Y %H:%M}",
            "waitlist_capacity": 0,
            "max_party_size": 1,
        },
    )
    assert form.is_valid(), form.errors
    form.save()
    event = Event.objects.get(pk=event.pk)
    assert (event.area, event.series, event.title_en) == (area, series, "Youth council")
    assert list(event.themes.all()) == [theme]


def test_series_page_lists_its_dates(staff_client):
    series = Series.objects.create(title="Inloopavond energie")
    EventFactory(series=series, location="Bibliotheek Noord")
    EventFactory(series=series, location="Wijkcentrum Zuid")
    html = staff_client.get(reverse("admin:events_series_change", args=[series.pk])).content
    assert b"Bibliotheek Noord" in html and b"Wijkcentrum Zuid" in html


@pytest.mark.parametrize("model", ["theme", "area", "series"])
def test_changelists_cost_a_constant_number_of_queries(
    staff_client, model, django_assert_max_num_queries, django_assert_num_queries
):
    url = reverse(f"admin:events_{model}_changelist")
    with django_assert_max_num_queries(20) as captured:
        staff_client.get(url)
    few = len(captured)
    for number in range(30):
        if model == "theme":
            Theme.objects.create(name=f"Thema {number}", slug=f"thema-{number}")
        elif model == "area":
            Area.objects.create(name=f"Wijk {number}", slug=f"wijk-{number}")
        else:
            EventFactory(series=Series.objects.create(title=f"Reeks {number}"))
    with django_assert_num_queries(few):
        assert staff_client.get(url).status_code == 200
