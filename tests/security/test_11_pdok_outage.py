"""A slow or unreachable PDOK does not hold the site up: the client waits briefly, an outage
is remembered (a circuit breaker: after a few failures PDOK is skipped for a while and the
postcode table answers at once), and each client may only send so many new postcodes to PDOK.

No network: PDOK is a fake that fails (or answers) and counts how often it was asked.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from unittest import mock

from django.core.cache import caches
from django.test import Client

import pytest
import time_machine

from omzien.areas import geo, pdok
from omzien.areas.models import District, Municipality, Neighbourhood, Postcode

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.6, 51.4], [5.7, 51.4], [5.7, 51.5], [5.6, 51.5], [5.6, 51.4]]],
}
POSTCODES = [f"57{n:02}AB" for n in range(1, 21)]


@pytest.fixture(autouse=True)
def _empty_caches() -> Iterator[None]:
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def postcode_table() -> Neighbourhood:
    """The CBS postcode table knows POSTCODES: the fallback when PDOK is not asked."""
    municipality = Municipality.objects.create(code="GM0794", name="Helmond", year=2023)
    district = District.objects.create(
        code="WK079410", name="Binnenstad", year=2023, municipality=municipality
    )
    neighbourhood = Neighbourhood.objects.create(
        code="BU07941000", name="Centrum", year=2023, district=district, geometry=SQUARE
    )
    for postcode in POSTCODES:
        Postcode.objects.create(postcode=postcode, year=2023, neighbourhood=neighbourhood)
    return neighbourhood


class FakePdok:
    """Stands in for `pdok.lookup_postcode`: down (raises) or up (answers), counting calls."""

    def __init__(self) -> None:
        self.down = True
        self.asked: list[str] = []

    def __call__(self, postcode: str, timeout: float | None = None) -> pdok.PostcodeLocation:
        self.asked.append(postcode)
        if self.down:
            raise pdok.PdokError("timed out")
        return pdok.PostcodeLocation(postcode, 51.4816, 5.6611, "", "0794")


@pytest.fixture
def fake_pdok() -> Iterator[FakePdok]:
    fake = FakePdok()
    with mock.patch.object(pdok, "lookup_postcode", side_effect=fake):
        yield fake


FALLBACK = (pytest.approx(51.45), pytest.approx(5.65))


def test_the_client_waits_at_most_the_configured_time_out(settings) -> None:  # type: ignore[no-untyped-def]
    def answer(request: object, timeout: float) -> mock.MagicMock:
        response = mock.MagicMock()
        response.__enter__.return_value = io.BytesIO(b'{"response": {"docs": []}}')
        return response

    with mock.patch("urllib.request.urlopen", side_effect=answer) as urlopen:
        pdok.lookup_postcode("5701AB")
        assert urlopen.call_args.kwargs["timeout"] == 1.0  # the default: one second
        settings.OMZIEN_PDOK_TIMEOUT_MS = 250
        pdok.lookup_postcode("5701AB")
        assert urlopen.call_args.kwargs["timeout"] == 0.25


def test_after_three_failures_lookups_use_the_postcode_table_without_asking_pdok(
    postcode_table, fake_pdok
) -> None:  # type: ignore[no-untyped-def]
    for postcode in POSTCODES[:3]:
        assert geo.locate_postcode(postcode) == FALLBACK
    assert fake_pdok.asked == POSTCODES[:3]
    for postcode in POSTCODES[3:]:
        assert geo.locate_postcode(postcode) == FALLBACK
    assert fake_pdok.asked == POSTCODES[:3]  # the breaker is open: PDOK was not asked


def test_a_postcode_that_just_failed_is_not_sent_to_pdok_again_at_once(
    postcode_table, fake_pdok
) -> None:  # type: ignore[no-untyped-def]
    assert geo.locate_postcode(POSTCODES[0]) == FALLBACK
    assert geo.locate_postcode(POSTCODES[0]) == FALLBACK
    assert fake_pdok.asked == POSTCODES[:1]


def test_after_the_pause_pdok_is_asked_again_and_an_answer_closes_the_breaker(
    postcode_table, fake_pdok
) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False) as t:
        for postcode in POSTCODES[:4]:
            geo.locate_postcode(postcode)
        assert len(fake_pdok.asked) == 3
        t.move_to(dt.datetime(2026, 3, 2, 10, 1, 1, tzinfo=dt.UTC))  # 61 s later
        fake_pdok.down = False
        assert geo.locate_postcode(POSTCODES[4]) == (51.4816, 5.6611)
        assert geo.locate_postcode(POSTCODES[5]) == (51.4816, 5.6611)
        assert fake_pdok.asked[3:] == POSTCODES[4:6]


def test_a_failure_right_after_the_pause_opens_the_breaker_again_at_once(
    postcode_table, fake_pdok
) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False) as t:
        for postcode in POSTCODES[:3]:
            geo.locate_postcode(postcode)
        t.move_to(dt.datetime(2026, 3, 2, 10, 1, 1, tzinfo=dt.UTC))
        assert geo.locate_postcode(POSTCODES[3]) == FALLBACK  # the one trial, and it failed
        assert geo.locate_postcode(POSTCODES[4]) == FALLBACK
        assert fake_pdok.asked == POSTCODES[:4]


def test_each_client_may_send_only_so_many_new_postcodes_to_pdok(
    client: Client,
    settings,  # type: ignore[no-untyped-def]
    postcode_table,  # type: ignore[no-untyped-def]
    fake_pdok: FakePdok,
) -> None:
    settings.OMZIEN_POSTCODE_LOOKUP_RATE_LIMIT = 3
    fake_pdok.down = False
    for postcode in POSTCODES[:5]:
        response = client.get("/kaart/", {"postcode": postcode}, REMOTE_ADDR="192.0.2.1")
        assert response.status_code == 200  # over the limit the postcode table answers
    assert fake_pdok.asked == POSTCODES[:3]
    # Postcodes PDOK already answered cost nothing; another client has its own count.
    client.get("/kaart/", {"postcode": POSTCODES[0]}, REMOTE_ADDR="192.0.2.1")
    client.get("/kaart/", {"postcode": POSTCODES[5]}, REMOTE_ADDR="192.0.2.2")
    assert fake_pdok.asked == [*POSTCODES[:3], POSTCODES[5]]


def test_the_api_limits_new_postcodes_per_client_too(
    client: Client,
    settings,  # type: ignore[no-untyped-def]
    postcode_table,  # type: ignore[no-untyped-def]
    fake_pdok: FakePdok,
) -> None:
    settings.OMZIEN_POSTCODE_LOOKUP_RATE_LIMIT = 2
    fake_pdok.down = False
    for postcode in POSTCODES[:4]:
        response = client.get("/api/v1/service_at_locations", {"postcode": postcode})
        assert response.status_code == 200
    assert fake_pdok.asked == POSTCODES[:2]
