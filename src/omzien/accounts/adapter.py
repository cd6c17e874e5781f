from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from allauth.account.adapter import DefaultAccountAdapter

from omzien.audit.services import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators; nobody signs up on their own."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

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
