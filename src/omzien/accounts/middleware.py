"""Enforce the second factor per session for everyone who can reach residents' personal data.

Three states of a logged-in user who needs a second factor (`accounts.mfa.mfa_required_for`):
- no TOTP device yet: only setting one up (and logging out) is possible; e-mail management,
  every Omzien page and the admin are closed, so a stolen password cannot swap the address;
- a device, but this session did not pass it (a login that skipped allauth's MFA stage): the
  session is ended and the person sent to the one login, which asks for the code;
- passed: everything the roles allow; changing e-mail addresses needs a fresh code.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from omzien.accounts.mfa import (
    has_enrolled,
    mfa_required_for,
    recently_passed_mfa,
    session_passed_mfa,
)
from omzien.audit.services import record_event

# Open to everyone in every state: files, health, language, log-out.
_ALWAYS_OPEN = ("/static/", "/healthz", "/i18n/", "/theme.css", "/favicon.ico", "/accounts/logout/")
# Also open before the device is set up: setting it up, after confirming the password.
_ENROLMENT = ("/accounts/2fa/totp/activate/", "/accounts/reauthenticate/")
# Pages that change where the account's mail goes: only just after giving a code.
_EMAIL_MANAGEMENT = ("/accounts/email/",)


class RequireMfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if path.startswith(_ALWAYS_OPEN) or not mfa_required_for(request.user):
            return self.get_response(request)
        if not has_enrolled(request.user):
            if path.startswith(_ENROLMENT):
                return self.get_response(request)
            return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': path})}")
        if not session_passed_mfa(request):
            record_event("account.session_without_second_factor_ended", request=request)
            logout(request)
            return redirect(f"{reverse('account_login')}?{urlencode({'next': path})}")
        if path.startswith(_EMAIL_MANAGEMENT) and not recently_passed_mfa(request):
            return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': path})}")
        return self.get_response(request)
