from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "omzien.accounts"
    label = "accounts"
    verbose_name = _("Accounts en organisaties")

    def ready(self) -> None:
        # Imported here, not at the top: these modules use models, not loaded yet at this point.
        from allauth.mfa.signals import authenticator_added

        from omzien.accounts import signals
        from omzien.accounts.mfa import count_enrolment_as_second_factor

        authenticator_added.connect(
            count_enrolment_as_second_factor, dispatch_uid="omzien.accounts.mfa.enrolment"
        )

        signals.connect()
