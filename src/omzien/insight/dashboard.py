"""The figures of the dashboard and the council report: aggregates only, small numbers hidden.

Every section is built in two steps. First a query counts in the database (GROUP BY on a month
bucket, a status or a neighbourhood; never a row per person) and returns plain numbers. Then
those numbers are *protected* and put into `Table`s of `Cell`s, which hold only the text and
value that may be shown. Templates, CSV files, charts and the PDF see only the tables, so a raw
small number cannot reach them by accident. The dashboard, the CSV downloads and the council
report all call `build_sections`, so they always show the same figures.

Protection (docs/measurement.md, "Dashboard and council report"):
- a count of people (signals, cases, referrals, participants) from 1 to 4 is shown as "<5";
- every other count of people, totals included, is rounded to a multiple of 5, so a total minus
  the other cells never gives the hidden number;
- a percentage needs at least 10 in the denominator, and the counts on both sides of it must be
  0 or at least 5; a median needs at least 5 values;
- counts of services (the offering) are not about people and are published on the sociale kaart,
  so they are shown exactly.

Nothing here returns a case id, a name, a free text or a link to a case.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import NotSupportedError
from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import numpy as np

from omzien.areas.models import District, Neighbourhood
from omzien.cases.models import (
    AgeGroup,
    Case,
    Referral,
    ReferralOutcome,
    ReferralStatus,
    Signal,
    SignalSource,
)
from omzien.core.months import add_months, month_start, months_between
from omzien.directory.models import (
    VISIBLE_STATUSES,
    Attribute,
    ServiceArea,
    ServiceScope,
    TaxonomyTerm,
)
from omzien.insight import charts
from omzien.insight.models import AreaFigure, AreaLevel
from omzien.measurement import effects
from omzien.measurement.models import Measurement, Moment, Participant, Scale
from omzien.measurement.statistics import BEFORE_AFTER_WARNING, DEFAULT_MIN_N

SUPPRESS_BELOW = 5
ROUND_TO = 5
SHARE_MIN_DENOMINATOR = 10
MEDIAN_MIN_N = 5
DEFAULT_MONTHS = 12
MAX_MONTHS = 36
SUPPRESSED_TEXT = "<5"
NOT_SHOWN_TEXT = "—"

ACCEPTED_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.STARTED, ReferralStatus.COMPLETED)
# The RIVM health monitor's loneliness indicators, as the area-figure importer stores them.
AREA_SOURCE = "rivm_50120"
AREA_INDICATORS = ("lonely", "severely_lonely")


# --- protected cells and tables ------------------------------------------------------------------


def _grouped(value: int) -> str:
    return str(number_format(value, force_grouping=True))


@dataclass(frozen=True)
class Cell:
    """One shown value: its text, and a number for charts (None when not shown)."""

    text: str
    value: float | None = None
    suppressed: bool = False
    # For a Dutch spreadsheet: no thousands separator, a decimal comma; empty: same as text.
    plain: str = ""

    @property
    def csv(self) -> str:
        return self.plain or self.text


def protect(count: int) -> int | None:
    """A count of people as it may be shown: None (hidden) for 1 to 4, else a multiple of 5."""
    if count <= 0:
        return 0
    if count < SUPPRESS_BELOW:
        return None
    return int(ROUND_TO * ((count + ROUND_TO // 2) // ROUND_TO))


def count_cell(count: int) -> Cell:
    """A count of people: "<5" for 1 to 4, otherwise rounded to a multiple of 5."""
    shown = protect(count)
    if shown is None:
        return Cell(SUPPRESSED_TEXT, None, suppressed=True)
    return Cell(_grouped(shown), float(shown), plain=str(shown))


def exact_cell(count: int) -> Cell:
    """A count of things that are public (services): shown exactly."""
    return Cell(_grouped(count), float(count), plain=str(count))


def share_cell(numerator: int, denominator: int) -> Cell:
    """A percentage, shown only when it cannot give away a small number."""
    rest = denominator - numerator
    if (
        denominator < SHARE_MIN_DENOMINATOR
        or 0 < numerator < SUPPRESS_BELOW
        or 0 < rest < SUPPRESS_BELOW
    ):
        return Cell(NOT_SHOWN_TEXT, None, suppressed=numerator > 0)
    percentage = round(100 * numerator / denominator)
    return Cell(f"{percentage}%", float(percentage))


def number_cell(value: float | None, decimals: int = 1) -> Cell:
    if value is None:
        return Cell(NOT_SHOWN_TEXT)
    rounded = round(value, decimals)
    return Cell(
        str(number_format(rounded, decimal_pos=decimals)),
        rounded,
        plain=f"{rounded:.{decimals}f}".replace(".", ","),
    )


def text_cell(text: str) -> Cell:
    return Cell(text)


@dataclass
class Row:
    label: str
    cells: list[Cell]
    is_total: bool = False


@dataclass
class Table:
    """A table as shown on the dashboard, in the CSV download and in the PDF."""

    key: str
    title: str
    caption: str
    row_header: str
    columns: list[str]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)

    def column(self, index: int, *, totals: bool = False) -> list[Cell]:
        return [row.cells[index] for row in self.rows if totals or not row.is_total]

    def labels(self) -> list[str]:
        return [row.label for row in self.rows if not row.is_total]

    def csv_rows(self) -> list[list[str]]:
        lines = [[self.row_header, *self.columns]]
        lines += [[row.label, *(cell.csv for cell in row.cells)] for row in self.rows]
        return lines


ChartBuilder = Callable[[bool], list[SafeString]]


@dataclass
class Section:
    key: str
    title: str
    intro: str
    applies: str  # which filters apply to this section, in words
    tables: list[Table] = field(default_factory=list)
    chart_builder: ChartBuilder | None = None
    link: tuple[str, str] | None = None  # (text, url)
    note: str = ""

    def charts(self, *, for_pdf: bool = False) -> list[SafeString]:
        return self.chart_builder(for_pdf) if self.chart_builder else []


def series(name: str, cells: Sequence[Cell]) -> charts.Series:
    """A chart series from protected cells: hidden values are drawn as nothing, labelled "<5"."""
    return charts.Series(name, [c.value for c in cells], [c.text for c in cells])


# --- the period and the filters ------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole months, from the first day of `first` up to and including the month `last`."""

    first: dt.date
    last: dt.date

    @classmethod
    def default(cls, today: dt.date | None = None) -> Period:
        today = today or timezone.localdate()
        last = month_start(today)
        return cls(add_months(last, -(DEFAULT_MONTHS - 1)), last)

    @property
    def months(self) -> list[dt.date]:
        return [add_months(self.first, i) for i in range(months_between(self.first, self.last))]

    def bounds(self) -> list[dt.datetime]:
        """The local midnights that start each month, and the one after the last month."""
        tz = timezone.get_current_timezone()
        starts = [*self.months, add_months(self.last, 1)]
        return [dt.datetime.combine(day, dt.time(), tzinfo=tz) for day in starts]

    @property
    def start(self) -> dt.datetime:
        return self.bounds()[0]

    @property
    def end(self) -> dt.datetime:
        return self.bounds()[-1]

    def month_index(self, day: dt.date) -> int:
        return (day.year - self.first.year) * 12 + day.month - self.first.month

    @property
    def label(self) -> str:
        return _("%(first)s tot en met %(last)s") % {
            "first": dateformat.format(self.first, "F Y"),
            "last": dateformat.format(self.last, "F Y"),
        }


def month_label(day: dt.date, *, two_lines: bool = False) -> str:
    text = dateformat.format(day, "M Y")
    return text.replace(" ", "\n", 1) if two_lines else text


AGE_UNKNOWN = "onbekend"


@dataclass(frozen=True)
class Filters:
    period: Period
    district: District | None = None
    # None: every age; "": age not known; otherwise an AgeGroup code.
    age_group: str | None = None
    # A code of the target_group vocabulary, "" for every target group.
    target_group: str = ""

    def describe(self) -> list[tuple[str, str]]:
        """The chosen filters in words, for the page, the CSV and the report."""
        age = _("alle leeftijden")
        if self.age_group is not None:
            age = age_labels().get(self.age_group, self.age_group)
        return [
            (_("Periode"), self.period.label),
            (_("Wijk"), self.district.name if self.district else _("hele gemeente")),
            (_("Leeftijd (meldpunt en deelnemers)"), age),
            (
                _("Doelgroep (aanbod)"),
                target_group_label(self.target_group) if self.target_group else _("alle"),
            ),
        ]


def age_labels() -> dict[str, str]:
    return {str(code): str(label) for code, label in AgeGroup.choices}


def newest_districts() -> list[District]:
    """The districts of the newest loaded CBS classification."""
    year = District.objects.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        return []
    return list(District.objects.filter(year=year).order_by("name"))


def target_groups() -> list[tuple[str, str]]:
    return list(
        TaxonomyTerm.objects.filter(taxonomy__key="target_group")
        .exclude(code="")
        .order_by("name")
        .values_list("code", "name")
    )


def target_group_label(code: str) -> str:
    name = (
        TaxonomyTerm.objects.filter(taxonomy__key="target_group", code=code)
        .values_list("name", flat=True)
        .first()
    )
    return _(name) if name else code


# --- areas: a case or participant belongs to a district through its neighbourhood ----------------


@dataclass(frozen=True)
class AreaMap:
    # neighbourhood id -> district code (of the neighbourhood's own classification year)
    district_of: dict[int, str]
    # the newest classification's districts: code -> name, in name order
    districts: dict[str, str]


def area_map() -> AreaMap:
    district_of = dict(Neighbourhood.objects.values_list("id", "district__code"))
    return AreaMap(district_of, {d.code: d.name for d in newest_districts()})


def neighbourhood_ids(district: District) -> list[int]:
    """Every neighbourhood in the district, of any classification year (matched by the code:
    cases keep the neighbourhood of the year they were received in)."""
    return list(
        Neighbourhood.objects.filter(district__code=district.code).values_list("id", flat=True)
    )


def _person_filter(filters: Filters, prefix: str = "") -> Q:
    """District and age of a case or a participant (prefix "" or "participant__")."""
    condition = Q()
    if filters.district is not None:
        condition &= Q(**{f"{prefix}neighbourhood_id__in": neighbourhood_ids(filters.district)})
    if filters.age_group is not None:
        condition &= Q(**{f"{prefix}age_group": filters.age_group})
    return condition


def _case_filter(filters: Filters) -> Q:
    """For signals and referrals: only those of cases in the district and age group.

    An IN over a subquery of case ids rather than a join: the database collects the few
    matching case ids once, and the signals or referrals are read from their own index.
    """
    if filters.district is None and filters.age_group is None:
        return Q()
    return Q(case_id__in=Case.objects.filter(_person_filter(filters)).order_by().values("id"))


# --- SQL helpers ---------------------------------------------------------------------------------


def month_bucket(field_name: str, period: Period) -> SqlCase:
    """The index (0 = first month) of the month a datetime falls in, counted in SQL.

    Local month boundaries are compared as instants, so the result follows the time zone of
    the site without a per-row conversion.
    """
    whens = [
        When(**{f"{field_name}__lt": bound}, then=Value(index))
        for index, bound in enumerate(period.bounds()[1:])
    ]
    return SqlCase(*whens, default=Value(None), output_field=IntegerField())


def utc_offset_segments(lo: dt.datetime, hi: dt.datetime) -> list[tuple[dt.datetime | None, int]]:
    """The site's UTC offset between two instants: [(until, seconds), ..., (None, seconds)].

    Before `until` the offset is `seconds`; the last segment has no end. Daylight saving time
    changes twice a year, so a few years give a handful of segments.
    """
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    utc = dt.UTC

    def offset(moment: dt.datetime) -> int:
        delta = moment.astimezone(tz).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    moment = lo.astimezone(utc)
    end = hi.astimezone(utc)
    current = offset(moment)
    segments: list[tuple[dt.datetime | None, int]] = []
    while moment < end:
        step = min(moment + dt.timedelta(days=1), end)
        if offset(step) == current:
            moment = step
            continue
        low, high = moment, step
        while high - low > dt.timedelta(seconds=1):
            middle = low + (high - low) / 2
            if offset(middle) == current:
                low = middle
            else:
                high = middle
        high = high.replace(microsecond=0)
        segments.append((high, current))
        current = offset(high)
        moment = high
    segments.append((None, current))
    return segments


class LocalDay(Func):
    """The local calendar day of a datetime as a number of days since 1970-01-01.

    PostgreSQL converts with AT TIME ZONE. SQLite has no time zones, so the offset comes from a
    short CASE over the daylight-saving changes between `lo` and `hi` (exact inside that range).
    """

    output_field = IntegerField()

    def __init__(self, expression: Any, *, lo: dt.datetime, hi: dt.datetime) -> None:
        super().__init__(expression)
        self.lo, self.hi = lo, hi

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:
        raise NotSupportedError("LocalDay supports SQLite and PostgreSQL only.")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"((({sql}) AT TIME ZONE %s)::date - DATE '1970-01-01')",
            (*params, settings.TIME_ZONE),
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        segments = utc_offset_segments(self.lo, self.hi)
        whens, case_params = [], []
        for until, seconds in segments[:-1]:
            whens.append(f"WHEN ({sql}) < %s THEN {int(seconds)}")
            case_params += [*params, connection.ops.adapt_datetimefield_value(until)]
        last = int(segments[-1][1])
        offset = f"(CASE {' '.join(whens)} ELSE {last} END)" if whens else str(last)
        # unixepoch() (SQLite 3.38+) is faster than parsing strftime's text.
        epoch = (
            f"unixepoch({sql})"
            if sqlite3.sqlite_version_info >= (3, 38)
            else f"CAST(strftime('%%s', {sql}) AS INTEGER)"
        )
        return (f"(({epoch} + {offset}) / 86400)", (*params, *case_params))


class DaysBetween(Func):
    """Days from `earlier` to `later`, rounded to tenths (NULL when either is NULL)."""

    output_field = FloatField()

    def __init__(self, later: Combinable | str, earlier: Combinable | str) -> None:
        super().__init__(later, earlier)

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:
        raise NotSupportedError("DaysBetween supports SQLite and PostgreSQL only.")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        later, later_params = compiler.compile(self.source_expressions[0])
        earlier, earlier_params = compiler.compile(self.source_expressions[1])
        return (
            f"ROUND((EXTRACT(EPOCH FROM ({later}) - ({earlier})) / 86400.0)::numeric, 1)::float",
            (*later_params, *earlier_params),
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        later, later_params = compiler.compile(self.source_expressions[0])
        earlier, earlier_params = compiler.compile(self.source_expressions[1])
        return (
            f"ROUND(julianday({later}) - julianday({earlier}), 1)",
            (*later_params, *earlier_params),
        )


def weighted_median(counts: Iterable[tuple[float, int]]) -> float | None:
    """The median of values given as (value, how many times)."""
    ordered = sorted((value, n) for value, n in counts if n > 0)
    total = sum(n for _value, n in ordered)
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # 0-based positions of the middle value(s)
    found: list[float] = []
    seen = 0
    for value, n in ordered:
        while wanted and wanted[0] < seen + n:
            found.append(value)
            wanted.pop(0)
        seen += n
    return sum(found) / len(found)


def _epoch_date(day_number: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=day_number)


def working_days_between(pairs: Sequence[tuple[int, int]]) -> list[int]:
    """Working days after the first day up to and including the second (days since 1970).

    Monday to Friday without the configured holidays (OMZIEN_HOLIDAYS), as the norm counts
    them: the same day is 0, the next working day 1.
    """
    if not pairs:
        return []
    holidays = np.array(sorted(settings.OMZIEN_HOLIDAYS), dtype="datetime64[D]")
    start = np.array([p[0] for p in pairs], dtype=np.int64).astype("datetime64[D]")
    end = np.array([p[1] for p in pairs], dtype=np.int64).astype("datetime64[D]")
    one = np.timedelta64(1, "D")
    counts = np.busday_count(start + one, end + one, holidays=holidays)
    return [max(0, int(c)) for c in counts]


# --- (a) signals ---------------------------------------------------------------------------------

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
            _case_filter(filters), received_at__gte=period.start, received_at__lt=period.end
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


# --- (b) time to first contact -------------------------------------------------------------------


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
            _person_filter(filters), received_at__gte=period.start, received_at__lt=period.end
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
        received = _epoch_date(row["received_day"])
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
            if _epoch_date(row["attempt_day"]) <= due:
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


# --- (c) referrals -------------------------------------------------------------------------------


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
            _case_filter(filters), sent_at__gte=period.start, sent_at__lt=period.end
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


# --- (d) sign-ups --------------------------------------------------------------------------------


def signups_section(filters: Filters) -> Section:
    return Section(
        "aanmeldingen",
        _("Aanmeldingen voor activiteiten"),
        _("Hoeveel inwoners zich aanmelden voor activiteiten in de buurt."),
        "",
        note=_("Deze cijfers komen zodra de buurtagenda er is."),
    )


# --- (e) the offering ----------------------------------------------------------------------------


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
    visible = Q(service__is_published=True, service__status__in=VISIBLE_STATUSES)
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


# --- (f) reach -----------------------------------------------------------------------------------


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
            _person_filter(filters), received_at__gte=period.start, received_at__lt=period.end
        )
        .order_by()
        .values_list("neighbourhood_id")
        .annotate(n=Count("id"))
    )
    participants = (
        Participant.objects.filter(
            _person_filter(filters), created_at__gte=period.start, created_at__lt=period.end
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


# --- (g) intervention effects --------------------------------------------------------------------


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
            participant_id__in=Participant.objects.filter(_person_filter(filters))
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
    period = effects.Period(
        filters.period.first, add_months(filters.period.last, 1) - dt.timedelta(days=1)
    )
    found = effects.intervention_effects(Scale.DJG11, (Moment.START, Moment.END), period)
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


# --- (h) neighbourhood figures -------------------------------------------------------------------


def area_section(filters: Filters, areas_url: str) -> Section:
    figures = AreaFigure.objects.filter(source=AREA_SOURCE, indicator__in=AREA_INDICATORS)
    period = figures.order_by("-period").values_list("period", flat=True).first()
    labels = {
        "lonely": _("Eenzaam (score 3 of hoger), 18 jaar en ouder"),
        "severely_lonely": _(
            "Ernstig of zeer ernstig eenzaam (score 9 of hoger), 18 jaar en ouder"
        ),
    }
    columns = [settings.OMZIEN_MUNICIPALITY_NAME]
    if filters.district is not None:
        columns.append(filters.district.name)
    rows = []
    generated = False
    if period is not None:
        for indicator in AREA_INDICATORS:
            cells = []
            wanted = [(AreaLevel.MUNICIPALITY, settings.OMZIEN_MUNICIPALITY_CODE)]
            if filters.district is not None:
                wanted.append((AreaLevel.DISTRICT, filters.district.code))
            for level, code in wanted:
                figure = (
                    figures.filter(
                        indicator=indicator, period=period, area_level=level, area_code=code
                    )
                    .order_by("-area_year")
                    .first()
                )
                if figure is None or figure.value is None:
                    cells.append(Cell(_("onbekend")))
                else:
                    generated |= figure.is_generated
                    cells.append(Cell(f"{number_format(figure.value, 1)}%", figure.value))
            rows.append(Row(labels[indicator], cells))
    notes = [
        _(
            "Bron: Gezondheidsmonitor Volwassenen en Ouderen van GGD'en, CBS en RIVM "
            "(schattingen). Percentages van inwoners, geen tellingen van personen in Omzien."
        ),
    ]
    if generated:
        notes.insert(0, _("Let op: dit zijn gegenereerde demo-cijfers, geen echte cijfers."))
    table = Table(
        "wijkcijfers",
        _("Eenzaamheid volgens de Gezondheidsmonitor")
        + (f" {period}" if period is not None else ""),
        _("Percentage inwoners dat eenzaam is, in de gemeente en de gekozen wijk."),
        _("Cijfer"),
        columns,
        rows,
        notes=notes,
    )
    return Section(
        "wijkcijfers",
        _("Cijfers per wijk en buurt"),
        _("Hoe eenzaam inwoners zijn volgens de Gezondheidsmonitor, en wat de wijken kenmerkt."),
        _("Filter: wijk. De cijfers gaan over het jaar van de monitor, niet over de periode."),
        [table] if rows else [],
        link=(_("Alle cijfers per wijk en buurt, met kaart"), areas_url),
        note="" if rows else _("Er zijn nog geen cijfers van de Gezondheidsmonitor geladen."),
    )


# --- all sections --------------------------------------------------------------------------------


def _effects_url() -> str:
    return reverse("effects_overview")


SECTION_KEYS = (
    "meldingen",
    "eerste-contact",
    "verwijzingen",
    "aanmeldingen",
    "aanbod",
    "bereik",
    "effecten",
    "wijkcijfers",
)


def build_sections(
    filters: Filters, only: Iterable[str] | None = None, *, detailed_effects: bool = False
) -> list[Section]:
    """Every section of the dashboard (or only the named ones), in the order shown.

    `detailed_effects` adds the "what works" figures per intervention (the council report).
    """
    wanted = set(only) if only is not None else set(SECTION_KEYS)
    builders: dict[str, Callable[[], Section]] = {
        "meldingen": lambda: signals_section(filters),
        "eerste-contact": lambda: first_contact_section(filters),
        "verwijzingen": lambda: referrals_section(filters),
        "aanmeldingen": lambda: signups_section(filters),
        "aanbod": lambda: offering_section(filters, reverse("offering_overview")),
        "bereik": lambda: reach_section(filters, area_map()),
        "effecten": lambda: effects_section(filters, _effects_url(), detailed=detailed_effects),
        "wijkcijfers": lambda: area_section(filters, reverse("areas_overview")),
    }
    return [builders[key]() for key in SECTION_KEYS if key in wanted]


TABLE_SECTIONS = {
    "meldingen-per-maand": "meldingen",
    "meldingen-per-melder": "meldingen",
    "eerste-contact": "eerste-contact",
    "verwijzingen-samenvatting": "verwijzingen",
    "verwijzingen-status": "verwijzingen",
    "verwijzingen-resultaat": "verwijzingen",
    "aanbod": "aanbod",
    "bereik": "bereik",
    "effecten": "effecten",
    "wijkcijfers": "wijkcijfers",
}


def find_table(filters: Filters, key: str) -> Table | None:
    section_key = TABLE_SECTIONS.get(key)
    if section_key is None:
        return None
    for section in build_sections(filters, only=[section_key]):
        for table in section.tables:
            if table.key == key:
                return table
    return None


def suppression_rule() -> str:
    return _(
        "Om niemand herkenbaar te maken: aantallen mensen van 1 tot en met 4 staan er als "
        "'<5'. Alle andere aantallen mensen, ook totalen, zijn afgerond op vijftallen, zodat "
        "je een verborgen getal niet kunt terugrekenen. Een percentage staat er alleen als het "
        "op ten minste 10 mensen gaat en er aan beide kanten 0 of minstens 5 zijn; een mediaan "
        "alleen bij ten minste 5. Daardoor tellen afgeronde getallen niet altijd precies op."
    )


def caveats() -> list[str]:
    return [
        str(BEFORE_AFTER_WARNING),
        _(
            "De cijfers van het meldpunt gaan over wat is vastgelegd. Meer meldingen kan ook "
            "betekenen dat meer mensen het meldpunt kennen, niet dat er meer eenzaamheid is."
        ),
        _(
            "De vragenlijsten zijn gemaakt voor onderzoek bij groepen, niet om één persoon te "
            "beoordelen."
        ),
    ]
