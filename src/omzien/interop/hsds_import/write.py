"""Writing the checked batches into the directory's tables, and what follows an import.

Plain SQL for the rows themselves (see `write_rows`); the caller holds the transaction, so a
failure part-way changes nothing. New services get a slug and their scope from their service
areas; an array present in a document replaces what its parent had of that kind; links that
could point forward in the file are settled at the end. After the import: fresh planner
statistics and a rebuilt search index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from django.db import connection, models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from omzien.directory import models as m
from omzien.directory.search import get_backend
from omzien.interop.hsds import ENTITIES, ENTITY_ORDER, Level, attname, link_fields
from omzien.interop.hsds_import.report import IssueLog
from omzien.interop.hsds_import.resolve import Resolver, existing_ids
from omzien.interop.hsds_import.state import BELONGING, SHARED, Id, ImportState, Row, chunks

IMPORT_CACHE_KIB = 32 * 1024

# Arrays that are not replaced: what they hold may be used by other objects too.
NOT_REPLACED = frozenset(
    {("organization", "locations"), ("organization", "programs"), ("organization", "services")}
)


class Writer:
    """Writes each batch once its links are resolved, and counts what it created or updated."""

    def __init__(self, state: ImportState, log: IssueLog, resolver: Resolver) -> None:
        self.state = state
        self.log = log
        self.resolver = resolver
        # Ids that were in the database before this import wrote them (per entity).
        self.preexisting: dict[str, set[Id]] = defaultdict(set)
        # Spreadsheets fill in some columns only: an existing object keeps what they leave out.
        self.partial = False

    def flush(self, defer_unknown: bool) -> None:
        if not any(self.state.batch.values()):
            self.state.arrays.clear()
            return
        self.resolver.resolve(defer_unknown)
        for entity in ENTITY_ORDER:
            rows = self.state.batch[entity]
            if rows:
                self._write(entity, list(rows.values()))
        if not self.partial:
            self._replace_arrays()
        self.state.batch.clear()
        self.state.arrays.clear()
        self.preexisting.clear()

    def _write(self, entity: str, rows: list[Row]) -> None:
        spec = ENTITIES[entity]
        ids = [row.id for row in rows]
        extra = ["scope"] if entity == "service" else []
        existing = _existing_values(spec.model, ids, [s.name for s in link_fields(entity)], extra)
        self.preexisting[entity] |= existing.keys()
        if entity in ("taxonomy", "taxonomy_term"):
            rows = self.resolver.without_protected(entity, rows, existing)
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
        update = [attname(f) for f in spec.fields if f.name != "id"]
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
            counts = self.log.report.updated if row.id in existing else self.log.report.created
            counts[entity] += 1
            if entity in SHARED:
                self.state.written[entity].add(row.id)

    def _write_partial(
        self,
        entity: str,
        rows: list[Row],
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
            if entity == "service" and ("service", row.id, "service_areas") in self.state.arrays:
                given.append("scope")
            if given:
                groups[tuple(dict.fromkeys(given))].append(record)
        for columns, group in groups.items():
            write_rows(model, group, list(columns), existing)

    def _give_slugs(self, records: list[dict[str, Any]]) -> None:
        """A unique slug for each new service: its name and the start of its id."""
        candidates = {
            r["id"]: f"{slugify(r['name'])[:100].strip('-') or 'dienst'}-{r['id'][:8]}"
            for r in records
        }
        taken: set[str] = set()
        values = list(candidates.values())
        for chunk in chunks(values):
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
        for (entity, parent_id, key), child_ids in self.state.arrays.items():
            if (entity, key) in NOT_REPLACED or parent_id not in self.state.batch[entity]:
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
            for chunk in chunks(list(parents)):
                for child_uuid, parent_uuid in model._default_manager.filter(
                    **{f"{child.link}__in": chunk}
                ).values_list("id", child.link):
                    if str(child_uuid) not in parents[str(parent_uuid)]:
                        stale.append(str(child_uuid))
            if not stale:
                continue
            link_field = model._meta.get_field(child.link)
            if link_field.null:
                for chunk in chunks(stale):
                    model._default_manager.filter(id__in=chunk).update(**{child.link: None})
                _delete_orphans(child.entity, stale)
            else:
                _delete_unlinking(child.entity, stale)

    def _replace_attributes(self, entity: str, parents: dict[Id, set[Id]]) -> None:
        stale: list[Id] = []
        for chunk in chunks(list(parents)):
            queryset = m.Attribute.objects.filter(link_id__in=chunk)
            if entity == "service":
                queryset = m.Attribute.objects.filter(service_id__in=chunk)
            for attribute_id, link_id, service_id in queryset.values_list(
                "id", "link_id", "service_id"
            ):
                parent = str(service_id if entity == "service" else link_id)
                if parent in parents and str(attribute_id) not in parents[parent]:
                    stale.append(str(attribute_id))
        for chunk in chunks(stale):
            m.Attribute.objects.filter(id__in=chunk).delete()

    def _scope(self, service_id: Id, old: dict[str, Any] | None) -> str:
        """From the service areas the document gives; else what it was, or the default."""
        area_ids = self.state.arrays.get(("service", service_id, "service_areas"))
        if area_ids is not None:
            areas = self.state.batch["service_area"]
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
        for chunk in chunks(list(service_ids)):
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
            for chunk in chunks(ids):
                m.Service.objects.filter(id__in=chunk).exclude(scope=scope).update(scope=scope)

    def settle_deferred(self) -> None:
        """Set the links that could point forward in the file, now that everything is in."""
        by_target: dict[str, set[Id]] = defaultdict(set)
        for deferred in self.state.deferred:
            by_target[deferred.target].add(deferred.target_id)
        present = {
            target: existing_ids(ENTITIES[target].model, ids) - self.state.failed[target]
            for target, ids in by_target.items()
        }
        for deferred in self.state.deferred:
            row = deferred.row
            if row.id in self.state.failed[row.entity]:
                continue
            if deferred.target_id in present[deferred.target]:
                ENTITIES[row.entity].model._default_manager.filter(pk=row.id).update(
                    **{deferred.attr: deferred.target_id}
                )
            else:
                self.log.row_issue(
                    row,
                    Level.WARNING,
                    deferred.attr,
                    _(
                        "Verwijst naar %(target)s %(id)s, maar dat staat niet in het bestand en "
                        "ook niet in de database. De verwijzing is weggelaten."
                    )
                    % {"target": deferred.target, "id": deferred.target_id},
                )
        self.state.deferred.clear()


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
        for chunk in chunks(ids):
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
        model_field = model._meta.get_field(attname(spec))
        assert isinstance(model_field, models.Field)
        empty.append((attname(spec), None if model_field.null else model_field.get_default()))
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
    for chunk in chunks(ids):
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
            for chunk in chunks(ids):
                queryset = model._default_manager.filter(**{f"{link}__in": chunk})
                affected.extend(queryset.values_list("id", flat=True))
                queryset.update(**{link: None})
            if affected:
                _delete_orphans(other, affected)
    model = ENTITIES[entity].model
    for chunk in chunks(ids):
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
