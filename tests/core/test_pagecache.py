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


def refused(visitor: Client, path: str, number: int):
    token = TOKEN.search(visitor.get(path).content.decode()).group(1)
    return visitor.post(path + "aanmelden/", signup_data(token, number))


def test_refused_sign_ups_of_a_full_event_share_one_page_each_with_their_own_token(
    query_count,
):
    """In a rush most attempts are refused: the page with the full notice in place of the
    form is rendered once a second, not once per attempt; the status, the notice and each
    resident's own CSRF token stay."""
    event = EventFactory(capacity=1)
    path = event.get_absolute_url()
    fill(event, 1)
    first_visitor = Client(enforce_csrf_checks=True)
    token = TOKEN.search(first_visitor.get(path).content.decode()).group(1)
    answers = []
    rendered = query_count(
        lambda: answers.append(first_visitor.post(path + "aanmelden/", signup_data(token, 1)))
    )
    first = answers[0]

    pages = []
    for number in range(2, 4):
        visitor = Client(enforce_csrf_checks=True)
        token = TOKEN.search(visitor.get(path).content.decode()).group(1)
        shared = query_count(
            lambda v=visitor, t=token, n=number: pages.append(
                v.post(path + "aanmelden/", signup_data(t, n))
            )
        )
        assert shared <= rendered - 3, (shared, rendered)  # the page's own queries
        response = pages[-1]
        html = response.content.decode()
        assert response.status_code == 409
        assert FULL in html
        assert f"Bewoner {number}" not in html and f"bewoner{number}@example.org" not in html
        assert "placeholder" not in html
        # The page's token is this resident's own: it passes the CSRF check with their cookie.
        page_token = TOKEN.search(html).group(1)
        assert visitor.post(path + "aanmelden/", signup_data(page_token, number)).status_code == 409
        assert (
            Client(enforce_csrf_checks=True)
            .post(path + "aanmelden/", signup_data(page_token, number))
            .status_code
            == 403
        )
    unmasked = [TOKEN.sub("", page.content.decode()) for page in pages]
    assert unmasked[0] == unmasked[1] == TOKEN.sub("", first.content.decode())
    assert Registration.objects.filter(event=event).count() == 1


def test_a_refused_sign_up_shares_no_page_that_shows_a_form_or_the_residents_input(client):
    """A party that does not fit keeps the form with the resident's entries: never shared."""
    event = EventFactory(capacity=2, max_party_size=4)
    path = event.get_absolute_url()
    fill(event, 1)
    for number in range(2):
        visitor = Client()
        visitor.get(path)
        data = {**signup_data("", number), "party_size": "3"}
        data.pop("csrfmiddlewaretoken")
        response = visitor.post(path + "aanmelden/", data)
        assert response.status_code == 409
        assert f"bewoner{number}@example.org" in response.content.decode()
