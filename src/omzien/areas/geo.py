"""Where is a postcode? For distances in the sociale kaart and anywhere else that asks.

PDOK's Locatieserver first (cached for 30 days, misses for a day); when PDOK cannot be reached,
the CBS postcode table from the foundation gives the neighbourhood, whose boundary's centre is a
fair stand-in for "around here".

A slow or absent PDOK must not hold pages up: each look-up waits at most
OMZIEN_PDOK_TIMEOUT_MS, a postcode that failed is not sent again for a while, and a circuit
breaker skips PDOK altogether for OMZIEN_PDOK_PAUSE_SECONDS after a few failures. Its state is
in the default cache, which every process shares and which never drops a live entry.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db.models import F, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt
from django.http import HttpRequest

import numpy as np

from omzien.areas import pdok
from omzien.areas.importers import normalise_postcode
from omzien.areas.services import neighbourhood_for_postcode
from omzien.core import ratelimit

logger = logging.getLogger(__name__)

_HIT_SECONDS = 30 * 24 * 3600
_MISS_SECONDS = 24 * 3600
_MISS = "miss"
_UNAVAILABLE = "unavailable"
_PAUSED_KEY = "omzien:pdok:paused"
# Set when the breaker opens and kept for ten pauses: a failure then starts a pause at once.
_TRIPPED_KEY = "omzien:pdok:tripped"


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Area-weighted centroid (lon, lat) and signed area of one linear ring (shoelace)."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=False):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(area) < 1e-12:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return sum(xs) / len(xs), sum(ys) / len(ys), 0.0
    area /= 2
    return cx / (6 * area), cy / (6 * area), area


def geometry_centre(geometry: dict[str, Any] | None) -> tuple[float, float] | None:
    """The centre (lat, lon) of a GeoJSON Polygon or MultiPolygon's outer rings."""
    if not geometry:
        return None
    polygons = (
        [geometry["coordinates"]]
        if geometry.get("type") == "Polygon"
        else geometry.get("coordinates", [])
    )
    total = sx = sy = 0.0
    for polygon in polygons:
        if not polygon:
            continue
        x, y, area = _ring_centroid([list(p[:2]) for p in polygon[0]])
        weight = abs(area) or 1e-9
        total += weight
        sx += x * weight
        sy += y * weight
    if not total:
        return None
    return sy / total, sx / total


def _from_postcode_table(postcode: str) -> tuple[float, float] | None:
    neighbourhood = neighbourhood_for_postcode(postcode)
    if neighbourhood is None:
        return None
    return geometry_centre(neighbourhood.geometry) or geometry_centre(
        neighbourhood.district.geometry
    )


def client_may_ask_pdok(request: HttpRequest) -> Callable[[], bool]:
    """For `locate_postcode`: counts one new postcode of this client against its hourly limit."""
    return lambda: ratelimit.allow(
        request, "postcode-lookup", settings.OMZIEN_POSTCODE_LOOKUP_RATE_LIMIT, 3600
    )


def locate_postcode(
    value: str, *, may_ask_pdok: Callable[[], bool] | None = None
) -> tuple[float, float] | None:
    """(latitude, longitude) of a Dutch postcode, or None when it cannot be placed.

    `may_ask_pdok` is asked only when PDOK would be asked (the postcode is not cached and PDOK
    is not paused); when it says no, the postcode table answers.
    """
    postcode = normalise_postcode(value)
    if postcode is None:
        return None
    cache = caches["postcodes"]
    key = f"omzien:postcode:{postcode}"
    cached = cache.get(key)
    if cached in (_MISS, _UNAVAILABLE):
        return _from_postcode_table(postcode)
    if cached is not None:
        return (float(cached[0]), float(cached[1]))
    if _pdok_paused() or (may_ask_pdok is not None and not may_ask_pdok()):
        return _from_postcode_table(postcode)
    try:
        found = pdok.lookup_postcode(postcode)
    except pdok.PdokError as exc:
        # The log holds no personal data, only the error.
        logger.warning("PDOK Locatieserver unavailable, using the postcode table: %s", exc)
        cache.set(key, _UNAVAILABLE, settings.OMZIEN_PDOK_PAUSE_SECONDS)
        _pdok_failed()
        return _from_postcode_table(postcode)
    _pdok_answered()
    if found is None:
        cache.set(key, _MISS, _MISS_SECONDS)
        return _from_postcode_table(postcode)
    point = (found.latitude, found.longitude)
    cache.set(key, list(point), _HIT_SECONDS)
    return point


def _pdok_paused() -> bool:
    return caches["default"].get(_PAUSED_KEY) is not None


def _pdok_failed() -> None:
    """Count a failure; open the breaker after enough of them, or at once after a pause."""
    pause = settings.OMZIEN_PDOK_PAUSE_SECONDS
    state = caches["default"]
    failures = ratelimit.hit("pdok-failure", "pdok", pause)
    if failures >= settings.OMZIEN_PDOK_BREAKER_FAILURES or state.get(_TRIPPED_KEY) is not None:
        state.set(_PAUSED_KEY, True, pause)
        state.set(_TRIPPED_KEY, True, 10 * pause)
        logger.warning("PDOK Locatieserver keeps failing; not asking it for %d seconds", pause)


def _pdok_answered() -> None:
    state = caches["default"]
    if state.get(_TRIPPED_KEY) is not None:
        state.delete(_TRIPPED_KEY)


# -- distance -----------------------------------------------------------------------------------
#
# One formula for every distance Omzien shows, filters or sorts by: the great-circle distance
# (haversine) on a sphere of the Earth's mean radius. Below, once per way it is needed: for two
# points, for many points at once (the kaart's catalogue, numpy) and as an SQL expression (the
# HSDS API's proximity filter); tests/test_geo.py checks that the three agree.

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres (haversine) between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def distances_km(
    origin: tuple[float, float], latitudes: np.ndarray, longitudes: np.ndarray
) -> np.ndarray:
    """`distance_km` from `origin` to each of the points (degrees), as one array.

    The kaart computes this for every location on each search from a postcode, so it works in
    place on two arrays rather than making a new one per step (a fifth quicker).
    """
    lat0, lon0 = map(math.radians, origin)
    lat = np.radians(latitudes)
    half_dlat = lat - lat0
    half_dlat *= 0.5
    sin2_dlat = np.square(np.sin(half_dlat, out=half_dlat), out=half_dlat)
    half_dlon = np.radians(longitudes)
    half_dlon -= lon0
    half_dlon *= 0.5
    sin2_dlon = np.square(np.sin(half_dlon, out=half_dlon), out=half_dlon)
    h = np.cos(lat, out=lat)
    h *= math.cos(lat0)
    h *= sin2_dlon
    h += sin2_dlat
    distance = np.arcsin(np.sqrt(h, out=h), out=h)
    distance *= 2 * EARTH_RADIUS_KM
    return distance


def distance_km_expression(
    latitude: str, longitude: str, origin: tuple[float, float]
) -> CombinedExpression:
    """`distance_km` from `origin` to the point in these fields, for a queryset annotation."""
    lat0, lon0 = map(math.radians, origin)
    lat = Radians(F(latitude))
    h = Power(Sin((lat - Value(lat0)) / 2), 2) + Value(math.cos(lat0)) * Cos(lat) * Power(
        Sin((Radians(F(longitude)) - Value(lon0)) / 2), 2
    )
    return Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(h))


def bounding_box(
    origin: tuple[float, float], radius_km: float
) -> tuple[tuple[float, float], tuple[float, float]]:
    """((lat min, lat max), (lon min, lon max)) holding every point within `radius_km` of
    `origin`: a cheap first filter before the distance itself."""
    latitude, longitude = origin
    angle = radius_km / EARTH_RADIUS_KM
    dlat = math.degrees(angle)
    # The circle is widest east and west where a meridian touches it, a little poleward of
    # `origin`: asin(sin(angle) / cos(lat)), slightly more than angle / cos(lat).
    ratio = math.sin(angle) / max(math.cos(math.radians(latitude)), 1e-12)
    dlon = math.degrees(math.asin(ratio)) if ratio < 1 else 180.0
    return (latitude - dlat, latitude + dlat), (longitude - dlon, longitude + dlon)
