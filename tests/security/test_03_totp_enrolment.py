"""Finding 3: case workers could not set up a second factor in production.

allauth refuses to add a device while the account's address is unverified, and nothing verified
it (the tests activated TOTP directly, so the real pages were never walked). Accounts are made
by administrators, so their address is verified; this walks the real enrolment pages.
"""

from __future__ import annotations

from django.test import Client

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from omzien.accounts.models import Organisation, User
from tests.conftest import PASSWORD
from tests.security.conftest import enrol, log_in_with_code, totp_code

NEW_PASSWORD = "een lang wachtwoord 42"

# allauth announces a new device after the commit (where this session's second step is counted),
# as in a real request: so these tests commit.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("mfa_required")]


def _enrol_through_the_pages(client: Client, user: User, password: str = PASSWORD) -> None:
    client.post("/accounts/login/", {"login": user.email, "password": password})
    response = client.get("/meldpunt/")
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    page = client.get("/accounts/2fa/totp/activate/")
    # allauth asks for the password again before a device is added.
    assert page["Location"].startswith("/accounts/reauthenticate/")
    client.post(page["Location"], {"password": password})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200, page.get("Location")
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302, response.content[:800]


def _admin_client(administrator: User) -> Client:
    administrator.is_staff = True
    administrator.is_superuser = True
    administrator.save()
    client = Client()
    log_in_with_code(client, administrator, enrol(administrator))
    return client


def test_a_case_worker_made_in_the_admin_enrols_through_the_real_pages(
    administrator: User, welfare_a: Organisation
) -> None:
    admin = _admin_client(administrator)
    response = admin.post(
        "/admin/accounts/user/add/",
        {
            "email": "nieuw-via-admin@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-organisation": str(welfare_a.pk),
            "memberships-0-role": "case_worker",
            "_save": "Opslaan",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    user = User.objects.get(email="nieuw-via-admin@example.org")
    assert EmailAddress.objects.get(user=user).verified

    worker = Client()
    _enrol_through_the_pages(worker, user, NEW_PASSWORD)
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    # The code typed while enrolling counts as this session's second step.
    assert worker.get("/meldpunt/").status_code == 200


def test_existing_accounts_get_a_verified_address_from_the_migration(case_worker_a: User) -> None:
    from importlib import import_module

    from django.apps import apps

    EmailAddress.objects.filter(user=case_worker_a).delete()
    migration = import_module("omzien.accounts.migrations.0003_verify_administrator_addresses")
    migration.verify_addresses(apps, None)
    address = EmailAddress.objects.get(user=case_worker_a)
    assert address.verified and address.primary
    _enrol_through_the_pages(Client(), case_worker_a)
