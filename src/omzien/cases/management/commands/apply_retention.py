"""`omzien apply-retention`: carry out the retention periods of ADR 0006 (cron or systemd timer).

Idempotent: a second run finds nothing to do. `--dry-run` lists the case numbers it would touch.
Output holds case numbers and counts only, never a personal value.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from omzien.cases.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Carry out the retention periods of the meldpunt (ADR 0006): remove reporter details of "
        "closed cases and anonymise closed cases whose period has passed. Safe to run often."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="only show what would happen, change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run: bool = options["dry_run"]
        result = apply_retention(dry_run=dry_run)
        verb = "Would" if dry_run else "Did"
        for case_id in result.reporter_case_ids:
            self.stdout.write(f"{verb} remove reporter details of case {case_id}")
        for case_id in result.anonymised_case_ids:
            self.stdout.write(f"{verb} anonymise case {case_id}")
        counts = result.counts()
        summary = (
            f"reporter details removed from {counts['reporter_details_removed']} signal(s); "
            f"anonymised {counts['anonymised']} case(s) "
            f"({counts['anonymised_no_contact']} without contact, "
            f"{counts['anonymised_closed']} other closed)"
        )
        if dry_run:
            self.stdout.write(f"Dry run, nothing changed: {summary}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Retention applied: {summary}."))
