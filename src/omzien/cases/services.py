"""Everything that changes a case goes through here: intake of signals, the state machine,
assignment, triage, contact attempts, conversations and consent.

Referrals live in `referrals.py`, retention and data-subject rights in `retention.py` and
`subject_rights.py`, partner keys in `partners.py`. Views and API routers stay thin over these.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.accounts.models import Organisation, User
from omzien.accounts.permissions import has_capability, users_with_capability
from omzien.accounts.roles import Capability, OrganisationType
from omzien.areas.services import neighbourhood_for_postcode
from omzien.audit.services import record_event
from omzien.cases import norms, notifications, retention
from omzien.cases.indicators import INDICATOR_CODES
from omzien.cases.models import (
    NO_CONTACT_REASONS,
    Case,
    CaseNote,
    CaseState,
    CaseTransition,
    ClosingReason,
    Consent,
    ContactAttempt,
    ContactOutcome,
    NoteKind,
    PersonKnows,
    Signal,
    SignalSource,
    Urgency,
)
from omzien.cases.states import next_states
from omzien.core.phones import match_digits

# Receipt codes: no 0/O, 1/I/L, so they can be read out over the phone.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECEIPT_RE = re.compile(r"^[A-Z2-9]{4}-?[A-Z2-9]{4}-?[A-Z2-9]{2}$")


class TransitionError(ValidationError):
    """A transition the case's state or data does not allow (shown to the user)."""


def new_receipt() -> str:
    chars = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(10))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def normalise_receipt(value: str) -> str:
    """Accept a code typed with spaces, lower case or without dashes."""
    raw = re.sub(r"[^A-Za-z0-9]", "", value or "").upper()
    if len(raw) != 10:
        return ""
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def blind_index(*parts: str) -> str:
    """Keyed hash of normalised identifying values, for finding the same person again."""
    normalised = "|".join(re.sub(r"\s+", "", p or "").lower() for p in parts)
    if not normalised.strip("|"):
        return ""
    key = hashlib.sha256(("omzien.blind-index:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def person_lookup(postcode: str, address: str, phone: str, email: str) -> str:
    if postcode and address:
        number = re.search(r"\d+\s*[a-zA-Z]?", address)
        return blind_index("addr", postcode, number.group(0) if number else address)
    if phone:
        return blind_index("phone", match_digits(phone))
    if email:
        return blind_index("email", email)
    return ""


def meldpunt_organisation() -> Organisation:
    """The welfare organisation that receives signals from the public form and partners."""
    welfare = Organisation.objects.filter(type=OrganisationType.WELFARE, is_active=True)
    if settings.OMZIEN_MELDPUNT_ORGANISATION:
        found = welfare.filter(name=settings.OMZIEN_MELDPUNT_ORGANISATION).first()
    else:
        found = welfare.order_by("pk").first()
    if found is None:
        raise Organisation.DoesNotExist(
            "No welfare organisation receives signals; set OMZIEN_MELDPUNT_ORGANISATION."
        )
    return found


@dataclass
class Report:
    """A signal as it comes in, from the form, a partner or the phone."""

    source: str
    reporter_kind: str
    description: str = ""
    indicators: list[str] = field(default_factory=list)
    person_name: str = ""
    person_phone: str = ""
    person_email: str = ""
    person_address: str = ""
    person_postcode: str = ""
    person_knows: str = PersonKnows.UNKNOWN
    age_group: str = ""
    reporter_profession: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    partner: Organisation | None = None
    source_reference: str = ""
    submission_key: str = ""

    def has_contact_route(self) -> bool:
        return bool(
            self.person_phone.strip()
            or self.person_email.strip()
            or (self.person_address.strip() and self.person_postcode.strip())
        )


def _existing(report: Report) -> Signal | None:
    if report.submission_key:
        found = Signal.objects.filter(submission_key=report.submission_key).first()
        if found:
            return found
    if report.partner is not None and report.source_reference:
        return Signal.objects.filter(
            partner=report.partner, source_reference=report.source_reference
        ).first()
    return None


def submit_report(
    report: Report,
    *,
    organisation: Organisation | None = None,
    request: HttpRequest | None = None,
    partner_key_prefix: str = "",
) -> tuple[Signal, bool]:
    """Store a signal and its new case in one transaction with its audit event; (signal, created).

    A replayed submission (same form token, or same partner reference) returns the signal that
    was stored the first time and records nothing. Notifications are queued only after the
    commit, so nothing that happens after storing can lose the signal. The audit event holds no
    personal data: for a partner the key's public prefix, otherwise who reported and how many
    signals were ticked.
    """
    if not report.has_contact_route():
        raise ValidationError(
            _(
                "Vul een manier in om de persoon te bereiken: "
                "telefoon, e-mail of adres met postcode."
            )
        )
    unknown = sorted(set(report.indicators) - INDICATOR_CODES)
    if unknown:
        raise ValidationError(_("Onbekende signalen: %(codes)s") % {"codes": ", ".join(unknown)})
    existing = _existing(report)
    if existing is not None:
        return existing, False
    organisation = organisation or meldpunt_organisation()
    now = timezone.now()
    postcode = re.sub(r"\s+", "", report.person_postcode).upper()
    try:
        with transaction.atomic():
            case = Case.objects.create(
                organisation=organisation,
                source=report.source,
                person_name=report.person_name.strip(),
                person_phone=report.person_phone.strip(),
                person_email=report.person_email.strip(),
                person_address=report.person_address.strip(),
                person_postcode=postcode,
                person_lookup=person_lookup(
                    postcode, report.person_address, report.person_phone, report.person_email
                ),
                neighbourhood=_neighbourhood(postcode),
                age_group=report.age_group,
                person_knows=report.person_knows,
                received_at=now,
                first_contact_due=norms.first_contact_due(now),
            )
            signal = _create_signal(case, report, now)
            CaseTransition.objects.create(case=case, to_state=CaseState.RECEIVED, at=now)
            details: dict[str, Any] = {"source": signal.source}
            if partner_key_prefix:
                details["key"] = partner_key_prefix
            else:
                details.update(
                    reporter_kind=signal.reporter_kind, indicators=len(signal.indicators)
                )
            record_event(
                "signal.create",
                request=request,
                obj=signal,
                organisation=report.partner or organisation,
                details=details,
            )
    except IntegrityError:
        # Two identical submissions raced; the other one won and stored it.
        existing = _existing(report)
        if existing is None:
            raise
        return existing, False
    transaction.on_commit(lambda: _queue_new_signal_notifications(case.pk))
    return signal, True


def _create_signal(case: Case, report: Report, now: Any) -> Signal:
    while True:
        receipt = new_receipt()
        if not Signal.objects.filter(receipt=receipt).exists():
            break
    return Signal.objects.create(
        case=case,
        receipt=receipt,
        received_at=now,
        source=report.source,
        reporter_kind=report.reporter_kind,
        reporter_profession=report.reporter_profession,
        reporter_name=report.reporter_name.strip(),
        reporter_phone=report.reporter_phone.strip(),
        reporter_email=report.reporter_email.strip(),
        partner=report.partner,
        source_reference=report.source_reference,
        description=report.description.strip(),
        indicators=sorted(set(report.indicators)),
        submission_key=report.submission_key or None,
    )


def _neighbourhood(postcode: str) -> Any:
    if not postcode:
        return None
    try:
        return neighbourhood_for_postcode(postcode)
    except Exception:  # noqa: BLE001 - the neighbourhood is a nicety; never lose a signal for it
        return None


def _queue_new_signal_notifications(case_id: int) -> None:
    notifications.new_signal(case_id)


# --- what the reporter may see -------------------------------------------------------------


REPORTER_STATUSES = {
    "received": _("Uw melding is ontvangen."),
    "picked_up": _("Uw melding is opgepakt door het meldpunt."),
    "completed": _("Uw melding is afgehandeld."),
}


def reporter_status(case: Case) -> str:
    """received / picked_up / completed: never anything about the person or the case."""
    if case.state == CaseState.CLOSED:
        return "completed"
    if case.state == CaseState.RECEIVED:
        return "received"
    return "picked_up"


def signal_for_receipt(code: str) -> Signal | None:
    receipt = normalise_receipt(code)
    if not receipt:
        return None
    return Signal.objects.select_related("case").filter(receipt=receipt).first()


# --- the state machine -----------------------------------------------------------------------


def can_transition(case: Case, to_state: str, user: User) -> bool:
    capability = next_states(case.state).get(CaseState(to_state))
    if capability is None or case.is_anonymised:
        return False
    return has_capability(user, capability, case.organisation_id)


def _audit(case: Case, actor: User | None, action: str, **details: Any) -> None:
    """The audit event of one change to a case, written in the change's transaction."""
    record_event(
        "case.update",
        actor=actor,
        obj=case,
        organisation=case.organisation,
        details={"action": action, **details},
    )


@transaction.atomic
def transition(case: Case, to_state: str, actor: User | None, *, reason: str = "") -> Case:
    """Move the case to `to_state`, checking who may and whether the case allows it.

    `actor=None` is the system (expiry of referrals, never used for closing or re-opening).
    """
    from_state = case.state
    moved = _transition(case, to_state, actor, reason=reason)
    _audit(moved, actor, "transition", **{"from": from_state, "to": moved.state, "reason": reason})
    return moved


def _transition(case: Case, to_state: str, actor: User | None, *, reason: str = "") -> Case:
    """The state change itself, for steps that are part of a larger audited action."""
    original = case
    case = Case.objects.select_for_update().get(pk=case.pk)
    target = CaseState(to_state)
    capability = next_states(case.state).get(target)
    if capability is None:
        raise TransitionError(
            _("Van '%(from)s' naar '%(to)s' kan niet.")
            % {"from": CaseState(case.state).label, "to": target.label}
        )
    if case.is_anonymised:
        raise TransitionError(_("Deze casus is geanonimiseerd en kan niet meer veranderen."))
    if actor is not None and not has_capability(actor, capability, case.organisation_id):
        raise PermissionDenied(_("U mag deze stap niet zetten."))
    _check_guards(case, target, reason)
    now = timezone.now()
    from_state = case.state
    case.state = target
    if target == CaseState.CLOSED:
        case.closing_reason = reason
        case.closed_at = now
    elif from_state == CaseState.CLOSED:
        case.closing_reason = ""
        case.closed_at = None
        case.reopened_count += 1
    if target == CaseState.INTAKE and case.assigned_to_id is None and actor is not None:
        case.assigned_to = actor
    if target == CaseState.CONTACT_MADE and case.contact_made_at is None:
        case.contact_made_at = now
    if target == CaseState.CONVERSATION_HELD and case.conversation_at is None:
        case.conversation_at = now
    if target == CaseState.REFERRED:
        case.referred_at = now
        case.checkup_due = norms.checkup_due(now)
    case.save()
    CaseTransition.objects.create(
        case=case, from_state=from_state, to_state=target, reason=reason, actor=actor, at=now
    )
    if target == CaseState.CLOSED:
        notifications.reporter_status_changed(case, "completed")
        retention.remove_reporter_details(case)
    elif from_state == CaseState.RECEIVED:
        notifications.reporter_status_changed(case, "picked_up")
    if original is not case:
        original.refresh_from_db()  # the caller's object shows the new state too
    return case


def _check_guards(case: Case, target: CaseState, reason: str) -> None:
    if target == CaseState.CLOSED:
        if reason not in ClosingReason.values:
            raise TransitionError(_("Kies een reden om de casus af te sluiten."))
        if reason == ClosingReason.HELPED and case.contact_made_at is None:
            raise TransitionError(_("'Geholpen' kan pas als er contact is geweest met de persoon."))
        if case.referrals.filter(status__in=("sent", "accepted", "started")).exists() and (
            reason not in NO_CONTACT_REASONS and reason != ClosingReason.HELPED
        ):
            raise TransitionError(_("Rond eerst de open verwijzingen af of trek ze in."))
    if target == CaseState.REFERRED:
        if not case.consents.filter(withdrawn_at__isnull=True).exists():
            raise TransitionError(_("Leg eerst de toestemming van de persoon vast."))
        if not case.referrals.exists():
            raise TransitionError(_("Verwijs eerst naar minstens één aanbod."))


# --- assignment, triage, contact, conversation, consent ------------------------------------


def _require_work(case: Case, actor: User) -> None:
    if case.is_anonymised:
        raise TransitionError(_("Deze casus is geanonimiseerd en kan niet meer veranderen."))
    if not has_capability(actor, Capability.WORK_ON_CASES, case.organisation_id):
        raise PermissionDenied(_("U mag aan deze casus niet werken."))


@transaction.atomic
def take(case: Case, actor: User) -> Case:
    """A case worker takes the case: assigned to them, and a new case goes to intake."""
    _assign(case, actor, actor)
    if case.state == CaseState.RECEIVED:
        _transition(case, CaseState.INTAKE, actor)
    _audit(case, actor, "take")
    return case


@transaction.atomic
def assign(case: Case, assignee: User | None, actor: User) -> Case:
    """Assign to a case worker of the case's organisation (coordinators; workers take it)."""
    _assign(case, assignee, actor)
    _audit(case, actor, "assign", assignee_id=assignee.pk if assignee is not None else None)
    return case


def _assign(case: Case, assignee: User | None, actor: User) -> Case:
    taking_self = assignee is not None and assignee.pk == actor.pk
    needed = Capability.WORK_ON_CASES if taking_self else Capability.ASSIGN_CASES
    if not has_capability(actor, needed, case.organisation_id):
        raise PermissionDenied(_("U mag deze casus niet toewijzen."))
    if assignee is not None and not has_capability(
        assignee, Capability.WORK_ON_CASES, case.organisation_id
    ):
        raise ValidationError(_("Deze persoon werkt niet aan casussen van deze organisatie."))
    case.assigned_to = assignee
    case.save(update_fields=["assigned_to", "updated_at"])
    if assignee is not None and not taking_self:
        transaction.on_commit(lambda: notifications.case_assigned(case.pk))
    return case


@transaction.atomic
def triage(case: Case, urgency: str, actor: User) -> Case:
    _require_work(case, actor)
    if urgency not in Urgency.values:
        raise ValidationError(_("Kies een urgentie."))
    case.urgency = urgency
    case.save(update_fields=["urgency", "updated_at"])
    _audit(case, actor, "triage", urgency=urgency)
    return case


def _check_not_future(moment: Any) -> None:
    if moment > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError(_("Een datum in de toekomst kan niet."))
    if moment.year < 2000:
        raise ValidationError(_("Deze datum klopt niet."))


@transaction.atomic
def record_contact_attempt(
    case: Case, actor: User, *, at: Any, channel: str, outcome: str, note: str = ""
) -> ContactAttempt:
    """Log an attempt; the first one meets the first-contact norm, a reached person moves the
    case to 'contact made'."""
    _require_work(case, actor)
    _check_not_future(at)
    attempt = ContactAttempt.objects.create(
        case=case, at=at, channel=channel, outcome=outcome, note=note.strip(), created_by=actor
    )
    if case.first_attempt_at is None or at < case.first_attempt_at:
        case.first_attempt_at = at
        case.save(update_fields=["first_attempt_at", "updated_at"])
    if outcome == ContactOutcome.REACHED:
        if case.state == CaseState.RECEIVED:
            case = _transition(case, CaseState.INTAKE, actor)
        if case.state == CaseState.INTAKE:
            _transition(case, CaseState.CONTACT_MADE, actor)
    _audit(case, actor, "contact_attempt")
    return attempt


@transaction.atomic
def record_conversation(
    case: Case,
    actor: User,
    *,
    held_at: Any,
    text: str,
    found_indicators: list[str] | None = None,
    person_informed: bool = False,
) -> CaseNote:
    _require_work(case, actor)
    _check_not_future(held_at)
    if case.state in (CaseState.RECEIVED, CaseState.INTAKE):
        raise TransitionError(_("Leg eerst vast dat er contact is gelegd."))
    unknown = set(found_indicators or []) - INDICATOR_CODES
    if unknown:
        raise ValidationError(_("Onbekende signalen."))
    note = CaseNote.objects.create(
        case=case, kind=NoteKind.CONVERSATION, held_at=held_at, text=text.strip(), created_by=actor
    )
    case.found_indicators = sorted(set(case.found_indicators) | set(found_indicators or []))
    if person_informed and case.person_informed_at is None:
        case.person_informed_at = held_at
    case.save(update_fields=["found_indicators", "person_informed_at", "updated_at"])
    if case.state == CaseState.CONTACT_MADE:
        _transition(case, CaseState.CONVERSATION_HELD, actor)
    _audit(case, actor, "conversation")
    return note


@transaction.atomic
def add_note(case: Case, actor: User, text: str) -> CaseNote:
    _require_work(case, actor)
    note = CaseNote.objects.create(
        case=case, kind=NoteKind.NOTE, text=text.strip(), created_by=actor
    )
    _audit(case, actor, "note")
    return note


@transaction.atomic
def record_consent(
    case: Case, actor: User, *, given_at: Any, method: str, scope: str, share_with_providers: bool
) -> Consent:
    _require_work(case, actor)
    _check_not_future(given_at)
    if case.state in (CaseState.RECEIVED, CaseState.INTAKE):
        raise TransitionError(_("Toestemming kan pas na contact met de persoon."))
    if not scope.strip():
        raise ValidationError(_("Schrijf op waarmee de persoon instemt."))
    consent = Consent.objects.create(
        case=case,
        given_at=given_at,
        method=method,
        scope=scope.strip(),
        share_with_providers=share_with_providers,
        recorded_by=actor,
    )
    _audit(case, actor, "consent")
    return consent


@transaction.atomic
def withdraw_consent(consent: Consent, actor: User) -> Consent:
    _require_work(consent.case, actor)
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    _audit(consent.case, actor, "consent_withdraw", consent_id=consent.pk)
    return consent


def active_consent(case: Case) -> Consent | None:
    return case.consents.filter(withdrawn_at__isnull=True, share_with_providers=True).last()


def overdue_q() -> Any:
    """Cases past a norm: no first contact attempt in time, or a check-up that is due."""
    today = timezone.localdate()
    return Q(
        state__in=[CaseState.RECEIVED, CaseState.INTAKE],
        first_attempt_at__isnull=True,
        first_contact_due__lt=today,
    ) | Q(state=CaseState.REFERRED, checkup_due__lt=today)


@dataclass
class OverdueReminders:
    cases: int = 0
    emails: int = 0


def remind_overdue_cases() -> OverdueReminders:
    """E-mail about overdue cases: the assigned worker, or the coordinators if nobody (or someone
    who no longer works on the organisation's cases) is assigned. One e-mail per person per run,
    naming how many cases and linking to the overdue list (with one case, to the case itself).

    Idempotent: `overdue_notified_on` is claimed with a conditional update before sending, so each
    case is counted in at most one reminder per day, also when two runs overlap.
    """
    today = timezone.localdate()
    result = OverdueReminders()
    per_user: dict[int, tuple[User, list[Case]]] = {}
    due = (
        Case.objects.filter(overdue_q(), anonymised_at__isnull=True)
        .exclude(overdue_notified_on=today)
        .select_related("assigned_to")
        .only("id", "organisation_id", "assigned_to")
        .order_by("pk")
    )
    with transaction.atomic():
        for case in due.iterator(chunk_size=500):
            claimed = (
                Case.objects.filter(pk=case.pk)
                .exclude(overdue_notified_on=today)
                .update(overdue_notified_on=today)
            )
            if not claimed:
                continue
            worker = case.assigned_to
            if worker is not None and has_capability(
                worker, Capability.WORK_ON_CASES, case.organisation_id
            ):
                recipients = [worker]
            else:
                recipients = users_with_capability(Capability.ASSIGN_CASES, case.organisation_id)
            result.cases += 1
            for user in recipients:
                per_user.setdefault(user.pk, (user, []))[1].append(case)
        for user, cases in per_user.values():
            result.emails += notifications.cases_overdue(user, cases)
    return result


__all__ = [
    "Report",
    "SignalSource",
    "TransitionError",
    "assign",
    "record_consent",
    "record_contact_attempt",
    "record_conversation",
    "submit_report",
    "transition",
]
