"""Account events leave an audit event (BIO, NEN 7510): through the real allauth pages."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from django.core import mail
from django.core.cache import cache
from django.test import Client

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, hotp_value

from omzien.accounts.models import User
from omzien.accounts.signals import login_hash
from omzien.audit.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "een ander lang wachtwoord 2024"


@pytest.fixture(autouse=True)
def _clear_rate_limits() -> None:
    cache.clear()


def login(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post("/accounts/login/", {"login": email, "password": password})


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def assert_no_personal_data(event: AuditEvent, *values: str) -> None:
    stored = repr(event.details).lower()
    for value in (PASSWORD, NEW_PASSWORD, *values):
        assert value.lower() not in stored


def totp_code(secret: str) -> str:
    return f"{hotp_value(secret, int(time.time()) // 30):06d}"


def test_a_login_is_recorded_with_its_actor(client: Client, case_worker_a: User) -> None:
    response = login(client, case_worker_a.email)
    assert response.status_code == 302
    [event] = events("account.login")
    assert event.actor == case_worker_a
    assert event.ip_address == "127.0.0.1"
    assert_no_personal_data(event)


def test_a_failed_login_of_an_existing_account_names_the_account_but_not_the_password(
    client: Client, case_worker_a: User
) -> None:
    login(client, case_worker_a.email, "wrong password")
    [event] = events("account.login_failed")
    assert event.actor == case_worker_a
    assert event.details["login_hash"] == login_hash(case_worker_a.email)
    assert_no_personal_data(event, "wrong password", case_worker_a.email)
    assert events("account.login") == []


def test_a_failed_login_of_an_unknown_address_keeps_only_a_keyed_hash(
    client: Client, case_worker_a: User
) -> None:
    typo = "consulent-aa@example.org"  # a typo of someone's address is itself personal data
    login(client, typo, "wrong password")
    [event] = events("account.login_failed")
    assert event.actor is None
    assert event.actor_label == ""
    assert event.details["login_hash"] == login_hash(typo)
    assert len(event.details["login_hash"]) == 16
    assert_no_personal_data(event, typo, "consulent-aa", "wrong password")


def test_the_login_page_looks_the_same_for_an_unknown_and_a_known_address(
    client: Client, case_worker_a: User
) -> None:
    def page(email: str) -> str:
        content = login(client, email, "wrong password").content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content).replace(email, "")

    assert page("niemand@example.org") == page(case_worker_a.email)


def test_the_sixth_failed_login_is_recorded_as_a_lock_out(
    client: Client, case_worker_a: User
) -> None:
    for _ in range(6):
        login(client, case_worker_a.email, "wrong password")
    assert len(events("account.login_failed")) == 5
    [event] = events("account.locked_out")
    assert event.actor == case_worker_a
    assert event.details["reason"] == "too_many_failed_logins"
    assert_no_personal_data(event, case_worker_a.email, "wrong password")


def test_a_log_in_to_the_admin_site_is_recorded_as_such(
    client: Client, administrator: User
) -> None:
    administrator.is_staff = True
    administrator.save(update_fields=["is_staff"])
    # The admin's own form sends everyone to the one login, with the admin as the next page.
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    response = client.post(
        response["Location"], {"login": administrator.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    [event] = events("account.admin_login")
    assert event.actor == administrator
    assert event.details == {"via": "admin"}


def test_a_failed_log_in_to_the_admin_site_is_recorded(client: Client, administrator: User) -> None:
    client.post("/accounts/login/?next=/admin/", {"login": administrator.email, "password": "fout"})
    [event] = events("account.login_failed")
    assert event.actor == administrator
    assert event.details["via"] == "admin"
    assert_no_personal_data(event, administrator.email, "fout")


def test_a_log_out_is_recorded(client: Client, case_worker_a: User) -> None:
    login(client, case_worker_a.email)
    client.post("/accounts/logout/")
    [event] = events("account.logout")
    assert event.actor == case_worker_a


def test_adding_and_removing_an_email_address_are_recorded_without_the_address(
    client: Client, case_worker_a: User
) -> None:
    login(client, case_worker_a.email)
    extra = "prive-adres@example.org"
    response = client.post("/accounts/email/", {"action_add": "", "email": extra})
    assert response.status_code == 302
    [added] = events("account.email_added")
    assert added.actor == case_worker_a
    assert added.object_type == "account.emailaddress"
    assert_no_personal_data(added, extra)

    response = client.post("/accounts/email/", {"action_remove": "", "email": extra})
    assert response.status_code == 302
    [removed] = events("account.email_removed")
    assert removed.actor == case_worker_a
    assert_no_personal_data(removed, extra)


def test_a_password_change_is_recorded(client: Client, case_worker_a: User) -> None:
    login(client, case_worker_a.email)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    [event] = events("account.password_changed")
    assert event.actor == case_worker_a
    assert_no_personal_data(event)


def test_a_password_reset_is_recorded_for_the_account_reset(
    client: Client, case_worker_a: User
) -> None:
    client.post("/accounts/password/reset/", {"email": case_worker_a.email})
    [message] = mail.outbox
    link = re.search(r"https?://[^\s]+/accounts/password/reset/key/[^\s]+", message.body)
    assert link is not None
    response = client.get(link.group(0), follow=True)
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    [event] = events("account.password_reset")
    assert event.actor == case_worker_a
    assert_no_personal_data(event, case_worker_a.email)


def test_enrolling_and_removing_totp_are_recorded(
    client: Client,
    case_worker_a: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    login(client, case_worker_a.email)
    # allauth asks for the password again before a second factor is changed.
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session[SECRET_SESSION_KEY]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=case_worker_a, type="totp").exists()
    enabled = events("account.mfa_enabled")
    assert {e.details["type"] for e in enabled} >= {"totp"}
    assert all(e.actor == case_worker_a for e in enabled)
    for event in enabled:
        assert_no_personal_data(event, secret)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/recovery-codes/generate/")
    assert response.status_code == 302
    [reset] = events("account.mfa_reset")
    assert reset.details == {"type": "recovery_codes"}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    removed = events("account.mfa_removed")
    assert "totp" in {e.details["type"] for e in removed}
    assert all(e.actor == case_worker_a for e in removed)


def test_a_wrong_second_factor_code_is_recorded(client: Client, case_worker_a: User) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(case_worker_a, generate_totp_secret())
    login(client, case_worker_a.email)
    client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    [event] = events("account.mfa_failed")
    assert event.actor == case_worker_a
    assert event.details["type"] == "totp"
    assert events("account.login") == []
