"""(c) Referrals: their status now, their outcome and how quickly providers answered."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from omzien.cases.models import Referral, ReferralOutcome, ReferralStatus
from omzien.insight import charts
from omzien.insight.dashboard.areas import case_filter
from omzien.insight.dashboard.disclosure import (
    MEDIAN_MIN_N,
    Row,
    Section,
    Table,
    count_cell,
    number_cell,
    series,
    share_cell,
)
from omzien.insight.dashboard.period import Filters
from omzien.insight.dashboard.sql import DaysBetween, weighted_median

ACCEPTED_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.STARTED, ReferralStatus.COMPLETED)


@dataclass
class ReferralCounts:
    sent: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)
    answered: int = 0
    accepted: int = 0
    answer_days: dict[float, int] = field(default_factory=dict)


def referral_counts(filters: Filters) -> ReferralCounts:
    period = filters.period
    rows = (
        Referral.objects.filter(
            case_filter(filters), sent_at__gte=period.start, sent_at__lt=period.end
        )
        .order_by()
        .annotate(days=DaysBetween("answered_at", "sent_at"))
        .values("status", "outcome", "days")
        .annotate(n=Count("id"))
    )
    result = ReferralCounts()
    for row in rows:
        n = row["n"]
        result.sent += n
        result.by_status[row["status"]] = result.by_status.get(row["status"], 0) + n
        if row["outcome"]:
            result.by_outcome[row["outcome"]] = result.by_outcome.get(row["outcome"], 0) + n
        if row["days"] is not None:
            result.answered += n
            days = max(0.0, float(row["days"]))
            result.answer_days[days] = result.answer_days.get(days, 0) + n
            if row["status"] in ACCEPTED_STATUSES:
                result.accepted += n
    return result


def referrals_section(filters: Filters) -> Section:
    counts = referral_counts(filters)
    status_rows = [
        Row(str(status.label), [count_cell(counts.by_status.get(status.value, 0))])
        for status in ReferralStatus
    ]
    status_rows.append(Row(_("Alle verwijzingen"), [count_cell(counts.sent)], True))
    by_status = Table(
        "verwijzingen-status",
        _("Verwijzingen naar status"),
        _("Aantal verwijzingen die in de periode zijn verstuurd, naar hun status nu."),
        _("Status"),
        [_("Verwijzingen")],
        status_rows,
    )
    outcome_rows = [
        Row(str(outcome.label), [count_cell(counts.by_outcome.get(outcome.value, 0))])
        for outcome in ReferralOutcome
    ]
    outcome_rows.append(
        Row(_("Met een resultaat"), [count_cell(sum(counts.by_outcome.values()))], True)
    )
    by_outcome = Table(
        "verwijzingen-resultaat",
        _("Resultaat van afgeronde verwijzingen"),
        _("Wat de verwijzing opleverde, zoals de aanbieder of het meldpunt het vastlegde."),
        _("Resultaat"),
        [_("Verwijzingen")],
        outcome_rows,
    )
    median = weighted_median(counts.answer_days.items())
    summary = Table(
        "verwijzingen-samenvatting",
        _("Antwoord van aanbieders"),
        _(
            "Hoeveel verwijzingen een antwoord kregen, welk deel werd geaccepteerd en hoe "
            "lang het antwoord duurde."
        ),
        _("Wat"),
        [_("Waarde")],
        [
            Row(_("Verwijzingen verstuurd"), [count_cell(counts.sent)]),
            Row(_("Beantwoord (geaccepteerd of afgewezen)"), [count_cell(counts.answered)]),
            Row(_("Geaccepteerd"), [share_cell(counts.accepted, counts.answered)]),
            Row(
                _("Mediaan dagen tot antwoord"),
                [number_cell(median if counts.answered >= MEDIAN_MIN_N else None)],
            ),
        ],
        notes=[
            _(
                "Geaccepteerd: de aanbieder accepteerde, ook als de hulp daarna startte of "
                "afgerond is. Dagen tot antwoord: kalenderdagen, afgerond op een tiende."
            ),
        ],
    )

    def build(for_pdf: bool) -> list[SafeString]:
        return [
            charts.bar_chart(
                "verwijzingen-status",
                by_status.title,
                _(
                    "Liggende staven: het aantal verwijzingen per status. De aantallen staan in "
                    "de tabel onder de grafiek."
                ),
                by_status.labels(),
                [series(_("Verwijzingen"), by_status.column(0))],
                empty_message=_("Geen verwijzingen in deze periode."),
                for_pdf=for_pdf,
            ),
            charts.bar_chart(
                "verwijzingen-resultaat",
                by_outcome.title,
                _(
                    "Liggende staven: het aantal verwijzingen per resultaat. De aantallen staan "
                    "in de tabel onder de grafiek."
                ),
                by_outcome.labels(),
                [series(_("Verwijzingen"), by_outcome.column(0))],
                empty_message=_("Nog geen resultaten in deze periode."),
                for_pdf=for_pdf,
            ),
        ]

    return Section(
        "verwijzingen",
        _("Verwijzingen"),
        _("Naar welk aanbod het meldpunt mensen verwees, en wat ervan terechtkwam."),
        _("Filters: periode (datum van versturen), wijk en leeftijd van de persoon."),
        [summary, by_status, by_outcome],
        build,
    )
