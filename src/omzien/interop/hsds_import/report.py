"""The import report: what was read, created and updated, and every problem found, with file,
record and field, as the page, the command and the audit log show it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from omzien.interop.hsds import Level
from omzien.interop.hsds_import.state import Row, entity_label
from omzien.interop.hsds_schemas import dotted_path


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


class IssueLog:
    """Adds the issues of one import to its report, each only once."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self._issue_keys: set[tuple[Any, ...]] = set()

    def issue(
        self, level: Level, file: str, record: str, field_name: str, message: str, key: Any = None
    ) -> None:
        dedupe = (level, file, field_name, message, key if key is not None else record)
        if dedupe in self._issue_keys:
            return
        self._issue_keys.add(dedupe)
        self.report.issues.append(Issue(level, file, record, field_name, message))

    def row_issue(self, row: Row, level: Level, field_name: str, message: str) -> None:
        where = dotted_path((*row.path, field_name)) if row.path else field_name
        self.issue(
            level,
            row.file,
            f"{row.record} › {entity_label(row.entity, row.id)}" if row.path else row.record,
            where,
            message,
            key=(row.entity, row.id),
        )

    def skipped(self, row: Row) -> str:
        return _("%(what)s is overgeslagen.") % {"what": entity_label(row.entity, row.id)}

    def metadata_not_read(self, files: Collection[str]) -> None:
        for file in sorted(files):
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
