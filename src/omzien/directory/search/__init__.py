"""One search interface for the sociale kaart, with a backend per database.

Use `get_backend()`; never talk to a backend module directly. See `backends/base.py`.
After saving services, call `schedule_reindex(ids)`: the index follows once the transaction
commits. `omzien rebuild_search_index` rebuilds everything (after imports, or nightly).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from functools import cache

from django.db import connection, transaction

from omzien.directory.search.backends.base import SearchBackend
from omzien.directory.search.backends.postgres import PostgresBackend
from omzien.directory.search.backends.sqlite_fts5 import SqliteFts5Backend


@cache
def _backend_for(vendor: str) -> SearchBackend:
    if vendor == "postgresql":
        return PostgresBackend()
    return SqliteFts5Backend()


def get_backend() -> SearchBackend:
    return _backend_for(connection.vendor)


def schedule_reindex(ids: Iterable[uuid.UUID]) -> None:
    """Reindex these services once the current transaction commits (at once outside one).

    Model signals are not used for this: bulk imports and `update()` bypass them. A failure
    is logged rather than raised, because the change itself has been saved by then; the nightly
    rebuild puts the index right.
    """
    wanted = list(dict.fromkeys(ids))
    if wanted:
        transaction.on_commit(lambda: get_backend().index_services(wanted), robust=True)
