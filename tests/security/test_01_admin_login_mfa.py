"""Finding 1: the second factor was skipped through Django's admin login.

Any staff account logged in at /admin/login/ with the password alone, and the session then
opened every Omzien page, because the middleware asked whether the user *has* a device rather
than whether *this session* passed it. A superuser without a membership needed no second factor.
"""

from __future__ import annotations

from django.test import Client

import pytest

from omzien.accounts.models import User
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.security.conftest import enrol, log_in_with_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_required")]


@pytest.fixture
def staff_administrator(administrator: User) -> User:
    administrator.is_staff = True
    administrator.save(update_fields=["is_staff"])
    return administrator


def test_the_admin_login_form_does_not_log_anyone_in(
    client: Client, staff_administrator: User
) -> None:
    enrol(staff_administrator)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": staff_administrator.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/beheer/audit/").status_code != 200
    assert "_auth_user_id" not in client.session


def test_the_admin_sends_anonymous_people_to_the_one_login(client: Client) -> None:
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "next=/admin/" in response.redirect_chain[-1][0].replace("%2F", "/")


def test_a_session_with_the_password_alone_is_ended(
    client: Client, staff_administrator: User
) -> None:
    # force_login stands for any way in that skips allauth's second step.
    enrol(staff_administrator)
    client.force_login(staff_administrator)
    response = client.get("/beheer/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/admin/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_password_and_the_code_open_the_admin(
    client: Client, staff_administrator: User
) -> None:
    secret = enrol(staff_administrator)
    log_in_with_code(client, staff_administrator, secret)
    assert client.get("/beheer/audit/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_superuser_without_a_membership_needs_the_second_factor(client: Client) -> None:
    root = UserFactory(email="root@example.org", password=PASSWORD)
    root.is_staff = root.is_superuser = True
    root.save()
    client.post("/accounts/login/", {"login": root.email, "password": PASSWORD})
    response = client.get("/admin/accounts/membership/add/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_staff_without_a_role_needs_the_second_factor(client: Client) -> None:
    clerk = UserFactory(email="staff@example.org", password=PASSWORD)
    clerk.is_staff = True
    clerk.save()
    client.post("/accounts/login/", {"login": clerk.email, "password": PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_twenty_five_wrong_passwords_then_the_right_one_at_the_admin_form_is_no_way_in(
    client: Client, staff_administrator: User
) -> None:
    enrol(staff_administrator)
    for _ in range(25):
        client.post("/admin/login/", {"username": staff_administrator.email, "password": "wrong"})
    client.post("/admin/login/", {"username": staff_administrator.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_the_one_login_locks_the_admin_way_after_five_wrong_passwords(
    client: Client, staff_administrator: User
) -> None:
    enrol(staff_administrator)
    for _ in range(5):
        client.post(
            "/accounts/login/?next=/admin/",
            {"login": staff_administrator.email, "password": "wrong password"},
        )
    response = client.post(
        "/accounts/login/?next=/admin/",
        {"login": staff_administrator.email, "password": PASSWORD},
    )
    # Locked: the right password does not even lead to the second step.
    assert response.status_code != 302 or "/2fa/" not in response["Location"]
    assert client.get("/admin/").status_code == 302


def test_a_logged_in_user_without_staff_rights_gets_no_admin_form(
    client: Client, policy_officer: User
) -> None:
    client.force_login(policy_officer)
    assert client.get("/admin/login/").status_code == 403
