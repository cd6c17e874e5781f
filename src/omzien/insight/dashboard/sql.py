"""SQL helpers of the dashboard: month buckets and local days counted in the database (SQLite
and PostgreSQL), and the medians and working days computed from the grouped rows."""

from __future__ import annotations

import datetime as dt
import sqlite3
import zoneinfo
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import NotSupportedError
from django.db.models import Case as SqlCase
from django.db.models import FloatField, Func, IntegerField, Value, When
from django.db.models.expressions import Combinable

import numpy as np

from omzien.core.months import Period


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


def epoch_date(day_number: int) -> dt.date:
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
