"""The periodic jobs, in one list: each is idempotent, so running them often is harmless.

`omzien run-periodic` runs them all once (for cron); `omzien worker --periodic SECONDS` runs them
in the worker's own loop, so a small installation needs no cron at all.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], Any]


def _remind_stale_services() -> Any:
    from omzien.directory.services import remind_stale_services

    return remind_stale_services()


def _remind_overdue_cases() -> Any:
    from omzien.cases.services import remind_overdue_cases

    return remind_overdue_cases()


def _expire_referrals() -> Any:
    from omzien.cases.referrals import expire_referrals

    return {"expired": expire_referrals()}


def _apply_retention() -> Any:
    from omzien.cases.retention import apply_retention

    result = apply_retention()
    return {
        "reporter_details_removed": result.reporter_details_removed,
        "anonymised": result.anonymised,
    }


def _purge_rate_counters() -> Any:
    from omzien.core.ratelimit import purge_expired

    return {"deleted": purge_expired()}


JOBS = [
    Job("remind-stale-services", _remind_stale_services),
    Job("remind-overdue-cases", _remind_overdue_cases),
    Job("expire-referrals", _expire_referrals),
    Job("apply-retention", _apply_retention),
    Job("purge-rate-counters", _purge_rate_counters),
]


def summary(result: Any) -> dict[str, Any]:
    """A job's result as plain numbers (no ids, no personal data), for logs and task results."""
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        result = dataclasses.asdict(result)
    if isinstance(result, dict):
        return {k: v for k, v in result.items() if isinstance(v, int | float | bool)}
    return {"result": result} if isinstance(result, int | float | bool) else {}


def run_all() -> dict[str, dict[str, Any]]:
    """Run every job; one failing job is logged and does not stop the others."""
    results: dict[str, dict[str, Any]] = {}
    for job in JOBS:
        try:
            results[job.name] = summary(job.run())
        except Exception:  # noqa: BLE001 - the next run tries again; the log says what broke
            logger.exception("Periodic job %s failed", job.name)
            results[job.name] = {"failed": True}
    return results
