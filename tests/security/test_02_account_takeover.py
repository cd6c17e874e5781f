"""Finding 2: account take-over before a case worker enrols a second factor.

All of /accounts/ was open to a session without the second factor, so with the password alone
someone could add their own address, make it primary, remove the worker's and enrol their own
device. Now only setting up the device, re-authentication and logging out are open; e-mail
changes need a fresh code; new staff come in through a one-time link from an administrator.
"""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

import pytest
import time_machine
from allauth.account.models import EmailAddress

from omzien.accounts.models import Invitation, Membership, Organisation, User
from omzien.accounts.roles import Role
from omzien.audit.models import AuditEvent
from tests.conftest import PASSWORD
from tests.security.conftest import enrol, log_in_with_code, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_required")]

ATTACKER = "aanvaller@example.net"


def _password_only(client: Client, user: User) -> None:
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302


def test_with_the_password_alone_no_address_can_be_added(
    client: Client, case_worker_a: User
) -> None:
    _password_only(client, case_worker_a)
    response = client.post("/accounts/email/", {"action_add": "", "email": ATTACKER})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    assert not EmailAddress.objects.filter(email=ATTACKER).exists()
    assert client.get("/accounts/email/").status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/2fa/recovery-codes/generate/",
        "/meldpunt/",
        "/account/",
    ],
)
def test_before_enrolling_only_the_set_up_is_open(
    client: Client, case_worker_a: User, path: str
) -> None:
    _password_only(client, case_worker_a)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_before_enrolling_the_set_up_and_the_log_out_stay_open(
    client: Client, case_worker_a: User
) -> None:
    _password_only(client, case_worker_a)
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_changing_addresses_needs_a_fresh_code(client: Client, case_worker_a: User) -> None:
    secret = enrol(case_worker_a)
    log_in_with_code(client, case_worker_a, secret)
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        response = client.post("/accounts/email/", {"action_add": "", "email": ATTACKER})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/2fa/reauthenticate/")
        assert not EmailAddress.objects.filter(email=ATTACKER).exists()
        # The password alone does not count as the fresh step.
        client.post("/accounts/reauthenticate/", {"password": PASSWORD})
        response = client.post("/accounts/email/", {"action_add": "", "email": ATTACKER})
        assert response["Location"].startswith("/accounts/2fa/reauthenticate/")
        response = client.post("/accounts/2fa/reauthenticate/", {"code": totp_code(secret)})
        assert response.status_code == 302
        # With a fresh code the page opens (allauth itself then refuses unverified addresses
        # on an account with a second factor).
        assert client.get("/accounts/email/").status_code == 200


# --- invitations -------------------------------------------------------------------------------


def _invite(client: Client, organisation: Organisation, role: Role, email: str) -> str:
    response = client.post(
        "/account/leden/uitnodigen/",
        {
            "full_name": "Nieuwe Collega",
            "email": email,
            "organisation": organisation.pk,
            "role": role.value,
        },
    )
    assert response.status_code == 200, response.content[:800]
    link: str = response.context["link"]
    return link.split("testserver", 1)[-1]


@pytest.fixture
def admin_client(client: Client, administrator: User) -> Client:
    log_in_with_code(client, administrator, enrol(administrator))
    return client


def test_an_administrator_invites_with_a_one_time_link(
    admin_client: Client, welfare_a: Organisation
) -> None:
    path = _invite(admin_client, welfare_a, Role.CASE_WORKER, "nieuw@example.org")
    user = User.objects.get(email="nieuw@example.org")
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, organisation=welfare_a, role="case_worker").exists()
    assert EmailAddress.objects.get(user=user).verified
    invitation = Invitation.objects.get(user=user)
    assert path.rstrip("/").rsplit("/", 1)[-1] not in invitation.token_hash  # only a hash kept
    assert AuditEvent.objects.filter(action="account.invited", object_id=str(user.pk)).exists()

    newcomer = Client()
    assert newcomer.get(path).status_code == 200
    new_password = "een lang nieuw wachtwoord 42"
    response = newcomer.post(path, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    # Used once: the same link no longer works, not even for someone else.
    assert Client().get(path).status_code == 410


def test_an_expired_link_does_not_work(admin_client: Client, welfare_a: Organisation) -> None:
    path = _invite(admin_client, welfare_a, Role.CASE_WORKER, "later@example.org")
    with time_machine.travel(timezone.now() + timedelta(hours=73)):
        response = Client().post(path, {"password1": "x" * 20, "password2": "x" * 20})
    assert response.status_code == 410
    assert not User.objects.get(email="later@example.org").has_usable_password()


def test_a_new_link_closes_the_old_one(admin_client: Client, welfare_a: Organisation) -> None:
    first = _invite(admin_client, welfare_a, Role.CASE_WORKER, "twee@example.org")
    second = _invite(admin_client, welfare_a, Role.CASE_WORKER, "twee@example.org")
    assert Client().get(first).status_code == 410
    assert Client().get(second).status_code == 200


def test_an_account_with_a_second_factor_cannot_be_invited_again(
    admin_client: Client, welfare_a: Organisation, case_worker_a: User
) -> None:
    enrol(case_worker_a)
    response = admin_client.post(
        "/account/leden/uitnodigen/",
        {
            "full_name": "X",
            "email": case_worker_a.email,
            "organisation": welfare_a.pk,
            "role": "case_worker",
        },
    )
    assert response.status_code == 200
    assert "link" not in response.context
    assert not Invitation.objects.filter(user=case_worker_a).exists()
    case_worker_a.refresh_from_db()
    assert case_worker_a.has_usable_password()


def test_an_account_not_yet_set_up_is_invited_again_and_its_old_password_stops_working(
    admin_client: Client, welfare_a: Organisation, case_worker_a: User
) -> None:
    # Made before invitations existed: a password, no device. Whoever knew that password could
    # enrol a device of their own; a new link closes that door.
    _invite(admin_client, welfare_a, Role.CASE_WORKER, case_worker_a.email)
    case_worker_a.refresh_from_db()
    assert not case_worker_a.has_usable_password()
    response = Client().post(
        "/accounts/login/", {"login": case_worker_a.email, "password": PASSWORD}
    )
    assert "_auth_user_id" not in Client().session
    assert response.status_code == 200  # the login form again, with its error


def test_a_coordinator_cannot_take_over_a_pending_account_of_another_organisation(
    client: Client, coordinator_a: User, case_worker_b: User, welfare_a: Organisation
) -> None:
    log_in_with_code(client, coordinator_a, enrol(coordinator_a))
    response = client.post(
        "/account/leden/uitnodigen/",
        {
            "full_name": "X",
            "email": case_worker_b.email,
            "organisation": welfare_a.pk,
            "role": "case_worker",
        },
    )
    assert response.status_code == 200
    assert "link" not in response.context
    case_worker_b.refresh_from_db()
    assert case_worker_b.has_usable_password()
    assert not Invitation.objects.filter(user=case_worker_b).exists()
    assert not Membership.objects.filter(user=case_worker_b, organisation=welfare_a).exists()


def test_a_coordinator_cannot_invite_an_administrator_or_into_another_organisation(
    client: Client, coordinator_a: User, welfare_a: Organisation, welfare_b: Organisation
) -> None:
    log_in_with_code(client, coordinator_a, enrol(coordinator_a))
    for organisation, role in ((welfare_a, "administrator"), (welfare_b, "case_worker")):
        response = client.post(
            "/account/leden/uitnodigen/",
            {
                "full_name": "X",
                "email": "x@example.org",
                "organisation": organisation.pk,
                "role": role,
            },
        )
        assert response.status_code == 200
        assert "link" not in response.context
    assert not User.objects.filter(email="x@example.org").exists()


def test_people_without_the_right_get_no_invitation_page(
    client: Client, case_worker_a: User, policy_officer: User
) -> None:
    log_in_with_code(client, case_worker_a, enrol(case_worker_a))
    assert client.get("/account/leden/uitnodigen/").status_code == 403
    other = Client()
    other.force_login(policy_officer)
    assert other.get("/account/leden/uitnodigen/").status_code == 403
    assert Client().get("/account/leden/uitnodigen/").status_code == 302


def test_a_made_up_link_does_not_work(db: None) -> None:
    assert Client().get("/uitnodiging/niet-bestaand-token/").status_code == 410
