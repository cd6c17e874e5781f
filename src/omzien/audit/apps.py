from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "omzien.audit"
    label = "audit"
    verbose_name = _("Auditlog")

    def ready(self) -> None:
        # Models are not loaded while Django imports the app configs.
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        from omzien.audit.admin_log import audit_admin_change

        post_save.connect(audit_admin_change, sender=LogEntry, dispatch_uid="omzien.audit.admin")
