from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "omzien.accounts"
    label = "accounts"
    verbose_name = _("Accounts en organisaties")

    def ready(self) -> None:
        # Imported here, not at the top: the module uses models, not loaded yet at this point.
        from omzien.accounts import signals

        signals.connect()
