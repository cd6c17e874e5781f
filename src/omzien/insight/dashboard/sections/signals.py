"""(a) Signals per month, source and kind of reporter."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omzien.cases.models import Signal, SignalSource
from omzien.insight import charts
from omzien.insight.dashboard.areas import case_filter
from omzien.insight.dashboard.disclosure import Row, Section, Table, count_cell, series
from omzien.insight.dashboard.period import Filters, month_label
from omzien.insight.dashboard.sql import month_bucket

SOURCES = list(SignalSource)
# Short labels for tables and charts (the form's own labels are whole sentences).
REPORTER_KIND_LABELS: dict[str, Any] = {
    "resident": gettext_lazy("Buurtbewoner of kennis"),
    "self": gettext_lazy("De persoon zelf"),
    "family": gettext_lazy("Familie"),
    "professional": gettext_lazy("Iemand in zijn of haar werk"),
    "business": gettext_lazy("Winkel of bedrijf"),
    "organisation": gettext_lazy("Namens een organisatie"),
    "partner": gettext_lazy("Partner in het signaleringsnetwerk"),
    "case_worker": gettext_lazy("Ingevoerd door het meldpunt"),
}


def _reporter_kind_label(code: str) -> str:
    label = REPORTER_KIND_LABELS.get(code)
    return str(label) if label else (code or _("Onbekend"))


@dataclass
class SignalCounts:
    by_month: dict[tuple[int, str], int]  # (month index, source) -> signals
    by_kind: dict[tuple[str, str], int]  # (reporter kind, source) -> signals


def signal_counts(filters: Filters) -> SignalCounts:
    """Signals per month, source and reporter kind, in one GROUP BY."""
    period = filters.period
    rows = (
        Signal.objects.filter(
            case_filter(filters), received_at__gte=period.start, received_at__lt=period.end
        )
        .order_by()
        .annotate(month=month_bucket("received_at", period))
        .values("month", "source", "reporter_kind")
        .annotate(n=Count("id"))
    )
    by_month: dict[tuple[int, str], int] = defaultdict(int)
    by_kind: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        by_month[(row["month"], row["source"])] += row["n"]
        by_kind[(row["reporter_kind"], row["source"])] += row["n"]
    return SignalCounts(dict(by_month), dict(by_kind))


def signals_section(filters: Filters) -> Section:
    counts = signal_counts(filters)
    months = filters.period.months
    columns = [str(source.label) for source in SOURCES] + [_("Totaal")]
    rows = []
    for index, month in enumerate(months):
        values = [counts.by_month.get((index, source.value), 0) for source in SOURCES]
        rows.append(Row(month_label(month), [count_cell(v) for v in [*values, sum(values)]]))
    totals = [
        sum(n for (_m, source), n in counts.by_month.items() if source == s.value) for s in SOURCES
    ]
    rows.append(Row(_("Hele periode"), [count_cell(v) for v in [*totals, sum(totals)]], True))
    per_month = Table(
        "meldingen-per-maand",
        _("Meldingen per maand, naar bron"),
        _(
            "Aantal meldingen per maand, per bron: meldformulier, signaleringsnetwerk en "
            "telefoon of balie."
        ),
        _("Maand"),
        columns,
        rows,
    )
    kinds = sorted({kind for kind, _source in counts.by_kind}, key=_reporter_kind_label)
    kind_rows = []
    for kind in kinds:
        values = [counts.by_kind.get((kind, source.value), 0) for source in SOURCES]
        kind_rows.append(
            Row(_reporter_kind_label(kind), [count_cell(v) for v in [*values, sum(values)]])
        )
    kind_rows.append(Row(_("Alle melders"), [count_cell(v) for v in [*totals, sum(totals)]], True))
    by_kind = Table(
        "meldingen-per-melder",
        _("Meldingen naar soort melder"),
        _("Aantal meldingen in de periode, per soort melder en per bron."),
        _("Soort melder"),
        columns,
        kind_rows,
    )

    def build(for_pdf: bool) -> list[SafeString]:
        return [
            charts.column_chart(
                "meldingen-per-maand",
                per_month.title,
                _(
                    "Gestapelde staven per maand, één deel per bron, met het totaal erboven. "
                    "Een licht omlijnd deel is het totaal van bronnen met minder dan 5 "
                    "meldingen, die niet apart getoond worden. De aantallen staan in de tabel "
                    "onder de grafiek."
                ),
                [month_label(m, two_lines=True) for m in months],
                [series(name, per_month.column(i)) for i, name in enumerate(columns[:-1])],
                totals=series(_("Totaal"), per_month.column(len(columns) - 1)),
                empty_message=_("Geen meldingen in deze periode."),
                for_pdf=for_pdf,
            ),
            charts.bar_chart(
                "meldingen-per-melder",
                by_kind.title,
                _(
                    "Liggende staven: het aantal meldingen per soort melder. De aantallen staan "
                    "in de tabel onder de grafiek."
                ),
                by_kind.labels(),
                [series(_("Meldingen"), by_kind.column(len(columns) - 1))],
                empty_message=_("Geen meldingen in deze periode."),
                for_pdf=for_pdf,
            ),
        ]

    return Section(
        "meldingen",
        _("Meldingen"),
        _("Hoeveel meldingen over eenzaamheid kwamen binnen, via welke weg en van wie."),
        _("Filters: periode, wijk en leeftijd van de persoon."),
        [per_month, by_kind],
        build,
    )
