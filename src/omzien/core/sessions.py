"""Database sessions that let a page still answer while the database is down.

With Django's own store, a visitor with a session cookie gets a bare 500 from any page once the
database is unreachable: the session is read for `request.user` and written after every request
(`SESSION_SAVE_EVERY_REQUEST`). Here such a request goes on as if signed out, so a page that
handles the outage itself (the public report form keeps the input and shows the phone number)
can do so. The stored session is left as it was: nothing is written for that request, so the
visitor is still signed in once the database is back.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import DatabaseError

logger = logging.getLogger(__name__)


class SessionStore(DatabaseSessionStore):
    unavailable = False

    def load(self) -> dict[str, Any]:
        try:
            return super().load()
        except DatabaseError:
            logger.warning("Session not read: the database is unavailable", exc_info=True)
            self.unavailable = True
            return {}

    def save(self, must_create: bool = False) -> None:
        if self.unavailable:
            return
        try:
            super().save(must_create=must_create)
        except DatabaseError:
            # Only the refresh of the expiry that every request writes may be skipped; a change
            # the page made (signing in or out, say) must not silently get lost.
            if must_create or self.modified:
                raise
            logger.warning("Session expiry not saved: the database is unavailable", exc_info=True)
