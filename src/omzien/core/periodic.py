"""The periodic jobs, in one list: each is idempotent, so running them often is harmless.

Each app registers its jobs with `register()` from its `AppConfig.ready()`; this module only
keeps the list and runs it.

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
    order: int = 0


def register(name: str, run: Callable[[], Any], *, order: int) -> None:
    """Add a job; each app registers its own in `AppConfig.ready()`, so core imports none.

    `order` fixes where the job runs, whatever the order of INSTALLED_APPS: referrals expire
    before retention looks at them, and core's own housekeeping comes last.
    """
    if any(job.name == name for job in JOBS):
        return  # ready() may run twice (tests, reloads); a job is listed once
    JOBS.append(Job(name, run, order))
    JOBS.sort(key=lambda job: job.order)


JOBS: list[Job] = []


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
