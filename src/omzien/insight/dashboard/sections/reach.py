"""(f) Reach: distinct cases and new participants per district."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from omzien.cases.models import Case
from omzien.insight import charts
from omzien.insight.dashboard.areas import AreaMap, person_filter
from omzien.insight.dashboard.disclosure import Row, Section, Table, count_cell, series
from omzien.insight.dashboard.period import Filters
from omzien.measurement.models import Participant


@dataclass
class Reach:
    cases: dict[str, int]  # district code ("" = unknown) -> distinct cases
    participants: dict[str, int]


def _by_district(rows: Iterable[tuple[int | None, int]], areas: AreaMap) -> dict[str, int]:
    result: dict[str, int] = defaultdict(int)
    for neighbourhood_id, n in rows:
        code = areas.district_of.get(neighbourhood_id, "") if neighbourhood_id else ""
        result[code if code in areas.districts else ""] += n
    return dict(result)


def reach(filters: Filters, areas: AreaMap) -> Reach:
    period = filters.period
    cases = (
        Case.objects.filter(
            person_filter(filters), received_at__gte=period.start, received_at__lt=period.end
        )
        .order_by()
        .values_list("neighbourhood_id")
        .annotate(n=Count("id"))
    )
    participants = (
        Participant.objects.filter(
            person_filter(filters), created_at__gte=period.start, created_at__lt=period.end
        )
        .order_by()
        .values_list("neighbourhood_id")
        .annotate(n=Count("id"))
    )
    return Reach(_by_district(cases, areas), _by_district(participants, areas))


def reach_section(filters: Filters, areas: AreaMap) -> Section:
    figures = reach(filters, areas)
    districts = list(areas.districts.items())
    if filters.district is not None:
        districts = [(c, n) for c, n in districts if c == filters.district.code]
    rows = [
        Row(
            name,
            [count_cell(figures.cases.get(code, 0)), count_cell(figures.participants.get(code, 0))],
        )
        for code, name in districts
    ]
    if filters.district is None:
        rows.append(
            Row(
                _("Wijk onbekend"),
                [count_cell(figures.cases.get("", 0)), count_cell(figures.participants.get("", 0))],
            )
        )
    rows.append(
        Row(
            _("Totaal"),
            [
                count_cell(sum(figures.cases.values())),
                count_cell(sum(figures.participants.values())),
            ],
            True,
        )
    )
    table = Table(
        "bereik",
        _("Bereik per wijk"),
        _("Aantal verschillende casussen (meldpunt) en nieuwe deelnemers aan aanbod, per wijk."),
        _("Wijk"),
        [_("Casussen"), _("Deelnemers")],
        rows,
        notes=[
            _(
                "Casussen: ontvangen in de periode. Deelnemers: in de periode ingeschreven bij "
                "een aanbod. Iemand kan zowel casus als deelnemer zijn."
            ),
            _(
                "De wijk volgt uit de buurt van de persoon; zonder bekende buurt staat iemand "
                "onder 'Wijk onbekend'."
            ),
        ],
    )

    def build(for_pdf: bool) -> list[SafeString]:
        return [
            charts.bar_chart(
                "bereik",
                table.title,
                _(
                    "Liggende staven per wijk: casussen en deelnemers naast elkaar. De aantallen "
                    "staan in de tabel onder de grafiek."
                ),
                table.labels(),
                [series(_("Casussen"), table.column(0)), series(_("Deelnemers"), table.column(1))],
                empty_message=_("Niemand bereikt in deze periode."),
                for_pdf=for_pdf,
            )
        ]

    return Section(
        "bereik",
        _("Bereik"),
        _("Hoeveel verschillende mensen het meldpunt en het aanbod bereikten, per wijk."),
        _("Filters: periode, wijk en leeftijd van de persoon."),
        [table],
        build,
    )
