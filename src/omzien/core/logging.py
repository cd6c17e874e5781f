"""Structured logging: one JSON object per line, with the request id and no personal data.

Only the message and a few safe fields are written; arguments are formatted into the message
by the code that logs, which must never pass personal data.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
# The client address of the request being handled, for audit events that services write
# without a request at hand ("" outside a request: commands, tasks).
client_ip_var: ContextVar[str] = ContextVar("client_ip", default="")

_SAFE_EXTRA = ("status_code", "method", "duration_ms", "task", "command", "event")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key in _SAFE_EXTRA:
            if hasattr(record, key):
                payload[key] = getattr(record, key)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)
