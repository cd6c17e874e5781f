"""`omzien remind-stale-services`: remind providers of services nobody checked for a long time.

Idempotent, so cron (or the worker) can run it daily: a provider hears at most once a month.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from omzien.directory.services import remind_stale_services


class Command(BaseCommand):
    help = (
        "E-mail providers about services not checked for OMZIEN_STALE_AFTER_DAYS days "
        "(at most once per 30 days per service)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = remind_stale_services()
        self.stdout.write(
            f"Reminded {result.organizations} provider(s) about {result.services} service(s)."
        )
