"""Where is a postcode? For distances in the sociale kaart.

PDOK's Locatieserver first (cached for 30 days, misses for a day); when PDOK cannot be reached,
the CBS postcode table from the foundation gives the neighbourhood, whose boundary's centre is a
fair stand-in for "around here".
"""

from __future__ import annotations

import logging
import math
from typing import Any

from django.core.cache import caches

from omzien.areas.importers import normalise_postcode
from omzien.areas.services import neighbourhood_for_postcode
from omzien.interop import pdok

logger = logging.getLogger(__name__)

_HIT_SECONDS = 30 * 24 * 3600
_MISS_SECONDS = 24 * 3600
_MISS = "miss"


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


def locate_postcode(value: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a Dutch postcode, or None when it cannot be placed."""
    postcode = normalise_postcode(value)
    if postcode is None:
        return None
    cache = caches["postcodes"]
    key = f"omzien:postcode:{postcode}"
    cached = cache.get(key)
    if cached == _MISS:
        return _from_postcode_table(postcode)
    if cached is not None:
        return (float(cached[0]), float(cached[1]))
    try:
        found = pdok.lookup_postcode(postcode)
    except pdok.PdokError as exc:
        # Not cached: PDOK may be back soon. The log holds no personal data, only the error.
        logger.warning("PDOK Locatieserver unavailable, using the postcode table: %s", exc)
        return _from_postcode_table(postcode)
    if found is None:
        cache.set(key, _MISS, _MISS_SECONDS)
        return _from_postcode_table(postcode)
    point = (found.latitude, found.longitude)
    cache.set(key, list(point), _HIT_SECONDS)
    return point


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))
