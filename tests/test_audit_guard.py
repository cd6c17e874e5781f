"""The guard in tests/audit_guard.py notices a POST that writes without an audit event."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

import pytest

from omzien.cases import services
from tests.audit_guard import unaudited_write, watching
from tests.factories import make_case


@pytest.mark.unaudited_writes_allowed  # the point of this test
def test_a_post_that_writes_without_an_audit_event_is_noticed(
    client: Client, welfare_a, case_worker_a, monkeypatch
) -> None:
    case = make_case(welfare_a)
    client.force_login(case_worker_a)
    monkeypatch.setattr(services, "record_event", lambda *args, **kwargs: None)
    with watching() as watch:
        client.post(reverse("cases:note", args=[case.pk]), {"text": "Even gebeld."})
    assert "cases_casenote" in unaudited_write(watch)


def test_a_post_that_writes_and_audits_passes(client: Client, welfare_a, case_worker_a) -> None:
    case = make_case(welfare_a)
    client.force_login(case_worker_a)
    with watching() as watch:
        client.post(reverse("cases:note", args=[case.pk]), {"text": "Even gebeld."})
    assert watch.written and watch.audited
    assert unaudited_write(watch) == ""


def test_an_admin_change_is_audited(client: Client, administrator) -> None:
    from omzien.accounts.models import Organisation
    from omzien.audit.models import AuditEvent

    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    response = client.post(
        "/admin/accounts/organisation/add/",
        {
            "name": "Buurthuis De Brug",
            "type": "provider",
            "domain": "care_welfare",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content[:1500]
    organisation = Organisation.objects.get(name="Buurthuis De Brug")
    event = AuditEvent.objects.get(action="admin.add")
    assert event.actor == administrator
    assert event.object_type == "accounts.organisation"
    assert event.object_id == str(organisation.pk)
