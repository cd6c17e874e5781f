"""(e) The offering on the sociale kaart, per kind of support and target group."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from omzien.areas.models import Neighbourhood
from omzien.directory.models import (
    Attribute,
    ServiceArea,
    ServiceScope,
    TaxonomyTerm,
    visible_q,
)
from omzien.insight import charts
from omzien.insight.dashboard.disclosure import Row, Section, Table, exact_cell, series
from omzien.insight.dashboard.period import Filters


@dataclass
class OfferingCounts:
    support_kinds: list[tuple[str, str]]  # (code, name)
    target_groups: list[tuple[str, str]]
    cells: dict[tuple[str, str], int]  # (support kind, target group) -> services
    per_kind: dict[str, int]  # support kind -> services (any target group)
    per_group: dict[str, int]  # target group -> services (any support kind)
    total: int  # services with a support kind


def _terms(key: str) -> list[tuple[str, str]]:
    return [
        (code, _(name))
        for code, name in TaxonomyTerm.objects.filter(taxonomy__key=key)
        .exclude(code="")
        .order_by("name")
        .values_list("code", "name")
    ]


def offering_counts(filters: Filters) -> OfferingCounts:
    """Visible services per kind of support and target group, from the services' attributes."""
    visible = visible_q("service__")
    if filters.district is not None:
        codes = [
            filters.district.code,
            *Neighbourhood.objects.filter(district__code=filters.district.code).values_list(
                "code", flat=True
            ),
        ]
        # Like the sociale kaart: services for the whole municipality or country count in every
        # district; others where one of their service areas lies in the district.
        in_area = ServiceArea.objects.filter(service_id=OuterRef("service_id"), area_code__in=codes)
        visible &= Q(service__scope__in=[ServiceScope.NATIONAL, ServiceScope.MUNICIPALITY]) | Q(
            Exists(in_area)
        )
    kinds = Attribute.objects.filter(
        visible, taxonomy_term__taxonomy__key="support_kind"
    ).order_by()
    groups = _terms("target_group")
    if filters.target_group:
        groups = [(code, name) for code, name in groups if code == filters.target_group]
    group_codes = [code for code, _name in groups]
    cells = {
        (row["kind"], row["group"]): row["n"]
        for row in kinds.filter(
            service__attributes__taxonomy_term__taxonomy__key="target_group",
            service__attributes__taxonomy_term__code__in=group_codes,
        )
        .annotate(
            kind=F("taxonomy_term__code"), group=F("service__attributes__taxonomy_term__code")
        )
        .values("kind", "group")
        .annotate(n=Count("service_id", distinct=True))
    }
    if filters.target_group:
        kinds = kinds.filter(
            service__attributes__taxonomy_term__taxonomy__key="target_group",
            service__attributes__taxonomy_term__code=filters.target_group,
        )
    per_kind = {
        row["taxonomy_term__code"]: row["n"]
        for row in kinds.values("taxonomy_term__code").annotate(
            n=Count("service_id", distinct=True)
        )
    }
    per_group = {
        row["group"]: row["n"]
        for row in kinds.filter(
            service__attributes__taxonomy_term__taxonomy__key="target_group",
            service__attributes__taxonomy_term__code__in=group_codes,
        )
        .annotate(group=F("service__attributes__taxonomy_term__code"))
        .values("group")
        .annotate(n=Count("service_id", distinct=True))
    }
    total = kinds.aggregate(n=Count("service_id", distinct=True))["n"] or 0
    return OfferingCounts(_terms("support_kind"), groups, cells, per_kind, per_group, total)


def offering_section(filters: Filters, offering_url: str) -> Section:
    counts = offering_counts(filters)
    columns = [name for _code, name in counts.target_groups] + [_("Totaal")]
    rows = []
    for kind, name in counts.support_kinds:
        values = [counts.cells.get((kind, group), 0) for group, _n in counts.target_groups]
        rows.append(
            Row(name, [exact_cell(v) for v in values] + [exact_cell(counts.per_kind.get(kind, 0))])
        )
    rows.append(
        Row(
            _("Alle soorten steun"),
            [exact_cell(counts.per_group.get(group, 0)) for group, _n in counts.target_groups]
            + [exact_cell(counts.total)],
            True,
        )
    )
    table = Table(
        "aanbod",
        _("Aanbod naar soort steun en doelgroep"),
        _(
            "Aantal diensten op de sociale kaart per soort steun (rij) en doelgroep (kolom). "
            "Een dienst kan bij meer soorten steun en doelgroepen horen."
        ),
        _("Soort steun"),
        columns,
        rows,
        notes=[
            _(
                "Het gaat om diensten, niet om mensen. Ze staan openbaar op de sociale kaart; "
                "kleine aantallen zijn daarom niet verborgen."
            ),
            _("Totaal: diensten met deze soort steun, ook zonder of met een andere doelgroep."),
        ],
    )

    def build(for_pdf: bool) -> list[SafeString]:
        return [
            charts.bar_chart(
                "aanbod",
                _("Aanbod per soort steun"),
                _(
                    "Liggende staven: het aantal diensten per soort steun. De aantallen per "
                    "doelgroep staan in de tabel onder de grafiek."
                ),
                table.labels(),
                [series(_("Diensten"), table.column(len(columns) - 1))],
                empty_message=_("Geen diensten met een soort steun."),
                for_pdf=for_pdf,
            )
        ]

    return Section(
        "aanbod",
        _("Aanbod"),
        _("Welk aanbod er op de sociale kaart staat, per soort steun en doelgroep."),
        _(
            "Filters: wijk (diensten in die wijk, of voor de hele gemeente) en doelgroep. Het "
            "aanbod van nu; de periode telt hier niet."
        ),
        [table],
        build,
        link=(_("Witte vlekken en overlap in het aanbod"), offering_url),
    )
