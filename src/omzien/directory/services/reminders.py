"""Reminders for services nobody has checked for a long time."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.audit.services import record_event
from omzien.core.links import absolute_url
from omzien.directory.models import Organization, Service, ServiceStatus
from omzien.directory.services.common import _queue_email, provider_recipients

REMINDER_INTERVAL = datetime.timedelta(days=30)


@dataclass(frozen=True)
class ReminderResult:
    organizations: int
    services: int


def stale_services_due_for_reminder(now: datetime.datetime | None = None) -> QuerySet[Service]:
    """Live services not checked for OMZIEN_STALE_AFTER_DAYS whose last reminder is 30+ days old."""
    now = now or timezone.now()
    cutoff = timezone.localdate(now) - datetime.timedelta(days=settings.OMZIEN_STALE_AFTER_DAYS)
    return (
        Service.objects.filter(organization__isnull=False, is_published=True)
        .exclude(status=ServiceStatus.DEFUNCT)
        .filter(Q(assured_date__isnull=True) | Q(assured_date__lt=cutoff))
        .filter(
            Q(verification_reminder_sent_at__isnull=True)
            | Q(verification_reminder_sent_at__lte=now - REMINDER_INTERVAL)
        )
    )


def remind_stale_services(now: datetime.datetime | None = None) -> ReminderResult:
    """One e-mail per provider listing its services to check; safe to run as often as wanted.

    Marking `verification_reminder_sent_at` in the same transaction as queueing the e-mail is
    what makes a second run send nothing. Providers without anyone to e-mail are left unmarked,
    so they are reminded once someone is added.
    """
    now = now or timezone.now()
    organizations = services = 0
    with transaction.atomic():
        due = list(
            stale_services_due_for_reminder(now)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("organization_id", "name")
        )
        by_organization: dict[Any, list[Service]] = {}
        for service in due:
            by_organization.setdefault(service.organization_id, []).append(service)
        for organization in Organization.objects.filter(id__in=by_organization):
            recipients = provider_recipients(organization)
            if not recipients:
                continue
            listed = by_organization[organization.id]
            body = render_to_string(
                "directory/manage/email/stale_reminder.txt",
                {
                    "organization": organization.name,
                    "services": [s.name for s in listed],
                    "days": settings.OMZIEN_STALE_AFTER_DAYS,
                    "dashboard_url": absolute_url(reverse("directory_manage:dashboard")),
                },
            )
            _queue_email(_("Klopt uw aanbod op de sociale kaart nog?"), body, recipients)
            Service.objects.filter(id__in=[s.id for s in listed]).update(
                verification_reminder_sent_at=now
            )
            record_event(
                "directory.service.remind",
                object_type="directory.organization",
                object_id=str(organization.id),
                organisation=organization.owner,
                details={"services": len(listed)},
            )
            organizations += 1
            services += len(listed)
    return ReminderResult(organizations=organizations, services=services)
