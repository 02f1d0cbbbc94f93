"""Django's Redis cache backend, with one redis-py client per server kept for the process.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` object for every
cache call (on a shared connection pool). Building one costs more CPU than the GET it
serves: on a page from the page cache it was about a seventh of the request's Python
time (docs/performance.md). A ``redis.Redis`` is safe to share between threads, and its
connection pool notices a fork, so one per server and process is enough.

Everything else is Django's: the serializer, the key handling, the connection pools, the
exceptions that ``core.cachehealth`` catches. ``config/settings/production.py`` selects
this backend wherever a ``redis://`` CACHE_URL would select Django's.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[object, object] = {}

    def get_client(self, key=None, *, write=False):
        # Django's own get_client, with the client kept per connection pool.
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
