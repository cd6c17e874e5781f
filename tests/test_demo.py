from __future__ import annotations

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import Client

import pytest

from omzien.accounts.demo import ACCOUNTS, DEMO_PASSWORD
from omzien.accounts.models import Membership, Organisation, User
from omzien.accounts.roles import Role

pytestmark = pytest.mark.django_db

REQUIRED = [
    "beheerder@demo.omzien.nl",
    "beleid@demo.omzien.nl",
    "consulent@demo.omzien.nl",
    "consulent2@demo.omzien.nl",
    "aanbieder@demo.omzien.nl",
]


def demo_data() -> str:
    out = StringIO()
    call_command("demo_data", stdout=out)
    return out.getvalue()


def test_demo_data_creates_and_prints_the_demo_accounts() -> None:
    output = demo_data()
    for email in REQUIRED:
        assert email in output
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    assert "omzien-demo" in output


def test_the_two_case_workers_work_for_different_welfare_organisations() -> None:
    demo_data()
    first = Membership.objects.get(user__email="consulent@demo.omzien.nl", role=Role.CASE_WORKER)
    second = Membership.objects.get(user__email="consulent2@demo.omzien.nl", role=Role.CASE_WORKER)
    assert first.organisation != second.organisation
    assert first.organisation.type == second.organisation.type == "welfare"


def test_demo_has_the_partner_organisation() -> None:
    demo_data()
    assert Organisation.objects.get(name="Demo Woningcorporatie").type == "partner"


def test_running_it_twice_changes_nothing() -> None:
    demo_data()
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())
    demo_data()
    assert counts == (
        User.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
    )
    assert User.objects.count() == len(ACCOUNTS)


def test_demo_accounts_can_log_in(client: Client) -> None:
    demo_data()
    response = client.post(
        "/accounts/login/", {"login": "beleid@demo.omzien.nl", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_it_is_refused_where_demo_data_is_off(settings) -> None:  # type: ignore[no-untyped-def]
    settings.OMZIEN_ALLOW_DEMO_DATA = False
    with pytest.raises(CommandError, match="never in production"):
        demo_data()
    assert not User.objects.exists()
