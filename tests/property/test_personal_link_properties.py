"""The personal link with any token text: a 404 or 405, never a 5xx, never a page or a
cancellation for a token that is not exactly a registration's own."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from registrations import services
from registrations.models import Registration
from tests.factories import EventFactory
from tests.property.conftest import outcome, ran_example
from tests.property.examples import examples
from tests.property.strategies import ANY_CHARACTER, OTHER_METHODS, any_text, odd_text

pytestmark = pytest.mark.django_db

EXAMPLES = examples(300)


def token_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(ANY_CHARACTER, min_size=1, max_size=100),
        any_text,
        odd_text,
        st.integers(min_value=-1, max_value=10**30).map(str),  # ids are not tokens
        st.sampled_from([".", "..", "%", "%00", "afmelden", "None", "null", "*", "' OR 1=1 --"]),
        st.text(st.sampled_from("abcxyzABCXYZ0189-_"), min_size=40, max_size=48),  # look-alikes
        st.integers(min_value=5000, max_value=20_000).map(lambda n: "A" * n),
    )


def near_misses(token: str) -> st.SearchStrategy[str]:
    """The real token changed a little: case, one character more or less, padding."""
    return st.sampled_from(
        [
            token.upper(),
            token.lower(),
            token[:-1],
            token[1:],
            token + "A",
            f" {token}",
            f"{token} ",
            f"{token}\n",
            token + "\x01",
            token.replace("-", "_") if "-" in token else token + "-",
            token[::-1],
        ]
    )


@pytest.fixture
def registration(db) -> Registration:
    event = EventFactory(capacity=3)
    return services.register(event=event, name="Anna de Vries", email="anna@example.org")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    data=st.data(),
    method=st.sampled_from(["GET", "GET", "POST", "POST", *OTHER_METHODS]),
    page=st.sampled_from(["", "afmelden/"]),
    language=st.sampled_from(["", "/en"]),
)
def test_any_token_but_the_real_one_is_a_404_and_changes_nothing(
    client, request, registration, data, method, page, language
):
    token = data.draw(st.one_of(token_text(), near_misses(registration.token)), label="token")
    assume(token != registration.token)
    ran_example(request.node.name)
    url = f"{language}/aanmelding/{quote(token, safe='')}/{page}"

    response = client.generic(method, url)

    outcome(request.node.name, f"{method} {response.status_code}")
    assert response.status_code in (400, 404, 405), (url[:200], response.status_code)
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert registration.cancelled_at is None
    registration.event.refresh_from_db()
    assert registration.event.confirmed_count == 1


def test_the_real_token_opens_the_page_so_the_404s_above_mean_something(client, registration):
    url = registration.get_absolute_url()
    assert client.get(url).status_code == 200
    assert client.get(url + "afmelden/").status_code == 200


@pytest.mark.parametrize("page", ["", "afmelden/"])
def test_a_token_with_a_nul_character_is_a_404(client, registration, page):
    assert client.get(f"/aanmelding/a%00b/{page}").status_code == 404
    assert client.post("/aanmelding/%00/afmelden/").status_code == 404
