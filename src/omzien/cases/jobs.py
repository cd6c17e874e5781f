"""The meldpunt's periodic jobs, as core's list runs them (see `core/periodic.py`)."""

from __future__ import annotations

from typing import Any

from omzien.cases.referrals import expire_referrals
from omzien.cases.retention import apply_retention
from omzien.cases.services import remind_overdue_cases
from omzien.core import periodic


def _expire_referrals() -> Any:
    return {"expired": expire_referrals()}


def _apply_retention() -> Any:
    result = apply_retention()
    return {
        "reporter_details_removed": result.reporter_details_removed,
        "anonymised": result.anonymised,
    }


def register() -> None:
    periodic.register("remind-overdue-cases", remind_overdue_cases, order=20)
    periodic.register("expire-referrals", _expire_referrals, order=30)
    periodic.register("apply-retention", _apply_retention, order=40)
