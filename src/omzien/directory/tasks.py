"""Background work of the sociale kaart, for the worker (`omzien worker`)."""

from __future__ import annotations

from django_tasks import task

from omzien.directory import services
from omzien.directory.geocoding import geocode_location_task

# Tasks queued before the geocoding task moved to directory/geocoding.py name it by this path.
geocode_location = geocode_location_task


@task()
def remind_stale_services() -> dict[str, int]:
    """The same idempotent job as `omzien remind-stale-services`, queued instead of run by cron."""
    result = services.remind_stale_services()
    return {"organizations": result.organizations, "services": result.services}
