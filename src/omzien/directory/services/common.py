"""What every part of the package shares: the envelope every write to the kaart goes through
(transaction, history rows, audit event, reindex), e-mail, and who hears about a provider.

Imports none of its siblings, so any of them may import it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from omzien.accounts.models import Membership, User
from omzien.accounts.roles import Role
from omzien.audit.services import record_event
from omzien.core.tasks import send_email
from omzien.directory import search
from omzien.directory.models import Metadata, Organization, Service

# --- The write envelope -----------------------------------------------------------------------


class KaartWrite:
    """One write to the kaart under way, as `kaart_write()` hands it to the code that writes.

    That code records the history as it goes (`log`), says which row the audit event names
    (`about`), and which services to bump (`touch`) and reindex (`reindex`).
    """

    def __init__(
        self, action: str, *, actor: User, author: User, request: HttpRequest | None
    ) -> None:
        self.action = action
        self.actor = actor
        self.author = author
        self.request = request
        self.now = timezone.now()
        self._object: tuple[str, str] | None = None
        self._organization: Organization | None = None
        self._details: dict[str, Any] = {}
        self._touched: list[Service] = []
        self._reindexed: list[Any] = []

    def log(
        self,
        resource_type: str,
        resource_id: Any,
        action: str,
        changes: dict[str, tuple[str, str]],
    ) -> None:
        """History rows for these changed fields, in the author's name, at the write's time."""
        _log_changes(resource_type, resource_id, action, changes, self.author, self.now)

    def about(
        self,
        obj: models.Model,
        organization: Organization | None,
        details: dict[str, Any] | None = None,
    ) -> None:
        """The row the audit event names, taken now: the write may still delete it."""
        self._object = (obj._meta.label_lower, str(obj.pk))
        self._organization = organization
        self._details = details or {}

    def touch(self, service: Service) -> None:
        """Bump the service's `last_modified` when the write closes."""
        self._touched.append(service)

    def reindex(self, service: Service) -> None:
        """Reindex the service for search (and the facet catalogue) once the write commits."""
        self._reindexed.append(service.id)

    def _close(self) -> None:
        if self._object is None:
            raise RuntimeError(f"{self.action}: the write never said what it was about")
        for service in self._touched:
            service.last_modified = self.now
            service.save(update_fields=["last_modified"])
        object_type, object_id = self._object
        record_event(
            self.action,
            request=self.request,
            actor=self.actor,
            object_type=object_type,
            object_id=object_id,
            organisation=self._organization.owner if self._organization is not None else None,
            details=self._details,
        )
        if self._reindexed:
            search.schedule_reindex(self._reindexed)


@contextmanager
def kaart_write(
    action: str,
    *,
    actor: User,
    author: User | None = None,
    request: HttpRequest | None = None,
) -> Iterator[KaartWrite]:
    """Every write to the kaart goes through this envelope, in one transaction.

    The body writes and records its history rows; then the envelope bumps the touched services,
    appends the one audit event `action` and schedules the reindex. `actor` made the write happen
    (the audit log names them); `author` wrote the change (the history names them), by default
    the actor: a reviewer approving a proposal acts, the provider who proposed it is the author.
    If the body raises, nothing of it is kept: no rows, no event, no reindex.
    """
    with transaction.atomic():
        write = KaartWrite(action, actor=actor, author=author or actor, request=request)
        yield write
        write._close()


# --- History and e-mail ---------------------------------------------------------------------


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
