"""Background work of the sociale kaart, for the worker (`omzien worker`)."""

from __future__ import annotations

from django_tasks import task

from omzien.directory import services


@task()
def remind_stale_services() -> dict[str, int]:
    """The same idempotent job as `omzien remind-stale-services`, queued instead of run by cron."""
    result = services.remind_stale_services()
    return {"organizations": result.organizations, "services": result.services}
