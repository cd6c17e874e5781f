"""Closed-loop referral to services of the sociale kaart (MELDPUNT.md §6.3).

A case worker refers a person, with recorded consent, to one or more services. The provider
answers: accept or decline (with a reason), then records the start and the outcome. The case
worker sees every step and can withdraw a referral the provider has not answered yet, or complete
it. A referral nobody answers expires after OMZIEN_REFERRAL_EXPIRY_DAYS.

Who receives it:
- a provider with an account (the directory organization's `owner`, active, with at least one
  member who may view referrals) gets it in its inbox at /aanbieder/verwijzingen/;
- any other provider gets an e-mail with a secure link /verwijzing/<token>/. Only the sha256 of
  the token is stored. The link works until the answer deadline (`expires_at`); once the provider
  accepts, it keeps working until the referral's check-up date, so the start and the outcome can
  still be recorded. After that the case worker completes the referral.

Every action checks who may make it, follows the transition table below, writes an audit event
without personal data and tells the other side by e-mail, also without personal data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import statistics
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.accounts.models import Organisation, User
from omzien.accounts.permissions import has_capability, users_with_capability
from omzien.accounts.roles import Capability
from omzien.audit.services import record_event
from omzien.cases import norms, notifications
from omzien.cases import services as case_services
from omzien.cases.models import (
    OPEN_REFERRAL_STATUSES,
    Case,
    CaseState,
    DeclineReason,
    Referral,
    ReferralOutcome,
    ReferralStatus,
)
from omzien.directory.models import Organization as DirectoryOrganization
from omzien.directory.models import Service
from omzien.directory.selectors import visible_services

R = ReferralStatus

# A referral can be made from these case states; the first one moves the case to 'referred'.
REFERABLE_CASE_STATES = (CaseState.CONVERSATION_HELD, CaseState.REFERRED)
MAX_SERVICES_PER_REFERRAL = 10
MAX_MESSAGE_LENGTH = 2000
RECORD_PERIOD_DAYS = 365
RECORD_MINIMUM_ANSWERED = 3


class Party(StrEnum):
    PROVIDER = "provider"
    CASE_WORKER = "case_worker"
    SYSTEM = "system"


P = Party

# from -> to -> who may make the step. Final states have no way out.
TRANSITIONS: dict[str, dict[str, frozenset[Party]]] = {
    R.SENT: {
        R.ACCEPTED: frozenset({P.PROVIDER}),
        R.DECLINED: frozenset({P.PROVIDER}),
        R.EXPIRED: frozenset({P.SYSTEM}),
        R.WITHDRAWN: frozenset({P.CASE_WORKER}),
    },
    R.ACCEPTED: {
        R.STARTED: frozenset({P.PROVIDER}),
        R.COMPLETED: frozenset({P.PROVIDER, P.CASE_WORKER}),
    },
    R.STARTED: {
        R.COMPLETED: frozenset({P.PROVIDER, P.CASE_WORKER}),
    },
}

FINAL_STATUSES = frozenset({R.DECLINED, R.COMPLETED, R.EXPIRED, R.WITHDRAWN})


class ReferralError(ValidationError):
    """A referral step that the referral's state or data does not allow (shown to the user)."""


def allowed(referral: Referral, to_status: str, party: Party) -> bool:
    return party in TRANSITIONS.get(referral.status, {}).get(to_status, frozenset())


# --- the secure link ---------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(referral: Referral, token: str) -> bool:
    if not token or not referral.token_hash:
        return False
    return hmac.compare_digest(referral.token_hash, hash_token(token))


def link_valid_until(referral: Referral) -> dt.datetime | None:
    """Until when the e-mailed link works; None when it no longer does (final state)."""
    if referral.status == R.SENT:
        return referral.expires_at
    if referral.status in (R.ACCEPTED, R.STARTED):
        until = referral.expires_at
        if referral.checkup_due is not None:
            end_of_checkup = timezone.make_aware(
                dt.datetime.combine(referral.checkup_due, dt.time.max)
            )
            until = max(until, end_of_checkup)
        return until
    return None


def link_is_valid(referral: Referral, now: dt.datetime | None = None) -> bool:
    until = link_valid_until(referral)
    return until is not None and (now or timezone.now()) < until


def referral_for_token(token: str) -> Referral | None:
    """The e-mailed referral this token belongs to (valid or not), or None."""
    if not token or len(token) > 100:
        return None
    return (
        Referral.objects.select_related("case__organisation", "created_by")
        .filter(provider__isnull=True, token_hash=hash_token(token))
        .exclude(token_hash="")
        .first()
    )


def link_path(token: str) -> str:
    return reverse("cases:referral_link", args=[token])


# --- who may -----------------------------------------------------------------------------------


def is_provider_user(referral: Referral, user: Any) -> bool:
    return (
        referral.provider_id is not None
        and user is not None
        and user.is_authenticated
        and has_capability(user, Capability.VIEW_REFERRALS, referral.provider_id)
    )


def is_case_worker(referral: Referral, user: Any) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and has_capability(user, Capability.WORK_ON_CASES, referral.case.organisation_id)
    )


def _authorise(
    referral: Referral, actor: User | None, token: str, parties: Iterable[Party]
) -> tuple[Party, bool]:
    """(the party the actor acts as, whether through the e-mailed link); PermissionDenied else."""
    wanted = set(parties)
    if P.PROVIDER in wanted and is_provider_user(referral, actor):
        return P.PROVIDER, False
    if P.CASE_WORKER in wanted and is_case_worker(referral, actor):
        return P.CASE_WORKER, False
    if (
        P.PROVIDER in wanted
        and token
        and referral.provider_id is None
        and token_matches(referral, token)
        and link_is_valid(referral)
    ):
        return P.PROVIDER, True
    raise PermissionDenied(_("U mag deze verwijzing niet veranderen."))


def refer_blocked_reason(case: Case) -> str:
    """Why this case cannot be referred now (state or consent), or "" when it can."""
    if case.is_anonymised or case.state not in REFERABLE_CASE_STATES:
        return _(
            "Verwijzen kan pas na het gesprek met de persoon. "
            "Bij een afgesloten casus kan het niet meer."
        )
    if case_services.active_consent(case) is None:
        return _(
            "Geen verwijzing zonder vastgelegde toestemming. Leg eerst vast dat de persoon "
            "toestemming geeft om gegevens te delen met aanbieders."
        )
    return ""


def can_refer(case: Case, user: Any) -> bool:
    """May this user refer this case now (rights, state and consent)?"""
    return (
        user is not None
        and user.is_authenticated
        and not case.is_anonymised
        and case.state in REFERABLE_CASE_STATES
        and has_capability(user, Capability.WORK_ON_CASES, case.organisation_id)
        and case_services.active_consent(case) is not None
    )


# --- making referrals --------------------------------------------------------------------------


def recipient_email(service: Service) -> str:
    """Where an e-mailed referral goes: the service's address, a contact of the service, the
    organization's address, or a contact of the organization; "" when there is none."""
    if service.email:
        return service.email
    contact = service.contacts.exclude(email="").order_by("name").first()
    if contact is not None:
        return contact.email
    organization = service.organization
    if organization is None:
        return ""
    if organization.email:
        return organization.email
    contact = organization.contacts.exclude(email="").order_by("name").first()
    return contact.email if contact is not None else ""


def inbox_for(service: Service) -> Organisation | None:
    """The platform organisation whose inbox receives referrals to this service, if any.

    Only an active owner with at least one member who may view referrals counts: otherwise a
    referral would wait in an inbox nobody reads, and e-mail is the better route.
    """
    organization = service.organization
    owner = organization.owner if organization is not None else None
    if owner is None or not owner.is_active:
        return None
    if not users_with_capability(Capability.VIEW_REFERRALS, owner):
        return None
    return owner


def delivery(service: Service) -> str:
    """'inbox', 'email' or '' (cannot be referred to): shown on the referral page."""
    if inbox_for(service) is not None:
        return "inbox"
    if recipient_email(service):
        return "email"
    return ""


@transaction.atomic
def create_referrals(
    case: Case,
    services: Sequence[Service],
    actor: User,
    message: str = "",
    *,
    request: HttpRequest | None = None,
) -> list[Referral]:
    """Refer the person of `case` to each of `services`; returns the new referrals.

    What is shared with the provider, and why (data minimisation, AVG art. 5(1)(c)):
    - the person's name, so the provider knows whom they are talking to;
    - phone number and e-mail address, so the provider can reach the person and make an
      appointment: that is the whole point of the referral;
    - the case worker's message (why this service, what the person wants).
    Not shared: the address and postcode, the reporter, the signals, the conversation notes and
    anything else in the case. A provider visits people at home only after making contact, and
    then the person gives the address. When the person has neither a phone number nor an
    e-mail address, the case worker must say in the message how the provider can reach the
    person (for example through the case worker); the address is then shared only if the case
    worker writes it there, knowingly and with the person's consent.

    Requires: WORK_ON_CASES in the case's organisation; a case in 'conversation held' or
    'referred'; an active consent that allows sharing with providers (`services.active_consent`).
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.is_anonymised:
        raise ReferralError(_("Deze casus is geanonimiseerd en kan niet meer veranderen."))
    if not has_capability(actor, Capability.WORK_ON_CASES, case.organisation_id):
        raise PermissionDenied(_("U mag voor deze casus niet verwijzen."))
    blocked = refer_blocked_reason(case)
    consent = case_services.active_consent(case)
    if blocked or consent is None:
        raise ReferralError(blocked)
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE_LENGTH:
        raise ReferralError(
            _("Het bericht is te lang. Gebruik hoogstens %(limit)d tekens.")
            % {"limit": MAX_MESSAGE_LENGTH}
        )
    unique = list({service.pk: service for service in services}.values())
    if not unique:
        raise ReferralError(_("Kies minstens één aanbod."))
    if len(unique) > MAX_SERVICES_PER_REFERRAL:
        raise ReferralError(
            _("Kies hoogstens %(limit)d aanbiedingen tegelijk.")
            % {"limit": MAX_SERVICES_PER_REFERRAL}
        )
    if not (case.person_phone or case.person_email) and not message:
        raise ReferralError(
            _(
                "Van de persoon is geen telefoonnummer of e-mailadres bekend. Schrijf in het "
                "bericht hoe de aanbieder de persoon kan bereiken, bijvoorbeeld via u."
            )
        )

    visible = set(
        visible_services().filter(pk__in=[s.pk for s in unique]).values_list("pk", flat=True)
    )
    open_ids = set(
        case.referrals.filter(status__in=OPEN_REFERRAL_STATUSES).values_list(
            "service_id", flat=True
        )
    )
    plans: list[tuple[Service, Organisation | None, str]] = []
    for service in unique:
        if service.pk not in visible:
            raise ReferralError(
                _("'%(name)s' staat niet (meer) op de sociale kaart.") % {"name": service.name}
            )
        if service.pk in open_ids:
            raise ReferralError(
                _("Er loopt al een verwijzing naar '%(name)s'.") % {"name": service.name}
            )
        inbox = inbox_for(service)
        address = "" if inbox is not None else recipient_email(service)
        if inbox is None and not address:
            raise ReferralError(
                _(
                    "Naar '%(name)s' kunt u niet verwijzen: de aanbieder heeft geen account en "
                    "geen e-mailadres. Neem zelf contact op met de aanbieder."
                )
                % {"name": service.name}
            )
        plans.append((service, inbox, address))

    now = timezone.now()
    expires = norms.referral_expires(now)
    created: list[Referral] = []
    for service, inbox, address in plans:
        token = "" if inbox is not None else secrets.token_urlsafe(32)
        referral = Referral.objects.create(
            case=case,
            service=service,
            service_name=service.name[:255],
            provider=inbox,
            recipient_email=address,
            token_hash=hash_token(token) if token else "",
            consent=consent,
            shared_name=case.person_name,
            shared_phone=case.person_phone,
            shared_email=case.person_email,
            message=message,
            status=R.SENT,
            sent_at=now,
            expires_at=expires,
            created_by=actor,
        )
        record_event(
            "referral.create",
            request=request,
            actor=actor,
            obj=referral,
            organisation=case.organisation,
            details={
                "case": case.pk,
                "service": str(service.pk),
                "channel": "inbox" if inbox is not None else "email",
            },
        )
        if inbox is not None:
            _notify_provider_inbox(referral, inbox)
        else:
            _notify_provider_address(referral, address, token)
        created.append(referral)

    if case.state == CaseState.CONVERSATION_HELD:
        case_services.transition(case, CaseState.REFERRED, actor)
    return created


# --- the provider's and the case worker's steps --------------------------------------------


def _locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)


def _check_step(referral: Referral, to_status: str, party: Party) -> None:
    if referral.case.is_anonymised:
        raise ReferralError(_("Deze casus is geanonimiseerd en kan niet meer veranderen."))
    if not allowed(referral, to_status, party):
        raise ReferralError(
            _("Deze verwijzing is '%(status)s'. Deze stap kan nu niet.")
            % {"status": ReferralStatus(referral.status).label}
        )
    if referral.status == R.SENT and party == P.PROVIDER and timezone.now() >= referral.expires_at:
        raise ReferralError(
            _("Deze verwijzing is verlopen. Neem contact op met de consulent die verwees.")
        )


def _forget_shared_details(referral: Referral) -> list[str]:
    """A finished referral keeps no copy of the person's details: the case has the originals."""
    referral.shared_name = ""
    referral.shared_phone = ""
    referral.shared_email = ""
    referral.message = ""
    return ["shared_name", "shared_phone", "shared_email", "message"]


def _audit(
    referral: Referral,
    action: str,
    *,
    step: str,
    actor: User | None,
    via_link: bool,
    request: HttpRequest | None,
) -> None:
    record_event(
        action,
        request=request,
        actor=actor if not via_link else None,
        obj=referral,
        organisation=referral.case.organisation,
        details={
            "case": referral.case_id,
            "step": step,
            "status": referral.status,
            "via": "link" if via_link else "account",
        },
    )


def open_referral(
    referral: Referral,
    actor: User | None,
    *,
    token: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    """The provider looks at the referral: `opened_at` is set the first time; always audited."""
    _party, via_link = _authorise(referral, actor, token, [P.PROVIDER])
    if referral.opened_at is None:
        now = timezone.now()
        updated = Referral.objects.filter(pk=referral.pk, opened_at__isnull=True).update(
            opened_at=now
        )
        if updated:
            referral.opened_at = now
        else:
            referral.refresh_from_db(fields=["opened_at"])
    _audit(referral, "referral.view", step="open", actor=actor, via_link=via_link, request=request)
    return referral


@transaction.atomic
def accept(
    referral: Referral,
    actor: User | None,
    *,
    token: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    referral = _locked(referral)
    _party, via_link = _authorise(referral, actor, token, [P.PROVIDER])
    _check_step(referral, R.ACCEPTED, P.PROVIDER)
    now = timezone.now()
    referral.status = R.ACCEPTED
    referral.answered_at = now
    referral.opened_at = referral.opened_at or now
    referral.checkup_due = norms.checkup_due(now)
    referral.save(update_fields=["status", "answered_at", "opened_at", "checkup_due"])
    _audit(
        referral, "referral.update", step="accept", actor=actor, via_link=via_link, request=request
    )
    _notify_case_worker(referral)
    return referral


@transaction.atomic
def decline(
    referral: Referral,
    actor: User | None,
    reason: str,
    note: str = "",
    *,
    token: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    referral = _locked(referral)
    _party, via_link = _authorise(referral, actor, token, [P.PROVIDER])
    _check_step(referral, R.DECLINED, P.PROVIDER)
    note = (note or "").strip()
    if reason not in DeclineReason.values:
        raise ReferralError(_("Kies waarom u de verwijzing afwijst."))
    if reason == DeclineReason.OTHER and not note:
        raise ReferralError(_("Schrijf kort op wat de andere reden is."))
    if len(note) > 500:
        raise ReferralError(_("De toelichting is te lang. Gebruik hoogstens 500 tekens."))
    now = timezone.now()
    referral.status = R.DECLINED
    referral.answered_at = now
    referral.opened_at = referral.opened_at or now
    referral.decline_reason = reason
    referral.decline_note = note
    fields = ["status", "answered_at", "opened_at", "decline_reason", "decline_note"]
    referral.save(update_fields=fields + _forget_shared_details(referral))
    _audit(
        referral, "referral.update", step="decline", actor=actor, via_link=via_link, request=request
    )
    _notify_case_worker(referral)
    return referral


@transaction.atomic
def record_start(
    referral: Referral,
    actor: User | None,
    started_on: dt.date,
    *,
    token: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    """The first meeting or activity took place on `started_on`."""
    referral = _locked(referral)
    _party, via_link = _authorise(referral, actor, token, [P.PROVIDER])
    _check_step(referral, R.STARTED, P.PROVIDER)
    if started_on > timezone.localdate():
        raise ReferralError(_("Een startdatum in de toekomst kan niet. Vul dit in na de start."))
    if started_on < timezone.localtime(referral.sent_at).date():
        raise ReferralError(_("De startdatum ligt vóór de datum van de verwijzing."))
    referral.status = R.STARTED
    referral.started_on = started_on
    referral.save(update_fields=["status", "started_on"])
    _audit(
        referral, "referral.update", step="start", actor=actor, via_link=via_link, request=request
    )
    _notify_case_worker(referral)
    return referral


@transaction.atomic
def complete(
    referral: Referral,
    actor: User | None,
    outcome: str,
    *,
    token: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    """Close the loop with an outcome; the provider or the case worker."""
    referral = _locked(referral)
    party, via_link = _authorise(referral, actor, token, [P.PROVIDER, P.CASE_WORKER])
    _check_step(referral, R.COMPLETED, party)
    if outcome not in ReferralOutcome.values:
        raise ReferralError(_("Kies hoe het is afgelopen."))
    referral.status = R.COMPLETED
    referral.outcome = outcome
    referral.completed_at = timezone.now()
    referral.save(
        update_fields=["status", "outcome", "completed_at"] + _forget_shared_details(referral)
    )
    _audit(
        referral,
        "referral.update",
        step="complete",
        actor=actor,
        via_link=via_link,
        request=request,
    )
    if party == P.PROVIDER:
        _notify_case_worker(referral)
    return referral


@transaction.atomic
def withdraw(referral: Referral, actor: User, *, request: HttpRequest | None = None) -> Referral:
    """The case worker takes back a referral the provider has not answered yet."""
    referral = _locked(referral)
    _authorise(referral, actor, "", [P.CASE_WORKER])
    _check_step(referral, R.WITHDRAWN, P.CASE_WORKER)
    referral.status = R.WITHDRAWN
    referral.save(update_fields=["status"] + _forget_shared_details(referral))
    _audit(
        referral, "referral.update", step="withdraw", actor=actor, via_link=False, request=request
    )
    _notify_provider_withdrawn(referral)
    return referral


def expire_referrals(now: dt.datetime | None = None) -> int:
    """Referrals still 'sent' past their deadline become 'expired'; returns how many.

    Idempotent: a second run finds nothing left to expire. The case's worker (or, without one,
    the coordinators) hears about it, once per referral.
    """
    now = now or timezone.now()
    count = 0
    due = Referral.objects.filter(status=R.SENT, expires_at__lte=now).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            referral = (
                Referral.objects.select_for_update()
                .select_related("case")
                .filter(pk=pk, status=R.SENT, expires_at__lte=now)
                .first()
            )
            if referral is None:
                continue
            referral.status = R.EXPIRED
            referral.save(update_fields=["status"] + _forget_shared_details(referral))
            record_event(
                "referral.update",
                obj=referral,
                organisation=referral.case.organisation,
                details={"case": referral.case_id, "step": "expire", "status": referral.status},
            )
            _notify_case_worker(referral)
            count += 1
    return count


# --- the provider's record ----------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderRecord:
    """How a provider answered referrals over the last twelve months."""

    referrals: int  # sent in the period
    answered: int  # accepted or declined
    accepted: int
    median_answer_days: float

    @property
    def accepted_share(self) -> float:
        return self.accepted / self.answered if self.answered else 0.0

    @property
    def accepted_percentage(self) -> int:
        return round(100 * self.accepted_share)


ACCEPTED_STATUSES = (R.ACCEPTED, R.STARTED, R.COMPLETED)


def _record(rows: list[tuple[dt.datetime, dt.datetime | None, str]]) -> ProviderRecord | None:
    answered = [(sent, answer, status) for sent, answer, status in rows if answer is not None]
    if len(answered) < RECORD_MINIMUM_ANSWERED:
        return None
    days = [(answer - sent).total_seconds() / 86400 for sent, answer, _status in answered]
    return ProviderRecord(
        referrals=len(rows),
        answered=len(answered),
        accepted=sum(1 for *_times, status in answered if status in ACCEPTED_STATUSES),
        median_answer_days=round(statistics.median(days), 1),
    )


def provider_records(
    organizations: Iterable[DirectoryOrganization], now: dt.datetime | None = None
) -> dict[uuid.UUID, ProviderRecord | None]:
    """The record of each directory organization, in one query; None: too few referrals."""
    ids = {organization.pk for organization in organizations}
    since = (now or timezone.now()) - dt.timedelta(days=RECORD_PERIOD_DAYS)
    rows: dict[uuid.UUID, list[tuple[dt.datetime, dt.datetime | None, str]]] = {i: [] for i in ids}
    for org_id, sent, answer, status in Referral.objects.filter(
        service__organization_id__in=ids, sent_at__gte=since
    ).values_list("service__organization_id", "sent_at", "answered_at", "status"):
        rows[org_id].append((sent, answer, status))
    return {org_id: _record(found) for org_id, found in rows.items()}


def provider_record(
    organization: DirectoryOrganization | Organisation, now: dt.datetime | None = None
) -> ProviderRecord | None:
    """Median days from sending to an answer and the share accepted, over the last twelve
    months; None when fewer than three referrals were answered ("nog te weinig verwijzingen").

    `organization` is a directory organization (all referrals to its services) or a platform
    organisation (all referrals in its inbox).
    """
    since = (now or timezone.now()) - dt.timedelta(days=RECORD_PERIOD_DAYS)
    referrals = Referral.objects.filter(sent_at__gte=since)
    if isinstance(organization, DirectoryOrganization):
        referrals = referrals.filter(service__organization=organization)
    else:
        referrals = referrals.filter(provider=organization)
    return _record(list(referrals.values_list("sent_at", "answered_at", "status")))


# --- e-mails, none with a personal detail --------------------------------------------------------


def _notify_provider_inbox(referral: Referral, inbox: Organisation) -> int:
    users = users_with_capability(Capability.VIEW_REFERRALS, inbox)
    return notifications.send_to_users(
        users,
        _("Nieuwe verwijzing via Omzien"),
        _(
            "Er is iemand naar uw aanbod '%(service)s' verwezen. Laat binnen %(days)d dagen "
            "weten of u de persoon kunt helpen.\n\nBekijk de verwijzing na inloggen:\n%(url)s"
        )
        % {
            "service": referral.service_name,
            "days": (referral.expires_at - referral.sent_at).days,
            "url": notifications.absolute(reverse("cases:inbox_detail", args=[referral.pk])),
        },
    )


def _notify_provider_address(referral: Referral, address: str, token: str) -> None:
    until = timezone.localtime(referral.expires_at)
    notifications.send_to_address(
        address,
        _("Nieuwe verwijzing via Omzien"),
        _(
            "%(organisation)s heeft iemand naar uw aanbod '%(service)s' verwezen.\n\n"
            "Bekijk de verwijzing en laat weten of u de persoon kunt helpen. Gebruik deze "
            "beveiligde link; hij werkt tot %(until)s:\n%(url)s\n\n"
            "Stuur deze e-mail niet door: met de link kan iedereen de verwijzing zien."
        )
        % {
            "organisation": referral.case.organisation.name,
            "service": referral.service_name,
            "until": until.strftime("%d-%m-%Y %H:%M"),
            "url": notifications.absolute(link_path(token)),
        },
    )


def _notify_provider_withdrawn(referral: Referral) -> None:
    subject = _("Verwijzing ingetrokken")
    body = _(
        "De verwijzing naar uw aanbod '%(service)s' van %(date)s is ingetrokken. "
        "U hoeft geen contact op te nemen."
    ) % {
        "service": referral.service_name,
        "date": timezone.localtime(referral.sent_at).strftime("%d-%m-%Y"),
    }
    if referral.provider_id is not None:
        users = users_with_capability(Capability.VIEW_REFERRALS, referral.provider_id)
        notifications.send_to_users(users, subject, body)
    elif referral.recipient_email:
        notifications.send_to_address(referral.recipient_email, subject, body)


def _notify_case_worker(referral: Referral) -> int:
    case = referral.case
    if case.assigned_to_id is not None and case.assigned_to is not None:
        users = [case.assigned_to]
    else:
        users = users_with_capability(Capability.ASSIGN_CASES, case.organisation_id)
    status = ReferralStatus(referral.status).label
    return notifications.send_to_users(
        users,
        _("Verwijzing: %(status)s") % {"status": status},
        _(
            "Een verwijzing naar '%(service)s' heeft een nieuwe status: %(status)s.\n\n"
            "Bekijk de casus na inloggen:\n%(url)s"
        )
        % {
            "service": referral.service_name,
            "status": status,
            "url": notifications.absolute(reverse("cases:detail", args=[case.pk])),
        },
    )
