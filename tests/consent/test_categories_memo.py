"""The categories are built once per language and settings, and follow both."""

from django.test import override_settings
from django.utils import translation

from consent import categories


def _texts() -> list[str]:
    return [str(c.name) for c in categories.all_categories()] + [
        str(cookie.set_by) for c in categories.all_categories() for cookie in c.cookies
    ]


def test_the_categories_follow_the_language():
    with translation.override("nl"):
        dutch = _texts()
    with translation.override("en"):
        english = _texts()
    assert "Noodzakelijk" in dutch
    assert "Noodzakelijk" not in english


def test_the_categories_follow_the_organisation_and_matomo_settings():
    with override_settings(BIJEEN_ORGANISATION_NAME="Gemeente Groenwaard"):
        assert any("Gemeente Groenwaard" in text for text in _texts())
    with override_settings(BIJEEN_ORGANISATION_NAME="Gemeente Elders"):
        assert not any("Gemeente Groenwaard" in text for text in _texts())
    with override_settings(MATOMO_URL="https://stats.example.nl/", MATOMO_SITE_ID="3"):
        assert any("stats.example.nl" in text for text in _texts())
        assert categories.statistics_configured()
