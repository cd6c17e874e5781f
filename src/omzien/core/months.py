"""Whole months: the one parser of a month typed as "2025-01", and month arithmetic.

Used by every page that filters by period (the dashboard, what works per intervention).
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MONTH_PATTERN = re.compile(r"(\d{4})-(\d{1,2})")
MONTH_MESSAGE = gettext_lazy("Vul een maand in als jaar en maand, bijvoorbeeld 2025-01.")
# Nothing in Omzien is older: earlier years are typing mistakes.
EARLIEST_YEAR = 2000


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
