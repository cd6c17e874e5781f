from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "omzien.core"
    label = "core"
    verbose_name = _("Basis")

    def ready(self) -> None:
        # Imported here, not at the top: these modules use models, which are not loaded yet
        # when Django imports the app configs.
        from omzien.core import (
            checks,  # noqa: F401  (registers the system checks)
            periodic,
            ratelimit,
        )

        periodic.register(
            "purge-rate-counters", lambda: {"deleted": ratelimit.purge_expired()}, order=90
        )
