"""Reading the input: a JSON file record by record, HSDS documents made elsewhere (the
spreadsheet import), or the tabular data package. Every record is checked against the vendored
HSDS schemas and by `hsds.to_model_values()`, then put in the batch; a full batch goes to the
writer (`flush`)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from django.utils.translation import gettext as _

from omzien.interop import hsds, jsonstream, tabular
from omzien.interop.hsds import ENTITIES, ENTITY_ORDER, FlatRecord, Kind, Level, canonical_id
from omzien.interop.hsds_import.report import ImportFailed, IssueLog
from omzien.interop.hsds_import.resolve import Resolver
from omzien.interop.hsds_import.state import SHARED, Id, ImportState, Row, entity_label
from omzien.interop.hsds_schemas import (
    SchemaProblem,
    dotted_path,
    load_schema,
    tabular_row_schema,
    validate,
    validate_row,
)

BATCH_RECORDS = 2000  # top-level JSON records per write
BATCH_ROWS = 5000  # CSV rows per write

_SERVICE_KEYS = frozenset(
    {
        "status",
        "organization",
        "organization_id",
        "program",
        "program_id",
        "service_at_locations",
        "service_areas",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "application_process",
        "fees_description",
        "cost_options",
        "capacities",
        "required_documents",
        "assured_date",
    }
)
_ORGANIZATION_KEYS = frozenset(
    {
        "website",
        "tax_status",
        "tax_id",
        "year_incorporated",
        "legal_status",
        "logo",
        "parent_organization_id",
        "services",
        "organization_identifiers",
        "programs",
        "locations",
        "additional_websites",
    }
)
_TERM_KEYS = frozenset({"taxonomy_detail", "taxonomy_id", "term_uri", "parent_id", "code"})
_TAXONOMY_KEYS = frozenset({"id", "name", "description", "uri", "version", "metadata"})


class Flush(Protocol):
    """Resolve and write the batch read so far (`Writer.flush`)."""

    def __call__(self, defer_unknown: bool) -> None: ...


class Reader:
    """Reads records into the batch, handing each full batch to `flush`."""

    def __init__(self, state: ImportState, log: IssueLog, resolver: Resolver, flush: Flush) -> None:
        self.state = state
        self.log = log
        self.resolver = resolver
        self.flush = flush
        self.metadata_files: set[str] = set()

    # --- one record -----------------------------------------------------------------------------

    def add(self, flat: FlatRecord, file: str, record: str) -> bool:
        """Check one flat record and put it in the batch; False when it is skipped."""
        entity = flat.entity
        record_id = canonical_id(flat.data.get("id"))
        if record_id is None:
            self.log.issue(
                Level.ERROR,
                file,
                record,
                dotted_path((*flat.path, "id")),
                _("“%(value)s” is geen geldige id (UUID). Overgeslagen.")
                % {"value": flat.data.get("id")},
            )
            return False
        if record_id in self.state.failed[entity]:
            return False
        existing = self.state.batch[entity].get(record_id)
        if existing is not None:
            self._merge(existing, flat)
            return True
        if (
            entity in SHARED
            and record_id in self.state.written[entity]
            and self.state.package_ids is None
        ):
            return True  # already imported from an earlier record of this file
        values, problems = hsds.to_model_values(flat)
        row = Row(entity, record_id, values or {}, flat.data, file, record, flat.path)
        for problem in problems:
            message = problem.message
            if problem.level is Level.ERROR:
                message = f"{message} {self.log.skipped(row)}"
            self.log.row_issue(row, problem.level, problem.field, message)
        if values is None:
            self.state.failed[entity].add(record_id)
            self.resolver.report_unknown_links(row)
            return False
        if entity == "service_area":
            values["area_code"] = self.resolver.area_code(values)
        self.state.batch[entity][record_id] = row
        return True

    def _read_before(self, entity: str, record_id: Any) -> bool:
        """A shared object imported from an earlier batch: the first copy is the one used."""
        if entity not in SHARED:
            return False
        written = self.state.written.get(entity)
        if not written:
            return False
        return record_id in written or canonical_id(record_id) in written

    def _merge(self, row: Row, flat: FlatRecord) -> None:
        """A second copy of the same object (HSDS nests shared objects in several places)."""
        for name, value in flat.data.items():
            spec = ENTITIES[row.entity].field(name)
            if spec is None or value is None:
                continue
            if spec.kind is Kind.LINK:
                if row.values.get(name) is None:
                    row.values[name] = canonical_id(value)
            elif name in row.raw and row.raw[name] != value:
                self.log.row_issue(
                    row,
                    Level.WARNING,
                    name,
                    _(
                        "Dit object staat meer dan eens in het bestand, met verschillende "
                        "waarden; de eerste is gebruikt."
                    ),
                )

    # --- JSON -------------------------------------------------------------------------------------

    def import_json(self, path: Path) -> None:
        file = path.name
        try:
            with path.open(encoding="utf-8-sig") as handle:
                count = 0
                for index, item in enumerate(jsonstream.records(handle), start=1):
                    self.log.report.records_read += 1
                    self._json_record(item, file, _("record %(n)s") % {"n": index})
                    count += 1
                    if count >= BATCH_RECORDS:
                        self.flush(defer_unknown=True)
                        count = 0
        except UnicodeDecodeError as exc:
            raise ImportFailed(
                _("Dit is geen tekstbestand in UTF-8 (misschien een binair bestand)."), file
            ) from exc
        except jsonstream.JsonStreamError as exc:
            if str(exc) == "empty":
                raise ImportFailed(_("Het bestand is leeg."), file) from exc
            if str(exc) == "binary":
                raise ImportFailed(
                    _("Dit is geen tekstbestand (misschien een binair bestand)."), file
                ) from exc
            where = {"line": exc.line, "col": exc.column}
            if str(exc) == jsonstream.TOO_DEEP:
                raise ImportFailed(
                    _(
                        "Dit bestand is te diep genest (regel %(line)s, kolom %(col)s): er staan "
                        "te veel lijsten of objecten in elkaar. HSDS heeft maar een paar lagen."
                    )
                    % where,
                    file,
                ) from exc
            if str(exc) == jsonstream.TOO_MANY_DIGITS:
                raise ImportFailed(
                    _(
                        "Er staat een getal met te veel cijfers in (regel %(line)s, kolom "
                        "%(col)s). Zet zo'n lange code tussen aanhalingstekens, als tekst."
                    )
                    % where,
                    file,
                ) from exc
            raise ImportFailed(
                _("Dit is geen geldige JSON (regel %(line)s, kolom %(col)s): %(msg)s")
                % {"line": exc.line, "col": exc.column, "msg": exc},
                file,
            ) from exc
        self.flush(defer_unknown=True)

    def import_documents(self, documents: Iterable[tuple[str, dict[str, Any]]], file: str) -> None:
        """HSDS documents made elsewhere (the spreadsheet import), each with its own label."""
        count = 0
        for label, document in documents:
            self.log.report.records_read += 1
            self._json_record(document, file, label)
            count += 1
            if count >= BATCH_RECORDS:
                self.flush(defer_unknown=True)
                count = 0
        self.flush(defer_unknown=True)

    def _json_record(self, item: Any, file: str, label: str) -> None:
        if not isinstance(item, dict):
            self.log.issue(
                Level.ERROR, file, label, "", _("Dit record is geen JSON-object. Overgeslagen.")
            )
            return
        if any(isinstance(key, str) and key.endswith(".csv") for key in item):
            raise ImportFailed(
                _(
                    "Dit is de tabelvorm van HSDS in JSON. Lees die in als datapakket: een map "
                    "of zip met datapackage.json en CSV-bestanden."
                ),
                file,
            )
        entity = document_kind(item)
        document = item
        problems = validate(_schema_for(entity), document)
        if problems:
            # Empty strings and nulls count as absent; only worth a second walk when they
            # could be the reason the record does not validate.
            document = _without_empty(item)
            entity = document_kind(document)
            problems = validate(_schema_for(entity), document)
        skip: set[int] = set()
        for problem in problems:
            target, target_path, target_entity = _record_at(document, entity, problem)
            record_id = target.get("id", "?")
            where = (
                label if not target_path else f"{label} › {entity_label(target_entity, record_id)}"
            )
            self.log.issue(
                Level.ERROR,
                file,
                where,
                problem.dotted,
                _("Klopt niet met het HSDS-schema: %(msg)s. %(skipped)s")
                % {
                    "msg": problem.message,
                    "skipped": _("%(what)s is overgeslagen.")
                    % {"what": entity_label(target_entity, record_id)},
                },
                key=(target_entity, record_id, problem.dotted),
            )
            skip.add(id(target))
        if id(document) in skip:
            return
        flat = hsds.flatten(document, entity, skip=skip, known=self._read_before)
        if flat.metadata_skipped:
            self.metadata_files.add(file)
        failed_paths: list[tuple[str | int, ...]] = []
        # Outer objects first: when one is skipped, so is everything in it; and a shared object
        # is reported where it sits highest in the document.
        records = sorted(flat.records, key=lambda r: len(r.path))
        for record in records:
            if any(record.path[: len(p)] == p for p in failed_paths):
                continue
            if not self.add(record, file, label):
                failed_paths.append(record.path)
                if record.path == ():
                    return
        for (parent_entity, parent_id, key), child_ids in flat.arrays.items():
            parent = canonical_id(parent_id)
            if parent is not None:
                self.state.arrays[(parent_entity, parent, key)] = {
                    c for c in map(canonical_id, child_ids) if c is not None
                }

    # --- tabular ----------------------------------------------------------------------------------

    def import_package(self, path: Path) -> set[Id]:
        """Read every table of the package; the ids of its services (their scope comes last)."""
        try:
            source = tabular.open_package(path)
        except tabular.PackageError as exc:
            raise ImportFailed(str(exc), exc.file or path.name) from exc
        try:
            return self._import_package(source)
        except tabular.PackageError as exc:
            raise ImportFailed(str(exc), exc.file) from exc
        finally:
            source.close()

    def _import_package(self, source: tabular.PackageSource) -> set[Id]:
        resources = tabular.read_descriptor(source)
        tables: dict[str, str] = {}
        for name, csv_path in resources:
            entity = tabular.entity_for(name, csv_path)
            if entity is None:
                if name in ("metadata", "meta_table_description"):
                    self.log.issue(
                        Level.NOTE,
                        csv_path,
                        "",
                        "",
                        _("%(file)s is niet ingelezen: Omzien houdt dit zelf bij.")
                        % {"file": csv_path},
                    )
                else:
                    self.log.issue(
                        Level.NOTE,
                        csv_path,
                        "",
                        "",
                        _("%(file)s is geen HSDS-tabel en is niet ingelezen.") % {"file": csv_path},
                    )
                continue
            if not source.exists(csv_path):
                raise ImportFailed(
                    _("Dit bestand staat in datapackage.json maar ontbreekt in het pakket."),
                    csv_path,
                )
            tables[entity] = csv_path
        if not tables:
            raise ImportFailed(
                _("Dit datapakket bevat geen HSDS-tabellen (zoals services.csv)."),
                "datapackage.json",
            )
        # First the ids of every table, so links can be checked against the whole package.
        self.state.package_ids = {}
        for entity, csv_path in tables.items():
            self.state.package_ids[entity] = self._check_header_and_ids(source, entity, csv_path)
        for entity in ENTITY_ORDER:
            if entity in tables:
                self._import_table(source, entity, tables[entity])
        return set(self.state.package_ids.get("service", set()))

    def _check_header_and_ids(
        self, source: tabular.PackageSource, entity: str, csv_path: str
    ) -> set[Id]:
        schema_columns = tabular.columns(entity)
        required = hsds_required_columns(entity)
        ids: set[Id] = set()
        with tabular.csv_rows(source, csv_path) as (header, rows):
            duplicates = sorted({name for name in header if header.count(name) > 1})
            if duplicates:
                raise ImportFailed(
                    _("Deze kolommen staan er meer dan eens in: %(cols)s.")
                    % {"cols": ", ".join(duplicates)},
                    csv_path,
                )
            missing = [name for name in required if name not in header]
            if missing:
                raise ImportFailed(
                    _(
                        "De kopregel klopt niet: deze verplichte kolommen ontbreken: %(missing)s. "
                        "Gevonden: %(found)s."
                    )
                    % {"missing": ", ".join(missing), "found": ", ".join(header) or "-"},
                    csv_path,
                )
            unknown = [name for name in header if name not in schema_columns]
            if unknown:
                self.log.issue(
                    Level.NOTE,
                    csv_path,
                    _("kopregel"),
                    ", ".join(unknown),
                    _("Deze kolommen horen niet bij HSDS en zijn niet ingelezen."),
                )
            for _line, raw in rows:
                value = canonical_id(raw.get("id"))
                if value is not None:
                    ids.add(value)
        return ids

    def _import_table(self, source: tabular.PackageSource, entity: str, csv_path: str) -> None:
        seen: set[Id] = set()
        count = 0
        with tabular.csv_rows(source, csv_path) as (_header, rows):
            for line, raw in rows:
                self.log.report.records_read += 1
                label = _("regel %(line)s") % {"line": line}
                row = tabular.typed_row(entity, raw)
                if row.get("id"):
                    label = f"{label} (id {row['id']})"
                problems = validate_row(entity, row)
                if problems:
                    for problem in problems:
                        self.log.issue(
                            Level.ERROR,
                            csv_path,
                            label,
                            problem.dotted,
                            _(
                                "Klopt niet met het HSDS-schema: %(msg)s. "
                                "Deze regel is overgeslagen."
                            )
                            % {"msg": problem.message},
                        )
                    failed_id = canonical_id(row.get("id"))
                    if failed_id is not None:
                        self.state.failed[entity].add(failed_id)
                    continue
                record_id = canonical_id(row["id"])
                assert record_id is not None  # the schema checked its format
                if record_id in seen:
                    self.log.issue(
                        Level.ERROR,
                        csv_path,
                        label,
                        "id",
                        _("Deze id staat al op een eerdere regel. Deze regel is overgeslagen."),
                    )
                    continue
                seen.add(record_id)
                self.add(FlatRecord(entity, row), csv_path, label)
                count += 1
                if count >= BATCH_ROWS:
                    self.flush(defer_unknown=False)
                    count = 0
        self.flush(defer_unknown=False)


def hsds_required_columns(entity: str) -> list[str]:
    return list(tabular_row_schema(entity)["required"])


def document_kind(document: dict[str, Any]) -> str:
    """Which HSDS object a JSON record is, by the fields it has."""
    keys = set(document)
    if "name" not in keys and keys & {"location", "service", "location_id", "service_id"}:
        return "service_at_location"
    if keys & _SERVICE_KEYS:
        return "service"
    if keys & _ORGANIZATION_KEYS:
        return "organization"
    if "location_type" in keys or "addresses" in keys or "accessibility" in keys:
        return "location"
    if keys & _TERM_KEYS:
        return "taxonomy_term"
    if "version" in keys and keys <= _TAXONOMY_KEYS:
        return "taxonomy"
    if "description" in keys:
        return "organization"
    return "service"


def _schema_for(entity: str) -> str:
    compiled = {"service", "organization", "service_at_location"}
    return f"compiled/{entity}.json" if entity in compiled else f"{entity}.json"


def _entity_at(root: str, path: tuple[str | int, ...]) -> str:
    entity = root
    for part in path:
        if isinstance(part, int):
            continue
        spec = ENTITIES[entity]
        child = next((c for c in spec.children if c.key == part), None)
        nested = next((n for n in spec.nested if n.key == part), None)
        if child is not None:
            entity = child.entity
        elif nested is not None:
            entity = nested.entity
        elif part == "attributes":
            entity = "attribute"
        else:
            break
    return entity


def _record_at(
    document: dict[str, Any], entity: str, problem: SchemaProblem
) -> tuple[dict[str, Any], tuple[str | int, ...], str]:
    """The innermost object on the problem's path: that record is the faulty one."""
    node: Any = document
    target: dict[str, Any] = document
    target_path: tuple[str | int, ...] = ()
    for index, part in enumerate(problem.path[:-1]):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict):
            target, target_path = node, problem.path[: index + 1]
    return target, target_path, _entity_at(entity, target_path)


def _without_empty(value: Any) -> Any:
    """Nulls count as absent, and so do empty strings where HSDS would reject them (an empty
    e-mail address, id, status or number): feeds often send "" for "unknown". An empty string
    that the schema allows (a required but empty description) stays."""
    if isinstance(value, dict):
        return {
            key: _without_empty(item)
            for key, item in value.items()
            if item is not None and not (item == "" and key in _empty_means_absent())
        }
    if isinstance(value, list):
        return [_without_empty(item) for item in value]
    return value


@cache
def _empty_means_absent() -> frozenset[str]:
    names: set[str] = set()
    for entity in ENTITIES:
        for name, spec in load_schema(f"{entity}.json")["properties"].items():
            if spec.get("format") in ("uuid", "email") or "enum" in spec:
                names.add(name)
            if spec.get("type") in ("number", "integer", "boolean", "array", "object"):
                names.add(name)
    return frozenset(names)
