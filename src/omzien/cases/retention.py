"""Retention: what is removed when, leaving only a minimal anonymous record (ADR 0006).

Three rules, applied by `omzien apply-retention` (cron or systemd timer) or the task below:

1. the reporter's details go when the case closes (`remove_reporter_details`, called by
   `services.transition`); the run repeats it for any closed case that still has them;
2. a case closed without any contact with the person (`NO_CONTACT_REASONS`) is anonymised
   `OMZIEN_RETENTION_NO_CONTACT_MONTHS` (3) calendar months after closing;
3. every other closed case is anonymised `OMZIEN_RETENTION_CLOSED_MONTHS` (12) months after closing.

Anonymising keeps state, dates, closing reason, neighbourhood, age group, source and the coded
signals: the anonymous record the figures are made of. Everything that says who the person or the
reporter is, or what was said, is blanked or deleted. A re-opened case is open, so it is never
touched; the clock starts again when it closes again.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from django_tasks import task

from omzien.audit.services import record_event
from omzien.cases import notifications
from omzien.cases.models import (
    NO_CONTACT_REASONS,
    Case,
    CaseNote,
    CaseState,
    Consent,
    ContactAttempt,
    Referral,
    Signal,
)


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


# --- the clock ---------------------------------------------------------------------------------


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """The same time `months` calendar months later (earlier when negative).

    A day that the target month lacks becomes its last day: 31 May + 3 months is 31 August,
    30 November + 3 months is 28 (or 29) February. The calculation happens in local time, so
    "three months" means the same on the calendar of the people who read the figures.
    """
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    index = local.year * 12 + (local.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def retention_months(closing_reason: str) -> int:
    if closing_reason in NO_CONTACT_REASONS:
        return int(settings.OMZIEN_RETENTION_NO_CONTACT_MONTHS)
    return int(settings.OMZIEN_RETENTION_CLOSED_MONTHS)


def anonymise_due_on(case: Case) -> dt.datetime | None:
    """When retention anonymises this case; None while it is open."""
    if case.state != CaseState.CLOSED or case.closed_at is None:
        return None
    return add_months(case.closed_at, retention_months(case.closing_reason))


def due_for_anonymisation(now: dt.datetime | None = None) -> QuerySet[Case]:
    """Closed, not yet anonymised cases whose retention period has passed at `now`.

    A case is due once `closed_at + N months <= now`, checked as `closed_at <= now - N months`
    so the database can use the (state, closed_at) index.
    """
    now = now or timezone.now()
    no_contact_cutoff = add_months(now, -int(settings.OMZIEN_RETENTION_NO_CONTACT_MONTHS))
    closed_cutoff = add_months(now, -int(settings.OMZIEN_RETENTION_CLOSED_MONTHS))
    no_contact = list(NO_CONTACT_REASONS)
    return (
        Case.objects.filter(
            state=CaseState.CLOSED, anonymised_at__isnull=True, closed_at__isnull=False
        )
        .filter(
            Q(closing_reason__in=no_contact, closed_at__lte=no_contact_cutoff)
            | (~Q(closing_reason__in=no_contact) & Q(closed_at__lte=closed_cutoff))
        )
        .order_by("closed_at", "pk")
    )


def closed_with_reporter_details() -> QuerySet[Case]:
    """Closed cases with a signal whose reporter details were never removed (safety net)."""
    return (
        Case.objects.filter(
            state=CaseState.CLOSED, signals__reporter_details_removed_at__isnull=True
        )
        .distinct()
        .order_by("pk")
    )


# --- anonymising -------------------------------------------------------------------------------


@transaction.atomic
def anonymise_case(case: Case, *, now: dt.datetime | None = None) -> bool:
    """Blank everything personal about a closed case; False when it is open or already done.

    The caller writes the audit event (retention: "case.anonymise", erasure: "case.erase").
    Works with queryset updates, so no stale instance can write a personal value back.
    """
    locked = Case.objects.select_for_update().filter(pk=case.pk).first()
    if locked is None or locked.state != CaseState.CLOSED or locked.anonymised_at is not None:
        return False
    now = now or timezone.now()
    Case.objects.filter(pk=locked.pk).update(
        person_name="",
        person_phone="",
        person_email="",
        person_address="",
        person_postcode="",
        person_lookup="",
        anonymised_at=now,
        updated_at=now,
    )
    signals = Signal.objects.filter(case=locked)
    signals.filter(reporter_details_removed_at__isnull=True).update(reporter_details_removed_at=now)
    # The receipt stays: it only lets the reporter see "afgehandeld" and says nothing about
    # the person. The partner's own reference would link back to its records, so it goes.
    signals.update(
        reporter_name="",
        reporter_phone="",
        reporter_email="",
        description="",
        source_reference="",
    )
    # Channel, outcome and date stay for the figures (first-contact norm); the note goes.
    ContactAttempt.objects.filter(case=locked).update(note="")
    CaseNote.objects.filter(case=locked).delete()
    Consent.objects.filter(case=locked).update(scope="")
    Referral.objects.filter(case=locked).update(
        shared_name="",
        shared_phone="",
        shared_email="",
        message="",
        recipient_email="",
        token_hash="",
        decline_note="",  # free text written by the provider
    )
    case.refresh_from_db()
    return True


# --- one run -----------------------------------------------------------------------------------


@dataclass
class RetentionResult:
    """What one run did (or, with dry_run, would do). Ids only, never a personal value."""

    dry_run: bool = False
    reporter_details_removed: int = 0  # signals
    anonymised_no_contact: int = 0
    anonymised_closed: int = 0
    reporter_case_ids: list[int] = field(default_factory=list)
    anonymised_case_ids: list[int] = field(default_factory=list)

    @property
    def anonymised(self) -> int:
        return self.anonymised_no_contact + self.anonymised_closed

    def counts(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "reporter_details_removed": self.reporter_details_removed,
            "anonymised_no_contact": self.anonymised_no_contact,
            "anonymised_closed": self.anonymised_closed,
            "anonymised": self.anonymised,
        }


def apply_retention(*, now: dt.datetime | None = None, dry_run: bool = False) -> RetentionResult:
    """Carry out the retention rules once. Idempotent: a second run finds nothing to do."""
    now = now or timezone.now()
    result = RetentionResult(dry_run=dry_run)

    for case in closed_with_reporter_details():
        pending = Signal.objects.filter(case=case, reporter_details_removed_at__isnull=True)
        result.reporter_case_ids.append(case.pk)
        if dry_run:
            result.reporter_details_removed += pending.count()
            continue
        with transaction.atomic():
            # As at closing: the reporter hears "afgehandeld" before the address goes.
            notifications.reporter_status_changed(case, "completed")
            result.reporter_details_removed += remove_reporter_details(case)

    for case in due_for_anonymisation(now):
        short = case.closing_reason in NO_CONTACT_REASONS
        if not dry_run:
            with transaction.atomic():
                if not anonymise_case(case, now=now):
                    continue  # re-opened or anonymised since the query ran
                record_event(
                    "case.anonymise",
                    obj=case,
                    organisation=case.organisation,
                    details={
                        "rule": "no_contact" if short else "closed",
                        "closing_reason": case.closing_reason,
                        "months": retention_months(case.closing_reason),
                    },
                )
        result.anonymised_case_ids.append(case.pk)
        if short:
            result.anonymised_no_contact += 1
        else:
            result.anonymised_closed += 1
    return result


@task()
def apply_retention_task() -> dict[str, Any]:
    """The same run for the task queue; returns the counts."""
    return apply_retention().counts()
