"""What every write to the sociale kaart leaves behind: its history rows (HSDS metadata), exactly
one audit event of its own, and one request to reindex the service, all or nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

import pytest

from omzien.accounts.models import Organisation, User
from omzien.audit.models import AuditEvent
from omzien.directory import geocoding, services
from omzien.directory.models import (
    ChangeRequest,
    Location,
    Metadata,
    Organization,
    Service,
    ServiceAtLocation,
)
from omzien.directory.services.common import kaart_write
from tests.factories import DirectoryOrganizationFactory, ServiceFactory

pytestmark = pytest.mark.django_db

Event = tuple[str, str, str, str, dict[str, Any]]
Row = tuple[str, str, str, str, str, str]


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
        assured_date=timezone.localdate() - datetime.timedelta(days=10),
        assurer_email="eerder@example.org",
    )


@pytest.fixture
def reindexed(monkeypatch: pytest.MonkeyPatch) -> list[list[Any]]:
    import omzien.directory.search

    calls: list[list[Any]] = []
    monkeypatch.setattr(omzien.directory.search, "schedule_reindex", calls.append)
    return calls


def events() -> list[Event]:
    """Each audit event as (action, who, object type, object id, details), oldest first."""
    return [
        (e.action, e.actor_label, e.object_type, e.object_id, e.details)
        for e in AuditEvent.objects.order_by("id")
    ]


def history() -> set[Row]:
    return {
        (
            m.resource_type,
            str(m.resource_id),
            m.last_action_type,
            m.field_name,
            m.previous_value,
            m.replacement_value,
        )
        for m in Metadata.objects.all()
    }


def authors() -> set[str]:
    return set(Metadata.objects.values_list("updated_by", flat=True))


def place(service: Service, author: User) -> Location:
    """A location added before the write under test, with its history and events forgotten."""
    location = services.add_location(
        service,
        services.LocationData(name="Buurthuis", address_1="Dorpsstraat 1", city="Helmond"),
        author,
    )
    Metadata.objects.all().delete()
    return location


def test_creating_a_service(
    directory_org: Organization, provider_editor: User, reindexed: list[list[Any]]
) -> None:
    created = services.create_service(
        directory_org,
        services.ServiceData(
            name="Taalcafé",
            description="Nederlands oefenen.",
            locations=[
                services.LocationData(name="Bibliotheek", address_1="Markt 1", city="Helmond")
            ],
        ),
        provider_editor,
    )
    location = Location.objects.get()
    address = location.addresses.get()
    sid = str(created.id)
    assert events() == [
        ("directory.service.create", provider_editor.email, "directory.service", sid, {})
    ]
    assert history() == {
        ("service", sid, "create", "name", "", "Taalcafé"),
        ("service", sid, "create", "status", "", "actief"),
        ("service", sid, "create", "description", "", "Nederlands oefenen."),
        ("service", sid, "create", "service_areas", "", "Gemeente Helmond"),
        ("service", sid, "update", "service_at_locations", "", "Bibliotheek – Markt 1, Helmond"),
        ("location", str(location.id), "create", "name", "", "Bibliotheek"),
        ("address", str(address.id), "create", "address_1", "", "Markt 1"),
        ("address", str(address.id), "create", "city", "", "Helmond"),
    }
    assert (created.assured_date, created.assurer_email) == (
        timezone.localdate(),
        provider_editor.email,
    )
    assert authors() == {provider_editor.email}
    assert reindexed == [[created.id]]


def test_updating_a_service(
    service: Service, provider_editor: User, reindexed: list[list[Any]]
) -> None:
    data = services.service_data(service)
    data.name = "Koffie en taart"
    data.minimum_age = 55
    changed = services.update_service(service, data, provider_editor)
    sid = str(service.id)
    assert changed == ["minimum_age", "name"]
    assert events() == [
        (
            "directory.service.update",
            provider_editor.email,
            "directory.service",
            sid,
            {"fields": ["minimum_age", "name"]},
        )
    ]
    assert history() == {
        ("service", sid, "update", "name", "Koffieochtend", "Koffie en taart"),
        ("service", sid, "update", "minimum_age", "", "55"),
        (
            "service",
            sid,
            "verify",
            "assured_date",
            str(timezone.localdate() - datetime.timedelta(days=10)),
            str(timezone.localdate()),
        ),
        ("service", sid, "verify", "assurer_email", "eerder@example.org", provider_editor.email),
    }
    assert reindexed == [[service.id]]


def test_an_update_that_changes_nothing_is_still_audited_and_reindexed(
    service: Service, provider_editor: User, reindexed: list[list[Any]]
) -> None:
    services.update_service(service, services.service_data(service), provider_editor, assure=False)
    sid = str(service.id)
    assert events() == [
        (
            "directory.service.update",
            provider_editor.email,
            "directory.service",
            sid,
            {"fields": []},
        )
    ]
    assert history() == set()
    assert reindexed == [[service.id]]


def test_verifying_a_service_twice_keeps_a_row_for_each_check(
    service: Service, provider_editor: User, reindexed: list[list[Any]]
) -> None:
    services.verify_service(service, provider_editor)
    services.verify_service(service, provider_editor)
    sid = str(service.id)
    today = str(timezone.localdate())
    verify = ("directory.service.verify", provider_editor.email, "directory.service", sid, {})
    assert events() == [verify, verify]
    assert history() == {
        (
            "service",
            sid,
            "verify",
            "assured_date",
            str(timezone.localdate() - datetime.timedelta(days=10)),
            today,
        ),
        ("service", sid, "verify", "assurer_email", "eerder@example.org", provider_editor.email),
        ("service", sid, "verify", "assured_date", today, today),
    }
    assert reindexed == [[service.id], [service.id]]


def test_adding_a_location(
    service: Service, provider_editor: User, reindexed: list[list[Any]]
) -> None:
    before = service.last_modified
    location = services.add_location(
        service,
        services.LocationData(name="Buurthuis", address_1="Dorpsstraat 1", city="Helmond"),
        provider_editor,
    )
    address = location.addresses.get()
    sid = str(service.id)
    assert events() == [
        (
            "directory.location.create",
            provider_editor.email,
            "directory.location",
            str(location.id),
            {"service": sid},
        )
    ]
    assert history() == {
        ("location", str(location.id), "create", "name", "", "Buurthuis"),
        ("address", str(address.id), "create", "address_1", "", "Dorpsstraat 1"),
        ("address", str(address.id), "create", "city", "", "Helmond"),
        (
            "service",
            sid,
            "update",
            "service_at_locations",
            "",
            "Buurthuis – Dorpsstraat 1, Helmond",
        ),
    }
    service.refresh_from_db()
    assert service.last_modified > before
    assert reindexed == [[service.id]]


def test_updating_a_location(
    service: Service, provider_editor: User, reindexed: list[list[Any]]
) -> None:
    location = place(service, provider_editor)
    already = len(events())
    reindexed.clear()
    service.refresh_from_db()
    before = service.last_modified
    data = services.location_data(location)
    data.city = "Eindhoven"
    changed = services.update_location(service, location, data, provider_editor)
    address = location.addresses.get()
    sid = str(service.id)
    assert changed == ["city"]
    assert events()[already:] == [
        (
            "directory.location.update",
            provider_editor.email,
            "directory.location",
            str(location.id),
            {"service": sid, "fields": ["city"]},
        )
    ]
    assert history() == {
        ("address", str(address.id), "update", "city", "Helmond", "Eindhoven"),
        (
            "service",
            sid,
            "update",
            "service_at_locations",
            "Buurthuis – Dorpsstraat 1, Helmond",
            "Buurthuis – Dorpsstraat 1, Eindhoven",
        ),
    }
    service.refresh_from_db()
    assert service.last_modified > before
    assert reindexed == [[service.id]]


def test_an_unchanged_location_is_audited_and_reindexed_but_not_touched(
    service: Service, provider_editor: User, reindexed: list[list[Any]]
) -> None:
    location = place(service, provider_editor)
    already = len(events())
    reindexed.clear()
    service.refresh_from_db()
    before = service.last_modified
    changed = services.update_location(
        service, location, services.location_data(location), provider_editor
    )
    assert changed == []
    assert events()[already:] == [
        (
            "directory.location.update",
            provider_editor.email,
            "directory.location",
            str(location.id),
            {"service": str(service.id), "fields": []},
        )
    ]
    assert history() == set()
    service.refresh_from_db()
    assert service.last_modified == before
    assert reindexed == [[service.id]]


def test_removing_the_last_use_of_a_location_deletes_it(
    service: Service, provider_editor: User, administrator: User, reindexed: list[list[Any]]
) -> None:
    location = place(service, provider_editor)
    location_id = str(location.id)
    already = len(events())
    reindexed.clear()
    services.remove_location(service, location, provider_editor, actor=administrator)
    sid = str(service.id)
    assert not Location.objects.filter(id=location_id).exists()
    assert events()[already:] == [
        (
            "directory.location.remove",
            administrator.email,
            "directory.location",
            location_id,
            {"service": sid},
        )
    ]
    assert history() == {
        ("location", location_id, "delete", "name", "Buurthuis", ""),
        ("location", location_id, "delete", "address_1", "Dorpsstraat 1", ""),
        ("location", location_id, "delete", "city", "Helmond", ""),
        (
            "service",
            sid,
            "update",
            "service_at_locations",
            "Buurthuis – Dorpsstraat 1, Helmond",
            "",
        ),
    }
    # The history names who wrote the change, the audit log who made it happen.
    assert authors() == {provider_editor.email}
    assert reindexed == [[service.id]]


def test_removing_a_location_another_service_uses_only_unlinks_it(
    service: Service, provider_editor: User, reindexed: list[list[Any]]
) -> None:
    location = place(service, provider_editor)
    other = ServiceFactory(organization=service.organization)
    ServiceAtLocation.objects.create(service=other, location=location)
    reindexed.clear()
    services.remove_location(service, location, provider_editor)
    assert Location.objects.filter(id=location.id).exists()
    assert {row[0] for row in history()} == {"service"}
    assert events()[-1][:4] == (
        "directory.location.remove",
        provider_editor.email,
        "directory.location",
        str(location.id),
    )
    assert reindexed == [[service.id]]


def test_a_write_that_fails_leaves_no_history_no_event_and_no_reindex(
    monkeypatch: pytest.MonkeyPatch,
    service: Service,
    provider_editor: User,
    reindexed: list[list[Any]],
) -> None:
    def broken(location: Location) -> None:
        raise RuntimeError("geocoder down")

    monkeypatch.setattr(geocoding, "geocode_later", broken)
    before = service.last_modified
    with pytest.raises(RuntimeError):
        services.add_location(service, services.LocationData(name="Buurthuis"), provider_editor)
    assert events() == []
    assert history() == set()
    assert not Location.objects.exists()
    service.refresh_from_db()
    assert service.last_modified == before
    assert reindexed == []


def test_a_proposal_is_audited_and_changes_nothing(
    service: Service, provider_editor: User, reindexed: list[list[Any]]
) -> None:
    data = services.service_data(service)
    data.name = "Koffie en taart"
    result = services.save_service(
        user=provider_editor, organization=service.organization, data=data, service=service
    )
    assert result.change_request is not None
    assert events() == [
        (
            "directory.change_request.submit",
            provider_editor.email,
            "directory.changerequest",
            str(result.change_request.pk),
            {"kind": "service", "service": str(service.id)},
        )
    ]
    assert history() == set()
    assert reindexed == []


def test_approving_a_proposal_records_the_write_then_the_review(
    service: Service, provider_editor: User, policy_officer: User, reindexed: list[list[Any]]
) -> None:
    data = services.service_data(service)
    data.name = "Koffie en taart"
    proposal = services.save_service(
        user=provider_editor, organization=service.organization, data=data, service=service
    ).change_request
    assert proposal is not None
    already = len(events())
    services.approve_change_request(proposal, policy_officer)
    sid = str(service.id)
    assert events()[already:] == [
        (
            "directory.service.update",
            policy_officer.email,
            "directory.service",
            sid,
            {"fields": ["name"]},
        ),
        (
            "directory.change_request.approve",
            policy_officer.email,
            "directory.changerequest",
            str(proposal.pk),
            {"kind": "service"},
        ),
    ]
    assert ("service", sid, "update", "name", "Koffieochtend", "Koffie en taart") in history()
    assert authors() == {provider_editor.email}
    assert reindexed == [[service.id]]


def test_approving_a_removal_records_the_removal_then_the_review(
    service: Service, provider_editor: User, policy_officer: User, reindexed: list[list[Any]]
) -> None:
    location = place(service, policy_officer)
    location_id = str(location.id)
    reindexed.clear()
    proposal = services.unlink_location(
        user=provider_editor, service=service, location=location
    ).change_request
    assert proposal is not None
    already = len(events())
    services.approve_change_request(proposal, policy_officer)
    assert [e[:4] for e in events()[already:]] == [
        ("directory.location.remove", policy_officer.email, "directory.location", location_id),
        (
            "directory.change_request.approve",
            policy_officer.email,
            "directory.changerequest",
            str(proposal.pk),
        ),
    ]
    assert events()[-1][4] == {"kind": "location_removal"}
    assert authors() == {provider_editor.email}
    assert reindexed == [[service.id]]


def test_rejecting_a_proposal_is_audited_and_changes_nothing(
    service: Service, provider_editor: User, policy_officer: User, reindexed: list[list[Any]]
) -> None:
    data = services.service_data(service)
    data.name = "Koffie en taart"
    proposal = services.save_service(
        user=provider_editor, organization=service.organization, data=data, service=service
    ).change_request
    assert proposal is not None
    services.reject_change_request(proposal, policy_officer, "Die naam bestaat al.")
    assert events()[-1] == (
        "directory.change_request.reject",
        policy_officer.email,
        "directory.changerequest",
        str(proposal.pk),
        {"kind": "service"},
    )
    assert ChangeRequest.objects.get().status == ChangeRequest.Status.REJECTED
    assert history() == set()
    assert reindexed == []


def test_trusting_a_provider_keeps_a_history_row_only_when_it_changes(
    directory_org: Organization, administrator: User, reindexed: list[list[Any]]
) -> None:
    services.set_organization_trust(directory_org, True, administrator)
    services.set_organization_trust(directory_org, True, administrator)
    oid = str(directory_org.id)
    trust = (
        "directory.organization.trust",
        administrator.email,
        "directory.organization",
        oid,
        {"trusted": True},
    )
    assert events() == [trust, trust]
    assert history() == {("organization", oid, "update", "is_trusted", "False", "True")}
    assert reindexed == []


def test_a_write_that_never_says_what_it_is_about_is_refused_and_rolled_back(
    service: Service, provider_editor: User, reindexed: list[list[Any]]
) -> None:
    with (
        pytest.raises(RuntimeError),
        kaart_write("directory.service.update", actor=provider_editor) as write,
    ):
        write.log("service", service.id, "update", {"name": ("Koffieochtend", "Koffie")})
        write.reindex(service)
    assert events() == []
    assert history() == set()
    assert reindexed == []
