"""Whole months: the one parser of a month typed as "2025-01", month arithmetic, and the one
`Period` of the pages that filter by period (the dashboard, what works per intervention).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django import forms
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MONTH_PATTERN = re.compile(r"(\d{4})-(\d{1,2})")
MONTH_MESSAGE = gettext_lazy("Vul een maand in als jaar en maand, bijvoorbeeld 2025-01.")
# Nothing in Omzien is older: earlier years are typing mistakes.
EARLIEST_YEAR = 2000
# The period a page shows before anyone chooses one: this month and the eleven before it.
DEFAULT_MONTHS = 12


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    """The last day of the month of `day`."""
    return add_months(day, 1) - dt.timedelta(days=1)


def months_between(first: dt.date, last: dt.date) -> int:
    """How many months from the month of `first` up to and including the month of `last`."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def parse_month(value: str, today: dt.date) -> dt.date | None:
    """The first day of a month typed as "2025-01"; None when empty; a form error when the
    value is not a month, lies before EARLIEST_YEAR or after the current month."""
    value = value.strip()
    if not value:
        return None
    match = MONTH_PATTERN.fullmatch(value)
    if match is None:
        raise forms.ValidationError(MONTH_MESSAGE, code="invalid")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise forms.ValidationError(MONTH_MESSAGE, code="invalid")
    if year < EARLIEST_YEAR:
        raise forms.ValidationError(
            _("Deze maand ligt te ver terug. Kies een maand vanaf %(year)d.")
            % {"year": EARLIEST_YEAR},
            code="too_early",
        )
    day = dt.date(year, month, 1)
    if day > month_start(today):
        raise forms.ValidationError(
            _("Deze maand ligt in de toekomst. Kies deze maand of een eerdere."), code="future"
        )
    return day


@dataclass(frozen=True)
class Period:
    """From `first` up to and including `last`; a period never ends before it starts.

    What works per intervention selects by day and reads the two dates as they are. The
    dashboard counts whole months: its periods name their first and last month by the first day
    of each, and the month helpers below (`months`, `bounds`, `month_index`, `label`) cover every
    month the period touches, whatever its days. `whole_months()` gives those months as dates.
    """

    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        if self.first > self.last:
            raise ValueError("a period must not end before it starts")

    @classmethod
    def default(cls, today: dt.date | None = None) -> Period:
        """The last DEFAULT_MONTHS months up to and including this one, as the dashboard names
        them (by their first days)."""
        today = today or timezone.localdate()
        last = month_start(today)
        return cls(add_months(last, -(DEFAULT_MONTHS - 1)), last)

    def whole_months(self) -> Period:
        """The same months, from the first day of the first to the last day of the last."""
        return Period(month_start(self.first), month_end(self.last))

    @property
    def months(self) -> list[dt.date]:
        """The first day of every month the period touches."""
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
        """Which month of the period `day` falls in: 0 for the first."""
        return (day.year - self.first.year) * 12 + day.month - self.first.month

    @property
    def label(self) -> str:
        """The months in words: "juli 2024 tot en met juni 2025"."""
        return _("%(first)s tot en met %(last)s") % {
            "first": dateformat.format(self.first, "F Y"),
            "last": dateformat.format(self.last, "F Y"),
        }
