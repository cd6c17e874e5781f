"""Rate limits count per client and form, whichever cache is configured: the counts live in a
table of their own (`core.RateCounter`), not in the cache."""

from __future__ import annotations

from django.core.cache import caches
from django.test import RequestFactory

import pytest

from omzien.core import ratelimit

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "omzien_cache",
    }
}


def _use_database_cache(settings) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    settings.CACHES = DATABASE_CACHE
    call_command("createcachetable", verbosity=0)  # the test database was made with locmem


def _request(address: str = "192.0.2.1"):  # type: ignore[no-untyped-def]
    return RequestFactory().post("/melden/", REMOTE_ADDR=address)


@pytest.mark.parametrize("backend", ["locmem", "database"])
@pytest.mark.django_db
def test_the_limit_holds_per_client_and_form(backend, settings) -> None:  # type: ignore[no-untyped-def]
    if backend == "database":
        _use_database_cache(settings)
    caches["default"].clear()
    allowed = [ratelimit.allow(_request(), "report", 3, 3600) for _ in range(5)]
    assert allowed == [True, True, True, False, False]
    # Another client, and the same client on another form, have their own counts.
    assert ratelimit.allow(_request("192.0.2.2"), "report", 3, 3600)
    assert ratelimit.allow(_request(), "status", 3, 3600)
    caches["default"].clear()


@pytest.mark.django_db
def test_the_window_does_not_move_with_every_attempt(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """In the database cache the window starts at the first attempt and ends on time."""
    _use_database_cache(settings)
    caches["default"].clear()
    import time

    clock = [time.time()]  # a clock that starts now: the cache's own expiry uses it too
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    assert ratelimit.allow(_request(), "report", 2, 60)
    clock[0] += 50
    assert ratelimit.allow(_request(), "report", 2, 60)
    assert not ratelimit.allow(_request(), "report", 2, 60)
    clock[0] += 11  # 61 s after the first attempt: a new window
    assert ratelimit.allow(_request(), "report", 2, 60)
    caches["default"].clear()
