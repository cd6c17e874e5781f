"""Rights of the person a case is about (AVG art. 15 and 17): find, export, erase.

Handled by a coordinator of the case's organisation (Capability.HANDLE_DATA_REQUESTS); the views
in `views_privacy.py` stay thin over these functions. docs/privacy.md describes the procedure.

- `find_cases`: the cases of one person within the organisations the user may handle requests
  for, found through the blind index (and, for phone and e-mail, a comparison of the decrypted
  values, because each case keeps a single blind-index key: the address when it has one).
- `build_export`: everything held about the person in one case, as plain data for JSON. The
  reporter's identity is not in it (art. 15(4): it is the reporter's data), only that a reporter
  exists and of which kind, which art. 15(1)(g) asks for (the source of the data).
- `erase_case`: anonymise now instead of at the end of the retention period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omzien.accounts.models import User
from omzien.accounts.permissions import has_capability, scope_queryset
from omzien.accounts.roles import Capability
from omzien.audit.models import AuditEvent
from omzien.audit.services import record_event
from omzien.cases import retention, services
from omzien.cases.indicators import ReporterKind, indicator_label
from omzien.cases.models import (
    OPEN_REFERRAL_STATUSES,
    AgeGroup,
    Case,
    CaseState,
    ClosingReason,
    ConsentMethod,
    ContactChannel,
    ContactOutcome,
    DeclineReason,
    NoteKind,
    PersonKnows,
    ReferralOutcome,
    ReferralStatus,
    SignalSource,
    Urgency,
)
from omzien.core.phones import match_digits

EXPORT_FORMAT_VERSION = 1


class ErasureReason(models.TextChoices):
    """Why a case is erased before its retention period ends; stored as a code in the audit."""

    REQUEST = "request", gettext_lazy("De persoon vraagt om wissen (AVG artikel 17)")
    OBJECTION = "objection", gettext_lazy("De persoon maakt bezwaar (AVG artikel 21)")
    NOT_NEEDED = "not_needed", gettext_lazy("De gegevens zijn niet meer nodig")
    UNLAWFUL = "unlawful", gettext_lazy("De gegevens zijn ten onrechte vastgelegd")


class ErasureRefused(ValidationError):
    """Erasure is not possible now; the message says what to do first."""


# --- finding a person's cases ------------------------------------------------------------------


@dataclass(frozen=True)
class SearchCriteria:
    postcode: str = ""
    house_number: str = ""
    phone: str = ""
    email: str = ""

    def used(self) -> list[str]:
        """The kinds of criteria given (for the audit log; never the values)."""
        kinds = []
        if self.postcode and self.house_number:
            kinds.append("address")
        if self.phone:
            kinds.append("phone")
        if self.email:
            kinds.append("email")
        return kinds


def lookups_for(criteria: SearchCriteria) -> list[str]:
    """The blind-index values of every identifier given, each computed like at intake."""
    keys = []
    if criteria.postcode and criteria.house_number:
        postcode = re.sub(r"\s+", "", criteria.postcode).upper()
        keys.append(services.person_lookup(postcode, criteria.house_number, "", ""))
    if criteria.phone and match_digits(criteria.phone):
        keys.append(services.person_lookup("", "", criteria.phone, ""))
    if criteria.email:
        keys.append(services.person_lookup("", "", "", criteria.email))
    return [key for key in keys if key]


def find_cases(user: User, criteria: SearchCriteria) -> list[Case]:
    """The cases of one person in the organisations where the user handles data requests."""
    scoped = scope_queryset(Case.objects.all(), user, Capability.HANDLE_DATA_REQUESTS)
    keys = lookups_for(criteria)
    found: dict[int, Case] = {}
    if keys:
        for case in scoped.filter(person_lookup__in=keys):
            found[case.pk] = case
    # A case with an address is indexed on the address only; phone and e-mail are compared on
    # the decrypted values of the user's own organisation(s). Anonymised cases hold nothing.
    phone = match_digits(criteria.phone)
    email = criteria.email.strip().lower()
    if phone or email:
        candidates = scoped.filter(anonymised_at__isnull=True).exclude(pk__in=list(found))
        if phone and not email:
            candidates = candidates.exclude(person_phone="")
        elif email and not phone:
            candidates = candidates.exclude(person_email="")
        else:
            candidates = candidates.exclude(Q(person_phone="") & Q(person_email=""))
        for case in candidates.only("pk", "person_phone", "person_email"):
            if (phone and match_digits(case.person_phone) == phone) or (
                email and case.person_email.strip().lower() == email
            ):
                found[case.pk] = case
    if not found:
        return []
    return list(
        Case.objects.filter(pk__in=found)
        .select_related("organisation", "neighbourhood")
        .order_by("-received_at")
    )


# --- the export (art. 15) ----------------------------------------------------------------------


def _when(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return str(value.isoformat())


def _label(choices: type[models.TextChoices], value: str) -> str:
    if not value:
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _coded(choices: type[models.TextChoices], value: str) -> dict[str, str]:
    return {"code": value, "label": _label(choices, value)}


def _indicators(codes: list[str]) -> list[dict[str, str]]:
    return [{"code": code, "label": indicator_label(code)} for code in codes]


def audit_events_for(case: Case) -> QuerySet[AuditEvent]:
    """Every audit event about the case, its signals or its referrals, newest first."""
    signal_ids = [str(pk) for pk in case.signals.values_list("pk", flat=True)]
    referral_ids = [str(pk) for pk in case.referrals.values_list("pk", flat=True)]
    return AuditEvent.objects.select_related("organisation").filter(
        Q(object_type="cases.case", object_id=str(case.pk))
        | Q(object_type="cases.signal", object_id__in=signal_ids)
        | Q(object_type="cases.referral", object_id__in=referral_ids)
    )


def build_export(case: Case) -> dict[str, Any]:
    """Everything held about the person in this case, for an answer to an access request."""
    signals = list(case.signals.all())
    referrals = list(case.referrals.select_related("provider").all())
    reporter_kinds = sorted({s.reporter_kind for s in signals if s.reporter_kind != "self"})
    export: dict[str, Any] = {
        "format_version": EXPORT_FORMAT_VERSION,
        "generated_at": _when(timezone.now()),
        "controller": case.organisation.name,
        "case": {
            "number": case.pk,
            "state": _coded(CaseState, case.state),
            "urgency": _coded(Urgency, case.urgency),
            "source": _coded(SignalSource, case.source),
            "received_at": _when(case.received_at),
            "first_contact_attempt_at": _when(case.first_attempt_at),
            "contact_made_at": _when(case.contact_made_at),
            "conversation_at": _when(case.conversation_at),
            "referred_at": _when(case.referred_at),
            "closed_at": _when(case.closed_at),
            "closing_reason": _coded(ClosingReason, case.closing_reason),
            "person_knows_of_signal": _coded(PersonKnows, case.person_knows),
            "person_informed_at": _when(case.person_informed_at),
            "found_indicators": _indicators(case.found_indicators),
            "anonymised_at": _when(case.anonymised_at),
        },
        "person": {
            "name": case.person_name,
            "phone": case.person_phone,
            "email": case.person_email,
            "address": case.person_address,
            "postcode": case.person_postcode,
            "neighbourhood": case.neighbourhood.name if case.neighbourhood else "",
            "age_group": _coded(AgeGroup, case.age_group),
        },
        "reporter": {
            "exists": any(s.reporter_kind != "self" for s in signals),
            "kinds": [_coded(ReporterKind, kind) for kind in reporter_kinds],
            "note": _(
                "Iemand anders heeft deze melding gedaan. Wie dat is, staat niet in dit "
                "overzicht: dat zijn gegevens van de melder (AVG artikel 15 lid 4)."
            )
            if reporter_kinds
            else "",
        },
        "signals": [_signal(signal) for signal in signals],
        "contact_attempts": [
            {
                "at": _when(a.at),
                "channel": _coded(ContactChannel, a.channel),
                "outcome": _coded(ContactOutcome, a.outcome),
                "note": a.note,
            }
            for a in case.contact_attempts.all()
        ],
        "notes": [
            {"kind": _coded(NoteKind, n.kind), "held_at": _when(n.held_at), "text": n.text}
            for n in case.notes.all()
        ],
        "consents": [
            {
                "given_at": _when(c.given_at),
                "method": _coded(ConsentMethod, c.method),
                "share_with_providers": c.share_with_providers,
                "scope": c.scope,
                "withdrawn_at": _when(c.withdrawn_at),
            }
            for c in case.consents.all()
        ],
        "referrals": [_referral(r) for r in referrals],
        "recipients": sorted(
            {r.provider.name if r.provider else r.service_name for r in referrals}
        ),
        "transitions": [
            {
                "at": _when(t.at),
                "from": _coded(CaseState, t.from_state),
                "to": _coded(CaseState, t.to_state),
                "reason": t.reason,
            }
            for t in case.transitions.all()
        ],
        # Who looked at or changed the file: the organisation and the action, not the employee.
        "access_log": [
            {
                "at": _when(e.timestamp),
                "action": e.action,
                "organisation": e.organisation.name if e.organisation else "",
            }
            for e in audit_events_for(case).order_by("timestamp", "id")
        ],
    }
    return export


def _signal(signal: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "received_at": _when(signal.received_at),
        "source": _coded(SignalSource, signal.source),
        "reporter_kind": _coded(ReporterKind, signal.reporter_kind),
        "description": signal.description,
        "indicators": _indicators(signal.indicators),
    }
    if signal.reporter_kind == "self":
        # The person reported about themselves: these details are theirs.
        data["own_contact_details"] = {
            "name": signal.reporter_name,
            "phone": signal.reporter_phone,
            "email": signal.reporter_email,
        }
    return data


def _referral(referral: Any) -> dict[str, Any]:
    return {
        "service": referral.service_name,
        "provider": referral.provider.name if referral.provider else "",
        "status": _coded(ReferralStatus, referral.status),
        "sent_at": _when(referral.sent_at),
        "answered_at": _when(referral.answered_at),
        "decline_reason": _coded(DeclineReason, referral.decline_reason),
        "started_on": _when(referral.started_on),
        "completed_at": _when(referral.completed_at),
        "outcome": _coded(ReferralOutcome, referral.outcome),
        "shared_with_provider": {
            "name": referral.shared_name,
            "phone": referral.shared_phone,
            "email": referral.shared_email,
            "message": referral.message,
        },
    }


def export_summary(case: Case) -> dict[str, int | bool]:
    """What the export holds, in counts, for the page before the download."""
    return {
        "signals": case.signals.count(),
        "has_reporter": case.signals.exclude(reporter_kind="self").exists(),
        "contact_attempts": case.contact_attempts.count(),
        "notes": case.notes.count(),
        "consents": case.consents.count(),
        "referrals": case.referrals.count(),
        "transitions": case.transitions.count(),
        "audit_events": audit_events_for(case).count(),
    }


def export_audit_details(case: Case) -> dict[str, Any]:
    summary = export_summary(case)
    return {"format": "json", **{k: v for k, v in summary.items() if k != "has_reporter"}}


# --- erasure (art. 17) -------------------------------------------------------------------------


def erasure_blockers(case: Case) -> list[str]:
    """Why the case cannot be erased now (empty: it can)."""
    if case.is_anonymised:
        return [_("Deze casus is al geanonimiseerd. Er staan geen persoonsgegevens meer in.")]
    blockers = []
    if case.state != CaseState.CLOSED:
        blockers.append(
            _(
                "De casus is nog open. Sluit de casus eerst af met een reden. "
                "Daarna kunt u de gegevens wissen."
            )
        )
    if case.referrals.filter(status__in=OPEN_REFERRAL_STATUSES).exists():
        blockers.append(
            _(
                "Er lopen nog verwijzingen. Rond die eerst af of trek ze in. "
                "Anders heeft de aanbieder nog gegevens die wij niet meer hebben."
            )
        )
    return blockers


def erase_case(case: Case, actor: User, reason: str, *, request: HttpRequest | None = None) -> Case:
    """Anonymise the case now, at the person's request; audited with the reason code."""
    if not has_capability(actor, Capability.HANDLE_DATA_REQUESTS, case.organisation_id):
        raise PermissionDenied(_("U mag geen verzoeken van personen afhandelen."))
    if reason not in ErasureReason.values:
        raise ValidationError(_("Kies een reden."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        blockers = erasure_blockers(locked)
        if blockers:
            raise ErasureRefused(blockers)
        notes = locked.notes.count()
        if not retention.anonymise_case(locked):
            raise ErasureRefused(_("Deze casus kan nu niet worden gewist."))
        record_event(
            "case.erase",
            request=request,
            actor=actor,
            obj=locked,
            organisation=locked.organisation,
            details={"reason": reason, "notes_deleted": notes},
        )
    case.refresh_from_db()
    return case
