"""Every POST that changes data writes an audit event: checked on every POST the suite sends.

While a request is handled by Django's test client (not the browser tests' live server), the
statements of the default connection are watched. A POST that inserts, updates or deletes rows
of Omzien's own tables without inserting an `audit_auditevent` row fails the test that sent it,
naming the URL. Tables that are not data about anyone (sessions, caches, counters, the task
queue, the search index, which follows the data it indexes) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([a-z0-9_]+)"?', re.IGNORECASE)
# Not data about a person, a service or a case: bookkeeping of the framework and of Omzien.
EXEMPT_TABLES = {
    "django_session",
    "omzien_cache",
    "omzien_postcode_cache",
    "core_ratecounter",
    "django_tasks_database_dbtaskresult",
    "django_tasks_db_dbtaskresult",
    "accounts_user",  # last_login on every login; account changes are audited by signals
    "account_emailaddress",  # audited by accounts.signals (email_added, ...)
    "mfa_authenticator",  # audited by accounts.signals (mfa_enabled, ...)
    "cases_partnerkey",  # when a partner key was last used; keys are made and revoked by command
}
EXEMPT_PREFIXES = ("search_", "django_tasks")


@dataclass
class Watch:
    written: set[str] = field(default_factory=set)
    audited: bool = False

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        match = _WRITE.match(sql)
        if match:
            table = match.group(1).lower()
            if table == "audit_auditevent":
                self.audited = True
            elif table not in EXEMPT_TABLES and not table.startswith(EXEMPT_PREFIXES):
                self.written.add(table)
        return execute(sql, params, many, context)


@contextmanager
def watching() -> Iterator[Watch]:
    watch = Watch()
    with connection.execute_wrapper(watch):
        yield watch


def unaudited_write(watch: Watch) -> str:
    """The tables written without an audit event, or ""."""
    if watch.written and not watch.audited:
        return ", ".join(sorted(watch.written))
    return ""
