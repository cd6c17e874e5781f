"""Keys of the digital signalling network, and the intake of a partner's signal.

A partner organisation (usually a housing corporation, an energy or water company) gets one or
more API keys. A key looks like `omz_<prefix>_<secret>`: the 8-character prefix is stored as is,
to find the key and to name it in lists and the audit log; the whole key is stored only as its
SHA-256 hash and shown once, when it is made. Checking uses `hmac.compare_digest`.

The API router (`omzien.api.signals`) and the `omzien partner-key` command stay thin over this.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
import time
from dataclasses import dataclass, field
from enum import Enum

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from omzien.accounts.models import Organisation
from omzien.audit.services import record_event
from omzien.cases import services
from omzien.cases.indicators import ReporterKind
from omzien.cases.models import PartnerKey, Signal, SignalSource
from omzien.core import ratelimit

KEY_MARKER = "omz"
PREFIX_LENGTH = 8
PREFIX_ALPHABET = string.ascii_lowercase + string.digits
# omz_ + 8-character prefix + _ + token_urlsafe(32) (43 characters, base64url without padding).
KEY_RE = re.compile(rf"^{KEY_MARKER}_([a-z0-9]{{{PREFIX_LENGTH}}})_([A-Za-z0-9_-]{{20,100}})$")
RATE_WINDOW_SECONDS = 3600


class KeyProblem(Enum):
    """Why a key was refused; the API turns each into a clear 401."""

    MISSING = "missing"
    MALFORMED = "malformed"
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    INACTIVE = "inactive"  # the partner organisation was switched off


class KeyRejected(Exception):
    def __init__(self, problem: KeyProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_prefix() -> str:
    while True:
        prefix = "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
        if not PartnerKey.objects.filter(prefix=prefix).exists():
            return prefix


@transaction.atomic
def create_key(organisation: Organisation) -> tuple[PartnerKey, str]:
    """Make a new key for `organisation`; (stored key, the key itself, to show once)."""
    prefix = _new_prefix()
    key = f"{KEY_MARKER}_{prefix}_{secrets.token_urlsafe(32)}"
    partner_key = PartnerKey.objects.create(
        organisation=organisation, prefix=prefix, key_hash=hash_key(key)
    )
    record_event(
        "partner_key.create",
        obj=partner_key,
        organisation=organisation,
        details={"key": prefix},
    )
    return partner_key, key


@transaction.atomic
def revoke_key(prefix: str) -> tuple[PartnerKey, bool]:
    """Revoke the key with this prefix; (key, whether it was revoked just now).

    Raises PartnerKey.DoesNotExist for an unknown prefix.
    """
    partner_key = PartnerKey.objects.select_for_update().get(prefix=prefix.strip())
    if partner_key.revoked_at is not None:
        return partner_key, False
    partner_key.revoked_at = timezone.now()
    partner_key.save(update_fields=["revoked_at"])
    record_event(
        "partner_key.revoke",
        obj=partner_key,
        organisation=partner_key.organisation,
        details={"key": partner_key.prefix},
    )
    return partner_key, True


def authenticate(key: str) -> PartnerKey:
    """The stored key for `key`, or KeyRejected saying why not."""
    key = (key or "").strip()
    if not key:
        raise KeyRejected(KeyProblem.MISSING)
    match = KEY_RE.match(key)
    if match is None:
        raise KeyRejected(KeyProblem.MALFORMED)
    partner_key = (
        PartnerKey.objects.select_related("organisation").filter(prefix=match.group(1)).first()
    )
    if partner_key is None or not hmac.compare_digest(partner_key.key_hash, hash_key(key)):
        raise KeyRejected(KeyProblem.UNKNOWN)
    if partner_key.revoked_at is not None:
        raise KeyRejected(KeyProblem.REVOKED)
    if not partner_key.organisation.is_active:
        raise KeyRejected(KeyProblem.INACTIVE)
    return partner_key


def mark_used(partner_key: PartnerKey) -> None:
    now = timezone.now()
    PartnerKey.objects.filter(pk=partner_key.pk).update(last_used_at=now)
    partner_key.last_used_at = now


def _clock() -> int:
    return int(time.time())


def allow_request(partner_key: PartnerKey) -> bool:
    """Count one request of this key; False once it went over the hourly limit.

    The count is kept per key prefix (never the key) and clock hour, so every key starts again
    at the top of the hour (see `seconds_until_reset`).
    """
    hour = _clock() // RATE_WINDOW_SECONDS
    return ratelimit.allow_key(
        "partner-api",
        f"{partner_key.prefix}:{hour}",
        settings.OMZIEN_PARTNER_API_RATE_LIMIT,
        RATE_WINDOW_SECONDS,
    )


def seconds_until_reset() -> int:
    """Seconds until the rate-limit window of `allow_request` starts again."""
    return RATE_WINDOW_SECONDS - _clock() % RATE_WINDOW_SECONDS


@dataclass
class PartnerSignal:
    """A signal as a partner sends it through the API (already checked for form)."""

    description: str
    person_name: str = ""
    person_phone: str = ""
    person_email: str = ""
    person_address: str = ""
    person_postcode: str = ""
    indicators: list[str] = field(default_factory=list)
    source_reference: str = ""


def submit_signal(partner_key: PartnerKey, data: PartnerSignal) -> tuple[Signal, bool]:
    """Store the partner's signal for the meldpunt; (signal, created).

    The same `source_reference` from the same organisation gives the signal stored the first
    time (`created` False). Raises django's ValidationError when the contact route or the
    indicator codes are wrong, and Organisation.DoesNotExist when no meldpunt is set up.
    """
    organisation = partner_key.organisation
    report = services.Report(
        source=SignalSource.PARTNER,
        reporter_kind=ReporterKind.PARTNER,
        description=data.description,
        indicators=list(data.indicators),
        person_name=data.person_name,
        person_phone=data.person_phone,
        person_email=data.person_email,
        person_address=data.person_address,
        person_postcode=data.person_postcode,
        partner=organisation,
        source_reference=data.source_reference,
    )
    signal, created = services.submit_report(report, partner_key_prefix=partner_key.prefix)
    mark_used(partner_key)
    return signal, created


__all__ = [
    "KeyProblem",
    "KeyRejected",
    "PartnerSignal",
    "allow_request",
    "authenticate",
    "create_key",
    "hash_key",
    "mark_used",
    "revoke_key",
    "seconds_until_reset",
    "submit_signal",
]
