"""`omzien import-hsds PATH`: read Open Referral HSDS 3.1 data into the sociale kaart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from omzien.interop.hsds import Level
from omzien.interop.hsds_import import ImportFailed, import_hsds


class Command(BaseCommand):
    help = (
        "Lees HSDS 3.1 in: een JSON-bestand (diensten, organisaties of een pagina van de API) "
        "of een datapakket (map of .zip met datapackage.json en CSV-bestanden). Alles of niets."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--quiet-warnings",
            action="store_true",
            help="Toon alleen fouten, niet de waarschuwingen en opmerkingen.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            report = import_hsds(path)
        except ImportFailed as exc:
            raise CommandError(f"Niet ingelezen, er is niets veranderd. {exc}") from exc
        for issue in report.issues:
            if options["quiet_warnings"] and issue.level is not Level.ERROR:
                continue
            label = {Level.ERROR: "FOUT", Level.WARNING: "LET OP", Level.NOTE: "INFO"}[issue.level]
            self.stdout.write(f"{label}: {issue}")
        self.stdout.write(report.summary())
        if report.search_index:
            self.stdout.write(report.search_index)
