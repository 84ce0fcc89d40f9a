"""Counting requests in the shared cache (Redis in production and in the tests), so that every
web process sees the same count: nothing here may assume one process."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def over_limit(*, scope: str, key: str, limit: int, window_seconds: int = 60) -> bool:
    """Count one request for ``key`` and say whether it goes past ``limit`` within the window
    that began with the first counted request. The key is hashed: an email address never lands
    in the cache as such."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    cache_key = f"throttle:{scope}:{digest}"
    # add() starts the window (a no-op if it is running); incr() keeps the key's expiry.
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window ended between the two calls: this is the first request
        cache.add(cache_key, 1, timeout=window_seconds)
        count = 1
    return count > limit
