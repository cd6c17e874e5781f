from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

import pytest

from omzien.accounts.models import Membership, Organisation, User
from omzien.accounts.permissions import (
    get_scoped_or_404,
    has_capability,
    needs_mfa,
    organisation_ids,
    require,
    scope_queryset,
)
from omzien.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from tests.conftest import _person

C = Capability

# What each named person may do, and where: "all", "own" or absent (refused).
EXPECTED = {
    "administrator": {
        C.MANAGE_ORGANISATIONS: "all",
        C.MANAGE_MEMBERS: "all",
        C.VIEW_AUDIT_LOG: "all",
        C.REVIEW_DIRECTORY: "all",
        C.EDIT_DIRECTORY: "all",
        C.HANDLE_DATA_REQUESTS: "own",
        C.MANAGE_VOCABULARIES: "all",
        C.MANAGE_PERSONAS: "all",
    },
    "policy_officer": {
        C.VIEW_AGGREGATES: "all",
        C.REVIEW_DIRECTORY: "all",
        C.MANAGE_PERSONAS: "all",
    },
    "coordinator_a": {
        C.VIEW_CASES: "own",
        C.WORK_ON_CASES: "own",
        C.ASSIGN_CASES: "own",
        C.VIEW_AUDIT_LOG: "own",
        C.HANDLE_DATA_REQUESTS: "own",
        C.MANAGE_MEMBERS: "own",
        C.RECORD_MEASUREMENTS: "own",
    },
    "case_worker_a": {C.VIEW_CASES: "own", C.WORK_ON_CASES: "own", C.RECORD_MEASUREMENTS: "own"},
    "case_worker_b": {C.VIEW_CASES: "own", C.WORK_ON_CASES: "own", C.RECORD_MEASUREMENTS: "own"},
    "provider_editor": {
        C.EDIT_DIRECTORY: "own",
        C.VIEW_REFERRALS: "own",
        C.RECORD_MEASUREMENTS: "own",
    },
    "outsider": {},
}


@pytest.mark.parametrize("person", sorted(EXPECTED))
@pytest.mark.parametrize("capability", list(Capability))
def test_every_role_gets_exactly_its_capabilities(
    request: pytest.FixtureRequest, person: str, capability: Capability
) -> None:
    user: User = request.getfixturevalue(person)
    own_ids = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    expected = EXPECTED[person].get(capability)
    ids = organisation_ids(user, capability)
    if expected == "all":
        assert ids is None
    elif expected == "own":
        assert ids == own_ids
    else:
        assert ids == set()
        assert not has_capability(user, capability)
        with pytest.raises(PermissionDenied):
            require(user, capability)


def test_the_table_names_only_known_roles() -> None:
    assert set(ROLE_CAPABILITIES) == set(Role)


def test_case_worker_sees_only_rows_of_own_organisation(
    case_worker_a: User, welfare_a: Organisation, welfare_b: Organisation
) -> None:
    scoped = scope_queryset(Organisation.objects.all(), case_worker_a, C.VIEW_CASES, field="pk")
    assert list(scoped) == [welfare_a]


def test_case_worker_of_other_organisation_gets_404(
    case_worker_b: User, welfare_a: Organisation
) -> None:
    with pytest.raises(Http404):
        get_scoped_or_404(
            Organisation.objects.all(), case_worker_b, C.VIEW_CASES, field="pk", pk=welfare_a.pk
        )


def test_outsider_scope_is_empty(outsider: User, welfare_a: Organisation) -> None:
    assert not scope_queryset(Organisation.objects.all(), outsider, C.VIEW_CASES, "pk").exists()


def test_anonymous_user_has_no_capability(welfare_a: Organisation) -> None:
    from django.contrib.auth.models import AnonymousUser

    for capability in Capability:
        assert organisation_ids(AnonymousUser(), capability) == set()


def test_global_scope_needs_a_municipality_membership(welfare_a: Organisation) -> None:
    # An administrator of a welfare organisation administers only that organisation.
    user = _person("beheer-welzijn@example.org", welfare_a, Role.ADMINISTRATOR)
    assert organisation_ids(user, C.MANAGE_MEMBERS) == {welfare_a.pk}


def test_membership_of_inactive_organisation_grants_nothing(
    case_worker_a: User, welfare_a: Organisation
) -> None:
    welfare_a.is_active = False
    welfare_a.save()
    fresh = User.objects.get(pk=case_worker_a.pk)
    assert organisation_ids(fresh, C.VIEW_CASES) == set()


def test_inactive_user_has_no_capability(case_worker_a: User) -> None:
    case_worker_a.is_active = False
    case_worker_a.save()
    fresh = User.objects.get(pk=case_worker_a.pk)
    assert not has_capability(fresh, C.VIEW_CASES)


def test_roles_in_two_organisations_add_up(
    welfare_a: Organisation, welfare_b: Organisation
) -> None:
    user = _person("twee@example.org", welfare_a, Role.CASE_WORKER)
    Membership.objects.create(user=user, organisation=welfare_b, role=Role.CASE_WORKER)
    assert organisation_ids(user, C.VIEW_CASES) == {welfare_a.pk, welfare_b.pk}
    assert has_capability(user, C.VIEW_CASES, welfare_b)
    assert not has_capability(user, C.ASSIGN_CASES, welfare_b)


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("administrator", True),
        ("coordinator_a", True),
        ("case_worker_a", True),
        ("policy_officer", False),
        ("provider_editor", True),
        ("outsider", False),
    ],
)
def test_roles_that_see_personal_data_need_mfa(
    request: pytest.FixtureRequest, person: str, expected: bool
) -> None:
    assert needs_mfa(request.getfixturevalue(person)) is expected


@pytest.mark.parametrize(("staff", "superuser"), [(True, False), (False, True), (True, True)])
def test_staff_and_superusers_always_need_mfa(outsider: User, staff: bool, superuser: bool) -> None:
    # They reach the admin and could give themselves any membership.
    outsider.is_staff, outsider.is_superuser = staff, superuser
    assert needs_mfa(outsider) is True


def test_an_anonymous_visitor_needs_no_second_factor() -> None:
    from django.contrib.auth.models import AnonymousUser

    assert needs_mfa(AnonymousUser()) is False


def test_a_capability_can_be_asked_for_an_organisation_by_its_id(
    case_worker_a: User, welfare_a: Organisation, welfare_b: Organisation
) -> None:
    assert has_capability(case_worker_a, C.VIEW_CASES, welfare_a.pk) is True
    assert has_capability(case_worker_a, C.VIEW_CASES, welfare_b.pk) is False


def test_require_refuses_another_organisation(
    case_worker_a: User, welfare_a: Organisation, welfare_b: Organisation
) -> None:
    require(case_worker_a, C.VIEW_CASES, welfare_a)
    with pytest.raises(PermissionDenied):
        require(case_worker_a, C.VIEW_CASES, welfare_b)


def test_get_scoped_or_404_scopes_by_the_organisation_field_by_default(
    case_worker_a: User, welfare_a: Organisation, welfare_b: Organisation
) -> None:
    mine = Membership.objects.get(user=case_worker_a)
    other = _person("ander@example.org", welfare_b, Role.CASE_WORKER).memberships.get()
    assert (
        get_scoped_or_404(Membership.objects.all(), case_worker_a, C.VIEW_CASES, pk=mine.pk) == mine
    )
    with pytest.raises(Http404):
        get_scoped_or_404(Membership.objects.all(), case_worker_a, C.VIEW_CASES, pk=other.pk)


class TestMembersPage:
    url = "/account/leden/"

    def test_anonymous_user_is_sent_to_login(self, client, welfare_a) -> None:  # type: ignore[no-untyped-def]
        response = client.get(self.url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_case_worker_is_refused(self, client, case_worker_a) -> None:  # type: ignore[no-untyped-def]
        client.force_login(case_worker_a)
        assert client.get(self.url).status_code == 403

    def test_coordinator_sees_only_own_organisation(  # type: ignore[no-untyped-def]
        self, client, coordinator_a, case_worker_a, case_worker_b
    ) -> None:
        client.force_login(coordinator_a)
        response = client.get(self.url)
        assert response.status_code == 200
        content = response.content.decode()
        assert case_worker_a.email in content
        assert case_worker_b.email not in content

    def test_administrator_sees_every_organisation(  # type: ignore[no-untyped-def]
        self, client, administrator, case_worker_a, case_worker_b
    ) -> None:
        client.force_login(administrator)
        content = client.get(self.url).content.decode()
        assert case_worker_a.email in content
        assert case_worker_b.email in content


def test_only_active_people_of_active_organisations_are_told_about_work(
    case_worker_a: User, coordinator_a: User, welfare_a: Organisation, welfare_b: Organisation
) -> None:
    from omzien.accounts.permissions import users_with_capability

    assert set(users_with_capability(C.WORK_ON_CASES, welfare_a)) == {case_worker_a, coordinator_a}
    assert set(users_with_capability(C.WORK_ON_CASES, welfare_a.pk)) == {
        case_worker_a,
        coordinator_a,
    }
    assert users_with_capability(C.WORK_ON_CASES, welfare_b) == []
    case_worker_a.is_active = False
    case_worker_a.save(update_fields=["is_active"])
    assert users_with_capability(C.WORK_ON_CASES, welfare_a) == [coordinator_a]
    welfare_a.is_active = False
    welfare_a.save(update_fields=["is_active"])
    assert users_with_capability(C.WORK_ON_CASES, welfare_a) == []


def test_a_new_role_counts_once_the_cached_memberships_are_forgotten(
    outsider: User, welfare_a: Organisation
) -> None:
    from omzien.accounts.permissions import forget_memberships

    assert not has_capability(outsider, C.VIEW_CASES)  # reads and keeps the memberships
    Membership.objects.create(user=outsider, organisation=welfare_a, role=Role.CASE_WORKER)
    assert not has_capability(outsider, C.VIEW_CASES)  # still the kept list
    forget_memberships(outsider)
    assert has_capability(outsider, C.VIEW_CASES, welfare_a)
