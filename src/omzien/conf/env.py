"""Typed readers for settings from the environment.

Each raises ImproperlyConfigured on a value it cannot read, so a typo in a deployment fails at
start-up instead of silently falling back to a default.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_base_url(name: str, default: str) -> str:
    """A site's public address, such as https://omzien.helmond.nl, without a trailing slash."""
    value = os.environ.get(name, default).strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"{name} must be a web address such as https://omzien.example.nl, not {value!r}."
        )
    return value.rstrip("/")


_CACHE_SCHEMES = {
    "redis": "django.core.cache.backends.redis.RedisCache",
    "rediss": "django.core.cache.backends.redis.RedisCache",
}


def env_cache_url(name: str) -> dict[str, Any] | None:
    """A shared cache server, such as redis://127.0.0.1:6379/1, as a Django CACHES entry.

    None when the variable is unset or empty (the caller keeps its own default). Only Redis is
    understood: a cache that may evict live entries (memcached) would lift login lock-outs.
    """
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    backend = _CACHE_SCHEMES.get(parts.scheme)
    if backend is None or not parts.hostname:
        raise ImproperlyConfigured(
            f"{name} must be a Redis address such as redis://127.0.0.1:6379/1, not {value!r}."
        )
    database = parts.path.strip("/")
    if database and not database.isdigit():
        raise ImproperlyConfigured(
            f"{name} must end in a database number such as /1, not {value!r}."
        )
    try:
        parts.port  # noqa: B018  # raises ValueError on a port that is not a number
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a port that is not a number: {value!r}.") from None
    return {"BACKEND": backend, "LOCATION": value}
