"""`omzien load-national-services`: the national services as this version lists them.

Idempotent; `migrate` runs the same loader after every migration.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from omzien.directory.services.national import load_national_services


class Command(BaseCommand):
    help = (
        "Create or update the sociale kaart's national services (De Luisterlijn, ...) as this "
        "version of Omzien lists them; the ones no longer listed are set inactive. Safe to run "
        "again: `migrate` runs it too."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(str(load_national_services()))
