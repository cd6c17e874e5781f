"""`omzien remind-overdue-cases`: e-mail about cases past their first-contact or check-up norm.

Idempotent, so cron (or the worker) can run it as often as it likes: each overdue case leads to
at most one e-mail per day, to its case worker or, when nobody is assigned, the coordinators.
The e-mail holds no personal details, only a link to the case behind the login.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from omzien.cases.services import remind_overdue_cases


class Command(BaseCommand):
    help = (
        "E-mail case workers (or coordinators, if nobody is assigned) about overdue cases; "
        "at most once per case per day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = remind_overdue_cases()
        self.stdout.write(
            f"Reminded about {result.cases} overdue case(s); {result.emails} e-mail(s) queued."
        )
