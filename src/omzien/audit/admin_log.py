"""Changes made in Django's admin are audited like every other change.

The admin writes its own `LogEntry` for every addition, change and deletion; each becomes an
`AuditEvent` too, so the one audit log shows them (the admin's log can be edited, ours cannot).
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry

from omzien.audit.services import record_event

_ACTIONS = {ADDITION: "admin.add", CHANGE: "admin.change", DELETION: "admin.delete"}


def audit_admin_change(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    content_type = instance.content_type
    record_event(
        _ACTIONS.get(instance.action_flag, "admin.change"),
        actor=instance.user,
        object_type=content_type.model_class()._meta.label_lower  # type: ignore[union-attr]
        if content_type is not None and content_type.model_class() is not None
        else "",
        object_id=instance.object_id or "",
    )
