import datetime

import pytest
import time_machine
from django.test import RequestFactory
from django.utils import timezone

from consent import categories
from consent.state import Consent, needs_choice, parse, serialise
from tests.consent.conftest import RECEIPT, consent_cookie

NOW = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)


def request_with(value: str | None):
    request = RequestFactory().get("/")
    if value is not None:
        request.COOKIES["bijeen_consent"] = value
    return request


def test_a_choice_survives_the_round_trip_through_the_cookie():
    consent = Consent(
        categories.VERSION, NOW, RECEIPT, {"statistieken": True, "externe-media": False}
    )
    value = serialise(consent)
    assert (
        value
        == f"{categories.VERSION}|{int(NOW.timestamp())}|{RECEIPT}|statistieken:1|externe-media:0"
    )
    assert parse(value, now=NOW) == consent


@pytest.mark.parametrize(
    "value",
    [
        "",
        "ja",
        "1|2",
        f"999|{int(NOW.timestamp())}|{RECEIPT}|statistieken:1",  # another version
        f"1|gisteren|{RECEIPT}|statistieken:1",
        f"1|{int(NOW.timestamp())}|niet-hex|statistieken:1",
        f"1|{int(NOW.timestamp())}|{RECEIPT}|statistieken:ja",
        f"1|{int(NOW.timestamp())}|{RECEIPT}|statistieken",
        f"1|{int(NOW.timestamp())}|{RECEIPT}|",
        f"1|{10**30}|{RECEIPT}|statistieken:1",
    ],
)
def test_anything_unexpected_in_the_cookie_counts_as_no_choice(value):
    assert parse(value, now=NOW) is None


def test_a_choice_older_than_a_year_counts_as_no_choice():
    value = serialise(Consent(categories.VERSION, NOW, RECEIPT, {"statistieken": True}))
    assert parse(value, now=NOW + datetime.timedelta(days=364)) is not None
    assert parse(value, now=NOW + datetime.timedelta(days=366)) is None


def test_a_choice_from_the_future_counts_as_no_choice():
    value = serialise(Consent(categories.VERSION, NOW + datetime.timedelta(hours=1), RECEIPT, {}))
    assert parse(value, now=NOW) is None


def test_a_category_that_no_longer_exists_is_ignored():
    value = f"{categories.VERSION}|{int(NOW.timestamp())}|{RECEIPT}|weg:1|externe-media:1"
    assert parse(value, now=NOW).choices == {"externe-media": True}


def test_without_matomo_only_external_media_needs_a_choice():
    assert needs_choice(request_with(None))
    assert not needs_choice(request_with(consent_cookie(externe_media=False)))


def test_once_matomo_is_configured_an_earlier_choice_is_asked_again(matomo):
    assert needs_choice(request_with(consent_cookie(externe_media=True)))
    assert not needs_choice(request_with(consent_cookie(externe_media=True, statistieken=False)))


def test_a_new_version_of_the_categories_asks_again(monkeypatch):
    value = consent_cookie(externe_media=True)
    monkeypatch.setattr(categories, "VERSION", categories.VERSION + 1)
    assert needs_choice(request_with(value))


def test_a_year_later_the_visitor_is_asked_again():
    value = consent_cookie(externe_media=True)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=366)):
        assert needs_choice(request_with(value))


def test_the_category_list_is_the_one_its_version_describes():
    """Adding or removing a category or cookie must bump VERSION, so visitors are asked again.

    When this fails after such a change: bump categories.VERSION and update this list.
    """
    listed = {
        category.key: [str(cookie.name) for cookie in category.cookies]
        for category in categories.all_categories()
    }
    assert (categories.VERSION, listed) == (
        1,
        {
            "noodzakelijk": ["csrftoken", "bijeen_consent", "sessionid", "messages"],
            "statistieken": ["_pk_id.*", "_pk_ses.*", "_pk_ref.*", "_pk_testcookie.*"],
            "externe-media": ["Cookies van OpenStreetMap"],
        },
    )
