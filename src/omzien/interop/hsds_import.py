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
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from omzien.areas.models import Municipality
from omzien.audit.services import record_event
from omzien.directory import models as m
from omzien.directory.search import get_backend
from omzien.interop import hsds, jsonstream, tabular
from omzien.interop.hsds import ENTITIES, ENTITY_ORDER, FlatRecord, Kind, Level, canonical_id
from omzien.interop.hsds_schemas import (
    SchemaProblem,
    dotted_path,
    load_schema,
    tabular_row_schema,
    validate,
    validate_row,
)

# Ids are kept as canonical text (lower case, with dashes) inside the importer.
Id = str

BATCH_RECORDS = 2000  # top-level JSON records per write
BATCH_ROWS = 5000  # CSV rows per write
QUERY_CHUNK = 500  # ids per "IN (...)" query, well under SQLite's parameter limit
IMPORT_CACHE_KIB = 32 * 1024

# Objects many records share: written once per import, even if they appear a thousand times.
SHARED = frozenset({"organization", "program", "location", "taxonomy", "taxonomy_term", "unit"})
# Objects that only exist to belong to something: without any link they are not imported.
BELONGING = frozenset(
    {"phone", "contact", "schedule", "service_area", "language", "funding", "url", "accessibility"}
)
# Arrays that are not replaced: what they hold may be used by other objects too.
NOT_REPLACED = frozenset(
    {("organization", "locations"), ("organization", "programs"), ("organization", "services")}
)
SELF_LINKS = frozenset({("organization", "parent_organization_id"), ("taxonomy_term", "parent_id")})

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
_CBS_CODE = re.compile(r"\b(GM\d{4}|WK\d{6}|BU\d{8})\b")
_NATIONAL = frozenset({"nederland", "nl", "heel nederland", "landelijk", "the netherlands"})


class ImportFailed(Exception):
    """The data cannot be imported at all; nothing has changed."""

    def __init__(self, message: str, file: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.file = file

    def __str__(self) -> str:
        return f"{self.file}: {self.message}" if self.file else self.message


@dataclass(frozen=True)
class Issue:
    level: Level
    file: str
    record: str  # "record 3 › phone 1554f2e2-…" or "regel 5 (id …)"
    field: str  # "phones[0].number" or "number"
    message: str

    def __str__(self) -> str:
        where = " · ".join(part for part in (self.file, self.record, self.field) if part)
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    source: str
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    issues: list[Issue] = field(default_factory=list)
    records_read: int = 0
    search_index: str = ""

    def of_level(self, level: Level) -> list[Issue]:
        return [issue for issue in self.issues if issue.level is level]

    @property
    def errors(self) -> list[Issue]:
        return self.of_level(Level.ERROR)

    @property
    def warnings(self) -> list[Issue]:
        return self.of_level(Level.WARNING)

    @property
    def notes(self) -> list[Issue]:
        return self.of_level(Level.NOTE)

    def counts(self) -> dict[str, Any]:
        """Numbers only, for the audit log."""
        return {
            "records_read": self.records_read,
            "created": dict(self.created),
            "updated": dict(self.updated),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }

    def summary(self) -> str:
        return _(
            "%(read)s records gelezen. Diensten: %(new)s nieuw, %(changed)s bijgewerkt. "
            "%(errors)s fouten (overgeslagen), %(warnings)s waarschuwingen (hersteld)."
        ) % {
            "read": self.records_read,
            "new": self.created["service"],
            "changed": self.updated["service"],
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }


@dataclass(slots=True)
class _Row:
    entity: str
    id: Id
    values: dict[str, Any]
    raw: dict[str, Any]  # the HSDS fields as read, to notice a second, different copy
    file: str
    record: str
    path: tuple[str | int, ...]


@dataclass
class _Deferred:
    """A link to something that may still come later in the file; settled at the end."""

    row: _Row
    attr: str
    target: str
    target_id: Id


def _label(entity: str, record_id: Any) -> str:
    return f"{entity} {record_id}"


class Importer:
    def __init__(self) -> None:
        self.report = ImportReport(source="")
        self.batch: dict[str, dict[Id, _Row]] = defaultdict(dict)
        self.arrays: dict[tuple[str, Id, str], set[Id]] = {}
        self.written: dict[str, set[Id]] = defaultdict(set)
        self.failed: dict[str, set[Id]] = defaultdict(set)
        self.deferred: list[_Deferred] = []
        self.package_ids: dict[str, set[Id]] | None = None
        self.touched_services: set[Id] = set()
        # Ids that were in the database before this import wrote them (per entity).
        self.preexisting: dict[str, set[Id]] = defaultdict(set)
        self._issue_keys: set[tuple[Any, ...]] = set()
        self._municipalities: dict[str, str] | None = None
        self._protected_taxonomies: set[Id] | None = None
        self._metadata_files: set[str] = set()
        # Spreadsheets fill in some columns only: an existing object keeps what they leave out.
        self.partial = False

    # --- reporting ---------------------------------------------------------------------------

    def issue(
        self, level: Level, file: str, record: str, field_name: str, message: str, key: Any = None
    ) -> None:
        dedupe = (level, file, field_name, message, key if key is not None else record)
        if dedupe in self._issue_keys:
            return
        self._issue_keys.add(dedupe)
        self.report.issues.append(Issue(level, file, record, field_name, message))

    def row_issue(self, row: _Row, level: Level, field_name: str, message: str) -> None:
        where = dotted_path((*row.path, field_name)) if row.path else field_name
        self.issue(
            level,
            row.file,
            f"{row.record} › {_label(row.entity, row.id)}" if row.path else row.record,
            where,
            message,
            key=(row.entity, row.id),
        )

    # --- adding records ------------------------------------------------------------------------

    def add(self, flat: FlatRecord, file: str, record: str) -> bool:
        """Check one flat record and put it in the batch; False when it is skipped."""
        entity = flat.entity
        record_id = canonical_id(flat.data.get("id"))
        if record_id is None:
            self.issue(
                Level.ERROR,
                file,
                record,
                dotted_path((*flat.path, "id")),
                _("“%(value)s” is geen geldige id (UUID). Overgeslagen.")
                % {"value": flat.data.get("id")},
            )
            return False
        if record_id in self.failed[entity]:
            return False
        existing = self.batch[entity].get(record_id)
        if existing is not None:
            self._merge(existing, flat)
            return True
        if entity in SHARED and record_id in self.written[entity] and self.package_ids is None:
            return True  # already imported from an earlier record of this file
        values, problems = hsds.to_model_values(flat)
        row = _Row(entity, record_id, values or {}, flat.data, file, record, flat.path)
        for problem in problems:
            message = problem.message
            if problem.level is Level.ERROR:
                message = f"{message} {self._skipped(row)}"
            self.row_issue(row, problem.level, problem.field, message)
        if values is None:
            self.failed[entity].add(record_id)
            self._report_unknown_links(row)
            return False
        if entity == "service_area":
            values["area_code"] = self._area_code(values)
        self.batch[entity][record_id] = row
        return True

    def _report_unknown_links(self, row: _Row) -> None:
        """For a skipped CSV row, also name the links that point nowhere (all at once)."""
        if self.package_ids is None:
            return
        for spec in ENTITIES[row.entity].links:
            target_id = canonical_id(row.raw.get(spec.name))
            if spec.name == "id" or target_id is None:
                continue
            if self._known_elsewhere(spec.target, target_id):
                continue
            if self._in_database({spec.target: {target_id}}).get(spec.target):
                continue
            self.row_issue(
                row,
                Level.ERROR,
                spec.name,
                _(
                    "Verwijst naar %(target)s %(id)s, maar dat staat niet in het bestand en ook "
                    "niet in de database."
                )
                % {
                    "target": spec.target if spec.target != "*" else _("een object"),
                    "id": target_id,
                },
            )

    def _read_before(self, entity: str, record_id: Any) -> bool:
        """A shared object imported from an earlier batch: the first copy is the one used."""
        if entity not in SHARED:
            return False
        written = self.written.get(entity)
        if not written:
            return False
        return record_id in written or canonical_id(record_id) in written

    def _skipped(self, row: _Row) -> str:
        return _("%(what)s is overgeslagen.") % {"what": _label(row.entity, row.id)}

    def _merge(self, row: _Row, flat: FlatRecord) -> None:
        """A second copy of the same object (HSDS nests shared objects in several places)."""
        for name, value in flat.data.items():
            spec = ENTITIES[row.entity].field(name)
            if spec is None or value is None:
                continue
            if spec.kind is Kind.LINK:
                if row.values.get(name) is None:
                    row.values[name] = canonical_id(value)
            elif name in row.raw and row.raw[name] != value:
                self.row_issue(
                    row,
                    Level.WARNING,
                    name,
                    _(
                        "Dit object staat meer dan eens in het bestand, met verschillende "
                        "waarden; de eerste is gebruikt."
                    ),
                )

    def _area_code(self, values: dict[str, Any]) -> str:
        """The CBS code (or "NL") a service area stands for, for scope and area filters."""
        texts = [str(values.get(k) or "") for k in ("name", "extent", "uri", "description")]
        for text in texts[:2]:
            if text.strip().lower() in _NATIONAL:
                return "NL"
        for text in texts:
            found = _CBS_CODE.search(text)
            if found:
                return found.group(1)
        if self._municipalities is None:
            self._municipalities = {
                name.lower(): code
                for code, name in Municipality.objects.values_list("code", "name")
            }
        name = texts[0].strip().lower().removeprefix("gemeente ").strip()
        return self._municipalities.get(name, "")

    # --- links -----------------------------------------------------------------------------------

    def _known_in_batch(self, target: str, target_id: Id) -> bool:
        if target == "*":
            return any(target_id in rows for rows in self.batch.values())
        return target_id in self.batch[target]

    def _known_elsewhere(self, target: str, target_id: Id) -> bool:
        entities = ENTITIES if target == "*" else (target,)
        for entity in entities:
            if target_id in self.failed[entity]:
                continue
            if target_id in self.written[entity]:
                return True
            if self.package_ids is not None and target_id in self.package_ids.get(entity, ()):
                return True
        return False

    def _in_database(self, wanted: dict[str, set[Id]]) -> dict[str, set[Id]]:
        found: dict[str, set[Id]] = defaultdict(set)
        for target, ids in wanted.items():
            entities = list(ENTITIES) if target == "*" else [target]
            remaining = set(ids)
            for entity in entities:
                if not remaining:
                    break
                hits = _existing_ids(ENTITIES[entity].model, remaining)
                found[target] |= hits
                remaining -= hits
        return found

    def resolve(self, defer_unknown: bool) -> None:
        """Check every link of the batch; drop or skip what points nowhere."""
        wanted: dict[str, set[Id]] = defaultdict(set)
        for entity in ENTITY_ORDER:
            for row in self.batch[entity].values():
                for spec in hsds.link_fields(entity):
                    value = row.values.get(spec.name)
                    if value is None:
                        continue
                    if not self._known_in_batch(spec.target, value) and not self._known_elsewhere(
                        spec.target, value
                    ):
                        wanted[spec.target].add(value)
        in_database = self._in_database(wanted)
        links = {row.values["link_id"] for row in self.batch["attribute"].values()}
        services = {
            link
            for link in links
            if link in self.batch["service"]
            or (self.package_ids is not None and link in self.package_ids.get("service", ()))
        }
        services |= _existing_ids(m.Service, links - services)
        for entity in ENTITY_ORDER:
            for row in list(self.batch[entity].values()):
                self._resolve_row(row, in_database, defer_unknown, services)

    def _resolve_row(
        self,
        row: _Row,
        in_database: dict[str, set[Id]],
        defer_unknown: bool,
        services: set[Id],
    ) -> None:
        entity = row.entity
        model = ENTITIES[entity].model
        pending = False
        for spec in hsds.link_fields(entity):
            value = row.values.get(spec.name)
            if value is None:
                continue
            known = (
                self._known_in_batch(spec.target, value)
                or self._known_elsewhere(spec.target, value)
                or value in in_database.get(spec.target, ())
            )
            if (entity, spec.name) in SELF_LINKS:
                # Settled at the end, when every object of the file is in.
                row.values[spec.name] = None
                self.deferred.append(_Deferred(row, spec.name, spec.target, value))
                pending = True
                continue
            if known:
                continue
            required = spec.name == "link_id" or not model._meta.get_field(spec.name).null
            message = _(
                "Verwijst naar %(target)s %(id)s, maar dat staat niet in het bestand en ook "
                "niet in de database."
            ) % {"target": spec.target if spec.target != "*" else _("een object"), "id": value}
            if required:
                self.row_issue(row, Level.ERROR, spec.name, f"{message} {self._skipped(row)}")
                self._drop(row)
                return
            row.values[spec.name] = None
            if defer_unknown:
                self.deferred.append(_Deferred(row, spec.name, spec.target, value))
                pending = True
            else:
                dropped = _("De verwijzing is weggelaten.")  # outside the f-string for makemessages
                self.row_issue(row, Level.WARNING, spec.name, f"{message} {dropped}")
        if entity == "attribute":
            link = row.values["link_id"]
            is_service = link in services and link not in self.failed["service"]
            row.values["service_id"] = link if is_service else None
        linked = any(row.values.get(spec.name) for spec in hsds.link_fields(entity))
        if entity in BELONGING and not linked and not pending:
            self.row_issue(
                row,
                Level.ERROR,
                "id",
                _("Dit object hoort bij niets (geen dienst, locatie of organisatie). %(skipped)s")
                % {"skipped": self._skipped(row)},
            )
            self._drop(row)

    def _drop(self, row: _Row) -> None:
        self.batch[row.entity].pop(row.id, None)
        self.failed[row.entity].add(row.id)

    # --- writing ---------------------------------------------------------------------------------

    def flush(self, defer_unknown: bool) -> None:
        if not any(self.batch.values()):
            self.arrays.clear()
            return
        self.resolve(defer_unknown)
        written_services: list[Id] = []
        for entity in ENTITY_ORDER:
            rows = self.batch[entity]
            if rows:
                self._write(entity, list(rows.values()))
                if entity == "service":
                    written_services.extend(rows)
        if not self.partial:
            self._replace_arrays()
        self.touched_services.update(written_services)
        self.batch.clear()
        self.arrays.clear()
        self.preexisting.clear()

    def _write(self, entity: str, rows: list[_Row]) -> None:
        spec = ENTITIES[entity]
        ids = [row.id for row in rows]
        extra = ["scope"] if entity == "service" else []
        existing = _existing_values(
            spec.model, ids, [s.name for s in hsds.link_fields(entity)], extra
        )
        self.preexisting[entity] |= existing.keys()
        if entity in ("taxonomy", "taxonomy_term"):
            rows = self._without_protected(entity, rows, existing)
            if not rows:
                return
        now = timezone.now()
        records = []
        for row in rows:
            values = _complete(entity, row.values)
            old = existing.get(row.id)
            if old is not None:
                for link, current in old.items():
                    if row.values.get(link) is None and link in values:
                        values[link] = current  # links come from several places; keep them
            if entity == "service":
                values["scope"] = self._scope(row.id, old)
            if entity == "service" and values.get("last_modified") is None:
                values["last_modified"] = now
            if entity == "organization":
                values["last_modified"] = now
            values["id"] = row.id
            records.append(values)
        if entity == "service":
            self._give_slugs([r for r in records if r["id"] not in existing])
        update = [hsds.attname(f) for f in spec.fields if f.name != "id"]
        update += {"organization": ["last_modified"], "service_area": ["area_code"]}.get(entity, [])
        if entity == "attribute":
            update.append("service_id")
        if entity == "service":
            update.append("scope")
        if self.partial:
            self._write_partial(entity, rows, records, update, existing)
        else:
            write_rows(spec.model, records, update, existing)
        for row in rows:
            (self.report.updated if row.id in existing else self.report.created)[entity] += 1
            if entity in SHARED:
                self.written[entity].add(row.id)

    def _write_partial(
        self,
        entity: str,
        rows: list[_Row],
        records: list[dict[str, Any]],
        update: list[str],
        existing: dict[Id, dict[str, Any]],
    ) -> None:
        """Spreadsheets: an existing row only gets the columns this record fills in."""
        model = ENTITIES[entity].model
        write_rows(model, [r for r in records if r["id"] not in existing], update, existing)
        automatic = {"last_modified", "service_id", "area_code"}
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for row, record in zip(rows, records, strict=True):
            if row.id not in existing:
                continue
            given = [
                name
                for name in update
                if row.values.get(name) not in (None, "") or name in automatic
            ]
            if entity == "service" and ("service", row.id, "service_areas") in self.arrays:
                given.append("scope")
            if given:
                groups[tuple(dict.fromkeys(given))].append(record)
        for columns, group in groups.items():
            write_rows(model, group, list(columns), existing)

    def _without_protected(
        self, entity: str, rows: list[_Row], existing: dict[Id, dict[str, Any]]
    ) -> list[_Row]:
        """Our own vocabularies are linked to, not changed, by an import."""
        if self._protected_taxonomies is None:
            self._protected_taxonomies = {
                str(pk) for pk in m.Taxonomy.objects.exclude(key="").values_list("id", flat=True)
            }
        protected = self._protected_taxonomies
        if entity == "taxonomy":
            keep = [row for row in rows if row.id not in protected]
        else:
            protected_terms = _existing_ids(
                m.TaxonomyTerm,
                {row.id for row in rows if row.id in existing},
                taxonomy_id__in=protected,
            )
            keep = [row for row in rows if row.id not in protected_terms]
        kept = {row.id for row in keep}
        for row in rows:
            if row.id not in kept:
                self.written[entity].add(row.id)
        return keep

    def _give_slugs(self, records: list[dict[str, Any]]) -> None:
        """A unique slug for each new service: its name and the start of its id."""
        candidates = {
            r["id"]: f"{slugify(r['name'])[:100].strip('-') or 'dienst'}-{r['id'][:8]}"
            for r in records
        }
        taken: set[str] = set()
        values = list(candidates.values())
        for chunk in _chunks(values):
            taken.update(m.Service.objects.filter(slug__in=chunk).values_list("slug", flat=True))
        seen: set[str] = set()
        for record in records:
            slug = candidates[record["id"]]
            if slug in taken or slug in seen:
                slug = f"{slug[:80]}-{record['id'].replace('-', '')}"
            seen.add(slug)
            record["slug"] = slug

    def _replace_arrays(self) -> None:
        """An array present in a document replaces what its parent had of that kind."""
        grouped: dict[tuple[str, str], dict[Id, set[Id]]] = defaultdict(dict)
        for (entity, parent_id, key), child_ids in self.arrays.items():
            if (entity, key) in NOT_REPLACED or parent_id not in self.batch[entity]:
                continue
            if parent_id not in self.preexisting[entity]:
                continue  # new in this import: it has nothing else yet
            grouped[(entity, key)][parent_id] = child_ids
        for (entity, key), parents in grouped.items():
            if key == "attributes":
                self._replace_attributes(entity, parents)
                continue
            child = next(c for c in ENTITIES[entity].children if c.key == key)
            model = ENTITIES[child.entity].model
            stale: list[Id] = []
            for chunk in _chunks(list(parents)):
                for child_uuid, parent_uuid in model._default_manager.filter(
                    **{f"{child.link}__in": chunk}
                ).values_list("id", child.link):
                    if str(child_uuid) not in parents[str(parent_uuid)]:
                        stale.append(str(child_uuid))
            if not stale:
                continue
            link_field = model._meta.get_field(child.link)
            if link_field.null:
                for chunk in _chunks(stale):
                    model._default_manager.filter(id__in=chunk).update(**{child.link: None})
                _delete_orphans(child.entity, stale)
            else:
                _delete_unlinking(child.entity, stale)

    def _replace_attributes(self, entity: str, parents: dict[Id, set[Id]]) -> None:
        stale: list[Id] = []
        for chunk in _chunks(list(parents)):
            queryset = m.Attribute.objects.filter(link_id__in=chunk)
            if entity == "service":
                queryset = m.Attribute.objects.filter(service_id__in=chunk)
            for attribute_id, link_id, service_id in queryset.values_list(
                "id", "link_id", "service_id"
            ):
                parent = str(service_id if entity == "service" else link_id)
                if parent in parents and str(attribute_id) not in parents[parent]:
                    stale.append(str(attribute_id))
        for chunk in _chunks(stale):
            m.Attribute.objects.filter(id__in=chunk).delete()

    def _scope(self, service_id: Id, old: dict[str, Any] | None) -> str:
        """From the service areas the document gives; else what it was, or the default."""
        area_ids = self.arrays.get(("service", service_id, "service_areas"))
        if area_ids is not None:
            areas = self.batch["service_area"]
            scope = scope_for(
                areas[area_id].values.get("area_code", "")
                for area_id in area_ids
                if area_id in areas
            )
            if scope is not None:
                return scope
        if old is not None and old.get("scope"):
            return str(old["scope"])
        return m.ServiceScope.MUNICIPALITY

    def update_scope_from_database(self, service_ids: set[Id]) -> None:
        """For the tabular format, where service areas come in their own file after services."""
        codes: dict[str, list[str]] = defaultdict(list)
        for chunk in _chunks(list(service_ids)):
            for service_id, code in (
                m.ServiceArea.objects.filter(service_id__in=chunk)
                .exclude(area_code="")
                .values_list("service_id", "area_code")
            ):
                codes[str(service_id)].append(code)
        by_scope: dict[str, list[str]] = defaultdict(list)
        for key, found in codes.items():
            scope = scope_for(found)
            if scope is not None:
                by_scope[scope].append(key)
        for scope, ids in by_scope.items():
            for chunk in _chunks(ids):
                m.Service.objects.filter(id__in=chunk).exclude(scope=scope).update(scope=scope)

    def finish(self) -> None:
        """Settle links that could point forward in the file; fresh planner statistics."""
        by_target: dict[str, set[Id]] = defaultdict(set)
        for deferred in self.deferred:
            by_target[deferred.target].add(deferred.target_id)
        present = {
            target: _existing_ids(ENTITIES[target].model, ids) - self.failed[target]
            for target, ids in by_target.items()
        }
        for deferred in self.deferred:
            row = deferred.row
            if row.id in self.failed[row.entity]:
                continue
            if deferred.target_id in present[deferred.target]:
                ENTITIES[row.entity].model._default_manager.filter(pk=row.id).update(
                    **{deferred.attr: deferred.target_id}
                )
            else:
                self.row_issue(
                    row,
                    Level.WARNING,
                    deferred.attr,
                    _(
                        "Verwijst naar %(target)s %(id)s, maar dat staat niet in het bestand en "
                        "ook niet in de database. De verwijzing is weggelaten."
                    )
                    % {"target": deferred.target, "id": deferred.target_id},
                )
        self.deferred.clear()
        for file in sorted(self._metadata_files):
            self.issue(
                Level.NOTE,
                file,
                "",
                "metadata",
                _(
                    "De wijzigingsgeschiedenis (metadata) is niet ingelezen: Omzien houdt die "
                    "zelf bij."
                ),
            )
        analyze_tables()

    # --- JSON -------------------------------------------------------------------------------------

    def import_json(self, path: Path) -> None:
        file = path.name
        try:
            with path.open(encoding="utf-8-sig") as handle:
                count = 0
                for index, item in enumerate(jsonstream.records(handle), start=1):
                    self.report.records_read += 1
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
            self.report.records_read += 1
            self._json_record(document, file, label)
            count += 1
            if count >= BATCH_RECORDS:
                self.flush(defer_unknown=True)
                count = 0
        self.flush(defer_unknown=True)

    def _json_record(self, item: Any, file: str, label: str) -> None:
        if not isinstance(item, dict):
            self.issue(
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
            where = label if not target_path else f"{label} › {_label(target_entity, record_id)}"
            self.issue(
                Level.ERROR,
                file,
                where,
                problem.dotted,
                _("Klopt niet met het HSDS-schema: %(msg)s. %(skipped)s")
                % {
                    "msg": problem.message,
                    "skipped": _("%(what)s is overgeslagen.")
                    % {"what": _label(target_entity, record_id)},
                },
                key=(target_entity, record_id, problem.dotted),
            )
            skip.add(id(target))
        if id(document) in skip:
            return
        flat = hsds.flatten(document, entity, skip=skip, known=self._read_before)
        if flat.metadata_skipped:
            self._metadata_files.add(file)
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
                self.arrays[(parent_entity, parent, key)] = {
                    c for c in map(canonical_id, child_ids) if c is not None
                }

    # --- tabular ----------------------------------------------------------------------------------

    def import_package(self, path: Path) -> None:
        try:
            source = tabular.open_package(path)
        except tabular.PackageError as exc:
            raise ImportFailed(str(exc), exc.file or path.name) from exc
        try:
            self._import_package(source)
        except tabular.PackageError as exc:
            raise ImportFailed(str(exc), exc.file) from exc
        finally:
            source.close()

    def _import_package(self, source: tabular.PackageSource) -> None:
        resources = tabular.read_descriptor(source)
        tables: dict[str, str] = {}
        for name, csv_path in resources:
            entity = tabular.entity_for(name, csv_path)
            if entity is None:
                if name in ("metadata", "meta_table_description"):
                    self.issue(
                        Level.NOTE,
                        csv_path,
                        "",
                        "",
                        _("%(file)s is niet ingelezen: Omzien houdt dit zelf bij.")
                        % {"file": csv_path},
                    )
                else:
                    self.issue(
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
        self.package_ids = {}
        for entity, csv_path in tables.items():
            self.package_ids[entity] = self._check_header_and_ids(source, entity, csv_path)
        for entity in ENTITY_ORDER:
            if entity in tables:
                self._import_table(source, entity, tables[entity])
        touched = {row_id for row_id in self.package_ids.get("service", set())}
        self.update_scope_from_database(touched - self.failed["service"])

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
                self.issue(
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
                self.report.records_read += 1
                label = _("regel %(line)s") % {"line": line}
                row = tabular.typed_row(entity, raw)
                if row.get("id"):
                    label = f"{label} (id {row['id']})"
                problems = validate_row(entity, row)
                if problems:
                    for problem in problems:
                        self.issue(
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
                        self.failed[entity].add(failed_id)
                    continue
                record_id = canonical_id(row["id"])
                assert record_id is not None  # the schema checked its format
                if record_id in seen:
                    self.issue(
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


_SCOPES = (
    ("NL", m.ServiceScope.NATIONAL),
    ("GM", m.ServiceScope.MUNICIPALITY),
    ("WK", m.ServiceScope.DISTRICT),
    ("BU", m.ServiceScope.NEIGHBOURHOOD),
)


def scope_for(area_codes: Iterable[str]) -> str | None:
    """The widest scope the area codes name (Nederland > gemeente > wijk > buurt), if any."""
    prefixes = {code[:2] for code in area_codes if code}
    for prefix, scope in _SCOPES:
        if prefix in prefixes:
            return str(scope)
    return None


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


def _chunks(items: list[Any], size: int = QUERY_CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_rows(
    model: type[models.Model],
    records: list[dict[str, Any]],
    update: list[str],
    existing: Collection[Id],
) -> None:
    """INSERT the new rows, UPDATE the `update` columns of the existing ones (executemany).

    Plain SQL: bulk_create builds a model instance and compiles every value, which made an
    import of 100 000 services several times slower; and SQLite's INSERT ... ON CONFLICT DO
    UPDATE is three times slower than a plain INSERT when foreign keys are enforced. New rows
    get the model's default for what the record does not give (slug, created_at, ...); on
    existing rows only the HSDS columns change, so internal fields keep their values.
    """
    if not records:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = model._meta.pk
    fields = list(model._meta.concrete_fields)
    by_attname = {f.attname: f for f in fields}
    new = [r for r in records if r["id"] not in existing]
    old = [r for r in records if r["id"] in existing]
    if new:
        defaults = {f.attname: f.get_default() for f in fields if not f.primary_key}
        sql = (
            f"INSERT INTO {table} ({', '.join(quote(_column(f)) for f in fields)}) "  # noqa: S608 - names from the model
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        _executemany(sql, new, [(f, defaults.get(f.attname)) for f in fields])
    if old:
        columns = [by_attname[name] for name in update]
        sql = (
            f"UPDATE {table} SET {', '.join(f'{quote(_column(f))} = %s' for f in columns)} "  # noqa: S608 - names from the model
            f"WHERE {quote(_column(pk))} = %s"
        )
        _executemany(sql, old, [(f, None) for f in [*columns, pk]])


def _executemany(
    sql: str, records: list[dict[str, Any]], columns: list[tuple[models.Field[Any, Any], Any]]
) -> None:
    names = [(f.attname, default) for f, default in columns]
    conversions = [
        (index, convert)
        for index, convert in enumerate(_converter(f) for f, _default in columns)
        if convert is not _unchanged
    ]
    params = []
    for record in records:
        get = record.get
        row = [get(name, default) for name, default in names]
        for index, convert in conversions:
            value = row[index]
            if value is not None:
                row[index] = convert(value)
        params.append(row)
    with connection.cursor() as cursor:
        for start in range(0, len(params), 2000):
            cursor.executemany(sql, params[start : start + 2000])


def _unchanged(value: Any) -> Any:
    return value


def _converter(model_field: models.Field[Any, Any]) -> Any:
    """Value -> database parameter, cheaply for the common cases."""
    target = model_field.target_field if model_field.is_relation else model_field  # type: ignore[attr-defined]
    if isinstance(target, models.UUIDField):
        if connection.vendor == "sqlite":
            return lambda value: value.replace("-", "") if isinstance(value, str) else value.hex
        return lambda value: value if isinstance(value, str) else str(value)
    plain = (
        models.CharField,
        models.TextField,
        models.IntegerField,
        models.FloatField,
        models.BooleanField,
    )
    if isinstance(target, plain):
        return _unchanged

    def prepare(value: Any) -> Any:
        return target.get_db_prep_save(value, connection)

    return prepare


def _existing_ids(model: type[models.Model], ids: Iterable[Id], **filters: Any) -> set[Id]:
    found: set[Id] = set()
    for chunk in _chunks(list(ids)):
        found.update(
            str(pk)
            for pk in model._default_manager.filter(pk__in=chunk, **filters).values_list(
                "pk", flat=True
            )
        )
    return found


def _existing_values(
    model: type[models.Model], ids: list[Id], links: list[str], extra: list[str] | None = None
) -> dict[Id, dict[str, Any]]:
    """The rows among `ids` that exist, with their links (plain SQL: this runs per batch)."""
    quote = connection.ops.quote_name
    extra = extra or []
    columns = [quote(_column(model._meta.pk))] + [
        quote(_column(model._meta.get_field(name))) for name in [*links, *extra]
    ]
    to_db = _converter(model._meta.pk)
    found: dict[Id, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        for chunk in _chunks(ids):
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {quote(model._meta.db_table)} "  # noqa: S608 - names from the model, values as parameters
                f"WHERE {columns[0]} IN ({', '.join(['%s'] * len(chunk))})",
                [to_db(i) for i in chunk],
            )
            for pk, *values in cursor.fetchall():
                row = {
                    link: _id_from_db(value)
                    for link, value in zip(links, values[: len(links)], strict=True)
                }
                row.update(zip(extra, values[len(links) :], strict=True))
                found[_id_from_db(pk)] = row  # type: ignore[index]
    return found


def _column(model_field: Any) -> str:
    column = model_field.column
    assert isinstance(column, str)
    return column


def _id_from_db(value: Any) -> Id | None:
    """SQLite keeps UUIDs as 32 hex digits, PostgreSQL as uuid: both to our canonical text."""
    if value is None:
        return None
    if isinstance(value, str) and len(value) == 32:
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    return str(value)


def _hsds_attnames(entity: str) -> frozenset[str]:
    return frozenset(hsds.attname(spec) for spec in ENTITIES[entity].fields)


def _complete(entity: str, given: dict[str, Any]) -> dict[str, Any]:
    """Every HSDS field of the model: what the record leaves out is empty (or the default)."""
    values = dict(_empty_values(entity))
    for name, value in given.items():
        if value is not None:
            values[name] = value
    return values


@cache
def _empty_values(entity: str) -> tuple[tuple[str, Any], ...]:
    model = ENTITIES[entity].model
    empty = []
    for spec in ENTITIES[entity].fields:
        if spec.name == "id":
            continue
        model_field = model._meta.get_field(hsds.attname(spec))
        assert isinstance(model_field, models.Field)
        empty.append((hsds.attname(spec), None if model_field.null else model_field.get_default()))
    return tuple(empty)


_MULTI_LINKS: dict[str, tuple[str, ...]] = {
    entity: tuple(s.name for s in ENTITIES[entity].links if s.name != "id") for entity in BELONGING
}


def _delete_orphans(entity: str, ids: list[Id]) -> None:
    """Delete the objects among `ids` that no longer belong to anything."""
    links = _MULTI_LINKS.get(entity)
    model = ENTITIES[entity].model
    if not links:
        return
    orphan_filter = {f"{link}__isnull": True for link in links}
    for chunk in _chunks(ids):
        orphans = list(
            model._default_manager.filter(id__in=chunk, **orphan_filter).values_list(
                "id", flat=True
            )
        )
        if orphans:
            _delete_unlinking(entity, orphans)


def _delete_unlinking(entity: str, ids: list[Id]) -> None:
    """Delete objects, first unlinking what they share with others (so cascades take no more)."""
    for other, links in _MULTI_LINKS.items():
        for link in links:
            spec = ENTITIES[other].field(link)
            if spec is None or spec.target != entity:
                continue
            model = ENTITIES[other].model
            affected: list[Id] = []
            for chunk in _chunks(ids):
                queryset = model._default_manager.filter(**{f"{link}__in": chunk})
                affected.extend(queryset.values_list("id", flat=True))
                queryset.update(**{link: None})
            if affected:
                _delete_orphans(other, affected)
    model = ENTITIES[entity].model
    for chunk in _chunks(ids):
        model._default_manager.filter(id__in=chunk).delete()


@contextmanager
def bigger_page_cache() -> Iterator[None]:
    """A 32 MB page cache on SQLite while importing (the default is 2 MB).

    The whole import is one transaction; with the small cache SQLite keeps writing dirty pages
    out to the WAL and reading them back. Measured on 100 000 services: 88 s -> 78 s, for
    16 MB more memory.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")


def analyze_tables() -> None:
    """Fresh planner statistics after a bulk change.

    Without them SQLite picks the (status, is_published) index for the API's list and sorts
    every visible service; with them it walks the primary key and stops after one page.
    """
    tables = [ENTITIES[entity].model._meta.db_table for entity in ENTITY_ORDER]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in tables:
                cursor.execute(f"ANALYZE {quote(table)}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(quote(t) for t in tables)}")


def rebuild_search_index() -> str:
    """Rebuild the search index after an import; says what happened."""
    count = get_backend().rebuild()
    return _("Zoekindex bijgewerkt: %(count)s diensten.") % {"count": count}


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
