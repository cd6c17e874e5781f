"""The meldpunt's demo cases: plausible, in every state, consistent, and loaded only once."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

import pytest

from omzien.accounts import demo as accounts_demo
from omzien.accounts.models import Organisation, User
from omzien.areas import demo as areas_demo
from omzien.cases import demo
from omzien.cases.models import (
    Case,
    CaseState,
    CaseTransition,
    Consent,
    ContactAttempt,
    Referral,
    ReferralStatus,
    Signal,
)
from omzien.cases.selectors import first_contact_late
from tests.factories import DirectoryOrganizationFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> list[str]:
    accounts_demo.load()
    areas_demo.load()
    provider = Organisation.objects.get(name=accounts_demo.PROVIDER)
    organization = DirectoryOrganizationFactory(owner=provider)
    for _ in range(3):
        ServiceFactory(organization=organization)
    return demo.load()


def test_demo_cases_load_for_both_welfare_organisations(loaded):
    welfare = Organisation.objects.get(name=accounts_demo.WELFARE)
    welfare_2 = Organisation.objects.get(name=accounts_demo.WELFARE_2)
    assert Case.objects.filter(organisation=welfare).count() == 120
    assert Case.objects.filter(organisation=welfare_2).count() == 10
    assert "130 fictional demo cases (130 new)" in loaded[0]
    for organisation in (welfare, welfare_2):
        states = set(Case.objects.filter(organisation=organisation).values_list("state", flat=True))
        assert states == set(CaseState.values)


def test_demo_cases_are_consistent(loaded):
    now = timezone.now()
    year_ago = now - dt.timedelta(days=370)
    for case in Case.objects.prefetch_related("signals", "transitions", "consents", "referrals"):
        assert year_ago < case.received_at < now
        signals = list(case.signals.all())
        assert signals and all(s.description.endswith("(demo)") for s in signals)
        steps = list(case.transitions.all())
        assert steps[0].to_state == CaseState.RECEIVED and steps[-1].to_state == case.state
        assert [s.at for s in steps] == sorted(s.at for s in steps)
        assert all(s.at < now for s in steps)
        if any(s.to_state == CaseState.INTAKE for s in steps):
            assert case.assigned_to is not None
        if case.state == CaseState.CLOSED:
            assert case.closing_reason and case.closed_at and case.closed_at < now
            assert all(s.reporter_details_removed_at and not s.reporter_email for s in signals)
        if case.closing_reason == "helped":
            assert case.contact_made_at is not None
        if case.state == CaseState.REFERRED:
            assert any(c.is_active for c in case.consents.all())
            referrals = list(case.referrals.all())
            assert referrals and case.checkup_due is not None
            assert any(r.status in ("sent", "accepted", "started") for r in referrals)
    assert ContactAttempt.objects.filter(at__gt=now).count() == 0
    assert Consent.objects.exists()
    helped_done = Referral.objects.filter(
        case__closing_reason="helped", status=ReferralStatus.COMPLETED
    )
    assert helped_done.exists()
    # Referrals go to services of the demo directory whose organisation has an owner.
    assert not Referral.objects.filter(provider__isnull=True).exists()
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert len(statuses) >= 4
    assert Case.objects.filter(neighbourhood__isnull=False).count() == Case.objects.count()


def test_some_demo_cases_are_overdue(loaded):
    cases = list(Case.objects.filter(state__in=[CaseState.RECEIVED, CaseState.INTAKE]))
    assert any(first_contact_late(case) for case in cases)
    assert CaseTransition.objects.filter(to_state=CaseState.CLOSED).count() == 63


def test_loading_twice_adds_nothing(loaded):
    counts = (
        Case.objects.count(),
        Signal.objects.count(),
        ContactAttempt.objects.count(),
        Referral.objects.count(),
    )
    second = demo.load()
    assert "(0 new)" in second[0]
    assert counts == (
        Case.objects.count(),
        Signal.objects.count(),
        ContactAttempt.objects.count(),
        Referral.objects.count(),
    )


def test_a_missing_demo_case_is_made_again_the_same_way(loaded):
    signal = Signal.objects.filter(
        submission_key__startswith="demo-case-helmond-", case__state=CaseState.CONVERSATION_HELD
    ).first()
    key, case = signal.submission_key, signal.case
    state, received = case.state, case.received_at.date()
    attempts = list(case.contact_attempts.values_list("channel", "outcome"))
    case.delete()
    assert "(1 new)" in demo.load()[0]
    again = Signal.objects.get(submission_key=key).case
    assert again.state == state and again.received_at.date() == received
    assert list(again.contact_attempts.values_list("channel", "outcome")) == attempts


def test_the_demo_case_worker_can_open_the_queue_and_every_state(client, loaded):
    worker = User.objects.get(email="consulent@demo.omzien.nl")
    client.force_login(worker)
    response = client.get(reverse("cases:queue"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count > 25
    welfare = Organisation.objects.get(name=accounts_demo.WELFARE)
    by_state = Case.objects.filter(organisation=welfare).values("state").annotate(n=Count("id"))
    assert {row["state"] for row in by_state} == set(CaseState.values)
    for state in CaseState.values:
        case = Case.objects.filter(organisation=welfare, state=state).first()
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    other = Case.objects.exclude(organisation=welfare).first()
    assert client.get(reverse("cases:detail", args=[other.pk])).status_code == 404
