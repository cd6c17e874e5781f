"""Client for PDOK's Locatieserver: a Dutch postcode to coordinates (WGS84).

Real client, no third-party library: one GET to the `free` endpoint with `fq=type:postcode`,
parsed from PDOK's documented response (`response.docs[].centroide_ll = "POINT(lon lat)"`).
The caller caches and falls back; this module only talks to PDOK.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

_POINT = re.compile(r"POINT\(\s*(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s*\)")


class PdokError(Exception):
    """PDOK could not be reached or answered something unexpected."""


@dataclass(frozen=True)
class PostcodeLocation:
    postcode: str
    latitude: float
    longitude: float
    neighbourhood_code: str  # CBS buurtcode as PDOK reports it, may be empty
    municipality_code: str


def parse_postcode_response(payload: dict, postcode: str) -> PostcodeLocation | None:
    docs = (payload.get("response") or {}).get("docs") or []
    for doc in docs:
        if str(doc.get("postcode", "")).replace(" ", "").upper() != postcode:
            continue
        match = _POINT.match(str(doc.get("centroide_ll", "")))
        if not match:
            continue
        longitude, latitude = float(match.group(1)), float(match.group(2))
        return PostcodeLocation(
            postcode=postcode,
            latitude=latitude,
            longitude=longitude,
            neighbourhood_code=str(doc.get("buurtcode", "")),
            municipality_code=str(doc.get("gemeentecode", "")),
        )
    return None


def lookup_postcode(postcode: str, timeout: float | None = None) -> PostcodeLocation | None:
    """Ask PDOK for a normalised postcode ('5701AB'). None when PDOK does not know it.

    Waits at most `timeout` seconds (default OMZIEN_PDOK_TIMEOUT_MS): a person is waiting for
    the page, and the caller has a fallback.
    """
    if timeout is None:
        timeout = settings.OMZIEN_PDOK_TIMEOUT_MS / 1000
    query = urllib.parse.urlencode({"q": postcode, "fq": "type:postcode", "rows": "1", "fl": "*"})
    url = f"{settings.OMZIEN_PDOK_LOCATIESERVER_URL}?{query}"
    if not url.startswith("https://") and not settings.DEBUG:
        raise PdokError("The PDOK address must use https.")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            payload = json.load(response)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        raise PdokError(str(exc)) from exc
    if not isinstance(payload, dict):
        raise PdokError("PDOK answered with something other than a JSON object.")
    return parse_postcode_response(payload, postcode)
