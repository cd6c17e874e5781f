"""Rate limits for public forms, without storing anyone's IP address.

The cache key is a keyed hash of the client address and the form, so the cache holds no
address; counts expire with the window.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
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
    if cache.add(key, 1, window_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window_seconds)
        return True
    return count <= limit
