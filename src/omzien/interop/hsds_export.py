"""Export the sociale kaart as Open Referral HSDS 3.1: JSON (the full services, exactly as the API
gives them) or the tabular data package (datapackage.json + CSV files, as a folder or .zip).

The CSV rows are made by flattening those same JSON documents, so both forms always hold the
same data, and `omzien import-hsds` reads either back (tested as a round trip).
"""

from __future__ import annotations

import csv
import json
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from django.db.models import QuerySet

from omzien.directory.models import Service
from omzien.interop import hsds, selectors, tabular
from omzien.interop.hsds import ENTITY_ORDER

CHUNK = 500


def services_to_export(include_all: bool = False) -> QuerySet[Service]:
    """What the API shows; with `include_all` also unpublished and stopped services."""
    queryset = Service.objects.all() if include_all else selectors.public_services()
    return queryset.order_by("pk")


def iter_service_documents(
    queryset: QuerySet[Service], chunk: int = CHUNK
) -> Iterator[dict[str, Any]]:
    """Full HSDS services, a chunk at a time (keyset pagination: no growing OFFSET)."""
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        services = list(selectors.full_services(page[:chunk]))
        if not services:
            return
        yield from selectors.full_service_documents(services)
        last = services[-1].pk


def write_json(handle: IO[str], queryset: QuerySet[Service]) -> int:
    """A JSON list of full services, one per line. Returns how many."""
    count = 0
    handle.write("[")
    for document in iter_service_documents(queryset):
        handle.write(",\n" if count else "\n")
        handle.write(json.dumps(document, ensure_ascii=False))
        count += 1
    handle.write("\n]\n" if count else "]\n")
    return count


def export_json(path: Path, *, include_all: bool = False) -> int:
    with path.open("w", encoding="utf-8") as handle:
        return write_json(handle, services_to_export(include_all))


def write_package(folder: Path, queryset: QuerySet[Service]) -> dict[str, int]:
    """datapackage.json and one CSV per HSDS table in `folder`. Returns rows per table."""
    folder.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = dict.fromkeys(ENTITY_ORDER, 0)
    seen: dict[str, set[str]] = {entity: set() for entity in ENTITY_ORDER}
    with ExitStack() as stack:
        writers = {}
        for entity in ENTITY_ORDER:
            handle = stack.enter_context(
                (folder / f"{hsds.ENTITIES[entity].table}.csv").open(
                    "w", encoding="utf-8", newline=""
                )
            )
            writer = csv.writer(handle)
            writer.writerow(tabular.columns(entity))
            writers[entity] = writer
        for document in iter_service_documents(queryset):
            for record in hsds.flatten(document, "service").records:
                if record.id in seen[record.entity]:
                    continue
                seen[record.entity].add(record.id)
                writers[record.entity].writerow(
                    [tabular.csv_value(record.data.get(c)) for c in tabular.columns(record.entity)]
                )
                rows[record.entity] += 1
    (folder / tabular.DESCRIPTOR).write_text(
        json.dumps(tabular.descriptor_for(list(ENTITY_ORDER)), indent=2, ensure_ascii=False),
        encoding="utf-8",
    )
    return rows


def export_csv(path: Path, *, include_all: bool = False) -> dict[str, int]:
    """A data package as a folder, or as a zip when `path` ends in .zip."""
    queryset = services_to_export(include_all)
    if path.suffix.lower() != ".zip":
        return write_package(path, queryset)
    with tempfile.TemporaryDirectory(prefix="omzien-hsds-") as tmp:
        rows = write_package(Path(tmp), queryset)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(Path(tmp).iterdir()):
                archive.write(file, file.name)
    return rows
