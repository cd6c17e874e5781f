"""The one Period of the pages that filter by period: the dashboard's whole months and the
inclusive dates of what works per intervention."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation

import pytest

from omzien.core.months import Period


def test_a_period_may_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="end before it starts"):
        Period(dt.date(2025, 3, 2), dt.date(2025, 3, 1))
    one_day = Period(dt.date(2025, 3, 1), dt.date(2025, 3, 1))
    assert one_day.first == one_day.last


def test_the_default_is_this_month_and_the_eleven_before_by_their_first_days() -> None:
    period = Period.default(dt.date(2025, 1, 15))
    assert period == Period(dt.date(2024, 2, 1), dt.date(2025, 1, 1))
    assert len(period.months) == 12


def test_whole_months_run_from_the_first_to_the_last_day() -> None:
    assert Period(dt.date(2024, 2, 15), dt.date(2024, 2, 20)).whole_months() == Period(
        dt.date(2024, 2, 1), dt.date(2024, 2, 29)
    )
    # The dashboard names a month by its first day; its dates run to the end of that month.
    assert Period(dt.date(2024, 11, 1), dt.date(2024, 12, 1)).whole_months() == Period(
        dt.date(2024, 11, 1), dt.date(2024, 12, 31)
    )


def test_the_month_helpers_cover_every_month_the_period_touches() -> None:
    period = Period(dt.date(2024, 12, 31), dt.date(2025, 2, 1))
    assert period.months == [dt.date(2024, 12, 1), dt.date(2025, 1, 1), dt.date(2025, 2, 1)]
    assert period.month_index(dt.date(2024, 12, 1)) == 0
    assert period.month_index(dt.date(2025, 2, 28)) == 2
    tz = timezone.get_current_timezone()
    assert period.start == dt.datetime(2024, 12, 1, tzinfo=tz)
    assert period.end == dt.datetime(2025, 3, 1, tzinfo=tz)
    assert len(period.bounds()) == 4
    # The same months as their whole-month dates.
    assert period.whole_months().months == period.months


def test_the_label_names_the_first_and_the_last_month() -> None:
    with translation.override("nl"):
        label = Period(dt.date(2024, 12, 31), dt.date(2025, 2, 1)).label
    assert label == "december 2024 tot en met februari 2025"
