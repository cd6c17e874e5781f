"""Reads of case work: the queue, overdue cases, who works on cases, masked reporter details.

Every query starts from the permission layer (`scope_queryset`), so no function here can show a
case of another organisation. The queue loads only non-personal columns: encrypted fields are
never read (and so never decrypted) for a list.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omzien.accounts.models import User
from omzien.accounts.permissions import AnyUser, organisation_ids, scope_queryset
from omzien.accounts.roles import ROLE_CAPABILITIES, Capability
from omzien.cases.models import OPEN_STATES, Case, CaseState
from omzien.cases.services import normalise_receipt, overdue_q
from omzien.core.phones import mask_phone

PER_PAGE = 25


class QueueTab(StrEnum):
    NEW = "nieuw"
    MINE = "mijn"
    OPEN = "open"
    OVERDUE = "te-laat"
    CLOSED = "afgesloten"


TAB_LABELS = {
    QueueTab.NEW: _("Nieuw"),
    QueueTab.MINE: _("Mijn casussen"),
    QueueTab.OPEN: _("Alle open casussen"),
    QueueTab.OVERDUE: _("Te laat"),
    QueueTab.CLOSED: _("Afgesloten"),
}
DEFAULT_TAB = QueueTab.OPEN
UNASSIGNED = "geen"

# Only these columns are read for the list: no personal data, nothing to decrypt.
QUEUE_COLUMNS = (
    "id",
    "organisation_id",
    "state",
    "urgency",
    "source",
    "received_at",
    "first_contact_due",
    "first_attempt_at",
    "checkup_due",
    "closed_at",
    "closing_reason",
    "assigned_to__id",
    "assigned_to__full_name",
    "assigned_to__email",
)


@dataclass(frozen=True)
class QueueFilters:
    tab: QueueTab = DEFAULT_TAB
    urgency: str = ""
    state: str = ""
    # A user id as text, UNASSIGNED, or "" for everyone.
    worker: str = ""
    # A case number or a reporter's receipt code.
    number: str = ""


def visible_cases(user: AnyUser) -> QuerySet[Case]:
    return scope_queryset(Case.objects.all(), user, Capability.VIEW_CASES)


def queue(user: AnyUser, filters: QueueFilters) -> QuerySet[Case]:
    """The cases of one tab of the queue, filtered and ordered, ready to paginate.

    Each tab matches an index: (organisation, state, received_at) for new, open and closed;
    (state, first_contact_due) for overdue; the assigned_to foreign key for "mine".
    """
    cases = visible_cases(user)
    tab = filters.tab
    if tab == QueueTab.NEW:
        cases = cases.filter(state=CaseState.RECEIVED)
    elif tab == QueueTab.MINE:
        cases = cases.filter(assigned_to_id=getattr(user, "pk", None), state__in=OPEN_STATES)
    elif tab == QueueTab.OVERDUE:
        cases = cases.filter(overdue_q())
    elif tab == QueueTab.CLOSED:
        cases = cases.filter(state=CaseState.CLOSED)
    else:
        cases = cases.filter(state__in=OPEN_STATES)
    if filters.urgency:
        cases = cases.filter(urgency=filters.urgency)
    if filters.state:
        cases = cases.filter(state=filters.state)
    if filters.worker == UNASSIGNED:
        cases = cases.filter(assigned_to__isnull=True)
    elif filters.worker:
        cases = cases.filter(assigned_to_id=int(filters.worker))
    if filters.number:
        cases = cases.filter(_number_q(filters.number))
    if tab == QueueTab.OVERDUE:
        ordering: tuple[str, ...] = ("received_at", "id")  # longest waiting first
    else:
        ordering = ("-received_at", "-id")
    return cases.select_related("assigned_to").only(*QUEUE_COLUMNS).order_by(*ordering)


def _number_q(value: str) -> Q:
    receipt = normalise_receipt(value)
    digits = re.sub(r"\D", "", value)
    if receipt and not value.strip().isdigit():
        return Q(signals__receipt=receipt)
    if digits and len(digits) <= 12:
        return Q(pk=int(digits))
    return Q(pk__in=[])


def workers(user: AnyUser) -> QuerySet[User]:
    """People who may work on cases in the organisations whose cases the user sees."""
    roles = [
        role for role, grants in ROLE_CAPABILITIES.items() if Capability.WORK_ON_CASES in grants
    ]
    ids = organisation_ids(user, Capability.VIEW_CASES)
    people = User.objects.filter(
        is_active=True, memberships__role__in=roles, memberships__organisation__is_active=True
    )
    if ids is not None:
        people = people.filter(memberships__organisation_id__in=ids)
    return people.distinct().order_by("full_name", "email")


def is_overdue(case: Case, today: dt.date | None = None) -> bool:
    """The same rule as `services.overdue_q`, for one case already in memory."""
    return first_contact_late(case, today) or checkup_late(case, today)


def first_contact_late(case: Case, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return bool(
        case.state in (CaseState.RECEIVED, CaseState.INTAKE)
        and case.first_attempt_at is None
        and case.first_contact_due is not None
        and case.first_contact_due < today
    )


def checkup_late(case: Case, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return bool(
        case.state == CaseState.REFERRED
        and case.checkup_due is not None
        and case.checkup_due < today
    )


# --- reporter details for someone who may not see them (MELDPUNT.md section 7.3) -------------


def mask_email(value: str) -> str:
    if not value:
        return ""
    local, _at, domain = value.partition("@")
    tld = domain.rpartition(".")[2] if "." in domain else ""
    return f"{local[:1]}***@***{'.' + tld if tld else ''}"


def mask_name(value: str) -> str:
    value = (value or "").strip()
    return f"{value[:1]}***" if value else ""


def reporter_details(signal: Any, visible: bool) -> dict[str, str]:
    """The reporter's name, phone and e-mail, in full or masked."""
    if visible:
        return {
            "name": signal.reporter_name,
            "phone": signal.reporter_phone,
            "email": signal.reporter_email,
        }
    return {
        "name": mask_name(signal.reporter_name),
        "phone": mask_phone(signal.reporter_phone),
        "email": mask_email(signal.reporter_email),
    }
