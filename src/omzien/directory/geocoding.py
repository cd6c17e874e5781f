"""Locations on the map: coordinates from the postcode of their address.

Saving a location queues `geocode_location_task` once the transaction commits (PDOK may be
slow); `omzien geocode-locations` places every location still without coordinates. This module
imports no services, so services can queue the task without an import cycle.
"""

from __future__ import annotations

from django.db import transaction

from django_tasks import task

from omzien.areas.geo import locate_postcode
from omzien.directory import search
from omzien.directory.models import Location


def geocode_location(location: Location) -> bool:
    """Coordinates for a location from its address's postcode (PDOK, cached, with the postcode
    table as fallback), so distance search finds it; True when it could be placed."""
    address = location.addresses.order_by("id").first()
    if address is None or not address.postal_code:
        return False
    point = locate_postcode(address.postal_code)
    if point is None:
        return False
    location.latitude, location.longitude = point
    location.save(update_fields=["latitude", "longitude"])
    search.schedule_reindex(
        list(location.service_at_locations.values_list("service_id", flat=True))
    )
    return True


def geocode_missing_locations() -> tuple[int, int]:
    """Place every location with a postcode but no coordinates; (placed, not placed)."""
    placed = missed = 0
    missing = Location.objects.filter(latitude__isnull=True, addresses__postal_code__gt="")
    for location in missing.distinct().iterator():
        if geocode_location(location):
            placed += 1
        else:
            missed += 1
    return placed, missed


@task()
def geocode_location_task(location_id: str) -> bool:
    """Give a location coordinates from its postcode (queued after providers save one)."""
    location = Location.objects.filter(id=location_id).first()
    return geocode_location(location) if location is not None else False


def geocode_later(location: Location) -> None:
    """Place the location on the map once saved, through the task queue."""
    location_id = str(location.id)
    transaction.on_commit(lambda: geocode_location_task.enqueue(location_id))
