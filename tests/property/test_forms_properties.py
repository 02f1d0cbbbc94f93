"""Any input to the public forms: never a 5xx, and a row only from input the form accepts.

Each property sends Hypothesis' bodies through Django's test client to the real views on
PostgreSQL, then computes on its own, by running the same form class on the same parsed
data, whether the input was valid, and checks the database against that: one new row for
a valid sign-up, reaction or cookie choice, none for anything else. Wrong methods, missing
and repeated fields, extra fields, odd charsets and bodies no browser would send are drawn
along with the values. The number of examples per property is fixed (see EXAMPLES) so the
property suite stays well under a minute on a small machine; the summary at the end of a
pytest run prints how many each one ran.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consent.categories import optional_categories
from consent.forms import ConsentForm
from consent.models import ConsentRecord
from core.honeypot import FIELD as HONEYPOT
from reactions.forms import ReactionForm
from reactions.models import Reaction
from registrations.forms import SignupForm
from registrations.models import Registration
from tests.factories import EventFactory
from tests.property.conftest import outcome, ran_example
from tests.property.examples import examples
from tests.property.strategies import (
    CHECKBOX_VALUES,
    LINKISH_NAMES,
    NAMES,
    OTHER_METHODS,
    FormBody,
    any_text,
    form_bodies,
    garbage_bodies,
    linkish_name,
    odd_text,
    realistic_email,
    realistic_name,
    text_like,
)

pytestmark = pytest.mark.django_db

# Examples per property: together about 30-40 s on a 2-core machine shared with others.
EXAMPLES = {
    "signup": examples(300),
    "reaction": examples(250),
    "cookie_choice": examples(250),
    "consent_cookie": examples(100),
}

METHODS = st.sampled_from(["POST"] * 12 + OTHER_METHODS)

SIGNUP_FIELDS = {
    # Names, and now and then a link or an address where the name goes.
    "name": text_like(st.one_of(*[realistic_name] * 4, linkish_name)),
    "email": text_like(realistic_email),
    "consent": CHECKBOX_VALUES,
}
SIGNUP_BELIEVABLE = {"name": realistic_name, "email": realistic_email, "consent": st.just("on")}
REACTION_TEXTS = st.sampled_from(
    ["Ik kom met mijn buurvrouw.", "Regel 1\r\nRegel 2", "Tot dan!\n\n", "<b>vet</b> & 'meer'"]
)
REACTION_FIELDS = {
    "name": text_like(realistic_name),
    "email": text_like(realistic_email),
    "text": text_like(REACTION_TEXTS),
    "consent": CHECKBOX_VALUES,
    # The honeypot: mostly empty, as people leave it; sometimes filled, as bots do.
    "website": st.one_of(*[st.just("")] * 5, text_like(st.just("https://spam.example"))),
}
REACTION_BELIEVABLE = {
    "name": realistic_name,
    "email": realistic_email,
    "text": REACTION_TEXTS,
    "consent": st.just("on"),
    "website": st.just(""),
}
NEXT_URLS = st.sampled_from(
    [
        "/",
        "/evenementen/",
        "/en/privacy/?a=1#b",
        "//evil.example/",
        "///evil.example",
        "https://evil.example/",
        "http://testserver/",
        "https://testserver/x",
        "/\\evil.example",
        "\\\\evil.example",
        "\t//evil.example",
        " /x",
        "javascript:alert(1)",
        "/%2F%2Fevil.example",
    ]
)
CONSENT_BELIEVABLE = {
    "keuze": st.sampled_from(["accepteren", "weigeren", "opslaan"]),
    "statistieken": st.sampled_from(["on", ""]),
    "externe-media": st.sampled_from(["on", ""]),
    "next": NEXT_URLS,
}
CONSENT_FIELDS = {
    "keuze": text_like(st.sampled_from(["accepteren", "weigeren", "opslaan", "Accepteren"])),
    "statistieken": CHECKBOX_VALUES,
    "externe-media": CHECKBOX_VALUES,
    "next": text_like(NEXT_URLS),
}


def bodies(fields: dict, believable: dict):
    """A quarter believable forms (the valid side needs examples too), most anything,
    and one in eight garbage: raw bytes, broken multipart, JSON, plain text."""
    return st.one_of(*[form_bodies(believable)] * 2, *[form_bodies(fields)] * 5, garbage_bodies)


def send(client, method: str, url: str, body: FormBody):
    return client.generic(method, url, body.body, content_type=body.content_type)


def expected_refusal(method: str, body: FormBody, *, invalid: int) -> set[int]:
    """The statuses a request that must write nothing may get, other than a redirect."""
    if method in ("PUT", "PATCH", "DELETE", "OPTIONS"):
        return {405}
    if body.refused:
        return {400}  # refused before the form sees it
    if body.content_type.startswith("multipart/"):
        return {400, invalid}  # broken multipart is a 400; an empty parse is invalid
    return {invalid}


def would_write(form) -> bool:
    """Whether the form class itself accepts this input (and no honeypot caught it: the
    reaction form says so itself, the sign-up view checks the same field)."""
    return (
        form.is_valid()
        and not getattr(form, "caught_in_honeypot", False)
        and not form.data.get(HONEYPOT)
    )


# --- Sign-up ---------------------------------------------------------------------------


@settings(
    max_examples=EXAMPLES["signup"],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(method=METHODS, body=bodies(SIGNUP_FIELDS, SIGNUP_BELIEVABLE))
def test_signup_answers_any_input_without_error_and_stores_only_valid_sign_ups(
    client, request, method, body
):
    ran_example(request.node.name)
    # A new event each time: earlier examples' sign-ups must not make this one a duplicate.
    event = EventFactory(capacity=5)
    url = reverse("registrations:signup", kwargs={"slug": event.slug})

    response = send(client, method, url, body)

    assert response.status_code < 500
    data = body.parsed() if method == "POST" else None
    form = SignupForm(data) if data is not None else None
    rows = list(Registration.objects.filter(event=event))
    outcome(request.node.name, f"{method} stored" if rows else f"{method} {response.status_code}")
    if form is not None:
        # The name rule on its own: a real name is never refused, a link or an address
        # in the name field always is (with the form's Dutch message).
        name = form.data.get("name")
        if name in NAMES:
            assert "name" not in form.errors
        if name in LINKISH_NAMES:
            assert form.errors.get("name") == [
                "Vul alleen je naam in, zonder webadres of e-mailadres."
            ]
            outcome(request.node.name, "link as name refused")
    event.refresh_from_db()
    assert event.confirmed_count == len(rows)
    if form is not None and would_write(form):
        [registration] = rows
        assert response.status_code == 302
        assert response["Location"] == registration.get_absolute_url()
        assert registration.name == form.cleaned_data["name"].strip()
        # A name is a name: no link or address gets through (issue 13, item 12).
        assert not any(mark in registration.name.casefold() for mark in ("://", "@", "www."))
        assert registration.email == form.cleaned_data["email"].strip()
        assert registration.status == "confirmed"
        return
    assert rows == []
    if method in ("GET", "HEAD"):
        assert response.status_code == 302
        assert response["Location"] == event.get_absolute_url()
    elif form is not None and form.data.get(HONEYPOT):
        assert response.status_code == 302  # a bot is told nothing
        assert response["Location"] == event.get_absolute_url()
    else:
        assert response.status_code in expected_refusal(method, body, invalid=422)


# --- Reactions --------------------------------------------------------------------------


@settings(
    max_examples=EXAMPLES["reaction"],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(method=METHODS, body=bodies(REACTION_FIELDS, REACTION_BELIEVABLE))
def test_reaction_form_answers_any_input_without_error_and_stores_only_valid_reactions(
    client, request, event, method, body
):
    ran_example(request.node.name)
    url = reverse("reactions:post", kwargs={"slug": event.slug})
    before = Reaction.objects.count()

    response = send(client, method, url, body)

    assert response.status_code < 500
    data = body.parsed() if method == "POST" else None
    form = ReactionForm(data) if data is not None else None
    new = list(Reaction.objects.order_by("pk")[before:])
    outcome(request.node.name, f"{method} stored" if new else f"{method} {response.status_code}")
    if form is not None and form.caught_in_honeypot:
        assert new == []
        assert response.status_code == 302
    elif form is not None and form.is_valid():
        [reaction] = new
        assert response.status_code == 302
        assert response["Location"].startswith(event.get_absolute_url() + "?reactie=")
        assert reaction.event == event
        assert reaction.text == form.cleaned_data["text"].strip()
        assert 0 < len(reaction.text) <= 2000
        assert reaction.status == "pending"
    else:
        assert new == []
        if method in ("GET", "HEAD"):
            assert response.status_code == 302
        else:
            assert response.status_code in expected_refusal(method, body, invalid=422)


# --- Cookie choice ------------------------------------------------------------------------


@pytest.fixture
def with_statistics(settings):
    """Matomo configured, so the form has both optional categories."""
    settings.MATOMO_URL = "https://statistiek.example.org/"
    settings.MATOMO_SITE_ID = "7"


@settings(
    max_examples=EXAMPLES["cookie_choice"],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    method=METHODS,
    body=bodies(CONSENT_FIELDS, CONSENT_BELIEVABLE),
    language=st.sampled_from(["", "/en"]),
)
def test_cookie_choice_answers_any_input_without_error_and_records_only_valid_choices(
    client, request, with_statistics, method, body, language
):
    ran_example(request.node.name)
    before = ConsentRecord.objects.count()

    response = send(client, method, f"{language}/cookies/", body)

    assert response.status_code < 500
    data = body.parsed() if method == "POST" else None
    form = ConsentForm(data, categories=optional_categories()) if data is not None else None
    added = ConsentRecord.objects.count() - before
    outcome(request.node.name, f"{method} stored" if added else f"{method} {response.status_code}")
    if form is not None and form.is_valid():
        assert added == 1
        assert response.status_code == 302
        # Back to where the visitor was, but never to another site.
        assert url_has_allowed_host_and_scheme(
            response["Location"], allowed_hosts={"testserver"}, require_https=False
        ), response["Location"]
        assert "bijeen_consent" in response.cookies
        return
    assert added == 0
    assert "bijeen_consent" not in response.cookies
    if method in ("GET", "HEAD"):
        assert response.status_code == 200
    else:
        assert response.status_code in expected_refusal(method, body, invalid=400)


@settings(
    max_examples=EXAMPLES["consent_cookie"],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    value=st.one_of(
        any_text,
        odd_text,
        st.builds(
            lambda version, stamp, receipt, rest: f"{version}|{stamp}|{receipt}|{rest}",
            st.sampled_from(["1", "2", "", "01"]),
            st.one_of(st.integers(-(10**20), 10**20).map(str), odd_text),
            st.one_of(st.just("0123456789abcdef0123456789abcdef"), odd_text),
            st.one_of(st.just("statistieken:1|externe-media:0"), any_text),
        ),
    ),
    path=st.sampled_from(["/", "/cookies/", "/en/"]),
)
def test_any_consent_cookie_is_read_without_error(client, request, with_statistics, value, path):
    ran_example(request.node.name)
    # A WSGI server hands header values over as Latin-1 text of the raw bytes.
    header = "bijeen_consent=" + value.encode("utf-8").decode("latin-1")

    response = client.get(path, HTTP_COOKIE=header)

    assert response.status_code == 200


# --- Oversized bodies ---------------------------------------------------------------------


@pytest.mark.parametrize("form", ["signup", "reaction", "cookies"])
def test_a_body_over_the_upload_limit_is_refused_with_400_and_stores_nothing(
    client, settings, event, form
):
    url = {
        "signup": reverse("registrations:signup", kwargs={"slug": event.slug}),
        "reaction": reverse("reactions:post", kwargs={"slug": event.slug}),
        "cookies": "/cookies/",
    }[form]
    filler = "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = FormBody(
        body=f"name=Anna&email=anna@example.org&consent=on&keuze=accepteren&text={filler}".encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert body.refused

    response = send(client, "POST", url, body)

    assert response.status_code == 400
    assert not Registration.objects.exists()
    assert not Reaction.objects.exists()
    assert not ConsentRecord.objects.exists()
