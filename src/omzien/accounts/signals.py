"""Account events in the audit log: logins, failures, lock-outs, changes of e-mail address,
password and second factor, log-outs (BIO and NEN 7510 expect each of them to leave a trace).

Django and allauth announce these through signals; the receivers here turn each into one
`AuditEvent` through `record_event`. Details never hold personal data: no password, no e-mail
address. A failed login keeps only a keyed hash of the name typed, so repeated attempts at one
name can be seen together without storing what may be a typo of someone else's address. Its
actor is filled in only when the account exists; nothing of that reaches the person logging in.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import signals as auth_signals
from django.http import HttpRequest
from django.urls import reverse
from django.utils.crypto import salted_hmac

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals

from omzien.accounts.mfa import count_enrolment_as_second_factor
from omzien.accounts.models import User
from omzien.audit.services import record_event

# Auditors need only to tell attempts at one name from attempts at another.
_LOGIN_HASH_LENGTH = 16


def login_hash(login: str) -> str:
    """A keyed hash of the name typed at a login; not reversible without SECRET_KEY."""
    normalised = login.strip().lower()
    digest = salted_hmac("omzien.accounts.login", normalised, algorithm="sha256").hexdigest()
    return digest[:_LOGIN_HASH_LENGTH]


def _typed_login(credentials: dict[str, Any]) -> str:
    for key in ("email", "username", "login"):
        value = credentials.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _existing_user(login: str) -> User | None:
    if not login:
        return None
    return User.objects.filter(email__iexact=login.strip()).first()


def _via(request: HttpRequest | None) -> str:
    """ "admin" for a login on the way to the admin site (the admin's own form now sends
    everyone to allauth's login with ?next=/admin/...)."""
    if request is None:
        return "account"
    match = getattr(request, "resolver_match", None)
    if match is not None and "admin" in match.namespaces:
        return "admin"
    admin_root = reverse("admin:index")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    return "admin" if next_url.startswith(admin_root) else "account"


def _login_failure_details(credentials: dict[str, Any], reason: str) -> tuple[Any, dict[str, Any]]:
    login = _typed_login(credentials)
    details: dict[str, Any] = {"reason": reason}
    if login:
        details["login_hash"] = login_hash(login)
    return _existing_user(login), details


# --- logging in and out ------------------------------------------------------------------------


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    via = _via(request)
    action = "account.admin_login" if via == "admin" else "account.login"
    record_event(action, request=request, actor=user, details={"via": via})


def on_user_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    actor, details = _login_failure_details(credentials, "bad_credentials")
    details["via"] = _via(request)
    record_event("account.login_failed", request=request, actor=actor, details=details)


def record_locked_out(request: HttpRequest | None, credentials: dict[str, Any]) -> None:
    """A login refused by the rate limit on failed logins (called by the account adapter)."""
    actor, details = _login_failure_details(credentials, "too_many_failed_logins")
    record_event("account.locked_out", request=request, actor=actor, details=details)


def on_user_logged_out(
    sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    if user is None:  # logging out without being logged in
        return
    record_event("account.logout", request=request, actor=user)


# --- e-mail addresses and passwords ------------------------------------------------------------


def on_email_added(
    sender: Any, request: HttpRequest | None, user: User, email_address: Any, **kwargs: Any
) -> None:
    record_event("account.email_added", request=request, actor=user, obj=email_address)


def on_email_removed(
    sender: Any, request: HttpRequest | None, user: User, email_address: Any, **kwargs: Any
) -> None:
    # The row is deleted by now (Django clears its id), so the event names the account only.
    record_event("account.email_removed", request=request, actor=user, obj=user)


def on_email_changed(
    sender: Any,
    request: HttpRequest | None,
    user: User,
    from_email_address: Any,
    to_email_address: Any,
    **kwargs: Any,
) -> None:
    record_event(
        "account.email_changed",
        request=request,
        actor=user,
        obj=to_email_address,
        details={"from_id": getattr(from_email_address, "pk", None)},
    )


def on_email_confirmed(
    sender: Any, request: HttpRequest | None, email_address: Any, **kwargs: Any
) -> None:
    record_event(
        "account.email_confirmed", request=request, actor=email_address.user, obj=email_address
    )


def on_password_changed(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    record_event("account.password_changed", request=request, actor=user, obj=user)


def on_password_set(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    record_event("account.password_set", request=request, actor=user, obj=user)


def on_password_reset(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    # The person is not logged in while resetting: the actor is the account itself.
    record_event("account.password_reset", request=request, actor=user, obj=user)


# --- the second factor -------------------------------------------------------------------------


def _authenticator_details(authenticator: Any) -> dict[str, Any]:
    return {"type": str(authenticator.type)}


def on_authenticator_added(
    sender: Any, request: HttpRequest | None, user: User, authenticator: Any, **kwargs: Any
) -> None:
    record_event(
        "account.mfa_enabled",
        request=request,
        actor=user,
        obj=authenticator,
        details=_authenticator_details(authenticator),
    )


def on_authenticator_removed(
    sender: Any, request: HttpRequest | None, user: User, authenticator: Any, **kwargs: Any
) -> None:
    # Deleted by now, like a removed e-mail address: the event names the account and the type.
    record_event(
        "account.mfa_removed",
        request=request,
        actor=user,
        obj=user,
        details=_authenticator_details(authenticator),
    )


def on_authenticator_reset(
    sender: Any, request: HttpRequest | None, user: User, authenticator: Any, **kwargs: Any
) -> None:
    record_event(
        "account.mfa_reset",
        request=request,
        actor=user,
        obj=authenticator,
        details=_authenticator_details(authenticator),
    )


def on_mfa_authentication_failed(
    sender: Any, request: HttpRequest | None, user: User, authenticator: Any = None, **kwargs: Any
) -> None:
    details = {"reauthentication": bool(kwargs.get("reauthentication", False))}
    if authenticator is not None:
        details.update(_authenticator_details(authenticator))
    record_event("account.mfa_failed", request=request, actor=user, details=details)


def connect() -> None:
    """Connect every receiver; called once from the app's ready()."""
    # A new authenticator counts as this session's second factor (the person just typed a code
    # from it); connected first, so the session holds the step before anything else reacts.
    mfa_signals.authenticator_added.connect(
        count_enrolment_as_second_factor, dispatch_uid="omzien.accounts.mfa.enrolment"
    )
    uid = "omzien.accounts.audit"
    pairs = [
        (auth_signals.user_logged_in, on_user_logged_in),
        (auth_signals.user_login_failed, on_user_login_failed),
        (auth_signals.user_logged_out, on_user_logged_out),
        (account_signals.email_added, on_email_added),
        (account_signals.email_removed, on_email_removed),
        (account_signals.email_changed, on_email_changed),
        (account_signals.email_confirmed, on_email_confirmed),
        (account_signals.password_changed, on_password_changed),
        (account_signals.password_set, on_password_set),
        (account_signals.password_reset, on_password_reset),
        (mfa_signals.authenticator_added, on_authenticator_added),
        (mfa_signals.authenticator_removed, on_authenticator_removed),
        (mfa_signals.authenticator_reset, on_authenticator_reset),
        (mfa_signals.authentication_failed, on_mfa_authentication_failed),
    ]
    for signal, receiver in pairs:
        signal.connect(receiver, dispatch_uid=f"{uid}.{receiver.__name__}")
