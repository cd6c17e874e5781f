"""The one helper through which everything writes to the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from omzien.audit.models import AuditEvent
from omzien.core.logging import client_ip_var, request_id_var
from omzien.core.net import client_ip


def record_event(
    action: str,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    organisation: Any = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `action` is a dotted verb such as "case.view" or "case.export".

    Pass the request where there is one: actor, IP and request id are taken from it. A service
    called during a request gets the request id and the client's address from the context.
    `details` must never hold personal data: ids, counts and codes only.
    """
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=getattr(actor, "email", "") if actor is not None else "",
        organisation=organisation,
        object_type=object_type,
        object_id=str(object_id),
        request_id=getattr(request, "request_id", "") if request else request_id_var.get(""),
        ip_address=client_ip(request) if request is not None else (client_ip_var.get() or None),
        details=details or {},
    )
