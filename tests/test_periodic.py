"""The periodic jobs run together, each idempotent, and one failure does not stop the rest."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

import pytest

from omzien.core import periodic

pytestmark = pytest.mark.django_db


def test_run_periodic_runs_every_job(welfare_a) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("run_periodic", stdout=out)
    text = out.getvalue()
    for job in periodic.JOBS:
        assert f"{job.name}:" in text
    assert "failed" not in text


def test_a_failing_job_is_reported_and_the_others_still_run(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ran: list[str] = []

    def broken() -> None:
        raise RuntimeError("kapot")

    monkeypatch.setattr(
        periodic,
        "JOBS",
        [periodic.Job("broken", broken), periodic.Job("fine", lambda: ran.append("fine") or 1)],
    )
    results = periodic.run_all()
    assert results["broken"] == {"failed": True}
    assert results["fine"] == {"result": 1}
    assert ran == ["fine"]


def test_the_apps_register_the_same_jobs_in_the_same_order_as_before() -> None:
    assert [job.name for job in periodic.JOBS] == [
        "remind-stale-services",
        "remind-overdue-cases",
        "expire-referrals",
        "apply-retention",
        "purge-rate-counters",
    ]


def test_registering_a_job_twice_lists_it_once() -> None:
    before = list(periodic.JOBS)
    periodic.register("remind-stale-services", lambda: 0, order=10)
    assert before == periodic.JOBS
