from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    """Exchange formats (HSDS, CSV/XLSX, CBS, PDOK): pure functions, thin commands and views."""

    name = "omzien.interop"
    label = "interop"
    verbose_name = _("Uitwisseling")
