"""Error reports: a resident says something on a service's page is wrong; the provider hears."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.accounts.models import User
from omzien.audit.services import record_event
from omzien.core.links import absolute_url
from omzien.directory.models import ErrorReport, Service
from omzien.directory.services.common import _queue_email, provider_recipients


def notify_error_report(report: ErrorReport) -> list[str]:
    """Queue an e-mail to the provider's editors and address about a new error report.

    The e-mail names the service and links to the inbox; it carries nothing of the reporter
    (not the message, which may hold personal details, nor their e-mail address).
    Returns the recipients (empty when the provider has no one to tell).
    """
    service = report.service
    recipients = provider_recipients(service.organization)
    body = render_to_string(
        "directory/manage/email/error_report.txt",
        {
            "service_name": service.name,
            "inbox_url": absolute_url(reverse("directory_manage:error_reports")),
        },
    )
    _queue_email(_("Iemand meldt een fout bij %(name)s") % {"name": service.name}, body, recipients)
    return recipients


def report_error(
    service: Service,
    message: str,
    reporter_email: str = "",
    *,
    request: HttpRequest | None = None,
) -> ErrorReport:
    """Store a resident's error report and tell the provider (for the public form)."""
    with transaction.atomic():
        report = ErrorReport.objects.create(
            service=service, message=message.strip(), reporter_email=reporter_email.strip()
        )
        record_event(
            "directory.error_report.create",
            request=request,
            obj=report,
            organisation=service.organization.owner if service.organization else None,
            details={"service": str(service.id)},
        )
        notify_error_report(report)
    return report


def resolve_error_report(
    report: ErrorReport, user: User, *, request: HttpRequest | None = None
) -> ErrorReport:
    """Mark the report handled and forget the reporter's e-mail address: it was only for asking
    back."""
    with transaction.atomic():
        locked = ErrorReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != ErrorReport.Status.RESOLVED:
            locked.status = ErrorReport.Status.RESOLVED
            locked.resolved_at = timezone.now()
        locked.reporter_email = ""
        locked.save(update_fields=["status", "resolved_at", "reporter_email"])
        record_event(
            "directory.error_report.resolve",
            request=request,
            actor=user,
            obj=locked,
            organisation=(
                locked.service.organization.owner if locked.service.organization else None
            ),
            details={"service": str(locked.service_id)},
        )
    report.refresh_from_db()
    return report
