"""One limiter for every limit: a window keeps its length however its attempts are spread, the
count is exact when many requests arrive at once, and no cache can drop it.

The tests run with the caches production uses (`omzien.conf.base.CACHES`), not the test
settings' local memory: the database cache is where the old counts went wrong.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections
from django.test import RequestFactory

import pytest
import time_machine

from omzien.accounts.models import Organisation
from omzien.accounts.roles import OrganisationType, PartnerDomain
from omzien.cases import partners
from omzien.cases.models import PartnerKey
from omzien.conf import base
from omzien.core import ratelimit
from tests.factories import OrganisationFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def production_caches(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    settings.CACHES = base.CACHES
    call_command("createcachetable", verbosity=0)  # the test database was made with locmem
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


def _partner_key() -> PartnerKey:
    organisation: Organisation = OrganisationFactory(
        name="Woonbedrijf", type=OrganisationType.PARTNER, domain=PartnerDomain.HOUSING
    )
    partner_key, _key = partners.create_key(organisation)
    return partner_key


def _request(address: str = "192.0.2.1"):  # type: ignore[no-untyped-def]
    return RequestFactory().post("/melden/", REMOTE_ADDR=address)


@pytest.mark.django_db
@pytest.mark.usefixtures("production_caches")
def test_a_keys_hourly_limit_holds_after_ten_minutes_of_silence(settings) -> None:  # type: ignore[no-untyped-def]
    settings.OMZIEN_PARTNER_API_RATE_LIMIT = 3
    partner_key = _partner_key()
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 5, tzinfo=AMSTERDAM), tick=False) as t:
        assert [partners.allow_request(partner_key) for _ in range(3)] == [True] * 3
        t.move_to(dt.datetime(2026, 3, 2, 10, 15, tzinfo=AMSTERDAM))  # same clock hour
        assert not partners.allow_request(partner_key)
        t.move_to(dt.datetime(2026, 3, 2, 11, 0, 1, tzinfo=AMSTERDAM))  # the next clock hour
        assert partners.allow_request(partner_key)


@pytest.mark.django_db
@pytest.mark.usefixtures("production_caches")
def test_a_clients_window_keeps_its_length_however_the_attempts_are_spread() -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM), tick=False) as t:
        assert ratelimit.allow(_request(), "report", 3, 3600)
        for minute in (20, 40):  # one attempt every twenty minutes
            t.move_to(dt.datetime(2026, 3, 2, 10, minute, tzinfo=AMSTERDAM))
            assert ratelimit.allow(_request(), "report", 3, 3600)
        t.move_to(dt.datetime(2026, 3, 2, 10, 59, tzinfo=AMSTERDAM))
        assert not ratelimit.allow(_request(), "report", 3, 3600)
        t.move_to(dt.datetime(2026, 3, 2, 11, 0, 1, tzinfo=AMSTERDAM))
        assert ratelimit.allow(_request(), "report", 3, 3600)


@pytest.mark.django_db
@pytest.mark.usefixtures("production_caches")
def test_clearing_every_cache_does_not_reset_a_count(settings) -> None:  # type: ignore[no-untyped-def]
    settings.OMZIEN_PARTNER_API_RATE_LIMIT = 1
    partner_key = _partner_key()
    assert ratelimit.allow(_request(), "report", 1, 3600)
    assert partners.allow_request(partner_key)
    for alias in settings.CACHES:
        caches[alias].clear()
    assert not ratelimit.allow(_request(), "report", 1, 3600)
    assert not partners.allow_request(partner_key)


def _at_once(attempt: Callable[[], bool], threads: int = 20) -> list[bool]:
    """Run `attempt` in `threads` threads that start together; their answers."""
    start = threading.Barrier(threads)
    answers: list[bool] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            start.wait()
            answer = attempt()
            with lock:
                answers.append(answer)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return answers


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="threads cannot share SQLite's in-memory test database",
)


@needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("production_caches")
def test_twenty_partner_requests_at_once_are_counted_exactly(settings) -> None:  # type: ignore[no-untyped-def]
    settings.OMZIEN_PARTNER_API_RATE_LIMIT = 10
    partner_key = _partner_key()
    answers = _at_once(lambda: partners.allow_request(partner_key))
    assert len(answers) == 20
    assert answers.count(True) == 10
    assert not partners.allow_request(partner_key)


@needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("production_caches")
def test_twenty_reports_at_once_from_one_client_are_counted_exactly() -> None:
    answers = _at_once(lambda: ratelimit.allow(_request(), "report", 10, 3600))
    assert len(answers) == 20
    assert answers.count(True) == 10
    assert not ratelimit.allow(_request(), "report", 10, 3600)


@pytest.mark.django_db
def test_the_periodic_purge_deletes_ended_windows_and_keeps_running_ones() -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM), tick=False) as t:
        assert ratelimit.allow(_request("192.0.2.1"), "report", 1, 60)
        assert ratelimit.allow(_request("192.0.2.2"), "report", 1, 3600)
        t.move_to(dt.datetime(2026, 3, 2, 10, 2, tzinfo=AMSTERDAM))
        assert ratelimit.purge_expired() == 1
        assert not ratelimit.allow(_request("192.0.2.2"), "report", 1, 3600)
