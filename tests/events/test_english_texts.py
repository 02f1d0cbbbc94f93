"""English event texts on /en/, and the Dutch text with a note when there are none."""

import pytest

from events.models import Event, Theme
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_english_page_shows_the_english_title_and_description(client):
    event = EventFactory(
        title="Wijkavond", description="Praat mee.", title_en="Evening", description_en="Join in."
    )
    html = client.get("/en" + event.get_absolute_url()).content.decode()
    assert "<h1>Evening</h1>" in html
    assert "<p>Join in.</p>" in html
    assert "Praat mee." not in html
    assert "no English text" not in html


def test_english_page_without_english_texts_shows_dutch_marked_as_dutch_with_a_note(client):
    event = EventFactory(title="Wijkavond", description="Praat mee.")
    html = client.get("/en" + event.get_absolute_url()).content.decode()
    assert '<h1 lang="nl">Wijkavond</h1>' in html
    assert '<section class="event__description" lang="nl">' in html
    assert "This event has no English text yet. The text below is in Dutch." in html


def test_dutch_page_always_shows_the_dutch_texts(client):
    event = EventFactory(title="Wijkavond", title_en="Evening")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "<h1>Wijkavond</h1>" in html
    assert "Evening" not in html
    assert "English" not in html.split("<main")[1]


def test_english_list_shows_english_titles_and_marks_dutch_ones(client):
    EventFactory(title="Wijkavond", title_en="Evening")
    EventFactory(title="Jeugdraad")
    html = client.get("/en/").content.decode()
    assert ">Evening</a>" in html
    assert 'lang="nl">Jeugdraad</a>' in html


def test_localized_picks_the_text_and_says_its_language():
    from django.utils import translation

    event = Event(title="Wijkavond", title_en="Evening", description="Kom.")
    with translation.override("en"):
        assert (event.localized("title").text, event.localized("title").lang) == ("Evening", "en")
        assert event.localized("description").is_fallback
    with translation.override("nl"):
        assert event.localized("title").text == "Wijkavond"
        assert not event.localized("title").is_fallback
    theme = Theme(name="Veiligheid", name_en="Safety")
    with translation.override("en"):
        assert theme.localized_name == "Safety"
    assert theme.localized_name == "Veiligheid"
