"""Has *this session* passed the second factor? The one answer the middleware and views use.

A user who has a TOTP device is not the same as a session that proved it: Django's admin login,
`force_login` or any other way in that skips allauth's MFA stage leaves a session with the
password alone. allauth keeps a list of the authentication steps taken in the session; the
second factor counts only when that list holds an "mfa" step for this user.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest

# allauth's record of the steps taken in this session. Internal to allauth: the functions are
# pinned with allauth in requirements.lock and covered by tests/security/test_01_*.
from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled

from omzien.accounts.models import User
from omzien.accounts.permissions import AnyUser, needs_mfa

MFA_METHOD = "mfa"


def mfa_required_for(user: AnyUser) -> bool:
    """Must this user pass a second factor here (production, or wherever it is switched on)?"""
    return bool(settings.OMZIEN_MFA_REQUIRED) and user.is_authenticated and needs_mfa(user)


def has_enrolled(user: AnyUser) -> bool:
    return user.is_authenticated and is_mfa_enabled(user, [Authenticator.Type.TOTP])


def last_mfa_at(request: HttpRequest) -> float | None:
    """When this session last passed the second factor (epoch seconds), or None."""
    user = request.user
    if not user.is_authenticated:
        return None
    moments = [
        float(record.get("at", 0))
        for record in get_authentication_records(request, user)
        if isinstance(record, dict) and record.get("method") == MFA_METHOD
    ]
    return max(moments) if moments else None


def session_passed_mfa(request: HttpRequest) -> bool:
    return last_mfa_at(request) is not None


def recently_passed_mfa(request: HttpRequest, seconds: int | None = None) -> bool:
    """Did this session give a second-factor code within the re-authentication time-out?"""
    moment = last_mfa_at(request)
    if moment is None:
        return False
    limit = seconds if seconds is not None else settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
    return time.time() - moment <= limit


def record_mfa_step(request: HttpRequest, user: User, authenticator: Authenticator) -> None:
    """Count a code given while enrolling as this session's second factor.

    Enrolling means typing a valid code of the new device, straight after a (re)authentication
    with the password: the same proof as the login's second step.
    """
    record_authentication(
        request, user, MFA_METHOD, id=authenticator.pk, type=str(authenticator.type)
    )


def count_enrolment_as_second_factor(
    sender: object,
    request: HttpRequest | None = None,
    user: User | None = None,
    authenticator: Authenticator | None = None,
    **kwargs: object,
) -> None:
    """Receiver of allauth's `authenticator_added`: a TOTP set up in this session counts."""
    if request is None or user is None or authenticator is None:
        return
    if authenticator.type == Authenticator.Type.TOTP and request.user.pk == user.pk:
        record_mfa_step(request, user, authenticator)
