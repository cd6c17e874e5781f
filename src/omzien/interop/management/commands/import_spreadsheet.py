"""`omzien import-spreadsheet PATH [--mapping JSON]`: read a list of services from Excel or CSV."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from omzien.interop import spreadsheet
from omzien.interop.hsds import Level
from omzien.interop.hsds_import import ImportFailed


class Command(BaseCommand):
    help = (
        "Lees diensten in uit een Excel- (.xlsx) of CSV-bestand. --mapping zegt per kolom wat "
        'erin staat, als JSON: {"Kolomnaam": "name", ...} of een lijst in kolomvolgorde, of een '
        "pad naar zo'n JSON-bestand. Zonder --mapping wordt de keuze geraden uit de kopregel "
        "(met --dry-run alleen getoond). Velden: "
        + ", ".join(key for key, _label in spreadsheet.target_choices() if key)
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--mapping", default="")
        parser.add_argument(
            "--dry-run", action="store_true", help="Toon alleen de kolommen en de keuze."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            sheet = spreadsheet.read_spreadsheet(path.read_bytes(), path.name)
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from exc
        except spreadsheet.SpreadsheetError as exc:
            raise CommandError(f"{path.name}: {exc}") from exc
        mapping = (
            parse_mapping(options["mapping"], sheet.headers)
            if options["mapping"]
            else spreadsheet.guess_mapping(sheet.headers)
        )
        for header, target in zip(sheet.headers, mapping, strict=True):
            self.stdout.write(f"{header} -> {target or '-'}")
        if options["dry_run"]:
            return
        try:
            report = spreadsheet.import_sheet(sheet, mapping)
        except ImportFailed as exc:
            raise CommandError(f"Niet ingelezen, er is niets veranderd. {exc}") from exc
        for issue in report.issues:
            label = {Level.ERROR: "FOUT", Level.WARNING: "LET OP", Level.NOTE: "INFO"}[issue.level]
            self.stdout.write(f"{label}: {issue}")
        self.stdout.write(report.summary())


def parse_mapping(value: str, headers: list[str]) -> list[str]:
    text = value
    if not value.lstrip().startswith(("{", "[")):
        try:
            text = Path(value).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"--mapping: {exc.strerror or exc}") from exc
    try:
        given = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"--mapping is geen geldige JSON: {exc}") from exc
    if isinstance(given, list) and all(isinstance(item, str) for item in given):
        mapping = [*given, *[""] * (len(headers) - len(given))][: len(headers)]
    elif isinstance(given, dict):
        unknown = [key for key in given if key not in headers]
        if unknown:
            raise CommandError(
                f"--mapping noemt kolommen die er niet zijn: {', '.join(unknown)}. "
                f"Kolommen: {', '.join(headers)}"
            )
        mapping = [str(given.get(header) or "") for header in headers]
    else:
        raise CommandError("--mapping is een JSON-object of een lijst met veldnamen.")
    problems = spreadsheet.check_mapping(mapping, len(headers))
    if problems:
        raise CommandError(" ".join(problems))
    return mapping
