from __future__ import annotations

from django.db.models import QuerySet

from omzien.accounts.permissions import AnyUser, scope_queryset
from omzien.accounts.roles import Capability
from omzien.audit.models import AuditEvent


def events_visible_to(user: AnyUser) -> QuerySet[AuditEvent]:
    return scope_queryset(
        AuditEvent.objects.select_related("organisation"), user, Capability.VIEW_AUDIT_LOG
    )
