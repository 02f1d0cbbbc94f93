"""The link-preview line is made once per event object and language, and follows both."""

import pytest
from django.utils import translation

from events.templatetags.events_tags import event_summary
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_the_summary_follows_the_language_on_the_same_object():
    event = EventFactory(description="Een avond in de wijk.", description_en="An evening.")
    with translation.override("nl"):
        dutch = event_summary(event)
        assert event_summary(event) == dutch
    with translation.override("en"):
        english = event_summary(event)
    assert "Een avond in de wijk." in dutch
    assert "An evening." in english
    with translation.override("nl"):
        assert event_summary(event) == dutch


def test_the_page_shows_one_summary_in_both_places(client):
    event = EventFactory(description="Praat mee over de nieuwe speeltuin.")
    html = client.get(event.get_absolute_url()).content.decode()
    assert html.count("Praat mee over de nieuwe speeltuin.") >= 3  # meta, og, the text
