from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from omzien.cases.referrals import expire_referrals


class Command(BaseCommand):
    help = (
        "Referrals nobody answered within OMZIEN_REFERRAL_EXPIRY_DAYS become 'expired'; the case "
        "worker hears about it. Safe to run as often as you like (cron, systemd timer)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = expire_referrals()
        self.stdout.write(f"{count} verwijzing(en) verlopen.")
