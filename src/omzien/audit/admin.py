from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from omzien.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log can be searched, never changed."""

    list_display = [
        "timestamp",
        "action",
        "actor_label",
        "organisation",
        "object_type",
        "object_id",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["action", "object_type", "object_id", "actor_label", "request_id"]
    date_hierarchy = "timestamp"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
