"""What one import holds while it runs, shared by reading, resolving and writing.

Ids are kept as canonical text (lower case, with dashes) inside the importer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Id = str

QUERY_CHUNK = 500  # ids per "IN (...)" query, well under SQLite's parameter limit

# Objects many records share: written once per import, even if they appear a thousand times.
SHARED = frozenset({"organization", "program", "location", "taxonomy", "taxonomy_term", "unit"})
# Objects that only exist to belong to something: without any link they are not imported.
BELONGING = frozenset(
    {"phone", "contact", "schedule", "service_area", "language", "funding", "url", "accessibility"}
)


@dataclass(slots=True)
class Row:
    """One checked record, waiting in the batch to be written."""

    entity: str
    id: Id
    values: dict[str, Any]
    raw: dict[str, Any]  # the HSDS fields as read, to notice a second, different copy
    file: str
    record: str
    path: tuple[str | int, ...]


@dataclass
class Deferred:
    """A link to something that may still come later in the file; settled at the end."""

    row: Row
    attr: str
    target: str
    target_id: Id


class ImportState:
    """The batch being read and what earlier batches of the same import did."""

    def __init__(self) -> None:
        self.batch: dict[str, dict[Id, Row]] = defaultdict(dict)
        # (parent entity, parent id, array key) -> the children a document lists there.
        self.arrays: dict[tuple[str, Id, str], set[Id]] = {}
        self.written: dict[str, set[Id]] = defaultdict(set)
        self.failed: dict[str, set[Id]] = defaultdict(set)
        self.deferred: list[Deferred] = []
        # The ids of every table of a tabular package (None for JSON): links may point ahead.
        self.package_ids: dict[str, set[Id]] | None = None


def entity_label(entity: str, record_id: Any) -> str:
    return f"{entity} {record_id}"


def chunks(items: list[Any], size: int = QUERY_CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
