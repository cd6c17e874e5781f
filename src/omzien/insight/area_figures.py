"""The figures of areas, read for tables, maps and downloads; and the demo figures.

Reads only `AreaFigure` rows (published aggregates per gemeente, wijk and buurt) and the CBS
areas; nothing here is about persons. A figure is joined to an area by code AND classification
year, never by code alone (codes change between years).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import numpy as np

from omzien.areas.models import District, Municipality, Neighbourhood
from omzien.insight.figures import KWB_TABLES, SOURCE_KWB, SOURCE_RIVM, Figure, save_figures
from omzien.insight.models import AreaFigure, AreaLevel

# The loneliness indicators of the RIVM health monitor, in the order shown.
LONELINESS_INDICATORS: dict[str, Any] = {
    "lonely": gettext_lazy("Eenzaam (score 3 of hoger)"),
    "severely_lonely": gettext_lazy("Ernstig of zeer ernstig eenzaam (score 9 of hoger)"),
    "emotionally_lonely": gettext_lazy("Emotioneel eenzaam"),
    "socially_lonely": gettext_lazy("Sociaal eenzaam"),
}
# Age group as shown -> suffix of the indicator name (see cbs.AGE_GROUPS).
AGE_GROUPS: dict[str, tuple[str, Any]] = {
    "18+": ("", gettext_lazy("18 jaar en ouder")),
    "65+": ("_65_plus", gettext_lazy("65 jaar en ouder")),
    "18-64": ("_18_64", gettext_lazy("18 tot 65 jaar")),
}
LEVELS: dict[str, tuple[str, Any]] = {
    "wijk": (AreaLevel.DISTRICT, gettext_lazy("Wijken")),
    "buurt": (AreaLevel.NEIGHBOURHOOD, gettext_lazy("Buurten")),
}
# CBS key figures as stored by the importer (and by the demo).
CHARACTERISTICS: dict[str, Any] = {
    "residents": gettext_lazy("Aantal inwoners"),
    "residents_65_plus": gettext_lazy("Inwoners van 65 jaar en ouder"),
    "residents_75_plus": gettext_lazy("Inwoners van 75 jaar en ouder"),
    "share_65_plus": gettext_lazy("Aandeel inwoners van 65 jaar en ouder"),
    "households": gettext_lazy("Aantal huishoudens"),
    "single_person_households": gettext_lazy("Eenpersoonshuishoudens"),
    "share_single_person_households": gettext_lazy("Aandeel eenpersoonshuishoudens"),
    "average_income_per_resident": gettext_lazy("Gemiddeld inkomen per inwoner"),
    "share_low_income_households": gettext_lazy("Aandeel huishoudens met een laag inkomen"),
    "share_households_social_minimum": gettext_lazy(
        "Aandeel huishoudens onder of rond het sociaal minimum"
    ),
    "population_density": gettext_lazy("Inwoners per km²"),
    "residents_origin_outside_europe": gettext_lazy("Inwoners met herkomst buiten Europa"),
    "share_origin_outside_europe": gettext_lazy("Aandeel inwoners met herkomst buiten Europa"),
    "residents_non_western": gettext_lazy("Inwoners met een niet-westerse migratieachtergrond"),
    "share_non_western_migration": gettext_lazy(
        "Aandeel inwoners met een niet-westerse migratieachtergrond"
    ),
    "urbanity": gettext_lazy("Mate van stedelijkheid (1 = zeer sterk stedelijk)"),
}
# Sequential, colour-blind safe (ColorBrewer YlGnBu, 5 classes), light = low.
PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
# Dark classes need light text where a colour is shown behind text (the legend swatches).
MISSING_COLOUR = "#d9d9d9"
MAP_WIDTH = 600
MAP_PADDING = 8


def source_line(source: str, period: int | None) -> str:
    """Where the figures come from, in words for the page and the download."""
    if source == SOURCE_RIVM:
        return _(
            "Bron: RIVM, GGD'en en CBS, Gezondheidsmonitor Volwassenen en Ouderen: schattingen "
            "per wijk en buurt (tabel 50120NED, CBS-catalogus van derden). Licentie CC BY 4.0."
        )
    table = KWB_TABLES.get(period or 0, "")
    return _("Bron: CBS, Kerncijfers wijken en buurten %(year)s %(table)s. Licentie CC BY 4.0.") % {
        "year": period or "",
        "table": f"(tabel {table})" if table else "",
    }


def indicator_name(indicator: str, age: str) -> str:
    return indicator + AGE_GROUPS[age][0]


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return _("onbekend")
    if unit == "percent":
        return f"{number_format(value, 1)}%"
    if unit == "euro":
        return f"€ {number_format(round(value), 0, force_grouping=True)}"
    if unit in ("count", "per_km2"):
        return number_format(round(value), 0, force_grouping=True)
    return number_format(value, 1)


# --- the table -----------------------------------------------------------------------------------


@dataclass
class FigureRow:
    code: str
    name: str
    value: float | None
    margin_low: float | None
    margin_high: float | None
    period: int
    area_year: int
    unit: str
    is_generated: bool
    colour: str = ""


@dataclass
class FigureTable:
    municipality: str
    municipality_name: str
    indicator: str
    level: str
    periods: list[int]
    period: int | None
    area_year: int | None
    rows: list[FigureRow]
    total: FigureRow | None
    source: str = SOURCE_RIVM

    @property
    def any_generated(self) -> bool:
        rows = [*self.rows, *([self.total] if self.total else [])]
        return any(row.is_generated for row in rows)

    @property
    def has_margins(self) -> bool:
        return any(row.margin_low is not None for row in self.rows)


def municipality_name(code: str) -> str:
    found = Municipality.objects.filter(code=code).order_by("-year").first()
    return found.name if found else code


def municipalities_with_figures(source: str = SOURCE_RIVM) -> list[tuple[str, str]]:
    """(GM code, name) of every gemeente with figures of this source, by name."""
    codes = {
        "GM" + code[2:6]
        for code in AreaFigure.objects.filter(source=source)
        .values_list("area_code", flat=True)
        .distinct()
    }
    # Oldest first, so the newest name of each code wins.
    names = dict(
        Municipality.objects.filter(code__in=codes).order_by("year").values_list("code", "name")
    )
    # Gemeenten whose areas are loaded (so with a name) first, then by name.
    return sorted(
        ((code, names.get(code, code)) for code in codes),
        key=lambda m: (m[0] not in names, m[1]),
    )


def _prefix(level: str, municipality: str) -> str:
    return {
        AreaLevel.DISTRICT: "WK",
        AreaLevel.NEIGHBOURHOOD: "BU",
        AreaLevel.MUNICIPALITY: "GM",
    }[AreaLevel(level)] + municipality[2:]


def _areas(level: str) -> QuerySet[Any] | None:
    """The CBS areas of a level (wijken or buurten); None for the municipality level."""
    if level == AreaLevel.DISTRICT:
        return District.objects.all()
    if level == AreaLevel.NEIGHBOURHOOD:
        return Neighbourhood.objects.all()
    return None


def area_names(level: str, codes: Iterable[str], year: int) -> dict[str, str]:
    areas = _areas(level)
    if areas is None:
        return {}
    return dict(areas.filter(code__in=list(codes), year=year).values_list("code", "name"))


def _row(figure: AreaFigure, name: str) -> FigureRow:
    return FigureRow(
        code=figure.area_code,
        name=name,
        value=figure.value,
        margin_low=figure.margin_low,
        margin_high=figure.margin_high,
        period=figure.period,
        area_year=figure.area_year,
        unit=figure.unit,
        is_generated=figure.is_generated,
    )


def figure_table(
    municipality: str,
    indicator: str,
    level: str,
    period: int | None = None,
    source: str = SOURCE_RIVM,
) -> FigureTable:
    """The figures of one indicator for every wijk (or buurt) of a gemeente, one period.

    Without a period (or an unknown one), the newest. Where one period was published on more
    than one classification, the newest classification is used.
    """
    base = AreaFigure.objects.filter(source=source, indicator=indicator)
    figures = base.filter(area_level=level, area_code__startswith=_prefix(level, municipality))
    periods = sorted(set(figures.values_list("period", flat=True)), reverse=True)
    chosen = period if period in periods else (periods[0] if periods else None)
    rows: list[FigureRow] = []
    total: FigureRow | None = None
    area_year: int | None = None
    if chosen is not None:
        in_period = figures.filter(period=chosen)
        area_year = max(in_period.values_list("area_year", flat=True))
        selected = list(in_period.filter(area_year=area_year).order_by("area_code"))
        names = area_names(level, (f.area_code for f in selected), area_year)
        rows = [_row(f, names.get(f.area_code, f.area_code)) for f in selected]
        whole = base.filter(
            area_level=AreaLevel.MUNICIPALITY,
            area_code=municipality,
            period=chosen,
            area_year=area_year,
        ).first()
        if whole is not None:
            total = _row(whole, municipality_name(municipality))
    return FigureTable(
        municipality=municipality,
        municipality_name=municipality_name(municipality),
        indicator=indicator,
        level=level,
        periods=periods,
        period=chosen,
        area_year=area_year,
        rows=rows,
        total=total,
        source=source,
    )


def csv_rows(table: FigureTable, indicator_label: str, age_label: str) -> list[list[str]]:
    """The table as rows for a CSV file (first row: the header)."""

    def number(value: float | None) -> str:
        return "" if value is None else number_format(value, 1)

    header = [
        _("gemeente"),
        _("niveau"),
        _("code"),
        _("naam"),
        _("indicator"),
        _("leeftijd"),
        _("periode"),
        _("indelingsjaar"),
        _("waarde"),
        _("ondergrens 95%"),
        _("bovengrens 95%"),
        _("eenheid"),
        _("gegenereerde demo-cijfers"),
        _("bron"),
    ]
    level_label = str(AreaLevel(table.level).label)
    rows = [header]
    for row in [*table.rows, *([table.total] if table.total else [])]:
        is_total = row is table.total
        rows.append(
            [
                table.municipality,
                str(AreaLevel.MUNICIPALITY.label) if is_total else level_label,
                row.code,
                _safe_cell(row.name),
                str(indicator_label),
                str(age_label),
                str(row.period),
                str(row.area_year),
                number(row.value),
                number(row.margin_low),
                number(row.margin_high),
                "%" if row.unit == "percent" else row.unit,
                _("ja") if row.is_generated else _("nee"),
                _("Gegenereerde demo-cijfers: verzonnen, niet van het RIVM of CBS.")
                if row.is_generated
                else source_line(table.source, row.period),
            ]
        )
    return rows


def _safe_cell(text: str) -> str:
    """Keep spreadsheet programs from reading a name as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# --- the map -------------------------------------------------------------------------------------


@dataclass
class MapArea:
    code: str
    name: str
    path: str
    fill: str
    title: str


@dataclass
class LegendItem:
    colour: str
    label: str


@dataclass
class ChoroplethMap:
    view_box: str
    width: int
    height: int
    areas: list[MapArea]
    legend: list[LegendItem] = field(default_factory=list)


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates") or []
    if kind == "Polygon":
        return list(coordinates)
    if kind == "MultiPolygon":
        return [ring for polygon in coordinates for ring in polygon]
    return []


def project(
    geometries: dict[str, dict[str, Any]], width: int = MAP_WIDTH, padding: int = MAP_PADDING
) -> tuple[dict[str, str], int]:
    """SVG path data per area and the height, in a simple equirectangular projection.

    Longitude is scaled by cos(latitude) at the middle of the area, which is exact enough for
    one municipality; north is up.
    """
    rings = {code: _rings(g) for code, g in geometries.items() if isinstance(g, dict)}
    points = [
        (float(p[0]), float(p[1]))
        for code_rings in rings.values()
        for ring in code_rings
        for p in ring
        if isinstance(p, list | tuple) and len(p) >= 2
    ]
    if not points:
        return {}, 0
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * kx, 1e-9)
    span_y = max(max(lats) - min(lats), 1e-9)
    scale = (width - 2 * padding) / span_x
    height = round(span_y * scale + 2 * padding)

    def xy(point: Sequence[float]) -> str:
        x = padding + (float(point[0]) - min(lons)) * kx * scale
        y = padding + (max(lats) - float(point[1])) * scale
        return f"{x:.1f},{y:.1f}"

    paths: dict[str, str] = {}
    for code, code_rings in rings.items():
        parts = []
        for ring in code_rings:
            coords = [xy(p) for p in ring if isinstance(p, list | tuple) and len(p) >= 2]
            if len(coords) >= 3:
                parts.append("M" + "L".join(coords) + "Z")
        if parts:
            paths[code] = "".join(parts)
    return paths, height


def class_breaks(values: Sequence[float], classes: int = len(PALETTE)) -> list[float]:
    """Upper bounds of equal-count (quantile) classes; fewer when values repeat."""
    ordered = sorted(values)
    if not ordered:
        return []
    quantiles = np.quantile(ordered, [i / classes for i in range(1, classes)])
    breaks = sorted({round(float(q), 6) for q in quantiles})
    return [b for b in breaks if b < ordered[-1]]


def classify(values: Sequence[float]) -> tuple[list[int], list[str], list[tuple[float, float]]]:
    """Class per value, the colour per class and the (min, max) of the values in each class."""
    breaks = class_breaks(values)
    indexes = [bisect_left(breaks, v) for v in values]
    used = sorted(set(indexes))
    renumber = {old: new for new, old in enumerate(used)}
    indexes = [renumber[i] for i in indexes]
    count = len(used)
    if count <= 1:
        colours = [PALETTE[2]] * count
    else:
        colours = [PALETTE[round(i * (len(PALETTE) - 1) / (count - 1))] for i in range(count)]
    ranges = []
    for i in range(count):
        members = [v for v, c in zip(values, indexes, strict=True) if c == i]
        ranges.append((min(members), max(members)))
    return indexes, colours, ranges


def choropleth(table: FigureTable) -> ChoroplethMap | None:
    """A map of the table's areas, coloured by value; None when no boundaries are loaded."""
    if table.area_year is None or not table.rows:
        return None
    boundaries = _areas(table.level)
    if boundaries is None:
        return None
    geometries = dict(
        boundaries.filter(
            code__startswith=_prefix(table.level, table.municipality),
            year=table.area_year,
            geometry__isnull=False,
        ).values_list("code", "geometry")
    )
    paths, height = project(geometries)
    if not paths:
        return None
    by_code = {row.code: row for row in table.rows}
    known = [row for row in table.rows if row.value is not None and row.code in paths]
    indexes, colours, ranges = classify([row.value for row in known if row.value is not None])
    fill = {row.code: colours[i] for row, i in zip(known, indexes, strict=True)}
    names = area_names(table.level, paths, table.area_year)
    areas = []
    for code, path in sorted(paths.items()):
        row = by_code.get(code)
        name = row.name if row else names.get(code, code)
        if row and row.value is not None:
            title = f"{name}: {format_value(row.value, row.unit)}"
            if row.margin_low is not None and row.margin_high is not None:
                title += " " + _("(95%%-interval %(low)s tot %(high)s)") % {
                    "low": format_value(row.margin_low, row.unit),
                    "high": format_value(row.margin_high, row.unit),
                }
        else:
            title = f"{name}: {_('geen cijfer')}"
        areas.append(MapArea(code, name, path, fill.get(code, MISSING_COLOUR), title))
    unit = known[0].unit if known else ""
    legend = [
        LegendItem(colour, f"{format_value(low, unit)} – {format_value(high, unit)}")
        for colour, (low, high) in zip(colours, ranges, strict=True)
    ]
    if any(area.fill == MISSING_COLOUR for area in areas):
        legend.append(LegendItem(MISSING_COLOUR, _("geen cijfer")))
    return ChoroplethMap(
        view_box=f"0 0 {MAP_WIDTH} {height}",
        width=MAP_WIDTH,
        height=height,
        areas=areas,
        legend=legend,
    )


# --- demo figures --------------------------------------------------------------------------------

DEMO_MUNICIPALITY = "GM0794"
DEMO_SEED = 794
DEMO_HEALTH_PERIOD = 2022
DEMO_KWB_PERIOD = 2023


def _clip(value: float, low: float, high: float) -> float:
    return float(min(max(value, low), high))


def _half_width(share: float, respondents: float) -> float:
    """Half the width of a 95% interval for a share (in %) estimated from `respondents`."""
    p = share / 100
    return 1.96 * math.sqrt(max(p * (1 - p), 0.0025) / max(respondents, 1)) * 100


def _demo_neighbourhood(rng: np.random.Generator, industrial: bool) -> dict[str, float | None]:
    deprivation, age, urban = rng.normal(size=3)
    residents = float(round(_clip(math.exp(7.4 + 0.45 * rng.normal()), 350, 6500)))
    if industrial:
        residents = float(round(rng.uniform(30, 95)))
    share_65 = _clip(19 + 5.5 * age, 6, 38)
    share_75 = _clip(share_65 * 0.45 + rng.normal(0, 1), 2, 20)
    single = _clip(37 + 9 * urban + 3 * age + 2 * deprivation, 14, 70)
    low_income = _clip(8.5 + 3.5 * deprivation + 1.2 * urban + rng.normal(0, 0.8), 1.5, 30)
    income = _clip(29500 - 3800 * deprivation + 1400 * age + rng.normal(0, 900), 18000, 48000)
    density = _clip(math.exp(7.9 + 0.6 * urban), 150, 12000)
    outside_europe = _clip(11 + 5.5 * deprivation + 3 * urban + rng.normal(0, 1.5), 1.5, 45)
    # The loneliness share goes with single-person households, low income and age, plus noise
    # (the kind of pattern RIVM and CBS describe; the numbers themselves are invented).
    lonely = _clip(
        44.5
        + 0.30 * (single - 37)
        + 0.85 * (low_income - 8.5)
        + 0.22 * (share_65 - 19)
        + rng.normal(0, 1.6),
        28,
        66,
    )
    severe = _clip(
        12.5
        + 0.11 * (single - 37)
        + 0.42 * (low_income - 8.5)
        + 0.06 * (share_65 - 19)
        + rng.normal(0, 0.9),
        4,
        28,
    )
    households = residents / _clip(2.25 - 0.25 * urban, 1.4, 3.2)
    # Like the real sources, no estimate for a buurt with very few residents.
    few = residents < 100
    values: dict[str, float | None] = {
        "residents": residents,
        "residents_65_plus": round(residents * share_65 / 100),
        "residents_75_plus": round(residents * share_75 / 100),
        "households": round(households),
        "single_person_households": round(households * single / 100),
        "average_income_per_resident": round(income, -2),
        "share_low_income_households": round(low_income, 1),
        "population_density": round(density),
        "residents_origin_outside_europe": round(residents * outside_europe / 100),
        "lonely": round(lonely, 1),
        "severely_lonely": round(severe, 1),
        "lonely_65_plus": round(_clip(lonely + 3.5 + rng.normal(0, 1.5), 28, 72), 1),
        "severely_lonely_65_plus": round(_clip(severe + 1.5 + rng.normal(0, 0.8), 4, 32), 1),
        "emotionally_lonely": round(lonely * 0.68 + rng.normal(0, 0.8), 1),
        "socially_lonely": round(lonely * 0.74 + rng.normal(0, 0.8), 1),
    }
    if few:
        for key in (*_DEMO_HEALTH, "average_income_per_resident", "share_low_income_households"):
            values[key] = None
    return values


_DEMO_SHARES = {
    "share_65_plus": ("residents_65_plus", "residents"),
    "share_75_plus": ("residents_75_plus", "residents"),
    "share_single_person_households": ("single_person_households", "households"),
    "share_origin_outside_europe": ("residents_origin_outside_europe", "residents"),
}
_DEMO_COUNTS = (
    "residents",
    "residents_65_plus",
    "residents_75_plus",
    "households",
    "single_person_households",
    "residents_origin_outside_europe",
)
_DEMO_HEALTH = (
    "lonely",
    "severely_lonely",
    "lonely_65_plus",
    "severely_lonely_65_plus",
    "emotionally_lonely",
    "socially_lonely",
)


def _weighted(parts: list[dict[str, float | None]], key: str, base: str) -> float | None:
    known = [(p[key], p[base]) for p in parts if p[key] is not None and p[base]]
    weight = sum(float(b or 0) for _, b in known)
    if not weight:
        return None
    return round(sum(float(v or 0) * float(b or 0) for v, b in known) / weight, 1)


def _aggregate(parts: list[dict[str, float | None]]) -> dict[str, float | None]:
    """A wijk or gemeente from its buurten: counts added, shares weighted by their base."""
    total: dict[str, float | None] = {
        key: sum(float(p[key] or 0) for p in parts) for key in _DEMO_COUNTS
    }
    total["average_income_per_resident"] = _weighted(
        parts, "average_income_per_resident", "residents"
    )
    total["share_low_income_households"] = _weighted(
        parts, "share_low_income_households", "households"
    )
    land = sum(float(p["residents"] or 0) / float(p["population_density"] or 1) for p in parts)
    total["population_density"] = round(float(total["residents"] or 0) / land) if land else None
    for key in _DEMO_HEALTH:
        total[key] = _weighted(parts, key, "residents")
    return total


def _demo_figures(
    code: str, level: str, year: int, values: dict[str, float | None]
) -> list[Figure]:
    figures: list[Figure] = []
    respondents = max(float(values["residents"] or 0) * 0.1, 25.0)
    for indicator in _DEMO_HEALTH:
        value = values[indicator]
        low = high = None
        if value is not None:
            base = respondents * (0.3 if indicator.endswith("_65_plus") else 1.0)
            half = _half_width(value, base)
            low, high = round(max(value - half, 0.0), 1), round(min(value + half, 100.0), 1)
        figures.append(
            Figure(
                SOURCE_RIVM,
                indicator,
                code,
                level,
                year,
                DEMO_HEALTH_PERIOD,
                value,
                low,
                high,
                "percent",
            )
        )
    units = {
        "average_income_per_resident": "euro",
        "share_low_income_households": "percent",
        "population_density": "per_km2",
    }
    for indicator in (*_DEMO_COUNTS, *units):
        value = values[indicator]
        figures.append(
            Figure(
                SOURCE_KWB,
                indicator,
                code,
                level,
                year,
                DEMO_KWB_PERIOD,
                None if value is None else float(value),
                unit=units.get(indicator, "count"),
            )
        )
    for indicator, (part, whole) in _DEMO_SHARES.items():
        numerator, denominator = values[part], values[whole]
        share = (
            round(100 * numerator / denominator, 2)
            if numerator is not None and denominator
            else None
        )
        figures.append(
            Figure(SOURCE_KWB, indicator, code, level, year, DEMO_KWB_PERIOD, share, unit="percent")
        )
    return figures


def demo_area_figures() -> list[str]:
    """Generated, clearly marked figures for every wijk and buurt of the demo gemeente.

    Fixed seed, so every run gives the same numbers; running it again changes nothing, and a
    figure imported from a real source is never overwritten.
    """
    municipality = (
        Municipality.objects.filter(code=DEMO_MUNICIPALITY).order_by("-year").first()
        or Municipality.objects.order_by("-year", "code").first()
    )
    if municipality is None:
        return ["Area figures: no areas loaded; load the areas first (omzien import-areas)."]
    year = municipality.year
    districts = list(District.objects.filter(municipality=municipality).order_by("code"))
    neighbourhoods = list(
        Neighbourhood.objects.filter(district__in=districts).select_related("district")
    )
    neighbourhoods.sort(key=lambda n: n.code)
    if not neighbourhoods:
        return [f"Area figures: {municipality.name} has no buurten loaded."]
    rng = np.random.default_rng(DEMO_SEED)
    per_neighbourhood: dict[str, dict[str, float | None]] = {}
    for neighbourhood in neighbourhoods:
        industrial = "industrie" in neighbourhood.district.name.lower()
        per_neighbourhood[neighbourhood.code] = _demo_neighbourhood(rng, industrial)
    figures: list[Figure] = []
    for code, values in per_neighbourhood.items():
        figures += _demo_figures(code, AreaLevel.NEIGHBOURHOOD, year, values)
    for district in districts:
        parts = [v for c, v in per_neighbourhood.items() if c[2:8] == district.code[2:8]]
        if parts:
            figures += _demo_figures(district.code, AreaLevel.DISTRICT, year, _aggregate(parts))
    figures += _demo_figures(
        municipality.code,
        AreaLevel.MUNICIPALITY,
        year,
        _aggregate(list(per_neighbourhood.values())),
    )
    result = save_figures(figures, generated=True, keep_real=True)
    return [
        f"Area figures (generated demo data, marked as such): {len(figures)} figures for "
        f"{len(districts)} wijken and {len(neighbourhoods)} buurten of {municipality.name} "
        f"({result.created} new, {result.updated} updated, {result.kept} real figures kept)."
    ]
