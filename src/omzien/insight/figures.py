"""Published figures of areas as insight keeps them: what one figure is, and the one function
that writes them (`save_figures`).

The readers of sources (the CBS adapter in `omzien.interop.cbs`, the demo figures in
`area_figures`) hand over `Figure`s; the pages read `AreaFigure` rows. The source names and the
KWB table per year are here because the figures cite them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from omzien.insight.models import AreaFigure

SOURCE_RIVM = "rivm_50120"
SOURCE_KWB = "cbs_kwb"
# Kerncijfers wijken en buurten: table id per year (MEASUREMENT.md §4.2). The classification of
# a KWB table is that of its own year.
KWB_TABLES: dict[int, str] = {
    2014: "82931NED",
    2016: "83487NED",
    2017: "83765NED",
    2018: "84286NED",
    2021: "85039NED",
    2022: "85318NED",
    2023: "85618NED",
    2024: "85984NED",
}


@dataclass(frozen=True)
class Figure:
    source: str
    indicator: str
    area_code: str
    area_level: str
    area_year: int
    period: int
    value: float | None
    margin_low: float | None = None
    margin_high: float | None = None
    unit: str = ""

    @property
    def key(self) -> tuple[str, str, str, int, int]:
        return (self.source, self.indicator, self.area_code, self.area_year, self.period)


@dataclass(frozen=True)
class SaveResult:
    created: int
    updated: int
    unchanged: int
    kept: int = 0  # real figures a demo run left alone


# --- writing -------------------------------------------------------------------------------------

_FIELDS = [
    "area_level",
    "value",
    "margin_low",
    "margin_high",
    "unit",
    "is_generated",
    "imported_at",
]


@transaction.atomic
def save_figures(
    figures: Sequence[Figure], *, generated: bool = False, keep_real: bool = False
) -> SaveResult:
    """Create or update figures on (source, indicator, area, classification year, period).

    All or nothing. Running it again with the same figures changes nothing. With `keep_real`
    (the demo), a figure that was imported from a real source is left alone.
    """
    unique = {figure.key: figure for figure in figures}
    if not unique:
        return SaveResult(0, 0, 0)
    existing = {
        (o.source, o.indicator, o.area_code, o.area_year, o.period): o
        for o in AreaFigure.objects.filter(
            source__in={k[0] for k in unique},
            indicator__in={k[1] for k in unique},
            area_year__in={k[3] for k in unique},
            period__in={k[4] for k in unique},
        )
    }
    now = timezone.now()
    new: list[AreaFigure] = []
    changed: list[AreaFigure] = []
    unchanged = kept = 0
    for key, figure in unique.items():
        current = existing.get(key)
        if current is None:
            new.append(
                AreaFigure(
                    source=figure.source,
                    indicator=figure.indicator,
                    area_code=figure.area_code,
                    area_level=figure.area_level,
                    area_year=figure.area_year,
                    period=figure.period,
                    value=figure.value,
                    margin_low=figure.margin_low,
                    margin_high=figure.margin_high,
                    unit=figure.unit,
                    is_generated=generated,
                    imported_at=now,
                )
            )
            continue
        if keep_real and not current.is_generated:
            kept += 1
            continue
        wanted = (
            figure.area_level,
            figure.value,
            figure.margin_low,
            figure.margin_high,
            figure.unit,
            generated,
        )
        have = (
            current.area_level,
            current.value,
            current.margin_low,
            current.margin_high,
            current.unit,
            current.is_generated,
        )
        if wanted == have:
            unchanged += 1
            continue
        (
            current.area_level,
            current.value,
            current.margin_low,
            current.margin_high,
            current.unit,
            current.is_generated,
        ) = wanted
        current.imported_at = now
        changed.append(current)
    AreaFigure.objects.bulk_create(new, batch_size=1000)
    AreaFigure.objects.bulk_update(changed, _FIELDS, batch_size=1000)
    return SaveResult(len(new), len(changed), unchanged, kept)
