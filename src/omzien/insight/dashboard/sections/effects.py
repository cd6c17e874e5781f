"""(g) Intervention effects: how many services and participants have a before and an after
measurement, and for the council report what works per intervention."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from omzien.core.months import add_months
from omzien.insight.dashboard.areas import person_filter
from omzien.insight.dashboard.disclosure import (
    NOT_SHOWN_TEXT,
    Cell,
    Row,
    Section,
    Table,
    count_cell,
    exact_cell,
    number_cell,
    share_cell,
)
from omzien.insight.dashboard.period import Filters
from omzien.measurement import effects
from omzien.measurement.models import Measurement, Moment, Participant, Scale
from omzien.measurement.statistics import BEFORE_AFTER_WARNING, DEFAULT_MIN_N


@dataclass
class PairCounts:
    # scale -> service id -> participants with a complete before and after measurement
    by_scale: dict[str, dict[Any, int]]


# As on the "what works" page: fewer pairs than this give no figures there.
MIN_PAIRS = DEFAULT_MIN_N
# The council report lists at most this many interventions with their effect.
WHAT_WORKS_ROWS = 15
# Scales with a total score; the direct question has only a category and cannot be paired.
PAIR_SCALES = (Scale.DJG11, Scale.DJG6, Scale.UCLA3)


def pair_counts(filters: Filters) -> PairCounts:
    """Participants with a complete start score in the period and a later end score on the same
    scale at the same service: the pairs the "what works" page compares (its cohort rule)."""
    period = filters.period
    end = Measurement.objects.filter(
        participant_id=OuterRef("participant_id"),
        scale=OuterRef("scale"),
        service_id=OuterRef("service_id"),
        moment=Moment.END,
        complete=True,
        total__isnull=False,
        taken_on__gte=OuterRef("taken_on"),
        # Implied by the line above; lets the database skip end scores before the period.
        taken_on__gt=period.first - dt.timedelta(days=1),
    )
    people = Q()
    if filters.district is not None or filters.age_group is not None:
        people = Q(
            participant_id__in=Participant.objects.filter(person_filter(filters))
            .order_by()
            .values("id")
        )
    rows = (
        Measurement.objects.filter(
            people,
            Exists(end),
            moment=Moment.START,
            complete=True,
            total__isnull=False,
            service_id__isnull=False,
            scale__in=PAIR_SCALES,
            taken_on__gte=period.first,
            taken_on__lt=add_months(period.last, 1),
        )
        .order_by()
        .values("scale", "service_id")
        .annotate(n=Count("participant_id", distinct=True))
    )
    result: dict[str, dict[Any, int]] = defaultdict(dict)
    for row in rows:
        result[row["scale"]][row["service_id"]] = row["n"]
    return PairCounts(dict(result))


def what_works_table(filters: Filters) -> Table | None:
    """The "what works" figures per intervention (De Jong Gierveld 11, start and end), from the
    effects module that makes the /dashboard/effecten/ page; None when it is not installed.

    It reads every score of the scale, which takes too long for the dashboard page at scale
    (docs/performance.md); the council report, which cannot link to that page, includes it.
    """
    found = effects.intervention_effects(
        Scale.DJG11, (Moment.START, Moment.END), filters.period.whole_months()
    )
    enough = sorted(
        (e for e in found if e.enough_data), key=lambda e: (-e.summary.n, e.service_name)
    )
    rows = []
    for effect in enough[:WHAT_WORKS_ROWS]:
        summary = effect.summary
        counts = summary.counts
        rows.append(
            Row(
                effect.service_name,
                [
                    count_cell(summary.n),
                    number_cell(summary.change.mean if summary.change else None),
                    share_cell(counts.improved, summary.n) if counts else Cell(NOT_SHOWN_TEXT),
                ],
            )
        )
    notes = [
        _(
            "Gemiddelde verandering: score aan het eind min score bij de start, op de schaal van "
            "0 tot 11. Een negatief getal betekent minder eenzaam."
        ),
        _(
            "Alleen de periode telt hier (deelnemers die in de periode begonnen); wijk en "
            "leeftijd niet."
        ),
    ]
    if len(enough) > WHAT_WORKS_ROWS:
        notes.append(
            _("Nog %(n)d ander aanbod heeft genoeg deelnemers; zie de pagina 'Wat werkt'.")
            % {"n": len(enough) - WHAT_WORKS_ROWS}
        )
    too_few = len(found) - len(enough)
    if too_few:
        notes.append(
            _(
                "%(n)d aanbod heeft minder dan %(min)d deelnemers met een voor- en nameting; "
                "daarvan staan hier geen cijfers."
            )
            % {"n": too_few, "min": MIN_PAIRS}
        )
    notes.append(str(BEFORE_AFTER_WARNING))
    return Table(
        "wat-werkt",
        _("Wat werkt per aanbod: De Jong Gierveld, 11 vragen"),
        _(
            "Aanbod met genoeg deelnemers met een meting bij de start en aan het eind: hoeveel "
            "deelnemers, de gemiddelde verandering en welk deel minder eenzaam werd."
        ),
        _("Aanbod"),
        [_("Deelnemers"), _("Gemiddelde verandering"), _("Minder eenzaam geworden")],
        rows,
        notes=notes,
    )


def effects_section(filters: Filters, effects_url: str, *, detailed: bool = False) -> Section:
    counts = pair_counts(filters)
    rows = []
    services_total: set[Any] = set()
    for scale in PAIR_SCALES:
        per_service = counts.by_scale.get(scale.value, {})
        known = {service for service in per_service if service is not None}
        services_total |= known
        enough = sum(1 for s, n in per_service.items() if s is not None and n >= MIN_PAIRS)
        rows.append(
            Row(
                str(scale.label),
                [
                    exact_cell(len(known)),
                    exact_cell(enough),
                    count_cell(sum(per_service.values())),
                ],
            )
        )
    rows.append(
        Row(
            _("Alle vragenlijsten"),
            [
                exact_cell(len(services_total)),
                Cell(NOT_SHOWN_TEXT),
                count_cell(sum(sum(s.values()) for s in counts.by_scale.values())),
            ],
            True,
        )
    )
    table = Table(
        "effecten",
        _("Voor- en nametingen"),
        _(
            "Per vragenlijst: hoeveel aanbod deelnemers heeft met een meting bij de start én aan "
            "het eind, en hoeveel deelnemers dat zijn. De meting bij de start valt in de periode."
        ),
        _("Vragenlijst"),
        [
            _("Aanbod met voor- en nameting"),
            _("Aanbod met genoeg deelnemers voor een uitspraak (%(n)d of meer)") % {"n": MIN_PAIRS},
            _("Deelnemers met voor- en nameting"),
        ],
        rows,
        notes=[
            str(BEFORE_AFTER_WARNING),
            _(
                "Wat elk aanbod oplevert, met de toetsen en de onzekerheid, staat op de pagina "
                "'Wat werkt'."
            ),
        ],
    )
    tables = [table]
    if detailed:
        what_works = what_works_table(filters)
        if what_works is not None:
            tables.append(what_works)
    return Section(
        "effecten",
        _("Wat werkt"),
        _("Hoeveel aanbod al voor- en nametingen heeft, zodat te zien is of het helpt."),
        _("Filters: periode (datum van de meting bij de start), wijk en leeftijd."),
        tables,
        link=(_("Wat werkt per aanbod"), effects_url),
    )
