"""`omzien export-hsds PATH [--format json|csv]`: write the sociale kaart as HSDS 3.1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from omzien.audit.services import record_event
from omzien.interop.hsds_export import export_csv, export_json


class Command(BaseCommand):
    help = (
        "Schrijf de sociale kaart als HSDS 3.1: JSON (de volledige diensten, zoals de API) of "
        "een datapakket met CSV-bestanden (een map, of een .zip als PATH daarop eindigt)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--all",
            action="store_true",
            help=(
                "Ook niet-gepubliceerde en gestopte diensten. Let op: HSDS kent 'gepubliceerd' "
                "niet, dus bij inlezen elders worden ze zichtbaar."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if options["format"] == "json":
            count = export_json(path, include_all=options["all"])
            self.stdout.write(f"{count} diensten geschreven naar {path}.")
            details: dict[str, Any] = {"format": "json", "services": count}
        else:
            rows = export_csv(path, include_all=options["all"])
            self.stdout.write(f"{rows['service']} diensten geschreven naar {path}.")
            details = {"format": "csv", "rows": rows}
        record_event("directory.export_hsds", object_type="hsds", details=details)
