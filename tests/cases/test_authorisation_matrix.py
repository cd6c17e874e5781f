"""Every case, referral and export URL and API endpoint of the meldpunt, for every role and for
a user of another organisation: who gets the page, and that everyone else is refused.

Refused means: anonymous visitors go to the login page; signed-in users get 403 (the role may
not do this at all) or 404 (the role may, but not in this organisation: no hint that the case
exists); the partner API answers 401 without a valid key. A refused answer never contains the
person's name.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from omzien.cases import referrals, services
from omzien.cases.models import CaseState, Referral
from tests.factories import DirectoryOrganizationFactory, ServiceFactory, make_case

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "outsider",
    "administrator",
    "policy_officer",
    "provider_editor",
    "case_worker_b",
    "case_worker_a",
    "coordinator_a",
]
NAME = "Matrixpersoon Geheim"


@pytest.fixture
def world(welfare_a, provider_org, provider_editor, case_worker_a):  # type: ignore[no-untyped-def]
    """A case of welfare A with consent and a referral to the provider's service (its inbox)."""
    case = make_case(welfare_a, person_name=NAME)
    now = timezone.now()
    services.transition(case, CaseState.INTAKE, case_worker_a)
    services.record_contact_attempt(case, case_worker_a, at=now, channel="phone", outcome="reached")
    services.record_conversation(case, case_worker_a, held_at=now, text="Gesprek.")
    consent = services.record_consent(
        case,
        case_worker_a,
        given_at=now,
        method="verbal",
        scope="Doorverwijzen naar de aanbieder.",
        share_with_providers=True,
    )
    service = ServiceFactory(
        organization=DirectoryOrganizationFactory(owner=provider_org, email="a@example.org")
    )
    referrals.create_referrals(case, [service], case_worker_a, "Graag contact opnemen.")
    referral = Referral.objects.get(case=case)
    return {"case": case, "referral": referral, "consent": consent}


def _urls(world) -> dict[str, tuple[str, set[str]]]:  # type: ignore[no-untyped-def]
    """URL name -> (path, the people who get it)."""
    case, referral, consent = world["case"], world["referral"], world["consent"]
    workers = {"case_worker_a", "coordinator_a"}
    c = [case.pk]
    return {
        "queue": (reverse("cases:queue"), {*workers, "case_worker_b"}),
        "detail": (reverse("cases:detail", args=c), workers),
        "take": (reverse("cases:take", args=c), workers),
        "assign": (reverse("cases:assign", args=c), {"coordinator_a"}),
        "urgency": (reverse("cases:urgency", args=c), workers),
        "status": (reverse("cases:status", args=c), workers),
        "contact_attempt": (reverse("cases:contact_attempt", args=c), workers),
        "conversation": (reverse("cases:conversation", args=c), workers),
        "note": (reverse("cases:note", args=c), workers),
        "consent": (reverse("cases:consent", args=c), workers),
        "consent_withdraw": (
            reverse("cases:consent_withdraw", args=[case.pk, consent.pk]),
            workers,
        ),
        "refer": (reverse("cases:refer", args=c), workers),
        "subject_access": (reverse("cases:subject_access", args=c), {"coordinator_a"}),
        "subject_export": (
            reverse("cases:subject_access", args=c) + "?format=json",
            {"coordinator_a"},
        ),
        "erase": (reverse("cases:erase", args=c), {"coordinator_a"}),
        # Who looked at a case: the coordinator, and the administrator who holds the audit log
        # (the page lists events, never the person's details).
        "case_audit": (reverse("cases:case_audit", args=c), {"coordinator_a", "administrator"}),
        "inbox": (reverse("cases:inbox"), {"provider_editor"}),
        "inbox_detail": (reverse("cases:inbox_detail", args=[referral.pk]), {"provider_editor"}),
    }


def _client(request: pytest.FixtureRequest, person: str) -> Client:
    client = Client()
    if person != "anonymous":
        client.force_login(request.getfixturevalue(person))
    return client


@pytest.mark.parametrize("person", PEOPLE)
def test_every_page_for_every_person(request, world, person) -> None:  # type: ignore[no-untyped-def]
    client = _client(request, person)
    refused_by = {}
    for name, (path, allowed) in _urls(world).items():
        response = client.get(path)
        if person in allowed:
            assert response.status_code == 200, (name, person, response.status_code)
            if name in ("queue", "case_audit", "inbox"):
                assert NAME not in response.content.decode(), (name, person)
            continue
        refused_by[name] = response.status_code
        if person == "anonymous":
            assert response.status_code == 302, (name, response.status_code)
            assert response["Location"].startswith(reverse("account_login")), name
        else:
            assert response.status_code in (403, 404), (name, person, response.status_code)
        assert NAME not in response.content.decode(errors="replace"), (name, person)
    if person == "case_worker_b":
        # Another welfare organisation: it has case work, so the case is simply not there.
        assert refused_by["detail"] == 404


@pytest.mark.parametrize("person", PEOPLE)
def test_changes_are_refused_for_everyone_but_the_case_workers(request, world, person) -> None:  # type: ignore[no-untyped-def]
    """POSTs (the actions that change a case or referral) by people who may not."""
    client = _client(request, person)
    case, referral = world["case"], world["referral"]
    posts = {
        "take": (reverse("cases:take", args=[case.pk]), {}),
        "note": (reverse("cases:note", args=[case.pk]), {"text": "Mag niet."}),
        "status": (reverse("cases:status", args=[case.pk]), {"to_state": "closed"}),
        "referral_withdraw": (reverse("cases:referral_withdraw", args=[referral.pk]), {}),
        "erase": (reverse("cases:erase", args=[case.pk]), {"reason": "request"}),
    }
    for name, (path, data) in posts.items():
        before = (case.notes.count(), Referral.objects.get(pk=referral.pk).status)
        response = client.post(path, data)
        if person in {"case_worker_a", "coordinator_a"}:
            continue  # their own actions are tested in test_case_work / test_referrals
        if person == "anonymous":
            assert response.status_code == 302 and "login" in response["Location"], name
        else:
            assert response.status_code in (403, 404), (name, person, response.status_code)
        assert (case.notes.count(), Referral.objects.get(pk=referral.pk).status) == before


@pytest.mark.parametrize(
    "person", ["case_worker_a", "case_worker_b", "policy_officer", "outsider", "coordinator_a"]
)
def test_the_provider_inbox_is_only_the_providers(request, world, person) -> None:  # type: ignore[no-untyped-def]
    client = _client(request, person)
    response = client.post(
        reverse("cases:inbox_detail", args=[world["referral"].pk]), {"action": "accept"}
    )
    assert response.status_code in (403, 404)
    assert Referral.objects.get(pk=world["referral"].pk).status == "sent"


def test_the_partner_api_refuses_without_a_valid_key(world, client) -> None:  # type: ignore[no-untyped-def]
    body = {"description": "Huur niet betaald.", "person": {"phone": "0612345678"}}
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer omz_nothing_wrong"}):
        response = client.post("/api/v1/signals", body, content_type="application/json", **headers)
        assert response.status_code == 401
    # A staff session is no key either.
    client.force_login(world["case"].assigned_to)
    response = client.post("/api/v1/signals", body, content_type="application/json")
    assert response.status_code == 401
