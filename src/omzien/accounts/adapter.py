from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from allauth.account.adapter import DefaultAccountAdapter


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
            from omzien.accounts.signals import record_locked_out

            record_locked_out(request, credentials)
            raise
