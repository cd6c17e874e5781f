"""The one rate limiter: public forms per client address, the partner API per key.

Counts live in a table of our own (`core.RateCounter`), one row per client and purpose, whose
key is a keyed hash, so the table holds no address. Counting is one statement, an upsert that
adds one or starts a new window and returns the count:

    INSERT ... ON CONFLICT (key) DO UPDATE SET count = ... RETURNING count

SQLite (3.35 and later) and PostgreSQL both run it atomically, so twenty attempts at the same
moment count as twenty, and no cache can drop a count to make room. A window starts at the
first attempt and lasts `window_seconds`, however the attempts within it are spread.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.db import connections, router
from django.http import HttpRequest

from omzien.core.models import RateCounter
from omzien.core.net import client_ip


def _key(scope: str, identity: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}:{identity}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"{scope[:80]}:{digest}"


def allow(request: HttpRequest, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; False once the client went over `limit` within the window."""
    return allow_key(scope, client_ip(request) or "unknown", limit, window_seconds)


def allow_key(scope: str, identity: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt of `identity` (say, an API key's prefix); False once over `limit`."""
    return hit(scope, identity, window_seconds) <= limit


def hit(scope: str, identity: str, window_seconds: int) -> int:
    """Count one attempt; the number of attempts in the current window, this one included."""
    now = time.time()
    connection = connections[router.db_for_write(RateCounter)]
    quote = connection.ops.quote_name
    table = quote(RateCounter._meta.db_table)
    key, count, ends = quote("key"), quote("count"), quote("ends")
    # In DO UPDATE, `table.column` is the stored row and `excluded.column` the new one; every
    # right-hand side sees the stored row as it was, so both CASEs test the same old `ends`.
    sql = (
        f"INSERT INTO {table} ({key}, {count}, {ends}) VALUES (%s, 1, %s) "  # noqa: S608
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{count} = CASE WHEN {table}.{ends} <= %s THEN 1 ELSE {table}.{count} + 1 END, "
        f"{ends} = CASE WHEN {table}.{ends} <= %s THEN excluded.{ends} ELSE {table}.{ends} END "
        f"RETURNING {count}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_key(scope, identity), now + window_seconds, now, now])
        row = cursor.fetchone()
    return int(row[0])


def purge_expired() -> int:
    """Delete the counts of windows that have ended; how many there were."""
    deleted, _by_model = RateCounter.objects.filter(ends__lte=time.time()).delete()
    return deleted
