from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "omzien.cases"
    label = "cases"
    verbose_name = _("Meldpunt")

    def ready(self) -> None:
        # Imported here, not at the top: the jobs use models, not loaded yet at this point.
        from omzien.cases import jobs

        jobs.register()
