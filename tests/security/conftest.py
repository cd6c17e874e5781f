"""Shared by the security tests: the second factor switched on as in production, and codes."""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.test import Client

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value

from omzien.accounts.models import User
from tests.cases.test_partner_api import make_key
from tests.conftest import PASSWORD
from tests.factories import OrganisationFactory


@pytest.fixture
def mfa_required(settings: Any) -> None:
    """Production's rule: roles with personal data, staff and superusers need a second factor."""
    settings.OMZIEN_MFA_REQUIRED = True
    cache.clear()  # allauth's lock-out counters and used codes live in the cache


def totp_code(secret: str, offset: int = 0) -> str:
    return f"{hotp_value(secret, int(time.time()) // 30 + offset):06d}"


def enrol(user: User) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def log_in_with_code(client: Client, user: User, secret: str) -> None:
    """The one real way in: allauth's password step, then its code step."""
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    assert response["Location"].startswith("/accounts/2fa/authenticate")
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302


@pytest.fixture
def partner_key(db: None) -> str:
    from omzien.accounts.roles import OrganisationType, PartnerDomain

    organisation = OrganisationFactory(
        name="Woningcorporatie Test", type=OrganisationType.PARTNER, domain=PartnerDomain.HOUSING
    )
    return make_key(organisation.name)
