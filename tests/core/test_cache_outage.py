"""When the shared cache (Redis) fails, the site keeps working (docs/deploy.md#redis).

The cache is pointed at a Redis that is not there, in the two ways it goes away:

- ``refused``: nothing listens on the port (Redis stopped): every call fails at once;
- ``stalled``: something listens but never answers (Redis hung, or the network drops the
  packets): every call fails when the socket timeout runs out.

Then every public form and the personal link answer as they always do: the rate limits
fail open with a WARNING (at most one per minute per process), the page cache renders
without cache, and staff sessions live in the database.
"""

import logging
import socket

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse

from consent.models import ConsentRecord
from core import cachehealth
from reactions.models import Reaction
from registrations import services
from registrations.models import Registration
from tests.factories import EventFactory
from tests.test_config import PRODUCTION_ENV, production_setting

pytestmark = pytest.mark.django_db

# Short, so a stalled Redis does not make the test slow; nothing is asserted about time.
TIMEOUTS = {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}


@pytest.fixture(params=["refused", "stalled"])
def broken_redis(request, settings):
    """The default cache is a Redis on a loopback port where no Redis answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))  # held, so no other process can take the port
        if request.param == "stalled":
            sock.listen(128)  # the kernel accepts connections; nothing ever reads them
        port = sock.getsockname()[1]
        # Changing CACHES makes Django close and forget its cache connections (the test
        # signal clear_cache_handlers), so `cache` now means this Redis, and afterwards
        # the test settings' in-memory cache again.
        settings.CACHES = {
            "default": {
                "BACKEND": "core.rediscache.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
                "OPTIONS": TIMEOUTS,
            }
        }
        yield request.param


@pytest.fixture(autouse=True)
def fresh_outage_log():
    cachehealth.reset()
    yield
    cachehealth.reset()


def warnings_from(caplog, logger: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == logger and r.levelno == logging.WARNING]


def test_the_cache_really_is_broken(broken_redis):
    """The premise of the tests below: a cache call fails (at once, or after the timeout)."""
    with pytest.raises(Exception) as raised:
        cache.get("anything")
    assert type(raised.value).__module__.startswith("redis")


def test_a_sign_up_succeeds_without_the_cache_and_the_rate_limit_warns(
    broken_redis, client, caplog
):
    event = EventFactory(capacity=5)
    response = client.post(
        reverse("registrations:signup", args=[event.slug]),
        {"name": "Piet Jansen", "email": "piet@example.org", "consent": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    registration = Registration.objects.get(event=event)
    assert response["Location"] == registration.get_absolute_url()
    event.refresh_from_db()
    assert event.confirmed_count == 1
    [warning] = warnings_from(caplog, "core.ratelimit")
    assert "rate limit" in warning.getMessage()
    assert "fail open" in warning.getMessage()


def test_a_reaction_is_posted_without_the_cache(broken_redis, client, caplog):
    event = EventFactory()
    response = client.post(
        reverse("reactions:post", args=[event.slug]),
        {
            "name": "Fatima",
            "email": "fatima@example.org",
            "text": "Ik kom met mijn buren.",
            "consent": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert Reaction.objects.filter(event=event).count() == 1
    assert warnings_from(caplog, "core.ratelimit")


def test_a_cookie_choice_is_recorded_without_the_cache(broken_redis, client, caplog):
    response = client.post(reverse("consent:settings"), {"keuze": "weigeren", "next": "/"})
    assert response.status_code == 302
    assert ConsentRecord.objects.count() == 1
    assert warnings_from(caplog, "core.ratelimit")


def test_the_personal_link_opens_without_the_cache(broken_redis, client, caplog):
    event = EventFactory()
    registration = services.register(event=event, name="Anna", email="anna@example.org")
    response = client.get(registration.get_absolute_url())
    assert response.status_code == 200
    assert "Anna" in response.content.decode()
    assert warnings_from(caplog, "core.ratelimit")


def test_the_event_page_renders_without_the_cache(broken_redis, client, settings, caplog):
    settings.BIJEEN_PAGE_CACHE_SECONDS = 1
    event = EventFactory()
    for _ in range(3):
        response = client.get(event.get_absolute_url())
        assert response.status_code == 200
        assert event.title in response.content.decode()
    # One line, not one per request: a dead Redis must not flood the log.
    assert len(warnings_from(caplog, "core.pagecache")) == 1


def test_a_failing_cache_write_still_serves_the_page(client, settings, monkeypatch, caplog):
    """The read works (a miss), the write fails: the visitor gets the rendered page."""
    settings.BIJEEN_PAGE_CACHE_SECONDS = 1
    event = EventFactory()

    def broken(*args, **kwargs):
        raise ConnectionError("redis went away")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert event.title in response.content.decode()
    assert warnings_from(caplog, "core.pagecache")


def test_the_warning_is_logged_once_a_minute_per_part_with_the_count(
    broken_redis, client, caplog, monkeypatch
):
    clock = [1000.0]
    monkeypatch.setattr(cachehealth, "_clock", lambda: clock[0])
    event = EventFactory(capacity=50)
    url = reverse("registrations:signup", args=[event.slug])

    def sign_up(number: int) -> None:
        data = {"name": f"Bewoner {number}", "email": f"b{number}@example.org", "consent": "on"}
        assert client.post(url, data).status_code == 302

    for number in range(3):
        sign_up(number)
    assert len(warnings_from(caplog, "core.ratelimit")) == 1

    clock[0] += cachehealth.WARN_INTERVAL + 1
    sign_up(3)
    _, second = warnings_from(caplog, "core.ratelimit")
    assert "2 more" in second.getMessage()


def test_a_staff_session_survives_the_cache(broken_redis, client, settings):
    """Production's session engine, with the cache gone: staff stay logged in, and
    logging out ends the session (nothing stale left to come back with the cache)."""
    settings.SESSION_ENGINE = production_setting("SESSION_ENGINE", env=PRODUCTION_ENV)[
        "SESSION_ENGINE"
    ]
    settings.ADMIN_REQUIRE_2FA = False  # the second factor is tested in tests/backoffice
    staff = User.objects.create_user("medewerker", password="x" * 12, is_staff=True)
    client.force_login(staff)

    assert client.get(reverse("admin:index")).status_code == 200
    assert client.post(reverse("admin:logout")).status_code == 200
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_production_gives_up_on_a_slow_cache_quickly():
    """Without socket timeouts a hung Redis blocks a worker past gunicorn's timeout."""
    values = production_setting("CACHES", env=PRODUCTION_ENV)
    options = values["CACHES"]["default"]["OPTIONS"]
    assert 0 < float(options["socket_connect_timeout"]) <= 1
    assert 0 < float(options["socket_timeout"]) <= 1

    env = {
        **PRODUCTION_ENV,
        "DJANGO_CACHE_CONNECT_TIMEOUT": "0.1",
        "DJANGO_CACHE_TIMEOUT": "0.3",
    }
    options = production_setting("CACHES", env=env)["CACHES"]["default"]["OPTIONS"]
    assert options == {"socket_connect_timeout": 0.1, "socket_timeout": 0.3}
