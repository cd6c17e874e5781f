from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from omzien.areas.importers import AreaFileError, normalise_code, read_files
from omzien.areas.services import load_areas


class Command(BaseCommand):
    help = (
        "Load CBS areas (gemeente, wijk, buurt), the postcode-buurt table and wijk/buurt "
        "boundaries from the files as CBS publishes them. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files", nargs="+", type=Path, help="CSV code lists, pc6 tables, GeoJSON"
        )
        parser.add_argument("--year", type=int, help="classification year (else read from files)")
        parser.add_argument(
            "--municipality", help="only this gemeente, e.g. GM0794 (national files are large)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = None
        if options["municipality"]:
            municipality = normalise_code("GM", options["municipality"])
            if municipality is None:
                raise CommandError(f"{options['municipality']!r} is not a gemeentecode (GM0794).")
        try:
            data = read_files(options["files"], municipality)
            year = options["year"]
            if year is None:
                if len(data.years) != 1:
                    found = ", ".join(map(str, sorted(data.years))) or "none"
                    raise CommandError(
                        f"Cannot tell the classification year from the files (found: {found}); "
                        "pass --year."
                    )
                year = data.years.pop()
            result = load_areas(data, year)
        except AreaFileError as exc:
            raise CommandError(f"Nothing was imported. {exc}") from exc
        self.stdout.write(
            f"Areas {result.year}: {result.municipalities} gemeente(n), {result.districts} wijken, "
            f"{result.neighbourhoods} buurten, {result.postcodes} postcodes, "
            f"{result.geometries} grenzen."
        )
