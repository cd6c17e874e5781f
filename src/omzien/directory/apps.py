from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "omzien.directory"
    label = "directory"
    verbose_name = _("Sociale kaart")

    def ready(self) -> None:
        # Imported here, not at the top: services uses models, not loaded yet at this point.
        from omzien.core import periodic
        from omzien.directory.services import remind_stale_services

        periodic.register("remind-stale-services", remind_stale_services, order=10)
