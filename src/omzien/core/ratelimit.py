"""Rate limits for public forms, without storing anyone's IP address.

The cache key is a keyed hash of the client address and the form, so the cache holds no
address; counts expire with the window, which starts at the client's first attempt.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.http import HttpRequest

from omzien.audit.services import client_ip


def _key(request: HttpRequest, scope: str) -> str:
    address = client_ip(request) or "unknown"
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}:{address}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"omzien:rl:{scope}:{digest}"


def allow(request: HttpRequest, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; False once the client went over `limit` within the window."""
    key = _key(request, scope)
    cache = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(cache, BaseDatabaseCache):
        return _allow_in_database_cache(cache, key, limit, window_seconds)
    # Caches with an atomic increment that keeps the expiry (Redis, Memcached, local memory).
    if cache.add(key, 1, window_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window_seconds)
        return True
    return count <= limit


def _allow_in_database_cache(
    cache: BaseDatabaseCache, key: str, limit: int, window_seconds: int
) -> bool:
    """The same count with one read and one write per attempt in the database cache.

    There, `add` of an existing key is a failed INSERT in a write transaction of its own, and
    `incr` is a read plus a `set` with the cache's default timeout (5 minutes), which moved the
    end of the window with every attempt. So the entry holds (count, end of the window): a known
    client costs a read and an update, a new one a read and an insert. Like `incr` on this
    backend, two attempts at the same moment may count as one.
    """
    now = time.time()
    entry = _current(cache.get(key), now)
    if entry is None:
        if cache.add(key, (1, now + window_seconds), window_seconds):
            return True
        # Another request started the window a moment ago, or an old entry is still there.
        entry = _current(cache.get(key), now)
        if entry is None:
            cache.set(key, (1, now + window_seconds), window_seconds)
            return True
    count, ends = entry[0] + 1, entry[1]
    cache.set(key, (count, ends), max(1, math.ceil(ends - now)))
    return count <= limit


def _current(entry: object, now: float) -> tuple[int, float] | None:
    """(count, end of the window) while the window lasts; None otherwise."""
    if (
        isinstance(entry, tuple)
        and len(entry) == 2
        and isinstance(entry[0], int)
        and isinstance(entry[1], float)
        and entry[1] > now
    ):
        return entry[0], entry[1]
    return None
