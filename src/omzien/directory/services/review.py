"""Proposals by providers that are not (yet) trusted: the review queue.

An approved proposal is applied by exactly the function a trusted provider's edit goes through.
"""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from omzien.accounts.models import User
from omzien.core.links import absolute_url
from omzien.directory.models import ChangeRequest, Location, Organization, Service
from omzien.directory.services.common import _queue_email, kaart_write
from omzien.directory.services.data import (
    LOCATION_FIELD_LABELS,
    SERVICE_FIELD_LABELS,
    FieldChange,
    LocationData,
    SaveResult,
    ServiceData,
    _diff,
    flatten_location,
    flatten_service,
    location_data,
    location_label,
    service_data,
)
from omzien.directory.services.trust import changes_go_live
from omzien.directory.services.writes import (
    add_location,
    create_service,
    remove_location,
    update_location,
    update_service,
)


class ChangeKind(StrEnum):
    SERVICE = "service"
    LOCATION = "location"
    LOCATION_REMOVAL = "location_removal"


class ChangeRequestClosed(Exception):
    """The proposal was already approved or rejected (for instance by another reviewer)."""


def _linked_location(service: Service, location_id: str | None) -> Location | None:
    if not location_id:
        return None
    return Location.objects.filter(id=location_id, service_at_locations__service=service).first()


def submit_change(
    user: User,
    organization: Organization,
    kind: ChangeKind,
    data: dict[str, Any],
    *,
    service: Service | None = None,
    location_id: str | None = None,
    request: HttpRequest | None = None,
) -> ChangeRequest:
    """Put a proposal in the review queue; nothing changes on the kaart until it is approved.

    A second proposal for the same thing before review replaces the first, so reviewers judge
    one up-to-date version.
    """
    payload = {"kind": kind.value, "location_id": location_id, "data": data}
    with kaart_write("directory.change_request.submit", actor=user, request=request) as write:
        pending = None
        if service is not None:
            pending = (
                ChangeRequest.objects.select_for_update()
                .filter(
                    service=service,
                    status=ChangeRequest.Status.PENDING,
                    payload__kind=kind.value,
                    payload__location_id=location_id,
                )
                .first()
            )
        if pending is not None:
            pending.payload = payload
            pending.submitted_by = user
            pending.submitted_at = timezone.now()
            pending.save(update_fields=["payload", "submitted_by", "submitted_at"])
            change_request = pending
        else:
            change_request = ChangeRequest.objects.create(
                service=service, organization=organization, payload=payload, submitted_by=user
            )
        write.about(
            change_request,
            organization,
            {"kind": kind.value, "service": str(service.id) if service else ""},
        )
    return change_request


def pending_change(
    service: Service, kind: ChangeKind, location_id: str | None = None
) -> ChangeRequest | None:
    return (
        ChangeRequest.objects.filter(
            service=service,
            status=ChangeRequest.Status.PENDING,
            payload__kind=kind.value,
            payload__location_id=location_id,
        )
        .order_by("-submitted_at")
        .first()
    )


def save_service(
    *,
    user: User,
    organization: Organization | None,
    data: ServiceData,
    service: Service | None = None,
    request: HttpRequest | None = None,
) -> SaveResult:
    """A provider's edit: live at once for trusted providers, otherwise into the review queue."""
    if changes_go_live(user, organization):
        if service is None:
            if organization is None:
                raise ValueError("a new service needs an organization")
            return SaveResult(service=create_service(organization, data, user, request=request))
        update_service(service, data, user, request=request)
        return SaveResult(service=service)
    assert organization is not None  # changes_go_live is True without one
    change_request = submit_change(
        user, organization, ChangeKind.SERVICE, data.to_payload(), service=service, request=request
    )
    return SaveResult(service=service, change_request=change_request)


def save_location(
    *,
    user: User,
    service: Service,
    data: LocationData,
    location: Location | None = None,
    request: HttpRequest | None = None,
) -> SaveResult:
    organization = service.organization
    if changes_go_live(user, organization):
        if location is None:
            add_location(service, data, user, request=request)
        else:
            update_location(service, location, data, user, request=request)
        return SaveResult(service=service)
    assert organization is not None  # changes_go_live is True without one
    payload = dataclasses.replace(data, id=str(location.id) if location else None).to_payload()
    change_request = submit_change(
        user,
        organization,
        ChangeKind.LOCATION,
        payload,
        service=service,
        location_id=str(location.id) if location else None,
        request=request,
    )
    return SaveResult(service=service, change_request=change_request)


def unlink_location(
    *,
    user: User,
    service: Service,
    location: Location,
    request: HttpRequest | None = None,
) -> SaveResult:
    organization = service.organization
    if changes_go_live(user, organization):
        remove_location(service, location, user, request=request)
        return SaveResult(service=service)
    assert organization is not None  # changes_go_live is True without one
    change_request = submit_change(
        user,
        organization,
        ChangeKind.LOCATION_REMOVAL,
        {"name": location_label(location)},
        service=service,
        location_id=str(location.id),
        request=request,
    )
    return SaveResult(service=service, change_request=change_request)


def change_request_kind(change_request: ChangeRequest) -> ChangeKind:
    return ChangeKind(change_request.payload.get("kind", ChangeKind.SERVICE.value))


def describe_change_request(change_request: ChangeRequest) -> list[FieldChange]:
    """Field by field, what the kaart says now and what the provider proposes."""
    kind = change_request_kind(change_request)
    data = change_request.payload.get("data", {})
    service = change_request.service
    if kind == ChangeKind.SERVICE:
        before = flatten_service(service_data(service)) if service else {}
        after = flatten_service(ServiceData.from_payload(data))
        labels: dict[str, Promise] = SERVICE_FIELD_LABELS
    else:
        location = (
            _linked_location(service, change_request.payload.get("location_id"))
            if service
            else None
        )
        before = flatten_location(location_data(location)) if location else {}
        if kind == ChangeKind.LOCATION_REMOVAL:
            after = {k: "" for k in before}
        else:
            after = flatten_location(LocationData.from_payload(data))
        labels = LOCATION_FIELD_LABELS
    return [
        FieldChange(name, str(labels.get(name, name)), old, new)
        for name, (old, new) in _diff(before, after).items()
    ]


def _lock_pending(change_request: ChangeRequest) -> ChangeRequest:
    locked = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if locked.status != ChangeRequest.Status.PENDING:
        raise ChangeRequestClosed
    return locked


def approve_change_request(
    change_request: ChangeRequest, reviewer: User, *, request: HttpRequest | None = None
) -> ChangeRequest:
    """Apply the proposal through the same functions as a trusted edit, and record the review.

    The history names the provider who wrote the change; the review names who approved it.
    """
    with kaart_write("directory.change_request.approve", actor=reviewer, request=request) as write:
        locked = _lock_pending(change_request)
        author = locked.submitted_by
        kind = change_request_kind(locked)
        data = locked.payload.get("data", {})
        service = locked.service
        if kind == ChangeKind.SERVICE:
            service_value = ServiceData.from_payload(data)
            if service is None:
                locked.service = create_service(
                    locked.organization, service_value, author, actor=reviewer, request=request
                )
            else:
                update_service(service, service_value, author, actor=reviewer, request=request)
        elif service is not None:
            location = _linked_location(service, locked.payload.get("location_id"))
            if kind == ChangeKind.LOCATION_REMOVAL:
                if location is not None:
                    remove_location(service, location, author, actor=reviewer, request=request)
            elif location is None:
                add_location(
                    service,
                    LocationData.from_payload(data),
                    author,
                    actor=reviewer,
                    request=request,
                )
            else:
                update_location(
                    service,
                    location,
                    LocationData.from_payload(data),
                    author,
                    actor=reviewer,
                    request=request,
                )
        locked.status = ChangeRequest.Status.APPROVED
        locked.reviewed_by = reviewer
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["service", "status", "reviewed_by", "reviewed_at"])
        write.about(locked, locked.organization, {"kind": kind.value})
        _notify_outcome(locked)
    change_request.refresh_from_db()
    return change_request


def reject_change_request(
    change_request: ChangeRequest,
    reviewer: User,
    reason: str,
    *,
    request: HttpRequest | None = None,
) -> ChangeRequest:
    """Decline the proposal with a reason the provider reads; the kaart stays as it was."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a rejection needs a reason")
    with kaart_write("directory.change_request.reject", actor=reviewer, request=request) as write:
        locked = _lock_pending(change_request)
        locked.status = ChangeRequest.Status.REJECTED
        locked.reviewed_by = reviewer
        locked.reviewed_at = timezone.now()
        locked.review_note = reason
        locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        write.about(locked, locked.organization, {"kind": change_request_kind(locked).value})
        _notify_outcome(locked)
    change_request.refresh_from_db()
    return change_request


def change_request_title(change_request: ChangeRequest) -> str:
    kind = change_request_kind(change_request)
    data = change_request.payload.get("data", {})
    service_name = change_request.service.name if change_request.service else data.get("name", "")
    if kind == ChangeKind.SERVICE:
        if change_request.service is None:
            return _("Nieuwe dienst: %(name)s") % {"name": service_name}
        return _("Wijziging van %(name)s") % {"name": service_name}
    if kind == ChangeKind.LOCATION_REMOVAL:
        return _("Locatie weghalen bij %(name)s") % {"name": service_name}
    if change_request.payload.get("location_id"):
        return _("Locatie wijzigen bij %(name)s") % {"name": service_name}
    return _("Nieuwe locatie bij %(name)s") % {"name": service_name}


def _notify_outcome(change_request: ChangeRequest) -> None:
    """Tell the provider's editor who proposed the change how it was judged."""
    body = render_to_string(
        "directory/manage/email/change_request_outcome.txt",
        {
            "title": change_request_title(change_request),
            "approved": change_request.status == ChangeRequest.Status.APPROVED,
            "note": change_request.review_note,
            "dashboard_url": absolute_url(reverse("directory_manage:dashboard")),
        },
    )
    if change_request.status == ChangeRequest.Status.APPROVED:
        subject = _("Uw wijziging staat op de sociale kaart")
    else:
        subject = _("Uw wijziging is niet overgenomen")
    _queue_email(subject, body, [change_request.submitted_by.email])
