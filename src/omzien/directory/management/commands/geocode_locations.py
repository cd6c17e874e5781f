"""`omzien geocode-locations`: give coordinates to locations that have a postcode but none yet.

Idempotent: locations already placed are left alone. Providers' new locations are placed by the
task queue as they are saved; this catches imports and anything PDOK could not answer then.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from omzien.directory.geocoding import geocode_missing_locations


class Command(BaseCommand):
    help = "Place locations without coordinates on the map from their postcode (PDOK)."

    def handle(self, *args: Any, **options: Any) -> None:
        placed, missed = geocode_missing_locations()
        self.stdout.write(f"Placed {placed} location(s); {missed} could not be placed.")
