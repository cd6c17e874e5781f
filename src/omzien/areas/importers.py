"""Readers for the area files CBS publishes; pure functions, no database.

Supported, as CBS publishes them (see docs/areas.md):
- the code lists of the *wijk- en buurtindeling*: `gemeenten_YYYY.csv` (GM_CODE, GM_NAAM),
  `wijk_YYYY.csv` (WK_CODE, WK_NAAM), `buurt_YYYY.csv` (BU_CODE, BU_NAAM), or one file with all
  six columns; older years use year-suffixed names such as `buurtcode2022`, `wijknaam2022`;
- the postcode table `pc6-gwbYYYY.csv` (PC6, BuurtYYYY, WijkYYYY, GemeenteYYYY) and the
  address-level `pc6hnrYYYYMMDD_gwb.csv` (PC6, Huisnummer, BuurtYYYY, ...), whose codes carry
  no prefix; for the latter a postcode goes to the neighbourhood most of its addresses are in;
- district and neighbourhood boundaries as GeoJSON (CBS/PDOK wijk- en buurtkaart, WGS84).

Delimiter (tab, semicolon or comma) and encoding (UTF-8 or Windows-1252) are detected.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class AreaFileError(ValueError):
    """A file that cannot be read; the message names the file and, where known, the line."""


@dataclass
class AreaData:
    """Everything read from a set of files, keyed by prefixed CBS code."""

    municipalities: dict[str, str] = field(default_factory=dict)  # GM0794 -> name
    districts: dict[str, str] = field(default_factory=dict)  # WK079410 -> name
    neighbourhoods: dict[str, str] = field(default_factory=dict)  # BU07941000 -> name
    postcodes: dict[str, str] = field(default_factory=dict)  # 5701AB -> BU07941000
    geometries: dict[str, dict[str, Any]] = field(default_factory=dict)  # WK/BU code -> geometry
    years: set[int] = field(default_factory=set)


_YEAR_SUFFIX = re.compile(r"(19|20)\d\d$")
_HEADER_ALIASES = {
    "bu_code": "bu_code",
    "buurtcode": "bu_code",
    "buurt": "bu_code",
    "bu_naam": "bu_naam",
    "buurtnaam": "bu_naam",
    "wk_code": "wk_code",
    "wijkcode": "wk_code",
    "wijk": "wk_code",
    "wk_naam": "wk_naam",
    "wijknaam": "wk_naam",
    "gm_code": "gm_code",
    "gemcode": "gm_code",
    "gemeentecode": "gm_code",
    "gemeente": "gm_code",
    "gm_naam": "gm_naam",
    "gemnaam": "gm_naam",
    "gemeentenaam": "gm_naam",
    "pc6": "pc6",
    "postcode": "pc6",
    "huisnummer": "huisnummer",
}
_CODE_DIGITS = {"GM": 4, "WK": 6, "BU": 8}
_POSTCODE = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})\s*$")


def normalise_postcode(value: str) -> str | None:
    """'5701 ab' -> '5701AB'; None when it is not a Dutch postcode."""
    match = _POSTCODE.match(value or "")
    if not match:
        return None
    return f"{match.group(1)}{match.group(2).upper()}"


def normalise_code(prefix: str, value: str) -> str | None:
    """A CBS code with its prefix: 'BU07941000', '07941000' and '7941000' all give 'BU07941000'."""
    value = (value or "").strip().upper()
    if value.startswith(prefix):
        value = value[len(prefix) :]
    digits = _CODE_DIGITS[prefix]
    if not value.isdigit() or len(value) > digits:
        return None
    return prefix + value.zfill(digits)


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _header_key(name: str) -> tuple[str | None, int | None]:
    cleaned = name.strip().strip('"').lower()
    year: int | None = None
    match = _YEAR_SUFFIX.search(cleaned)
    if match and cleaned[: match.start()] in _HEADER_ALIASES:
        year = int(match.group(0))
        cleaned = cleaned[: match.start()]
    return _HEADER_ALIASES.get(cleaned), year


def _rows(path: Path) -> tuple[list[str | None], list[tuple[int, list[str]]], set[int]]:
    text = _decode(path)
    first_line = text.split("\n", 1)[0]
    delimiter = max("\t;,", key=first_line.count)
    if first_line.count(delimiter) == 0:
        raise AreaFileError(f"{path.name}: the first line has no columns (tab, ; or ,).")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    keys: list[str | None] = []
    years: set[int] = set()
    for name in header:
        key, year = _header_key(name)
        keys.append(key)
        if year:
            years.add(year)
    rows = [(number, row) for number, row in enumerate(reader, start=2) if any(row)]
    return keys, rows, years


def _year_from_name(path: Path) -> int | None:
    match = re.search(r"((?:19|20)\d\d)", path.stem)
    return int(match.group(1)) if match else None


def read_table(path: Path, data: AreaData, municipality: str | None = None) -> None:
    """Read one CBS code list or postcode table into `data`."""
    keys, rows, years = _rows(path)
    present = {key for key in keys if key}
    if not present & {"bu_code", "wk_code", "gm_code"}:
        raise AreaFileError(
            f"{path.name}: no CBS code column found (expected e.g. BU_CODE, WK_CODE, GM_CODE, "
            "or PC6 with BuurtYYYY)."
        )
    data.years |= years or ({y} if (y := _year_from_name(path)) else set())
    is_postcode_table = "pc6" in present
    if is_postcode_table and "bu_code" not in present:
        raise AreaFileError(f"{path.name}: a postcode table needs a Buurt column.")
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for number, row in rows:
        record = {key: row[i].strip() for i, key in enumerate(keys) if key and i < len(row)}
        codes: dict[str, str | None] = {}
        for prefix, column in (("GM", "gm_code"), ("WK", "wk_code"), ("BU", "bu_code")):
            if record.get(column):
                code = normalise_code(prefix, record[column])
                if code is None:
                    raise AreaFileError(
                        f"{path.name}, line {number}: {record[column]!r} is not a {prefix} code."
                    )
                codes[prefix] = code
        # Derive parents from the code: BU + gemeente(4) + wijk(2) + buurt(2).
        if "BU" in codes and codes["BU"]:
            codes.setdefault("WK", "WK" + codes["BU"][2:8])
        if "WK" in codes and codes["WK"]:
            codes.setdefault("GM", "GM" + codes["WK"][2:6])
        if municipality and codes.get("GM") != municipality:
            continue
        if is_postcode_table:
            postcode = normalise_postcode(record.get("pc6", ""))
            if postcode is None:
                raise AreaFileError(
                    f"{path.name}, line {number}: {record.get('pc6')!r} is not a postcode."
                )
            votes[postcode][codes["BU"] or ""] += 1
            continue
        for prefix, name_key, target in (
            ("GM", "gm_naam", data.municipalities),
            ("WK", "wk_naam", data.districts),
            ("BU", "bu_naam", data.neighbourhoods),
        ):
            code = codes.get(prefix)
            if code and record.get(name_key):
                target[code] = record[name_key]
            elif code and code not in target:
                target.setdefault(code, "")
    for postcode, counter in votes.items():
        data.postcodes[postcode] = counter.most_common(1)[0][0]


_GEO_CODE_KEYS = ("statcode", "wijkcode", "buurtcode", "wk_code", "bu_code", "code")


def read_geojson(path: Path, data: AreaData, municipality: str | None = None) -> None:
    try:
        document = json.loads(_decode(path))
    except json.JSONDecodeError as exc:
        raise AreaFileError(f"{path.name}: not valid JSON ({exc.msg}, line {exc.lineno}).") from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise AreaFileError(f"{path.name}: expected a GeoJSON FeatureCollection.")
    for index, feature in enumerate(document.get("features") or [], start=1):
        properties = {k.lower(): v for k, v in (feature.get("properties") or {}).items()}
        raw_code = next((str(properties[k]) for k in _GEO_CODE_KEYS if properties.get(k)), "")
        prefix = raw_code[:2].upper()
        code = normalise_code(prefix, raw_code) if prefix in ("WK", "BU") else None
        if code is None:
            raise AreaFileError(
                f"{path.name}, feature {index}: no wijk or buurt code (statcode, wijkcode, ...)."
            )
        if municipality and code[2:6] != municipality[2:]:
            continue
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in (
            "Polygon",
            "MultiPolygon",
        ):
            raise AreaFileError(f"{path.name}, feature {index}: geometry must be a (Multi)Polygon.")
        data.geometries[code] = geometry
        if isinstance(properties.get("jaar"), int):
            data.years.add(properties["jaar"])


def read_files(paths: list[Path], municipality: str | None = None) -> AreaData:
    data = AreaData()
    for path in paths:
        if not path.is_file():
            raise AreaFileError(f"{path}: file not found.")
        if path.suffix.lower() in (".geojson", ".json"):
            read_geojson(path, data, municipality)
        else:
            read_table(path, data, municipality)
    return data
