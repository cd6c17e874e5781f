from __future__ import annotations

from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value

from omzien.accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits() -> None:
    cache.clear()


def login(client: Client, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_staff_log_in_with_their_email_address(client: Client, case_worker_a: User) -> None:
    response = login(client, "Consulent-A@Example.org")
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200


def test_wrong_password_is_refused(client: Client, case_worker_a: User) -> None:
    response = login(client, case_worker_a.email, "wrong password")
    assert response.status_code == 200
    assert client.get("/account/").status_code == 302


def test_repeated_failures_lock_the_account_out(client: Client, case_worker_a: User) -> None:
    for _ in range(5):
        login(client, case_worker_a.email, "wrong password")
    response = login(client, case_worker_a.email)  # right password, but locked for now
    assert response.status_code in (200, 429)
    assert client.get("/account/").status_code == 302


def test_nobody_can_sign_up(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {"email": "nieuw@example.org", "password1": "Sterk-wachtwoord-1", "password2": "x"},
    )
    assert not User.objects.filter(email="nieuw@example.org").exists()
    assert response.status_code in (200, 403)


def test_sessions_expire_after_inactivity() -> None:
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is True
    assert django_settings.SESSION_COOKIE_AGE <= 60 * 60


def test_passwords_are_validated() -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("12345678901", "password123", "kort"):
        with pytest.raises(ValidationError):
            validate_password(weak)


class TestSecondFactor:
    @pytest.fixture(autouse=True)
    def _require_mfa(self, settings) -> None:  # type: ignore[no-untyped-def]
        settings.OMZIEN_MFA_REQUIRED = True

    def test_case_worker_without_totp_is_sent_to_set_it_up(
        self, client: Client, case_worker_a: User
    ) -> None:
        client.force_login(case_worker_a)
        response = client.get("/account/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/2fa/totp/activate")

    def test_provider_editor_is_forced_too(self, client: Client, provider_editor: User) -> None:
        # Referrals show provider editors the name and phone of the person referred.
        client.force_login(provider_editor)
        response = client.get("/account/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/2fa/totp/activate")

    def test_policy_officer_is_not_forced(self, client: Client, policy_officer: User) -> None:
        client.force_login(policy_officer)
        assert client.get("/account/").status_code == 200

    def test_a_case_worker_with_totp_must_give_a_code_at_login(
        self, client: Client, case_worker_a: User
    ) -> None:
        secret = generate_totp_secret()
        TOTP.activate(case_worker_a, secret)
        response = login(client, case_worker_a.email)
        assert response["Location"].startswith("/accounts/2fa/authenticate")
        assert client.get("/account/").status_code == 302  # not logged in yet
        import time

        code = f"{hotp_value(secret, int(time.time()) // 30):06d}"
        response = client.post("/accounts/2fa/authenticate/", {"code": code})
        assert response.status_code == 302
        assert client.get("/account/").status_code == 200
        assert Authenticator.objects.filter(user=case_worker_a).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("person", "shown", "hidden"),
    [
        ("case_worker_a", "/meldpunt/", "/dashboard/"),
        ("provider_editor", "/aanbieder/verwijzingen/", "/meldpunt/"),
        ("policy_officer", "/dashboard/aanbod/personas/", "/meldpunt/"),
    ],
)
def test_the_account_page_leads_each_role_to_its_work(
    request: pytest.FixtureRequest, client: Client, person: str, shown: str, hidden: str, settings
) -> None:
    settings.OMZIEN_MFA_REQUIRED = False
    client.force_login(request.getfixturevalue(person))
    content = client.get("/account/").content.decode()
    assert f'href="{shown}"' in content
    assert f'href="{hidden}"' not in content
