from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "omzien.insight"
    label = "insight"
    verbose_name = _("Inzicht voor beleid")
