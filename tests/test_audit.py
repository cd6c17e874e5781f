from __future__ import annotations

from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

import pytest

from omzien.accounts.models import Organisation, User
from omzien.audit.admin import AuditEventAdmin
from omzien.audit.models import AppendOnlyError, AuditEvent
from omzien.audit.services import record_event
from omzien.core.net import client_ip


@pytest.fixture
def event(case_worker_a: User, welfare_a: Organisation) -> AuditEvent:
    return record_event(
        "case.view", actor=case_worker_a, organisation=welfare_a, object_type="case", object_id=7
    )


def test_it_records_actor_organisation_object_and_time(
    event: AuditEvent, case_worker_a: User, welfare_a: Organisation
) -> None:
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == case_worker_a
    assert stored.actor_label == case_worker_a.email
    assert stored.organisation == welfare_a
    assert (stored.action, stored.object_type, stored.object_id) == ("case.view", "case", "7")
    assert stored.timestamp is not None


def test_it_takes_actor_ip_and_request_id_from_the_request(case_worker_a: User) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10")
    request.user = case_worker_a
    request.request_id = "abcdef0123456789"
    stored = record_event("case.export", request=request, obj=case_worker_a)
    assert stored.actor == case_worker_a
    assert stored.ip_address == "192.0.2.10"
    assert stored.request_id == "abcdef0123456789"
    assert stored.object_type == "accounts.user"
    assert stored.object_id == str(case_worker_a.pk)


def test_forwarded_for_counts_only_behind_configured_proxies(settings) -> None:  # type: ignore[no-untyped-def]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5"
    )
    settings.OMZIEN_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.OMZIEN_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.5"


def test_it_refuses_to_save_a_changed_event(event: AuditEvent) -> None:
    event.action = "case.nothing"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_it_refuses_to_delete_an_event(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_it_refuses_bulk_update_and_delete(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'tampered'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_the_database_refuses_changes_even_in_raw_sql(event: AuditEvent, sql: str) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.get(pk=event.pk).action == "case.view"


def test_deleting_a_user_leaves_history_alone(event: AuditEvent, case_worker_a: User) -> None:
    user_id = case_worker_a.pk
    case_worker_a.delete()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_id == user_id
    assert stored.actor_label == "consulent-a@example.org"


def test_admin_is_read_only(event: AuditEvent, administrator: User) -> None:
    admin = AuditEventAdmin(AuditEvent, site)
    request = RequestFactory().get("/admin/")
    request.user = administrator
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, event)
    assert not admin.has_delete_permission(request, event)


class TestAuditPage:
    url = "/beheer/audit/"

    def test_case_worker_is_refused(self, client, case_worker_a) -> None:  # type: ignore[no-untyped-def]
        client.force_login(case_worker_a)
        assert client.get(self.url).status_code == 403

    def test_policy_officer_is_refused(self, client, policy_officer) -> None:  # type: ignore[no-untyped-def]
        client.force_login(policy_officer)
        assert client.get(self.url).status_code == 403

    def test_coordinator_sees_events_of_own_organisation_only(  # type: ignore[no-untyped-def]
        self, client, coordinator_a, welfare_a, welfare_b, case_worker_b
    ) -> None:
        record_event("case.view", actor=coordinator_a, organisation=welfare_a, object_id="a-1")
        record_event("case.view", actor=case_worker_b, organisation=welfare_b, object_id="b-1")
        client.force_login(coordinator_a)
        content = client.get(self.url).content.decode()
        assert "a-1" in content
        assert "b-1" not in content

    def test_reading_the_log_is_itself_logged(self, client, administrator) -> None:  # type: ignore[no-untyped-def]
        client.force_login(administrator)
        client.get(self.url, {"object_type": "case"})
        assert AuditEvent.objects.filter(action="audit.view", actor=administrator).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_trigger_also_holds_outside_a_test_transaction(welfare_a: Organisation) -> None:
    stored = record_event("case.view", organisation=welfare_a, object_id="t-1")
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=stored.pk).exists()
