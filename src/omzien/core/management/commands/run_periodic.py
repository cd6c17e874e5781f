"""`omzien run-periodic`: run every periodic job once (reminders, expiry, retention).

For cron, e.g. every 15 minutes: `*/15 * * * * omzien run-periodic`. Every job is idempotent.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from omzien.core.periodic import run_all


class Command(BaseCommand):
    help = "Run the periodic jobs once: reminders, referral expiry and retention."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, numbers in run_all().items():
            parts = ", ".join(f"{key} {value}" for key, value in numbers.items()) or "done"
            self.stdout.write(f"{name}: {parts}")
