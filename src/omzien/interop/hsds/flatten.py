"""HSDS -> flat records: a nested document as one record per object, with the links its
nesting implies. The tabular format (`interop.tabular`) holds exactly these records, one CSV
file per entity; the export writes them and the import reads either form through them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from omzien.interop.hsds.entities import ENTITIES

_NESTING = (dict, list)


@dataclass(slots=True)
class FlatRecord:
    """One HSDS object without its arrays: its own fields plus the links its nesting implies."""

    entity: str
    data: dict[str, Any]
    path: tuple[str | int, ...] = ()  # where it sits in the document it came from

    @property
    def id(self) -> str:
        return str(self.data.get("id", ""))


@dataclass
class Flattened:
    records: list[FlatRecord] = field(default_factory=list)
    # (parent entity, parent id, array key) -> ids of the children the document lists; an array
    # present in a document replaces what the parent had of that kind.
    arrays: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    metadata_skipped: int = 0


def flatten(
    document: dict[str, Any],
    entity: str,
    *,
    skip: frozenset[int] | set[int] = frozenset(),
    out: Flattened | None = None,
    known: Callable[[str, Any], bool] | None = None,
) -> Flattened:
    """Flat records for `document` and everything nested in it.

    `skip` holds the `id()`s of nested dicts that failed validation: they and what they hold
    are left out. `known(entity, id)` says a nested object was read before: only the link to
    it is kept (a file of 100 000 services repeats each organization many times).
    """
    out = out if out is not None else Flattened()
    _flatten(document, entity, skip, out, (), None, known)
    return out


def _flatten(
    document: dict[str, Any],
    entity: str,
    skip: frozenset[int] | set[int],
    out: Flattened,
    path: tuple[str | int, ...],
    links: dict[str, Any] | None,
    known: Callable[[str, Any], bool] | None = None,
) -> FlatRecord | None:
    if id(document) in skip:
        return None
    if path and known is not None and known(entity, document.get("id")):
        return None
    spec = ENTITIES[entity]
    data = {key: value for key, value in document.items() if not isinstance(value, _NESTING)}
    if links:
        data.update(links)
    record = FlatRecord(entity, data, path)
    for nested in spec.nested:
        value = document.get(nested.key)
        if not isinstance(value, dict) or id(value) in skip:
            continue
        data[nested.link] = value.get("id")
        inner = _flatten(value, nested.entity, skip, out, (*path, nested.key), None, known)
        if inner is None:
            continue
        if nested.entity == "program" and data.get("organization_id"):
            # A program always belongs to an organization; nested in a service without saying
            # which, it is the service's own.
            inner.data.setdefault("organization_id", data["organization_id"])
    out.records.append(record)
    for child in spec.children:
        _flatten_array(
            document, entity, child.key, child.entity, child.link, skip, out, path, known
        )
    if spec.has_attributes:
        _flatten_array(
            document, entity, "attributes", "attribute", "link_id", skip, out, path, known
        )
    if isinstance(document.get("metadata"), list):
        out.metadata_skipped += len(document["metadata"])
    return record


def _flatten_array(
    document: dict[str, Any],
    entity: str,
    key: str,
    child_entity: str,
    link: str,
    skip: frozenset[int] | set[int],
    out: Flattened,
    path: tuple[str | int, ...],
    known: Callable[[str, Any], bool] | None = None,
) -> None:
    items = document.get(key)
    own_id = document.get("id")
    if not isinstance(items, list) or own_id is None:
        return
    out.arrays[(entity, str(own_id), key)] = {
        str(item.get("id")) for item in items if isinstance(item, dict) and id(item) not in skip
    }
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        links: dict[str, Any] = {link: own_id}
        if child_entity == "attribute" and not item.get("link_entity"):
            links["link_entity"] = entity
        _flatten(item, child_entity, skip, out, (*path, key, index), links, known)
