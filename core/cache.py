"""Django's Redis cache, with one Redis client per connection pool made once, not one a call.

Django's RedisCacheClient makes a new ``redis.Redis`` for every get and set (``get_client``),
and redis-py builds a table of some 300 response callbacks for each: a quarter of a
millisecond a call, twice on a home page whose fragment is rendered afresh (the cache's get,
then its set; core/templatetags/data_cache.py), on a page that costs 12-15 ms. A client keeps
no state of its own but the pool it was given (each command takes a connection from the pool
and gives it back), so one serves every call, in every thread, as Django's pools already do.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # {pool: its client}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    """settings.CACHES' BACKEND for Redis: Django's, with RedisCacheClient above."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
