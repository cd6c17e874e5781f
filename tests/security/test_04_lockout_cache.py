"""A login lock-out lasts its fifteen minutes, however much else the site caches meanwhile.

allauth keeps its counts in Django's default cache. The tests use the caches production uses
(`omzien.conf.base.CACHES`): Django's database cache deletes a third of its entries, lowest key
first, once it holds more than 300, and allauth's keys sort first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from unittest import mock

from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client

import pytest
import time_machine

from omzien.accounts.models import User
from omzien.areas import geo, pdok
from omzien.conf import base
from tests.conftest import PASSWORD


@pytest.fixture
def production_caches(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    settings.CACHES = base.CACHES
    call_command("createcachetable", verbosity=0)  # the test database was made with locmem
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


def _login(client: Client, email: str, password: str, address: str = "192.0.2.1"):  # type: ignore[no-untyped-def]
    return client.post(
        "/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=address
    )


def _lock_out(client: Client, user: User) -> None:
    for _ in range(5):
        _login(client, user.email, "wrong password")


def _is_logged_in(client: Client) -> bool:
    return client.get("/account/").status_code == 200


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production_caches")]


def test_a_locked_out_account_stays_locked_after_330_postcode_searches(
    client: Client, case_worker_a: User
) -> None:
    _lock_out(client, case_worker_a)

    def found(postcode: str, timeout: float = 1.0) -> pdok.PostcodeLocation:
        return pdok.PostcodeLocation(postcode, 51.48, 5.66, "", "0794")

    with mock.patch.object(pdok, "lookup_postcode", side_effect=found):
        for number in range(1000, 1330):
            assert geo.locate_postcode(f"{number}AB") == (51.48, 5.66)

    _login(client, case_worker_a.email, PASSWORD)  # the right password, but still locked
    assert not _is_logged_in(client)


def test_a_locked_out_account_stays_locked_after_600_failed_logins_for_other_addresses(
    client: Client, case_worker_a: User
) -> None:
    _lock_out(client, case_worker_a)
    for number in range(600):
        _login(
            Client(),
            f"iemand-{number}@example.org",
            "wrong password",
            address=f"198.51.{number // 200}.{number % 200 + 1}",
        )

    _login(client, case_worker_a.email, PASSWORD)
    assert not _is_logged_in(client)


def test_the_default_cache_never_drops_an_entry_that_has_not_expired() -> None:
    cache = caches["default"]
    cache.set("a-lock-out", "locked", 900)
    for number in range(400):
        cache.set(f"b-{number:03}", number, 900)
    assert cache.get("a-lock-out") == "locked"
    assert cache.get_many([f"b-{n:03}" for n in range(400)]) == {f"b-{n:03}": n for n in range(400)}


@pytest.mark.skipif(
    base.CACHES["default"]["BACKEND"] != "omzien.core.cache.KeepingDatabaseCache",
    reason="the database cache's own clean-up; with CACHE_URL Redis expires entries itself",
)
def test_the_default_cache_still_deletes_expired_entries() -> None:
    cache = caches["default"]
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False) as t:
        for number in range(300):
            cache.set(f"old-{number:03}", number, 60)
        t.move_to(dt.datetime(2026, 3, 2, 10, 5, tzinfo=dt.UTC))
        for number in range(5):
            cache.set(f"new-{number}", number, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM omzien_cache")
        assert cursor.fetchone()[0] == 5
