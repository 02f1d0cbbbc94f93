"""The filtered event list: wijk, theme, period, dates, seats, words; count and empty state."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from events.filters import EventFilterForm, filter_events, period_end
from events.models import Area, Event, Theme
from tests.conftest import fill
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def noord() -> Area:
    return Area.objects.create(name="Noord", slug="noord")


@pytest.fixture
def veiligheid() -> Theme:
    return Theme.objects.create(name="Veiligheid", name_en="Safety", slug="veiligheid")


def titles(response) -> list[str]:
    return [event.title for event in response.context["events"]]


def test_list_filters_on_wijk_and_theme_together(client, noord, veiligheid):
    both = EventFactory(title="Noord veilig", area=noord)
    both.themes.add(veiligheid)
    EventFactory(title="Alleen Noord", area=noord)
    elsewhere = EventFactory(title="Alleen veilig")
    elsewhere.themes.add(veiligheid)

    assert titles(client.get("/?wijk=noord&thema=veiligheid")) == ["Noord veilig"]
    assert set(titles(client.get("/?wijk=noord"))) == {"Noord veilig", "Alleen Noord"}
    assert set(titles(client.get("/?thema=veiligheid"))) == {"Noord veilig", "Alleen veilig"}


@time_machine.travel(datetime.datetime(2025, 3, 12, 12, tzinfo=AMSTERDAM), tick=False)
def test_this_week_ends_on_sunday_night_and_this_month_at_its_end(client):
    # Wednesday 12 March 2025: the week ends Monday 17 March 00:00, the month 1 April.
    now = timezone.now()
    assert period_end("week", now=now) == datetime.datetime(2025, 3, 17, tzinfo=AMSTERDAM)
    assert period_end("maand", now=now) == datetime.datetime(2025, 4, 1, tzinfo=AMSTERDAM)
    for title, day in [("Zondag", 16), ("Maandag", 17), ("Eind maart", 31), ("April", 32)]:
        starts = datetime.datetime(2025, 3, 1, 20, tzinfo=AMSTERDAM) + datetime.timedelta(
            days=day - 1
        )
        EventFactory(title=title, starts_at=starts)

    assert titles(client.get("/?periode=week")) == ["Zondag"]
    assert titles(client.get("/?periode=maand")) == ["Zondag", "Maandag", "Eind maart"]


@time_machine.travel(datetime.datetime(2025, 12, 20, 12, tzinfo=AMSTERDAM), tick=False)
def test_this_month_in_december_ends_on_new_years_day():
    assert period_end("maand", now=timezone.now()) == datetime.datetime(
        2026, 1, 1, tzinfo=AMSTERDAM
    )


def test_from_and_to_dates_include_both_days_in_local_time(client):
    base = timezone.localtime() + datetime.timedelta(days=10)
    day = base.date()
    for title, offset in [("Voor", -1), ("Eerste", 0), ("Laatste", 2), ("Na", 3)]:
        start = datetime.datetime.combine(
            day + datetime.timedelta(days=offset),
            datetime.time(23, 30),
            tzinfo=timezone.get_current_timezone(),
        )
        EventFactory(title=title, starts_at=start)
    van, tot = day.isoformat(), (day + datetime.timedelta(days=2)).isoformat()

    assert titles(client.get(f"/?van={van}&tot={tot}")) == ["Eerste", "Laatste"]
    # The Dutch way of writing a date works too (a typed address, an old bookmark).
    assert titles(client.get(f"/?van={day:%d-%m-%Y}&tot={tot}")) == ["Eerste", "Laatste"]


def test_only_with_seats_leaves_out_full_and_closed_events(client):
    EventFactory(title="Ruimte", capacity=5)
    full = EventFactory(title="Vol", capacity=1)
    fill(full, 1)
    EventFactory(
        title="Gesloten", registration_closes_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert titles(client.get("/?vrij=on")) == ["Ruimte"]


def test_search_is_dutch_full_text_over_title_and_description(client):
    EventFactory(title="Inloopavond", description="Praat mee over veilige straten in de wijken.")
    EventFactory(title="Spreekuur energie", description="Isolatie en subsidie.")
    EventFactory(title="Jeugdraad", description="Over de speeltuin.")

    # Stemming: "veiligheid" and "veilige" share a stem, as "wijk" and "wijken" do.
    assert titles(client.get("/?q=veiligheid")) == ["Inloopavond"]
    assert titles(client.get("/?q=wijk")) == ["Inloopavond"]
    # A part of a word in the title, and the websearch syntax.
    assert titles(client.get("/?q=energ")) == ["Spreekuur energie"]
    assert titles(client.get("/?q=subsidie -isolatie")) == []


def test_search_covers_the_english_texts(client):
    EventFactory(title="Buurtgesprek", title_en="Neighbourhood talk", description_en="Safety.")
    assert titles(client.get("/en/?q=safety")) == ["Buurtgesprek"]


def test_search_falls_back_to_a_plain_match_without_postgresql(monkeypatch):
    EventFactory(title="Inloopavond", description="Over veilige straten.")
    EventFactory(title="Spreekuur")
    monkeypatch.setattr(connection, "vendor", "sqlite")
    found = filter_events(Event.objects.all(), {"q": "VEILIG"})
    assert [event.title for event in found] == ["Inloopavond"]
    assert "to_tsvector" not in str(found.query)


def test_a_stale_or_broken_filter_shows_an_error_and_the_rest_of_the_list(client, noord):
    EventFactory(title="In Noord", area=noord)
    response = client.get("/?wijk=noord&thema=bestaat-niet&van=gisteren")
    html = response.content.decode()

    assert response.status_code == 200
    assert 'id="error-summary"' in html
    assert "Dit thema bestaat niet (meer)" in html
    assert "Vul een datum in, zoals 31-12-2025." in html
    assert titles(response) == ["In Noord"]


def test_query_with_control_characters_or_far_dates_is_refused_not_a_500(client):
    EventFactory(title="Iets")
    for query in [
        "?q=a%00b",
        "?van=0001-01-01",
        "?tot=9999-12-31",
        "?van=2026-05-01&tot=2026-04-01",
    ]:
        response = client.get("/" + query)
        assert response.status_code == 200
        assert 'id="error-summary"' in response.content.decode()


def test_result_count_is_announced_and_in_the_title(client, noord):
    EventFactory.create_batch(2, area=noord)
    EventFactory()
    html = client.get("/?wijk=noord").content.decode()
    assert '<p class="results-count" id="result-count" role="status">2 evenementen gevonden' in html
    assert "<title>2 evenementen gevonden – Evenementen – " in html
    english = client.get("/en/?wijk=noord").content.decode()
    assert "2 events found" in english


def test_empty_result_says_so_and_offers_to_clear_the_filters(client):
    EventFactory(title="Iets anders")
    html = client.get("/?q=olifant").content.decode()
    assert "0 evenementen gevonden" in html
    assert "Geen evenementen gevonden" in html
    assert 'href="/">Alle filters wissen en alle evenementen tonen' in html


def test_filtered_list_links_its_feeds_and_keeps_filters_on_the_next_page(client, noord):
    EventFactory.create_batch(51, area=noord)
    html = client.get("/?wijk=noord&onzin=1").content.decode()
    assert 'href="/agenda.ics?wijk=noord"' in html  # without the unknown parameter
    assert 'href="/agenda.atom?wijk=noord"' in html
    assert 'rel="alternate" type="application/atom+xml"' in html
    assert 'href="?wijk=noord&amp;onzin=1&amp;page=2"' in html


def test_the_form_keeps_what_was_chosen_and_needs_no_javascript(client, noord, veiligheid):
    html = client.get("/?wijk=noord&thema=veiligheid&q=energie&vrij=on").content.decode()
    assert 'method="get"' in html
    assert '<option value="noord" selected>Noord</option>' in html
    assert 'value="energie"' in html
    assert 'name="vrij" class="checkboxinput" id="id_vrij" checked' in html
    assert "(niet verplicht)" not in html.split('id="filters"')[1].split("</form>")[0]


def test_theme_names_are_english_on_the_english_list(client, veiligheid):
    html = client.get("/en/").content.decode()
    assert '<option value="veiligheid">Safety</option>' in html


def test_filter_form_cleans_spaces_in_the_search_words():
    form = EventFilterForm({"q": "  nieuwe   speeltuin "})
    assert form.filters() == {"q": "nieuwe speeltuin"}
    assert form.query_string() == "?q=nieuwe+speeltuin"


def test_list_query_count_is_constant_with_a_thousand_events(
    client, noord, veiligheid, django_assert_max_num_queries, django_assert_num_queries
):
    events = EventFactory.create_batch(3, area=noord)
    for event in events:
        event.themes.add(veiligheid)
    urls = ["/", "/?wijk=noord&thema=veiligheid&q=bijeenkomst&vrij=on&periode=maand"]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(10) as captured:
            client.get(url)
        counts[url] = len(captured)  # now: the next request clears the log

    now = timezone.now()
    Event.objects.bulk_create(
        EventFactory.build(
            slug=f"veel-{n}",
            area=noord,
            starts_at=now + datetime.timedelta(days=1, minutes=n),
            ends_at=now + datetime.timedelta(days=1, minutes=n + 60),
        )
        for n in range(1000)
    )
    noord_events = Event.objects.filter(slug__startswith="veel-")
    veiligheid.events.add(*noord_events)

    for url in urls:
        with django_assert_num_queries(counts[url]):
            response = client.get(url)
        assert response.context["paginator"].count == 1003
    print("list queries with 1,003 events:", counts)


# Without filters the form's HTML comes from memory (core.formhtml), under a key of the
# language and every column of the wijken and themes it offers.


def _form_html(response) -> str:
    html = response.content.decode()
    start = html.rindex("<form", 0, html.index('id="filters"'))
    return html[start : html.index("</form>", start)]


def test_the_remembered_filter_form_is_the_rendered_one(client, noord, veiligheid):
    from crispy_forms.utils import render_crispy_form

    first = client.get("/")
    second = client.get("/")
    fresh = render_crispy_form(EventFilterForm({}))
    assert _form_html(first) == _form_html(second)
    assert fresh in first.content.decode()
    assert fresh in second.content.decode()


def test_a_new_wijk_or_a_renamed_theme_shows_at_once(client, noord, veiligheid):
    assert ">Noord<" in _form_html(client.get("/"))
    Area.objects.create(name="Zuid", slug="zuid")
    veiligheid.name = "Veilig wonen"
    veiligheid.save()
    html = _form_html(client.get("/"))
    assert ">Zuid<" in html
    assert ">Veilig wonen<" in html
    assert ">Veiligheid<" not in html
    assert "Safety" in _form_html(client.get("/en/"))


def test_a_filtered_list_shows_the_visitors_choice_not_the_remembered_form(
    client, noord, veiligheid
):
    client.get("/")
    html = _form_html(client.get("/?wijk=noord"))
    assert '<option value="noord" selected>' in html


def test_the_list_reads_the_same_whether_its_form_is_remembered_or_not(
    client, noord, veiligheid, django_assert_max_num_queries
):
    counts = []
    for name in ("Eerst", "Dan"):
        Area.objects.create(name=name, slug=name.lower())  # a new key: the form is rendered
        with django_assert_max_num_queries(10) as first:
            client.get("/")
        counts.append(len(first))
        with django_assert_max_num_queries(10) as again:
            client.get("/")  # the same key: from memory
        counts.append(len(again))
    assert len(set(counts)) == 1, counts
