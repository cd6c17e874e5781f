"""What every part of the package shares: history rows, audit events, reindexing and e-mail.

Imports none of its siblings, so any of them may import it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from omzien.accounts.models import Membership, User
from omzien.accounts.roles import Role
from omzien.audit.services import record_event
from omzien.core.tasks import send_email
from omzien.directory import search
from omzien.directory.models import Metadata, Organization


def _reindex(ids: Sequence[Any]) -> None:
    """Ask search to reindex these services once the transaction commits."""
    search.schedule_reindex(list(ids))


def _log_changes(
    resource_type: str,
    resource_id: Any,
    action: str,
    changes: dict[str, tuple[str, str]],
    author: User,
    when: datetime.datetime,
) -> None:
    """One HSDS metadata row per changed field: the history is appended, never edited."""
    Metadata.objects.bulk_create(
        Metadata(
            resource_id=resource_id,
            resource_type=resource_type,
            last_action_date=when,
            last_action_type=action,
            field_name=name,
            previous_value=old,
            replacement_value=new,
            updated_by=author.email,
        )
        for name, (old, new) in changes.items()
    )


def _audit(
    action: str,
    *,
    actor: User,
    obj: Any,
    request: HttpRequest | None,
    organization: Organization | None,
    details: dict[str, Any] | None = None,
) -> None:
    record_event(
        action,
        request=request,
        actor=actor,
        obj=obj,
        organisation=organization.owner if organization is not None else None,
        details=details,
    )


def _queue_email(subject: str, body: str, recipients: Iterable[str]) -> None:
    to = sorted({r.strip().lower() for r in recipients if r and r.strip()})
    if not to:
        return
    subject, body = str(subject), str(body)
    transaction.on_commit(lambda: send_email.enqueue(subject, body, to))


def provider_recipients(organization: Organization | None) -> list[str]:
    """Who hears about a provider's services: its editors and its general e-mail address."""
    if organization is None:
        return []
    recipients: set[str] = set()
    if organization.owner_id is not None:
        recipients.update(
            Membership.objects.filter(
                organisation_id=organization.owner_id,
                organisation__is_active=True,
                role=Role.PROVIDER_EDITOR,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    if organization.email:
        recipients.add(organization.email)
    return sorted(r.lower() for r in recipients if r)
