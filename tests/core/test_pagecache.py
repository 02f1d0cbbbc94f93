"""The one-second page cache: fast for anonymous visitors, never wrong where it matters."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from registrations.models import Registration
from tests.conftest import fill
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FULL = "Maximaal aantal aanmeldingen bereikt"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.BIJEEN_PAGE_CACHE_SECONDS = 1


@pytest.fixture
def query_count(django_assert_max_num_queries):
    """How many queries ``call()`` made (pytest-django's counter, with a generous bound)."""

    def count(call) -> int:
        with django_assert_max_num_queries(50) as captured:
            call()
        return len(captured)

    return count


def signup_data(token: str, number: int) -> dict:
    return {
        "csrfmiddlewaretoken": token,
        "name": f"Bewoner {number}",
        "email": f"bewoner{number}@example.org",
        "consent": "on",
    }


def test_an_anonymous_event_page_is_served_from_the_cache_without_queries(
    client, django_assert_num_queries
):
    event = EventFactory()
    path = event.get_absolute_url()
    first = client.get(path)

    with django_assert_num_queries(0):
        Client().get(path)
    assert Client().get(path).content.decode().count(event.title) == (
        first.content.decode().count(event.title)
    )


def test_each_visitor_gets_their_own_csrf_token_from_a_cached_page():
    event = EventFactory(capacity=5)
    path = event.get_absolute_url()
    Client().get(path)  # fills the cache

    for number in range(2):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get(path)
        token = TOKEN.search(page.content.decode()).group(1)
        assert "placeholder" not in page.content.decode()
        assert "csrftoken" in page.cookies
        response = visitor.post(path + "aanmelden/", signup_data(token, number))
        assert response.status_code == 302, response.content.decode()[:500]

    assert Registration.objects.filter(event=event).count() == 2


def test_the_cached_seat_count_is_at_most_a_second_old_and_decides_nothing():
    event = EventFactory(capacity=1)
    path = event.get_absolute_url()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        visitor = Client(enforce_csrf_checks=True)
        token = TOKEN.search(visitor.get(path).content.decode()).group(1)
        fill(event, 1)

        stale = Client().get(path).content.decode()
        assert FULL not in stale  # still the cached page with the form
        # ...but the sign-up from that page is refused under the lock.
        response = visitor.post(path + "aanmelden/", signup_data(token, 9))
        assert response.status_code == 409
        assert FULL in response.content.decode()

        clock.shift(datetime.timedelta(seconds=1.5))
        assert FULL in Client().get(path).content.decode()


def test_pages_with_a_query_string_or_a_session_are_rendered_fresh(client, query_count):
    event = EventFactory()
    path = event.get_absolute_url()
    client.get(path)

    assert query_count(lambda: Client().get(path + "?reactie=ontvangen")) > 0
    staff = User.objects.create_user("medewerker", password="x" * 12, is_staff=True)
    logged_in = Client()
    logged_in.force_login(staff)
    assert query_count(lambda: logged_in.get(path)) > 0


def test_the_home_page_is_cached_with_only_the_visitors_own_csrf_cookie(
    client, django_assert_num_queries
):
    EventFactory(title="Wijkraad Noord")
    client.get("/")
    response = Client().get("/")
    assert "Wijkraad Noord" in response.content.decode()
    # The cookie banner is a form: each visitor gets their own CSRF cookie, nothing else.
    assert set(response.cookies) <= {"csrftoken"}
    with django_assert_num_queries(0):
        Client().get("/")


def test_a_page_cached_for_one_cookie_choice_never_reaches_another(client):
    """The banner (and the map and statistics after consent) depend on the choice."""
    event = EventFactory()
    undecided = Client().get(event.get_absolute_url()).content.decode()
    assert 'id="consent-accept"' in undecided  # cached now, with the banner

    decided = Client()
    decided.post(reverse("consent:settings"), {"keuze": "weigeren"})
    page = decided.get(event.get_absolute_url()).content.decode()

    assert 'id="consent-accept"' not in page


def test_without_the_cache_the_page_still_renders(client, monkeypatch):
    event = EventFactory()

    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "get", broken)
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert event.title in response.content.decode()


def test_a_switched_off_cache_renders_every_time(client, query_count, settings):
    settings.BIJEEN_PAGE_CACHE_SECONDS = 0
    event = EventFactory()
    client.get(event.get_absolute_url())
    assert query_count(lambda: Client().get(event.get_absolute_url())) > 0
