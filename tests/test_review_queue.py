"""The municipality's review queue for untrusted providers, and who may mark a provider trusted."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from omzien.accounts.models import Organisation, User
from omzien.accounts.roles import OrganisationType, Role
from omzien.audit.models import AuditEvent
from omzien.directory import services
from omzien.directory.models import (
    ChangeRequest,
    Location,
    Metadata,
    Organization,
    Service,
    ServiceAtLocation,
)
from tests.conftest import _person
from tests.factories import DirectoryOrganizationFactory, OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db

OnCommit = Callable[..., Any]


@pytest.fixture
def directory_org(provider_org: Organisation) -> Organization:
    return DirectoryOrganizationFactory(name="Stichting Samen", owner=provider_org)


@pytest.fixture
def service(directory_org: Organization) -> Service:
    return ServiceFactory(
        organization=directory_org,
        name="Koffieochtend",
        slug="koffieochtend",
        description="Samen koffie drinken.",
        assured_date=timezone.localdate() - datetime.timedelta(days=300),
    )


def url(name: str, *args: Any) -> str:
    return reverse(f"directory_manage:{name}", args=args)


def propose(service: Service, user: User, **changes: Any) -> ChangeRequest:
    data = services.service_data(service)
    for key, value in changes.items():
        setattr(data, key, value)
    assert service.organization is not None
    result = services.save_service(
        user=user, organization=service.organization, data=data, service=service
    )
    assert result.change_request is not None
    return result.change_request


@pytest.fixture
def proposal(service: Service, provider_editor: User) -> ChangeRequest:
    return propose(service, provider_editor, name="Koffie en taart", minimum_age=55)


# --- Who may review ------------------------------------------------------------------------------


@pytest.mark.parametrize("reviewer", ["administrator", "policy_officer"])
def test_municipal_editors_see_the_queue_and_the_proposal(
    client: Client, request: pytest.FixtureRequest, proposal: ChangeRequest, reviewer: str
) -> None:
    client.force_login(request.getfixturevalue(reviewer))
    queue = client.get(url("review_queue"))
    assert queue.status_code == 200
    assert "Wijziging van Koffieochtend" in queue.content.decode()
    assert client.get(url("change_request", proposal.pk)).status_code == 200


@pytest.mark.parametrize(
    "person", ["provider_editor", "case_worker_a", "case_worker_b", "coordinator_a", "outsider"]
)
def test_others_may_not_review(
    client: Client, request: pytest.FixtureRequest, proposal: ChangeRequest, person: str
) -> None:
    client.force_login(request.getfixturevalue(person))
    assert client.get(url("review_queue")).status_code == 403
    assert client.get(url("change_request", proposal.pk)).status_code == 403
    assert client.post(url("change_request_approve", proposal.pk)).status_code == 403
    assert (
        client.post(url("change_request_reject", proposal.pk), {"reason": "x"}).status_code == 403
    )
    proposal.refresh_from_db()
    assert proposal.status == ChangeRequest.Status.PENDING


def test_anonymous_visitors_are_sent_to_log_in(client: Client, proposal: ChangeRequest) -> None:
    for target in (url("review_queue"), url("change_request", proposal.pk)):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_an_unknown_proposal_answers_404(client: Client, policy_officer: User) -> None:
    client.force_login(policy_officer)
    assert client.get(url("change_request", 999999)).status_code == 404


def test_approving_needs_a_post(
    client: Client, policy_officer: User, proposal: ChangeRequest
) -> None:
    client.force_login(policy_officer)
    assert client.get(url("change_request_approve", proposal.pk)).status_code == 405


# --- The diff -------------------------------------------------------------------------------------


def test_the_proposal_shows_old_and_new_field_by_field(
    client: Client, policy_officer: User, proposal: ChangeRequest
) -> None:
    client.force_login(policy_officer)
    content = client.get(url("change_request", proposal.pk)).content.decode()
    assert "<del>Koffieochtend</del>" in content
    assert "<ins>Koffie en taart</ins>" in content
    assert "<ins>55</ins>" in content
    # Unchanged fields are left out, so the reviewer sees only what changes.
    assert "Samen koffie drinken." not in content


def test_describe_lists_only_the_changed_fields(proposal: ChangeRequest) -> None:
    changes = {c.field: (c.old, c.new) for c in services.describe_change_request(proposal)}
    assert changes == {"name": ("Koffieochtend", "Koffie en taart"), "minimum_age": ("", "55")}


# --- Approve ------------------------------------------------------------------------------------


def test_approving_puts_the_change_on_the_kaart_and_tells_the_provider(
    client: Client,
    policy_officer: User,
    provider_editor: User,
    service: Service,
    proposal: ChangeRequest,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    client.force_login(policy_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("change_request_approve", proposal.pk))
    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.name, service.minimum_age) == ("Koffie en taart", 55)
    # Writing the change counts as the provider checking it.
    assert service.assured_date == timezone.localdate()
    assert service.assurer_email == provider_editor.email
    proposal.refresh_from_db()
    assert proposal.status == ChangeRequest.Status.APPROVED
    assert proposal.reviewed_by == policy_officer
    assert proposal.reviewed_at is not None
    # The history names the provider who wrote it; the audit log the reviewer who approved it.
    name = Metadata.objects.get(resource_id=service.pk, field_name="name")
    assert name.updated_by == provider_editor.email
    approve = AuditEvent.objects.get(action="directory.change_request.approve")
    assert approve.actor == policy_officer
    assert AuditEvent.objects.get(action="directory.service.update").actor == policy_officer
    assert [m.to for m in mail.outbox] == [[provider_editor.email]]
    assert "staat op de sociale kaart" in mail.outbox[0].subject


def test_approving_a_new_service_creates_it(
    directory_org: Organization,
    provider_editor: User,
    administrator: User,
) -> None:
    result = services.save_service(
        user=provider_editor,
        organization=directory_org,
        data=services.ServiceData(name="Taalcafé", description="Nederlands oefenen."),
    )
    assert result.change_request is not None
    assert not Service.objects.filter(name="Taalcafé").exists()
    services.approve_change_request(result.change_request, administrator)
    created = Service.objects.get(name="Taalcafé")
    assert created.organization == directory_org
    assert created.slug == "taalcafe"
    result.change_request.refresh_from_db()
    assert result.change_request.service == created


def test_approving_location_proposals_applies_them(
    service: Service, provider_editor: User, policy_officer: User
) -> None:
    added = services.save_location(
        user=provider_editor,
        service=service,
        data=services.LocationData(
            name="Buurthuis",
            address_1="Markt 1",
            postal_code="5701AB",
            city="Helmond",
            state_province="Noord-Brabant",
        ),
    )
    assert added.change_request is not None
    assert not Location.objects.exists()
    services.approve_change_request(added.change_request, policy_officer)
    location = ServiceAtLocation.objects.get(service=service).location
    removal = services.unlink_location(user=provider_editor, service=service, location=location)
    assert removal.change_request is not None
    assert ServiceAtLocation.objects.filter(service=service).exists()
    services.approve_change_request(removal.change_request, policy_officer)
    assert not ServiceAtLocation.objects.filter(service=service).exists()


def test_a_proposal_is_judged_once(
    client: Client, policy_officer: User, administrator: User, proposal: ChangeRequest
) -> None:
    services.approve_change_request(proposal, administrator)
    client.force_login(policy_officer)
    response = client.post(url("change_request_approve", proposal.pk), follow=True)
    assert "al beoordeeld" in response.content.decode()
    response = client.post(url("change_request_reject", proposal.pk), {"reason": "Nee"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ChangeRequest.Status.APPROVED
    assert proposal.reviewed_by == administrator


# --- Reject -------------------------------------------------------------------------------------


def test_rejecting_needs_a_reason(
    client: Client, policy_officer: User, proposal: ChangeRequest
) -> None:
    client.force_login(policy_officer)
    response = client.post(url("change_request_reject", proposal.pk), {"reason": "  "})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Schrijf op waarom. De aanbieder leest dit." in content
    assert 'href="#id_reason"' in content
    proposal.refresh_from_db()
    assert proposal.status == ChangeRequest.Status.PENDING


def test_rejecting_keeps_the_kaart_and_the_provider_reads_why(
    client: Client,
    policy_officer: User,
    provider_editor: User,
    service: Service,
    proposal: ChangeRequest,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    client.force_login(policy_officer)
    reason = "De leeftijd klopt niet met de folder."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("change_request_reject", proposal.pk), {"reason": reason})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.name == "Koffieochtend"
    proposal.refresh_from_db()
    assert proposal.status == ChangeRequest.Status.REJECTED
    assert proposal.review_note == reason
    assert proposal.reviewed_by == policy_officer
    assert reason in mail.outbox[0].body
    client.force_login(provider_editor)
    dashboard = client.get(url("dashboard")).content.decode()
    assert "Afgewezen" in dashboard
    assert reason in dashboard


def test_the_provider_sees_waiting_and_approved_proposals(
    client: Client,
    provider_editor: User,
    administrator: User,
    proposal: ChangeRequest,
) -> None:
    client.force_login(provider_editor)
    assert "Wacht op beoordeling" in client.get(url("dashboard")).content.decode()
    services.approve_change_request(proposal, administrator)
    assert "Goedgekeurd" in client.get(url("dashboard")).content.decode()


# --- Trust --------------------------------------------------------------------------------------


def test_administrator_marks_a_provider_trusted_and_its_edits_go_live(
    client: Client,
    administrator: User,
    provider_editor: User,
    directory_org: Organization,
    service: Service,
) -> None:
    client.force_login(administrator)
    assert "Stichting Samen" in client.get(url("organizations")).content.decode()
    response = client.post(url("organization_trust", directory_org.pk), {"trusted": "1"})
    assert response.status_code == 302
    directory_org.refresh_from_db()
    assert directory_org.is_trusted
    row = Metadata.objects.get(resource_id=directory_org.pk, field_name="is_trusted")
    assert (row.previous_value, row.replacement_value) == ("False", "True")
    assert AuditEvent.objects.filter(action="directory.organization.trust").exists()
    data = services.service_data(service)
    data.name = "Direct live"
    result = services.save_service(
        user=provider_editor, organization=directory_org, data=data, service=service
    )
    assert result.is_live
    service.refresh_from_db()
    assert service.name == "Direct live"
    client.post(url("organization_trust", directory_org.pk), {"trusted": "0"})
    directory_org.refresh_from_db()
    assert not directory_org.is_trusted


@pytest.mark.parametrize(
    "person", ["policy_officer", "provider_editor", "case_worker_a", "outsider"]
)
def test_only_administrators_decide_about_trust(
    client: Client, request: pytest.FixtureRequest, directory_org: Organization, person: str
) -> None:
    client.force_login(request.getfixturevalue(person))
    assert client.get(url("organizations")).status_code == 403
    assert (
        client.post(url("organization_trust", directory_org.pk), {"trusted": "1"}).status_code
        == 403
    )
    directory_org.refresh_from_db()
    assert not directory_org.is_trusted


def test_an_administrator_of_another_organisation_type_has_no_global_trust_rights(
    client: Client, directory_org: Organization
) -> None:
    # An administrator role held outside the municipality only counts in its own organisation.
    welfare = OrganisationFactory(name="Welzijn X", type=OrganisationType.WELFARE)
    local_admin = _person("lokaal@example.org", welfare, Role.ADMINISTRATOR)
    client.force_login(local_admin)
    response = client.post(url("organization_trust", directory_org.pk), {"trusted": "1"})
    assert response.status_code == 404
    directory_org.refresh_from_db()
    assert not directory_org.is_trusted


def test_a_location_proposal_shows_the_address_to_review(
    client: Client, service: Service, provider_editor: User, policy_officer: User
) -> None:
    result = services.save_location(
        user=provider_editor,
        service=service,
        data=services.LocationData(
            address_1="Markt 1", postal_code="5701AB", city="Helmond", state_province="Limburg"
        ),
    )
    assert result.change_request is not None
    client.force_login(policy_officer)
    content = client.get(url("change_request", result.change_request.pk)).content.decode()
    assert "Nieuwe locatie bij Koffieochtend" in content
    assert "<ins>Markt 1</ins>" in content


def test_a_new_service_proposal_shows_what_was_filled_in(
    client: Client, directory_org: Organization, provider_editor: User, policy_officer: User
) -> None:
    result = services.save_service(
        user=provider_editor,
        organization=directory_org,
        data=services.ServiceData(name="Taalcafé", languages=["nl", "ar"]),
    )
    assert result.change_request is not None
    client.force_login(policy_officer)
    content = client.get(url("change_request", result.change_request.pk)).content.decode()
    assert "Nieuwe dienst: Taalcafé" in content
    assert "<ins>Arabisch, Nederlands</ins>" in content
