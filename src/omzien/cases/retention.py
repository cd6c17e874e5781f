"""Retention: what is removed when, leaving only a minimal anonymous record (ADR 0006)."""

from __future__ import annotations

from django.utils import timezone

from omzien.cases.models import Case, Signal


def remove_reporter_details(case: Case) -> int:
    """The reporter's name, phone and e-mail go when the case closes (reporter notified first)."""
    now = timezone.now()
    removed = 0
    for signal in Signal.objects.filter(case=case, reporter_details_removed_at__isnull=True):
        signal.reporter_name = ""
        signal.reporter_phone = ""
        signal.reporter_email = ""
        signal.reporter_details_removed_at = now
        signal.save(
            update_fields=[
                "reporter_name",
                "reporter_phone",
                "reporter_email",
                "reporter_details_removed_at",
            ]
        )
        removed += 1
    return removed
