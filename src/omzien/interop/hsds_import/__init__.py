"""Import Open Referral HSDS 3.1 data into the sociale kaart.

Accepted: a JSON file holding a list of records, a page envelope (`contents`) or one record,
where a record is a (full) service, an organization (with its services), a location, a
taxonomy or a taxonomy term; or the tabular data package (a folder or .zip with
datapackage.json and the CSV files).

The policy:
- The file or package as a whole must be readable (valid JSON, datapackage.json present, the
  CSV headers right); otherwise `ImportFailed` and nothing changes.
- Every record is checked against the vendored HSDS schemas (jsonschema, Draft 2020-12) and by
  `hsds.to_model_values()`. A faulty record is skipped with everything nested in it, and
  reported with file, record and field. Where the fix is unambiguous the record is repaired
  and imported with a warning: quotes around a phone number are removed, weekday codes put in
  capitals, impossible coordinates left out, a link to an object that exists nowhere left out.
- HSDS ids are stable UUIDs: importing the same data again updates the same rows. An array in
  a JSON document (a service's phones, ...) replaces what the object had of that kind; an
  array that is absent leaves it alone. The tabular format only adds and updates rows.
- One transaction: a failure part-way (including an unexpected exception) changes nothing.
- Our own vocabularies (taxonomies with a key) are linked, never renamed by an import.
- Imported services get a slug and their scope from their service areas; after the import the
  search index is rebuilt.

The JSON is read record by record and written in batches, so 100 000 services fit in a few
hundred megabytes of memory (see benchmarks/import_hsds.py).

The parts: `read` (files, JSON, the data package, checks against the schemas), `resolve`
(links between records and to what the database holds, our vocabularies, areas), `write` (rows
into the directory's tables, arrays replaced, slugs and scope, the search index) and `report`
(what the page and the command show). `Importer` puts them together for one import;
`import_hsds()` runs it in one transaction and writes the audit event.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from omzien.audit.services import record_event
from omzien.interop import tabular
from omzien.interop.hsds_import.read import Reader, document_kind, hsds_required_columns
from omzien.interop.hsds_import.report import ImportFailed, ImportReport, Issue, IssueLog
from omzien.interop.hsds_import.resolve import Resolver
from omzien.interop.hsds_import.state import ImportState
from omzien.interop.hsds_import.write import (
    Writer,
    analyze_tables,
    bigger_page_cache,
    rebuild_search_index,
    scope_for,
    write_rows,
)

__all__ = [
    "ImportFailed",
    "ImportReport",
    "Importer",
    "Issue",
    "analyze_tables",
    "bigger_page_cache",
    "document_kind",
    "hsds_required_columns",
    "import_hsds",
    "rebuild_search_index",
    "scope_for",
    "write_rows",
]


class Importer:
    """One import: the reader fills batches, the resolver settles their links, the writer
    writes them; every problem goes through the issue log into `report`."""

    def __init__(self) -> None:
        self.state = ImportState()
        self.log = IssueLog(ImportReport(source=""))
        self.resolver = Resolver(self.state, self.log)
        self.writer = Writer(self.state, self.log, self.resolver)
        self.reader = Reader(self.state, self.log, self.resolver, self.writer.flush)

    @property
    def report(self) -> ImportReport:
        return self.log.report

    @property
    def partial(self) -> bool:
        """Spreadsheets fill in some columns only: an existing object keeps what they leave out."""
        return self.writer.partial

    @partial.setter
    def partial(self, value: bool) -> None:
        self.writer.partial = value

    def import_json(self, path: Path) -> None:
        self.reader.import_json(path)

    def import_documents(self, documents: Iterable[tuple[str, dict[str, Any]]], file: str) -> None:
        """HSDS documents made elsewhere (the spreadsheet import), each with its own label."""
        self.reader.import_documents(documents, file)

    def import_package(self, path: Path) -> None:
        services = self.reader.import_package(path)
        self.writer.update_scope_from_database(services - self.state.failed["service"])

    def finish(self) -> None:
        """Settle links that could point forward in the file; fresh planner statistics."""
        self.writer.settle_deferred()
        self.log.metadata_not_read(self.reader.metadata_files)
        analyze_tables()


def import_hsds(path: Path, *, actor: Any = None, request: Any = None) -> ImportReport:
    """Import a JSON file or a tabular data package; all or nothing (see the module docstring)."""
    if not path.exists():
        raise ImportFailed(_("Dit bestand of deze map bestaat niet."), path.name)
    importer = Importer()
    importer.report.source = path.name
    try:
        with transaction.atomic():
            with bigger_page_cache():
                if (
                    path.is_dir()
                    or path.suffix.lower() == ".zip"
                    or tabular.zipfile.is_zipfile(path)
                ):
                    importer.import_package(path)
                else:
                    importer.import_json(path)
                importer.finish()
            # After the page cache is back to normal: the index brings its own memory needs.
            importer.report.search_index = rebuild_search_index()
            record_event(
                "directory.import_hsds",
                request=request,
                actor=actor,
                object_type="hsds",
                object_id=path.name[:64],
                details=importer.report.counts(),
            )
    except ImportFailed:
        raise
    except OSError as exc:
        raise ImportFailed(
            _("Het bestand kan niet worden gelezen: %(msg)s") % {"msg": exc.strerror or exc},
            path.name,
        ) from exc
    return importer.report
