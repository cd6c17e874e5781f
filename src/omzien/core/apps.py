from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "omzien.core"
    label = "core"
    verbose_name = _("Basis")

    def ready(self) -> None:
        from omzien.core import checks  # noqa: F401  (registers the system checks)
