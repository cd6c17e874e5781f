"""Background work of the sociale kaart, for the worker (`omzien worker`)."""

from __future__ import annotations

from django_tasks import task

from omzien.directory import services


@task()
def remind_stale_services() -> dict[str, int]:
    """The same idempotent job as `omzien remind-stale-services`, queued instead of run by cron."""
    result = services.remind_stale_services()
    return {"organizations": result.organizations, "services": result.services}


@task()
def geocode_location(location_id: str) -> bool:
    """Give a location coordinates from its postcode (queued after providers save one)."""
    from omzien.directory.models import Location

    location = Location.objects.filter(id=location_id).first()
    return services.geocode_location(location) if location is not None else False
