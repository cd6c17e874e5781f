"""`omzien import-cbs`: neighbourhood figures from CBS open data (RIVM health monitor, KWB)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from omzien.audit.services import record_event
from omzien.interop.cbs import (
    DEFAULT_ODATA_URL,
    KWB_TABLES,
    RIVM_DATASET,
    THIRD_PARTY_ODATA_URL,
    CbsError,
    import_dataset,
)


class Command(BaseCommand):
    help = (
        f"Lees cijfers per gemeente, wijk en buurt in: de RIVM-gezondheidsmonitor "
        f"(--dataset {RIVM_DATASET}, eenzaamheid met 95%-marges) of de CBS kerncijfers wijken en "
        f"buurten (--dataset {KWB_TABLES[2023]} voor 2023). Opnieuw uitvoeren werkt bij en "
        "maakt geen dubbele cijfers. Bij een fout wordt niets ingelezen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dataset",
            required=True,
            help=f"tabelcode, bijvoorbeeld {RIVM_DATASET} of {KWB_TABLES[2023]}",
        )
        parser.add_argument("--municipality", help="alleen deze gemeente, bijvoorbeeld GM0794")
        parser.add_argument(
            "--file",
            action="append",
            type=Path,
            dest="files",
            help=(
                "lees de tabel uit een bestand in plaats van via internet: de JSON van "
                "TypedDataSet (en eventueel DataProperties en TableInfos) of een CSV-export; "
                "mag vaker gegeven worden"
            ),
        )
        parser.add_argument(
            "--base-url",
            help=(
                f"adres van de OData-API (standaard {DEFAULT_ODATA_URL}; voor "
                f"{RIVM_DATASET} {THIRD_PARTY_ODATA_URL})"
            ),
        )
        parser.add_argument(
            "--area-year",
            type=int,
            help="jaar van de gebiedsindeling, als de tabel het niet zelf zegt",
        )
        parser.add_argument(
            "--period",
            type=int,
            help="alleen dit jaar; of het jaar van een tabel zonder perioden",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_dataset(
                options["dataset"],
                municipality=options["municipality"],
                files=options["files"],
                base_url=options["base_url"],
                area_year=options["area_year"],
                period=options["period"],
            )
        except CbsError as exc:
            raise CommandError(f"Er is niets ingelezen. {exc}") from exc
        record_event(
            "area_figures.import",
            object_type="insight.areafigure",
            details={
                "dataset": report.dataset,
                "municipality": options["municipality"] or "",
                "created": report.result.created,
                "updated": report.result.updated,
            },
        )
        result = report.result
        columns = ", ".join(f"{ind} ← {key}" for ind, key in report.columns.items())
        periods = ", ".join(map(str, report.periods))
        self.stdout.write(
            f"Tabel {report.dataset}: {result.created} cijfers nieuw, {result.updated} "
            f"bijgewerkt, {result.unchanged} ongewijzigd. Indeling {report.area_year}; "
            f"perioden {periods}."
        )
        self.stdout.write(f"Kolommen: {columns}.")
        for note in report.notes:
            self.stdout.write(f"Let op: {note}")
