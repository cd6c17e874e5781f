"""(b) Time from receiving a case to the first attempt at contact, against the norm."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from omzien.cases.models import Case
from omzien.insight import charts
from omzien.insight.dashboard.areas import person_filter
from omzien.insight.dashboard.disclosure import (
    MEDIAN_MIN_N,
    Cell,
    Row,
    Section,
    Table,
    count_cell,
    number_cell,
    series,
    share_cell,
)
from omzien.insight.dashboard.period import Filters, month_label
from omzien.insight.dashboard.sql import (
    LocalDay,
    epoch_date,
    weighted_median,
    working_days_between,
)


@dataclass
class FirstContactMonth:
    received: int = 0
    attempted: int = 0
    within: int = 0
    late: int = 0
    days: dict[int, int] = field(default_factory=dict)  # working days -> cases


def first_contact(filters: Filters, today: dt.date | None = None) -> list[FirstContactMonth]:
    """Per month of receipt: cases, first attempts, working days to it, within the norm."""
    period = filters.period
    today = today or timezone.localdate()
    lo = period.start - dt.timedelta(days=1)
    hi = max(period.end, timezone.now()) + dt.timedelta(days=1)
    rows = (
        Case.objects.filter(
            person_filter(filters), received_at__gte=period.start, received_at__lt=period.end
        )
        .order_by()
        .annotate(
            received_day=LocalDay("received_at", lo=lo, hi=hi),
            attempt_day=LocalDay("first_attempt_at", lo=lo, hi=hi),
        )
        .values("received_day", "attempt_day", "first_contact_due")
        .annotate(n=Count("id"))
    )
    result = [FirstContactMonth() for _month in period.months]
    grouped = list(rows)
    pairs = [
        (row["received_day"], row["attempt_day"])
        for row in grouped
        if row["attempt_day"] is not None
    ]
    days = iter(working_days_between(pairs))
    for row in grouped:
        received = epoch_date(row["received_day"])
        index = period.month_index(received)
        if not 0 <= index < len(result):
            continue  # cannot happen: the query keeps to the period
        month = result[index]
        n = row["n"]
        month.received += n
        due: dt.date | None = row["first_contact_due"]
        if row["attempt_day"] is None:
            if due is not None and due < today:
                month.late += n
            continue
        month.attempted += n
        working = next(days)
        month.days[working] = month.days.get(working, 0) + n
        if due is not None:
            if epoch_date(row["attempt_day"]) <= due:
                month.within += n
            else:
                month.late += n
    return result


def first_contact_section(filters: Filters) -> Section:
    months = filters.period.months
    figures = first_contact(filters)
    norm = settings.OMZIEN_NORM_FIRST_CONTACT_WORKING_DAYS
    columns = [
        _("Casussen ontvangen"),
        _("Met een eerste contactpoging"),
        _("Mediaan werkdagen tot eerste poging"),
        _("Binnen de norm"),
    ]

    def cells(figure: FirstContactMonth) -> list[Cell]:
        median = weighted_median(figure.days.items())
        return [
            count_cell(figure.received),
            count_cell(figure.attempted),
            number_cell(median if figure.attempted >= MEDIAN_MIN_N else None),
            share_cell(figure.within, figure.within + figure.late),
        ]

    rows = [Row(month_label(m), cells(f)) for m, f in zip(months, figures, strict=True)]
    whole = FirstContactMonth()
    for figure in figures:
        whole.received += figure.received
        whole.attempted += figure.attempted
        whole.within += figure.within
        whole.late += figure.late
        for days, n in figure.days.items():
            whole.days[days] = whole.days.get(days, 0) + n
    rows.append(Row(_("Hele periode"), cells(whole), True))
    table = Table(
        "eerste-contact",
        _("Tijd tot het eerste contact"),
        _(
            "Per maand van ontvangst: casussen, hoeveel werkdagen het duurde tot de eerste "
            "contactpoging (mediaan), en welk deel binnen de norm van %(days)d werkdagen bleef."
        )
        % {"days": norm},
        _("Maand"),
        columns,
        rows,
        notes=[
            _(
                "Binnen de norm: de eerste contactpoging was op of voor de uiterste datum. "
                "Casussen zonder poging waarvan die datum al voorbij is, tellen als te laat; "
                "casussen die nog binnen de termijn zitten tellen nog niet mee."
            ),
            _(
                "Werkdagen: maandag tot en met vrijdag, zonder de ingestelde feestdagen. Een "
                "poging op de dag van ontvangst is 0 werkdagen."
            ),
        ],
    )

    def build(for_pdf: bool) -> list[SafeString]:
        return [
            charts.line_chart(
                "binnen-de-norm",
                _("Deel van de casussen met een eerste contactpoging binnen de norm"),
                _(
                    "Lijn per maand met het percentage binnen de norm, van 0 tot 100 procent. "
                    "Maanden met te weinig casussen hebben geen punt. De cijfers staan in de "
                    "tabel onder de grafiek."
                ),
                [month_label(m, two_lines=True) for m in months],
                [series(_("Binnen de norm"), table.column(3))],
                y_max=100,
                fmt=lambda v: f"{v:.0f}%",
                empty_message=_("Te weinig casussen om een percentage te tonen."),
                for_pdf=for_pdf,
            ),
            charts.line_chart(
                "werkdagen-eerste-contact",
                _("Mediaan aantal werkdagen tot de eerste contactpoging"),
                _(
                    "Lijn per maand met de mediaan in werkdagen. Maanden met te weinig casussen "
                    "hebben geen punt. De cijfers staan in de tabel onder de grafiek."
                ),
                [month_label(m, two_lines=True) for m in months],
                [series(_("Mediaan werkdagen"), table.column(2))],
                empty_message=_("Te weinig casussen om een mediaan te tonen."),
                for_pdf=for_pdf,
            ),
        ]

    return Section(
        "eerste-contact",
        _("Tijd tot eerste contact"),
        _("Hoe snel het meldpunt na een melding contact zocht met de persoon."),
        _("Filters: periode (maand van ontvangst), wijk en leeftijd van de persoon."),
        [table],
        build,
    )
