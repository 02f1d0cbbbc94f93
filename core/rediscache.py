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
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
