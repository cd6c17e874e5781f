"""One search interface for the sociale kaart, with a backend per database.

Use `get_backend()`; never talk to a backend module directly. See `backends/base.py`.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.db import connection

if TYPE_CHECKING:
    from omzien.search.backends.base import SearchBackend


@cache
def _backend_for(vendor: str) -> SearchBackend:
    if vendor == "postgresql":
        from omzien.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    from omzien.search.backends.sqlite_fts5 import SqliteFts5Backend

    return SqliteFts5Backend()


def get_backend() -> SearchBackend:
    return _backend_for(connection.vendor)
