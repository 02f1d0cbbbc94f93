"""core.rediscache against a real Redis of its own (never the machine's): one redis-py
client per server and process, and the cache still comes back after Redis restarts."""

import shutil

import pytest
from django.core.cache import caches

from tests.tools import missing_tool


@pytest.fixture
def own_redis(settings):
    if not shutil.which("redis-server"):
        missing_tool("redis-server not found (apt-get install redis-server)")
    from scripts.drills.redis_outage import RedisServer

    server = RedisServer()
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.rediscache.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    try:
        yield server
    finally:
        server.stop()


def test_values_round_trip_through_one_client(own_redis):
    cache = caches["default"]
    cache.set("seite", (b"<html>", "text/html"), timeout=30)
    assert cache.get("seite") == (b"<html>", "text/html")
    assert cache.get("missing") is None
    # Every call, read or write, goes through the same redis-py client (Django's own
    # backend builds a new one per call: the CPU this backend saves).
    first = cache._cache.get_client("seite")
    assert cache._cache.get_client("other", write=True) is first
    assert own_redis.client().exists(cache.make_key("seite")) == 1


def test_the_kept_client_works_again_after_redis_restarts(own_redis):
    cache = caches["default"]
    cache.set("a", 1, timeout=30)
    own_redis.stop()
    with pytest.raises(Exception) as raised:
        cache.get("a")
    assert type(raised.value).__module__.startswith("redis")
    own_redis.start()
    cache.set("a", 2, timeout=30)
    assert cache.get("a") == 2
