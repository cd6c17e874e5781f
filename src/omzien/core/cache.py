"""A database cache that deletes expired entries but never one that is still valid.

Django's database cache keeps at most MAX_ENTRIES (300 by default); beyond that it deletes a
third of its entries, lowest key first, whether they expired or not. allauth keeps its login
lock-outs and its record of used TOTP codes in the default cache, and its keys sort first: so
anyone who could make the site cache a few hundred things could lift a lock-out. Here MAX_ENTRIES
is only the point from which a write also clears out the expired entries.

Only small, bounded state belongs in this cache (the lock-outs, the catalogue generation, the
synonym list); bulk caching such as postcode look-ups goes to a cache that may drop entries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections


class KeepingDatabaseCache(DatabaseCache):
    _table: str  # set by DatabaseCache.__init__; not in the type stubs

    def _cull(self, db: str, cursor: Any, now: dt.datetime, num: int) -> None:
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        expires = connection.ops.quote_name("expires")
        cursor.execute(
            f"DELETE FROM {table} WHERE {expires} < %s",  # noqa: S608
            [connection.ops.adapt_datetimefield_value(now)],
        )
