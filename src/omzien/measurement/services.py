"""Measuring where the work happens: participants, measurements, one-time links and stories.

Every change goes through a function here. The functions check that the acting user may record
measurements in the organisation (the permission layer decides), score answers with
`scales.score` only, and write one audit event per change, without personal data: ids, codes of
scales and moments, counts.

Participants are known by a generated code only. A one-time link's token is never stored: only
its SHA-256 hash, so a copy of the database gives no working links.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.accounts.models import Organisation, User
from omzien.accounts.permissions import has_capability
from omzien.accounts.roles import Capability
from omzien.audit.services import record_event
from omzien.cases.models import Case
from omzien.directory.models import Service
from omzien.measurement import scales
from omzien.measurement.models import (
    Invitation,
    Measurement,
    Mode,
    Moment,
    Participant,
    Story,
    StoryAuthor,
)

RECORD = Capability.RECORD_MEASUREMENTS

# Participant codes: a prefix and characters that cannot be mistaken for one another when read
# aloud or copied from paper (no 0/O, 1/I/L, 5/S, 2/Z, 8/B, U/V).
CODE_PREFIX = "D-"
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
CODE_LENGTH = 6
CODE_ATTEMPTS = 20

INVITATION_VALID_DAYS = 14
TOKEN_BYTES = 24
STORY_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 300  # Measurement.reason
EARLIEST_YEAR = 2000


class InvitationUsed(Exception):
    """The one-time link was used before: nothing is stored a second time."""


class InvitationExpired(Exception):
    """The one-time link is past its end date (or was withdrawn)."""


# --- helpers -----------------------------------------------------------------------------------


def _require(actor: User | None, organisation: Organisation | int) -> None:
    if actor is None or not has_capability(actor, RECORD, organisation):
        raise PermissionDenied(_("U mag geen metingen vastleggen voor deze organisatie."))


def _audit(
    action: str,
    obj: Any,
    organisation: Organisation | int,
    *,
    request: HttpRequest | None,
    actor: User | None,
    details: dict[str, Any],
) -> None:
    record_event(
        action,
        request=request,
        actor=actor,
        obj=obj,
        organisation=organisation if isinstance(organisation, Organisation) else None,
        details=details,
    )


def generate_code() -> str:
    """A new participant code such as 'D-7KQ3MX' (not checked for uniqueness here)."""
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def service_owned_by(service: Service | None, organisation: Organisation | int) -> bool:
    """Is this service of the sociale kaart maintained by the (platform) organisation?"""
    if service is None:
        return True
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return service.organization is not None and service.organization.owner_id == org_id


def services_of(organisation_ids: Sequence[int] | set[int]) -> Any:
    """The services of the sociale kaart that these organisations maintain (the interventions)."""
    return (
        Service.objects.filter(organization__owner_id__in=list(organisation_ids))
        .select_related("organization")
        .order_by("name", "id")
    )


def check_taken_on(value: dt.date) -> dt.date:
    if value.year < EARLIEST_YEAR:
        raise ValidationError(
            _("Deze datum ligt te ver terug. Controleer het jaar."), code="too_early"
        )
    if value > timezone.localdate():
        raise ValidationError(
            _("Deze datum ligt in de toekomst. Vul de dag in waarop de vragen zijn ingevuld."),
            code="future",
        )
    return value


# --- participants ------------------------------------------------------------------------------


def _check_links(
    organisation: Organisation, service: Service | None, case: Case | None, actor: User
) -> None:
    if not service_owned_by(service, organisation):
        raise ValidationError(
            _("Dit aanbod hoort niet bij uw organisatie. Kies aanbod van uw eigen organisatie."),
            code="service",
        )
    if case is not None and (
        case.organisation_id != organisation.pk
        or not has_capability(actor, Capability.VIEW_CASES, case.organisation_id)
    ):
        raise ValidationError(
            _("Deze casus hoort niet bij uw organisatie."),
            code="case",
        )


def create_participant(
    *,
    organisation: Organisation,
    actor: User,
    service: Service | None = None,
    case: Case | None = None,
    request: HttpRequest | None = None,
) -> Participant:
    """A new participant with a generated code that is unique within the organisation."""
    _require(actor, organisation)
    _check_links(organisation, service, case, actor)
    for _attempt in range(CODE_ATTEMPTS):
        code = generate_code()
        if Participant.objects.filter(organisation=organisation, code=code).exists():
            continue
        try:
            with transaction.atomic():
                participant = Participant.objects.create(
                    organisation=organisation,
                    code=code,
                    service=service,
                    case=case,
                    created_by=actor,
                )
                _audit(
                    "measurement.create",
                    participant,
                    organisation,
                    request=request,
                    actor=actor,
                    details={
                        "record": "participant",
                        "service": str(service.pk) if service else None,
                        "case_linked": case is not None,
                    },
                )
        except IntegrityError:  # the same code was made at the same moment elsewhere
            continue
        return participant
    raise ValidationError(  # pragma: no cover - 23^6 codes per organisation
        _("Er kon geen nieuwe code worden gemaakt. Probeer het nog een keer."), code="code"
    )


@transaction.atomic
def update_participant(
    participant: Participant,
    *,
    actor: User,
    service: Service | None,
    case: Case | None,
    request: HttpRequest | None = None,
) -> Participant:
    """Correct the intervention or the case link; the participant's measurements follow."""
    _require(actor, participant.organisation_id)
    changed = []
    if participant.service_id != (service.pk if service else None):
        changed.append("service")
    if participant.case_id != (case.pk if case else None):
        changed.append("case")
    # An unchanged case link stays, also when this user may not see cases.
    _check_links(participant.organisation, service, case if "case" in changed else None, actor)
    participant.service = service
    participant.case = case
    participant.save(update_fields=["service", "case"])
    # The intervention is denormalised onto the measurements for the figures per intervention.
    moved = 0
    if "service" in changed:
        moved = participant.measurements.update(service=service)
    _audit(
        "measurement.update",
        participant,
        participant.organisation,
        request=request,
        actor=actor,
        details={"record": "participant", "changed": changed, "measurements_moved": moved},
    )
    return participant


# --- measurements ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    answers: list[Any]
    result: scales.ScaleResult


def score_answers(scale_code: str, answers: Sequence[Any]) -> Scored:
    """Check and score answers with the scale's own rules; ValidationError when they do not fit."""
    scale = scales.get_scale(scale_code)
    if scale is None:
        raise ValidationError(_("Deze vragenlijst kennen we niet."), code="scale")
    try:
        values = scales.check_answers(scale, list(answers))
        result = scales.score(scale, values)
    except scales.InvalidAnswers as error:
        raise ValidationError([p.text.nl for p in error.problems], code="answers") from None
    return Scored(values, result)


def _store(
    participant: Participant,
    *,
    scale: str,
    moment: str,
    mode: str,
    answers: Sequence[Any],
    taken_on: dt.date,
    actor: User | None,
) -> Measurement:
    if moment not in Moment.values:
        raise ValidationError(_("Kies een moment."), code="moment")
    if mode not in Mode.values:
        raise ValidationError(_("Kies hoe de vragen zijn ingevuld."), code="mode")
    check_taken_on(taken_on)
    scored = score_answers(scale, answers)
    result = scored.result
    reason = result.reason.nl if result.reason else ""
    if len(reason) > REASON_MAX_LENGTH:
        reason = reason[: REASON_MAX_LENGTH - 1] + "…"
    return Measurement.objects.create(
        participant=participant,
        service=participant.service,
        organisation=participant.organisation,
        scale=scale,
        moment=moment,
        mode=mode,
        taken_on=taken_on,
        answers=scored.answers,
        total=result.total,
        emotional=result.emotional,
        social=result.social,
        category=result.category or "",
        complete=result.complete,
        reason=reason,
        recorded_by=actor,
    )


def _measurement_details(measurement: Measurement) -> dict[str, Any]:
    return {
        "record": "measurement",
        "participant": measurement.participant_id,
        "scale": measurement.scale,
        "moment": measurement.moment,
        "mode": measurement.mode,
        "complete": measurement.complete,
    }


@transaction.atomic
def record_measurement(
    participant: Participant,
    *,
    actor: User,
    scale: str,
    moment: str,
    mode: str,
    answers: Sequence[Any],
    taken_on: dt.date,
    request: HttpRequest | None = None,
) -> Measurement:
    """Store answers typed in by a worker (with the person, or from paper), scored."""
    _require(actor, participant.organisation_id)
    if mode == Mode.SELF:
        raise ValidationError(
            _("Zelf ingevulde vragenlijsten komen binnen via een eenmalige link."), code="mode"
        )
    measurement = _store(
        participant,
        scale=scale,
        moment=moment,
        mode=mode,
        answers=answers,
        taken_on=taken_on,
        actor=actor,
    )
    _audit(
        "measurement.create",
        measurement,
        participant.organisation,
        request=request,
        actor=actor,
        details=_measurement_details(measurement),
    )
    return measurement


# --- one-time links ----------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_state(invitation: Invitation, now: dt.datetime | None = None) -> str:
    """'used', 'expired' or 'open'."""
    if invitation.used_at is not None:
        return "used"
    if invitation.expires_at <= (now or timezone.now()):
        return "expired"
    return "open"


@transaction.atomic
def create_invitation(
    participant: Participant,
    *,
    actor: User,
    scale: str,
    moment: str,
    request: HttpRequest | None = None,
) -> tuple[Invitation, str]:
    """A one-time link for the participant. Returns the invitation and the token (shown once).

    Earlier open links for the same scale and moment are withdrawn, so one moment cannot be
    filled in twice through old links.
    """
    _require(actor, participant.organisation_id)
    if scales.get_scale(scale) is None:
        raise ValidationError(_("Deze vragenlijst kennen we niet."), code="scale")
    if moment not in Moment.values:
        raise ValidationError(_("Kies een moment."), code="moment")
    now = timezone.now()
    withdrawn = Invitation.objects.filter(
        participant=participant,
        scale=scale,
        moment=moment,
        used_at__isnull=True,
        expires_at__gt=now,
    ).update(expires_at=now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = Invitation.objects.create(
        participant=participant,
        scale=scale,
        moment=moment,
        token_hash=token_hash(token),
        expires_at=now + dt.timedelta(days=INVITATION_VALID_DAYS),
        created_by=actor,
    )
    _audit(
        "measurement.invitation.create",
        invitation,
        participant.organisation,
        request=request,
        actor=actor,
        details={
            "participant": participant.pk,
            "scale": scale,
            "moment": moment,
            "withdrawn": withdrawn,
        },
    )
    return invitation, token


@transaction.atomic
def withdraw_invitation(
    invitation: Invitation, *, actor: User, request: HttpRequest | None = None
) -> Invitation:
    participant = invitation.participant
    _require(actor, participant.organisation_id)
    now = timezone.now()
    if invitation_state(invitation, now) == "open":
        invitation.expires_at = now
        invitation.save(update_fields=["expires_at"])
        _audit(
            "measurement.invitation.withdraw",
            invitation,
            participant.organisation,
            request=request,
            actor=actor,
            details={"participant": participant.pk},
        )
    return invitation


def find_invitation(token: str) -> Invitation | None:
    """The invitation behind a token, whatever its state; None for a token we never made."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related(
            "participant__organisation", "participant__service__organization"
        )
        .filter(token_hash=token_hash(token))
        .first()
    )


def redeem_invitation(
    token: str, answers: Sequence[Any], *, request: HttpRequest | None = None
) -> Measurement:
    """Store the answers a participant gave through a one-time link, at most once.

    The link is marked used in the same transaction as the measurement is stored: a second
    submission (or two at the same moment) raises InvitationUsed and stores nothing.
    Raises LookupError for an unknown token and InvitationExpired after the end date.
    """
    invitation = find_invitation(token)
    if invitation is None:
        raise LookupError("unknown token")
    now = timezone.now()
    # Check and score first, so wrong answers never use up the link.
    score_answers(invitation.scale, answers)
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=invitation.pk, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if not claimed:
            invitation.refresh_from_db()
            if invitation.used_at is not None:
                raise InvitationUsed
            raise InvitationExpired
        participant = invitation.participant
        measurement = _store(
            participant,
            scale=invitation.scale,
            moment=invitation.moment,
            mode=Mode.SELF,
            answers=answers,
            taken_on=timezone.localdate(),
            actor=None,
        )
        Invitation.objects.filter(pk=invitation.pk).update(measurement=measurement)
        _audit(
            "measurement.create",
            measurement,
            participant.organisation,
            request=request,
            actor=None,
            details={**_measurement_details(measurement), "invitation": invitation.pk},
        )
    return measurement


# --- stories -----------------------------------------------------------------------------------


def _check_story(
    service: Service, organisation: Organisation, author: str, text: str, told_on: dt.date
) -> None:
    if not service_owned_by(service, organisation):
        raise ValidationError(_("Dit aanbod hoort niet bij uw organisatie."), code="service")
    if author not in StoryAuthor.values:
        raise ValidationError(_("Kies wie het verhaal vertelt."), code="author")
    if not text.strip():
        raise ValidationError(_("Schrijf het verhaal op."), code="text")
    if len(text) > STORY_MAX_LENGTH:
        raise ValidationError(
            _("Het verhaal is te lang. Gebruik hoogstens %(n)d tekens.") % {"n": STORY_MAX_LENGTH},
            code="text",
        )
    check_taken_on(told_on)


def _story_details(story: Story) -> dict[str, Any]:
    return {
        "record": "story",
        "service": str(story.service_id),
        "author": story.author,
        "may_publish": story.may_publish,
        "length": len(story.text),
    }


@transaction.atomic
def create_story(
    *,
    service: Service,
    actor: User,
    author: str,
    text: str,
    may_publish: bool,
    told_on: dt.date,
    request: HttpRequest | None = None,
) -> Story:
    """A short story beside the numbers of an intervention, in the organisation that owns it."""
    organisation = service.organization.owner if service.organization else None
    if organisation is None:
        raise ValidationError(_("Dit aanbod hoort niet bij uw organisatie."), code="service")
    _require(actor, organisation)
    _check_story(service, organisation, author, text, told_on)
    story = Story.objects.create(
        service=service,
        organisation=organisation,
        author=author,
        text=text.strip(),
        may_publish=may_publish,
        told_on=told_on,
        created_by=actor,
    )
    _audit(
        "measurement.story.create",
        story,
        organisation,
        request=request,
        actor=actor,
        details=_story_details(story),
    )
    return story


@transaction.atomic
def update_story(
    story: Story,
    *,
    actor: User,
    author: str,
    text: str,
    may_publish: bool,
    told_on: dt.date,
    request: HttpRequest | None = None,
) -> Story:
    _require(actor, story.organisation_id)
    _check_story(story.service, story.organisation, author, text, told_on)
    story.author = author
    story.text = text.strip()
    story.may_publish = may_publish
    story.told_on = told_on
    story.save(update_fields=["author", "text", "may_publish", "told_on"])
    _audit(
        "measurement.story.update",
        story,
        story.organisation,
        request=request,
        actor=actor,
        details=_story_details(story),
    )
    return story


@transaction.atomic
def delete_story(story: Story, *, actor: User, request: HttpRequest | None = None) -> None:
    _require(actor, story.organisation_id)
    organisation = story.organisation
    object_id = story.pk
    details = _story_details(story)
    story.delete()
    record_event(
        "measurement.story.delete",
        request=request,
        actor=actor,
        object_type="measurement.story",
        object_id=object_id,
        organisation=organisation,
        details=details,
    )
