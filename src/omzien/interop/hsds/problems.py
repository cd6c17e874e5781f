"""What checking an HSDS record can find: a problem with its level and the field it is about."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"  # the record is skipped
    WARNING = "warning"  # the record is imported, changed as the message says
    NOTE = "note"  # for information


@dataclass(frozen=True)
class Problem:
    level: Level
    field: str
    message: str
