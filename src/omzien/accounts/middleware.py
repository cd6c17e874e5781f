"""Enforce a second factor for roles that can see residents' personal data."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from allauth.mfa.utils import is_mfa_enabled

from omzien.accounts.permissions import needs_mfa

# Pages a user without a second factor may still reach: setting one up, logging out, static.
_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/", "/theme.css")


class RequireMfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.OMZIEN_MFA_REQUIRED
            and user.is_authenticated
            and not request.path.startswith(_EXEMPT_PREFIXES)
            and needs_mfa(user)
            and not is_mfa_enabled(user)
        ):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)
