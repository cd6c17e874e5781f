"""Matching what comes in to what is there: the links between records (in this batch, read
before, further on in the package, or in the database), our own vocabularies, and the CBS area
a service area stands for."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from omzien.areas.models import Municipality
from omzien.directory import models as m
from omzien.interop.hsds import ENTITIES, ENTITY_ORDER, Level, canonical_id, link_fields
from omzien.interop.hsds_import.report import IssueLog
from omzien.interop.hsds_import.state import BELONGING, Deferred, Id, ImportState, Row, chunks

SELF_LINKS = frozenset({("organization", "parent_organization_id"), ("taxonomy_term", "parent_id")})

_CBS_CODE = re.compile(r"\b(GM\d{4}|WK\d{6}|BU\d{8})\b")
_NATIONAL = frozenset({"nederland", "nl", "heel nederland", "landelijk", "the netherlands"})


def existing_ids(model: type[models.Model], ids: Iterable[Id], **filters: Any) -> set[Id]:
    found: set[Id] = set()
    for chunk in chunks(list(ids)):
        found.update(
            str(pk)
            for pk in model._default_manager.filter(pk__in=chunk, **filters).values_list(
                "pk", flat=True
            )
        )
    return found


class Resolver:
    """Checks the links of the batch and settles what an incoming record refers to."""

    def __init__(self, state: ImportState, log: IssueLog) -> None:
        self.state = state
        self.log = log
        self._municipalities: dict[str, str] | None = None
        self._protected_taxonomies: set[Id] | None = None

    def area_code(self, values: dict[str, Any]) -> str:
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

    def report_unknown_links(self, row: Row) -> None:
        """For a skipped CSV row, also name the links that point nowhere (all at once)."""
        if self.state.package_ids is None:
            return
        for spec in ENTITIES[row.entity].links:
            target_id = canonical_id(row.raw.get(spec.name))
            if spec.name == "id" or target_id is None:
                continue
            if self.known_elsewhere(spec.target, target_id):
                continue
            if self.in_database({spec.target: {target_id}}).get(spec.target):
                continue
            self.log.row_issue(
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

    def known_in_batch(self, target: str, target_id: Id) -> bool:
        if target == "*":
            return any(target_id in rows for rows in self.state.batch.values())
        return target_id in self.state.batch[target]

    def known_elsewhere(self, target: str, target_id: Id) -> bool:
        entities = ENTITIES if target == "*" else (target,)
        for entity in entities:
            if target_id in self.state.failed[entity]:
                continue
            if target_id in self.state.written[entity]:
                return True
            if self.state.package_ids is not None and target_id in self.state.package_ids.get(
                entity, ()
            ):
                return True
        return False

    def in_database(self, wanted: dict[str, set[Id]]) -> dict[str, set[Id]]:
        found: dict[str, set[Id]] = defaultdict(set)
        for target, ids in wanted.items():
            entities = list(ENTITIES) if target == "*" else [target]
            remaining = set(ids)
            for entity in entities:
                if not remaining:
                    break
                hits = existing_ids(ENTITIES[entity].model, remaining)
                found[target] |= hits
                remaining -= hits
        return found

    def resolve(self, defer_unknown: bool) -> None:
        """Check every link of the batch; drop or skip what points nowhere."""
        wanted: dict[str, set[Id]] = defaultdict(set)
        for entity in ENTITY_ORDER:
            for row in self.state.batch[entity].values():
                for spec in link_fields(entity):
                    value = row.values.get(spec.name)
                    if value is None:
                        continue
                    if not self.known_in_batch(spec.target, value) and not self.known_elsewhere(
                        spec.target, value
                    ):
                        wanted[spec.target].add(value)
        in_database = self.in_database(wanted)
        links = {row.values["link_id"] for row in self.state.batch["attribute"].values()}
        services = {
            link
            for link in links
            if link in self.state.batch["service"]
            or (
                self.state.package_ids is not None
                and link in self.state.package_ids.get("service", ())
            )
        }
        services |= existing_ids(m.Service, links - services)
        for entity in ENTITY_ORDER:
            for row in list(self.state.batch[entity].values()):
                self._resolve_row(row, in_database, defer_unknown, services)

    def _resolve_row(
        self,
        row: Row,
        in_database: dict[str, set[Id]],
        defer_unknown: bool,
        services: set[Id],
    ) -> None:
        entity = row.entity
        model = ENTITIES[entity].model
        pending = False
        for spec in link_fields(entity):
            value = row.values.get(spec.name)
            if value is None:
                continue
            known = (
                self.known_in_batch(spec.target, value)
                or self.known_elsewhere(spec.target, value)
                or value in in_database.get(spec.target, ())
            )
            if (entity, spec.name) in SELF_LINKS:
                # Settled at the end, when every object of the file is in.
                row.values[spec.name] = None
                self.state.deferred.append(Deferred(row, spec.name, spec.target, value))
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
                self.log.row_issue(
                    row, Level.ERROR, spec.name, f"{message} {self.log.skipped(row)}"
                )
                self.drop(row)
                return
            row.values[spec.name] = None
            if defer_unknown:
                self.state.deferred.append(Deferred(row, spec.name, spec.target, value))
                pending = True
            else:
                dropped = _("De verwijzing is weggelaten.")  # outside the f-string for makemessages
                self.log.row_issue(row, Level.WARNING, spec.name, f"{message} {dropped}")
        if entity == "attribute":
            link = row.values["link_id"]
            is_service = link in services and link not in self.state.failed["service"]
            row.values["service_id"] = link if is_service else None
        linked = any(row.values.get(spec.name) for spec in link_fields(entity))
        if entity in BELONGING and not linked and not pending:
            self.log.row_issue(
                row,
                Level.ERROR,
                "id",
                _("Dit object hoort bij niets (geen dienst, locatie of organisatie). %(skipped)s")
                % {"skipped": self.log.skipped(row)},
            )
            self.drop(row)

    def drop(self, row: Row) -> None:
        self.state.batch[row.entity].pop(row.id, None)
        self.state.failed[row.entity].add(row.id)

    def without_protected(
        self, entity: str, rows: list[Row], existing: dict[Id, dict[str, Any]]
    ) -> list[Row]:
        """Our own vocabularies are linked to, not changed, by an import."""
        if self._protected_taxonomies is None:
            self._protected_taxonomies = {
                str(pk) for pk in m.Taxonomy.objects.exclude(key="").values_list("id", flat=True)
            }
        protected = self._protected_taxonomies
        if entity == "taxonomy":
            keep = [row for row in rows if row.id not in protected]
        else:
            protected_terms = existing_ids(
                m.TaxonomyTerm,
                {row.id for row in rows if row.id in existing},
                taxonomy_id__in=protected,
            )
            keep = [row for row in rows if row.id not in protected_terms]
        kept = {row.id for row in keep}
        for row in rows:
            if row.id not in kept:
                self.state.written[entity].add(row.id)
        return keep
