from __future__ import annotations

import datetime as dt
import io
import json
import urllib.error
from pathlib import Path
from unittest import mock

from django.core.cache import caches

import numpy as np
import pytest
import time_machine

from omzien.areas import pdok
from omzien.areas.geo import (
    EARTH_RADIUS_KM,
    bounding_box,
    distance_km,
    distance_km_expression,
    distances_km,
    geometry_centre,
    locate_postcode,
)
from omzien.areas.models import District, Municipality, Neighbourhood, Postcode
from omzien.directory.models import Location
from tests.factories import LocationFactory

FIXTURES = Path(__file__).parent / "fixtures" / "pdok"


def recorded(name: str):  # type: ignore[no-untyped-def]
    body = (FIXTURES / name).read_bytes()
    response = mock.MagicMock()
    response.__enter__.return_value = io.BytesIO(body)
    return response


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def neighbourhood_with_postcode(db: None) -> Neighbourhood:
    municipality = Municipality.objects.create(code="GM0794", name="Helmond", year=2023)
    district = District.objects.create(
        code="WK079410", name="Wijk 10 Binnenstad", year=2023, municipality=municipality
    )
    square = {
        "type": "Polygon",
        "coordinates": [[[5.6, 51.4], [5.7, 51.4], [5.7, 51.5], [5.6, 51.5], [5.6, 51.4]]],
    }
    neighbourhood = Neighbourhood.objects.create(
        code="BU07941000", name="Centrum", year=2023, district=district, geometry=square
    )
    Postcode.objects.create(postcode="5701AB", year=2023, neighbourhood=neighbourhood)
    return neighbourhood


def test_the_client_reads_pdoks_recorded_answer() -> None:
    payload = json.loads((FIXTURES / "postcode_1118CP.json").read_text())
    found = pdok.parse_postcode_response(payload, "1118CP")
    assert found is not None
    assert (found.latitude, found.longitude) == (52.3031994, 4.74654356)
    assert found.municipality_code == "0394"


def test_it_asks_pdok_for_the_postcode_and_caches_the_answer(db: None) -> None:
    with mock.patch(
        "urllib.request.urlopen", return_value=recorded("postcode_1118CP.json")
    ) as urlopen:
        assert locate_postcode("1118 cp") == (52.3031994, 4.74654356)
        assert locate_postcode("1118CP") == (52.3031994, 4.74654356)
    assert urlopen.call_count == 1
    url = urlopen.call_args.args[0].full_url
    assert "q=1118CP" in url and "fq=type%3Apostcode" in url


def test_unknown_postcode_falls_back_to_the_postcode_table(neighbourhood_with_postcode) -> None:  # type: ignore[no-untyped-def]
    with mock.patch("urllib.request.urlopen", return_value=recorded("not_found.json")):
        lat, lon = locate_postcode("5701AB")  # type: ignore[misc]
    assert lat == pytest.approx(51.45)
    assert lon == pytest.approx(5.65)


def test_pdok_down_falls_back_to_the_postcode_table_and_asks_again_after_a_pause(
    neighbourhood_with_postcode,
) -> None:  # type: ignore[no-untyped-def]
    with (
        time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False) as t,
        mock.patch("urllib.request.urlopen", side_effect=urllib.error.URLError("down")) as urlopen,
    ):
        assert locate_postcode("5701AB") is not None
        assert locate_postcode("5701AB") is not None  # the failure is remembered briefly
        assert urlopen.call_count == 1
        t.move_to(dt.datetime(2026, 3, 2, 10, 1, 1, tzinfo=dt.UTC))
        assert locate_postcode("5701AB") is not None
        assert urlopen.call_count == 2


def test_a_postcode_nobody_knows_gives_none(db: None) -> None:
    with mock.patch("urllib.request.urlopen", side_effect=urllib.error.URLError("down")):
        assert locate_postcode("9999ZZ") is None


@pytest.mark.parametrize("value", ["", "12345", "abcdef", "5701-AB", "x" * 5000])
def test_nonsense_is_not_sent_to_pdok(value: str, db: None) -> None:
    with mock.patch("urllib.request.urlopen") as urlopen:
        assert locate_postcode(value) is None
    urlopen.assert_not_called()


def test_garbage_from_pdok_is_treated_as_unavailable(db: None) -> None:
    response = mock.MagicMock()
    response.__enter__.return_value = io.BytesIO(b"<html>502 Bad Gateway</html>")
    with mock.patch("urllib.request.urlopen", return_value=response):
        assert locate_postcode("1118CP") is None


def test_distance_between_helmond_and_eindhoven_is_about_thirteen_km() -> None:
    assert distance_km((51.4816, 5.6611), (51.4416, 5.4697)) == pytest.approx(13.9, abs=0.5)


# From Helmond to places across the Netherlands: next door, in town, in the region, far.
HELMOND = (51.4816, 5.6611)
DUTCH_POINTS = [
    (51.4816, 5.6611),  # the same point
    (51.48169, 5.66112),  # ten metres away
    (51.4700, 5.6900),  # a buurthuis in Helmond
    (51.4416, 5.4697),  # Eindhoven
    (52.3676, 4.9041),  # Amsterdam
    (53.2194, 6.5665),  # Groningen
    (50.8514, 5.6910),  # Maastricht
    (52.9563, 4.7608),  # Den Helder
    (51.4988, 3.6100),  # Middelburg
    (50.7542, 6.0200),  # Vaals
]


def test_one_degree_along_a_meridian_is_a_360th_of_the_circumference() -> None:
    expected = 2 * np.pi * EARTH_RADIUS_KM / 360
    assert distance_km((52.0, 5.0), (53.0, 5.0)) == pytest.approx(expected, abs=1e-9)


def test_the_scalar_the_array_and_the_sql_distance_agree(db: None) -> None:
    """The three forms of the one distance (single pair, the kaart's catalogue, the HSDS API's
    SQL) agree within a metre on Dutch point pairs, in both directions."""
    for origin in (HELMOND, DUTCH_POINTS[4], DUTCH_POINTS[7]):
        scalar = np.array([distance_km(origin, point) for point in DUTCH_POINTS])
        array = distances_km(
            origin,
            np.array([p[0] for p in DUTCH_POINTS]),
            np.array([p[1] for p in DUTCH_POINTS]),
        )
        Location.objects.all().delete()
        for number, (latitude, longitude) in enumerate(DUTCH_POINTS):
            LocationFactory(name=f"Punt {number}", latitude=latitude, longitude=longitude)
        sql = np.array(
            Location.objects.annotate(km=distance_km_expression("latitude", "longitude", origin))
            .order_by("name")
            .values_list("km", flat=True)
        )
        back = np.array([distance_km(point, origin) for point in DUTCH_POINTS])

        assert np.abs(array - scalar).max() < 0.001
        assert np.abs(sql - scalar).max() < 0.001
        assert np.abs(back - scalar).max() < 0.001
    assert distance_km(HELMOND, DUTCH_POINTS[0]) == 0
    assert 0.005 < distance_km(HELMOND, DUTCH_POINTS[1]) < 0.015


def test_the_bounding_box_just_holds_the_circle() -> None:
    (south, north), (west, east) = bounding_box(HELMOND, 10)
    for point in ((south, HELMOND[1]), (north, HELMOND[1])):
        assert distance_km(HELMOND, point) == pytest.approx(10, abs=1e-6)
    # East and west the circle reaches furthest a little north of the centre's latitude.
    latitudes = np.linspace(HELMOND[0] - 0.1, HELMOND[0] + 0.1, 20001)
    for side in (west, east):
        nearest = distances_km(HELMOND, latitudes, np.full(len(latitudes), side)).min()
        assert nearest == pytest.approx(10, abs=1e-6)
        assert nearest >= 10 - 1e-9


def test_centre_of_a_multipolygon_weighs_by_area() -> None:
    big = [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]
    small = [[[10, 10], [10.1, 10], [10.1, 10.1], [10, 10.1], [10, 10]]]
    lat, lon = geometry_centre({"type": "MultiPolygon", "coordinates": [big, small]})  # type: ignore[misc]
    assert lat == pytest.approx(1.0, abs=0.05)
    assert lon == pytest.approx(1.0, abs=0.05)
