from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from allauth.account.adapter import DefaultAccountAdapter

from omzien.accounts.signals import record_locked_out
from omzien.core.net import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators; nobody signs up on their own."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # allauth refuses a login here once the failed-login rate limit is used up, before any
        # password is checked (so no `user_login_failed` signal): record that lock-out.
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            record_locked_out(request, credentials)
            raise

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client's address as the rest of Omzien sees it (OMZIEN_TRUSTED_PROXY_COUNT), so
        the login limits count per client behind the proxy, like the audit log and the forms.

        Unlike allauth's own reading, an X-Forwarded-For with fewer entries than the proxy count
        (a request that did not pass the proxy) is no server error: it counts by REMOTE_ADDR.
        """
        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address
