"""The case's core: intake of a signal, the state machine with its guards, consent."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

import pytest

from omzien.cases import norms, services
from omzien.cases.models import Case, CaseState, CaseTransition, Signal
from omzien.cases.services import Report, TransitionError
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_a_report_is_stored_with_a_receipt_and_a_deadline(welfare_a):
    case = make_case(welfare_a)
    signal = case.signals.get()
    assert services.RECEIPT_RE.match(signal.receipt)
    assert case.state == CaseState.RECEIVED
    assert case.first_contact_due == norms.first_contact_due(case.received_at)
    assert CaseTransition.objects.filter(case=case, to_state="received").count() == 1


def test_personal_fields_are_not_readable_in_the_database(welfare_a):
    case = make_case(welfare_a, person_name="Geheime Naam")
    with connection.cursor() as cursor:
        cursor.execute("SELECT person_name, person_phone FROM cases_case WHERE id = %s", [case.pk])
        name, phone = cursor.fetchone()
        cursor.execute(
            "SELECT reporter_email, description FROM cases_signal WHERE case_id = %s", [case.pk]
        )
        email, description = cursor.fetchone()
    assert "Geheime" not in name and name.startswith("gAAAA")
    assert "0612" not in phone
    assert "kapper" not in email
    assert "kapper" not in description.lower()
    assert Case.objects.get(pk=case.pk).person_name == "Geheime Naam"


def test_a_report_without_a_way_to_reach_the_person_is_refused(welfare_a):
    with pytest.raises(ValidationError):
        services.submit_report(
            Report(
                source="form",
                reporter_kind="resident",
                person_name="Iemand",
                person_address="Straat 1",
            ),
            organisation=welfare_a,
        )
    assert not Signal.objects.exists()


def test_a_replayed_submission_stores_one_signal(welfare_a):
    first = make_case(welfare_a, submission_key="abc")
    second = make_case(welfare_a, submission_key="abc")
    assert first.pk == second.pk
    assert Signal.objects.count() == 1


def test_unknown_indicators_are_refused(welfare_a):
    with pytest.raises(ValidationError):
        make_case(welfare_a, indicators=["made_up"])


def test_the_case_walks_through_its_states(welfare_a, case_worker_a, coordinator_a):
    case = make_case(welfare_a)
    services.transition(case, CaseState.INTAKE, case_worker_a)
    case.refresh_from_db()
    assert case.assigned_to == case_worker_a
    now = timezone.now()
    services.record_contact_attempt(
        case, case_worker_a, at=now, channel="phone", outcome="no_answer"
    )
    case.refresh_from_db()
    assert case.state == CaseState.INTAKE and case.first_attempt_at == now
    services.record_contact_attempt(case, case_worker_a, at=now, channel="phone", outcome="reached")
    case.refresh_from_db()
    assert case.state == CaseState.CONTACT_MADE
    services.record_conversation(
        case,
        case_worker_a,
        held_at=now,
        text="Goed gesprek.",
        found_indicators=["says_lonely"],
        person_informed=True,
    )
    case.refresh_from_db()
    assert case.state == CaseState.CONVERSATION_HELD
    assert case.found_indicators == ["says_lonely"] and case.person_informed_at == now
    with pytest.raises(TransitionError):  # no consent, no referral
        services.transition(case, CaseState.REFERRED, case_worker_a)
    services.transition(case, CaseState.CLOSED, case_worker_a, reason="no_help_wanted")
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.closed_at is not None
    with pytest.raises(PermissionDenied):  # re-opening is the coordinator's
        services.transition(case, CaseState.INTAKE, case_worker_a)
    services.transition(case, CaseState.INTAKE, coordinator_a)
    case.refresh_from_db()
    assert case.state == CaseState.INTAKE and case.reopened_count == 1 and case.closing_reason == ""


def test_closing_needs_a_reason_and_helped_needs_contact(welfare_a, case_worker_a):
    case = make_case(welfare_a)
    with pytest.raises(TransitionError):
        services.transition(case, CaseState.CLOSED, case_worker_a)
    with pytest.raises(TransitionError):
        services.transition(case, CaseState.CLOSED, case_worker_a, reason="helped")
    with pytest.raises(TransitionError):
        services.transition(case, CaseState.CONVERSATION_HELD, case_worker_a)


def test_another_organisation_cannot_move_the_case(welfare_a, case_worker_b, policy_officer):
    case = make_case(welfare_a)
    for user in (case_worker_b, policy_officer):
        with pytest.raises(PermissionDenied):
            services.transition(case, CaseState.INTAKE, user)
        with pytest.raises(PermissionDenied):
            services.record_contact_attempt(
                case, user, at=timezone.now(), channel="phone", outcome="reached"
            )


def test_closing_removes_the_reporter_details(welfare_a, case_worker_a):
    case = make_case(welfare_a)
    services.transition(case, CaseState.CLOSED, case_worker_a, reason="unfounded")
    signal = case.signals.get()
    assert signal.reporter_email == "" and signal.reporter_name == ""
    assert signal.reporter_details_removed_at is not None
    assert signal.reporter_notified_status == "completed"


def test_dates_in_the_future_are_refused(welfare_a, case_worker_a):
    case = make_case(welfare_a)
    with pytest.raises(ValidationError):
        services.record_contact_attempt(
            case,
            case_worker_a,
            at=timezone.now() + dt.timedelta(days=3),
            channel="phone",
            outcome="reached",
        )


def test_working_days_skip_weekends_and_holidays(settings):
    friday = dt.date(2026, 11, 27)
    assert norms.add_working_days(friday, 1) == dt.date(2026, 11, 30)
    assert norms.add_working_days(friday, 5) == dt.date(2026, 12, 4)
    settings.OMZIEN_HOLIDAYS = ["2026-12-25"]
    assert norms.add_working_days(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 28)


def test_receipt_codes_are_normalised():
    assert services.normalise_receipt(" abcd efgh jk ") == "ABCD-EFGH-JK"
    assert services.normalise_receipt("short") == ""


# --- every change audits in its service ---------------------------------------------------------


def test_each_change_to_a_case_writes_its_audit_event_in_the_service(welfare_a, case_worker_a):
    from omzien.audit.models import AuditEvent

    case = make_case(welfare_a)
    services.take(case, case_worker_a)
    services.triage(case, "high", case_worker_a)
    services.add_note(case, case_worker_a, "Gebeld met de huisarts.")
    actions = list(
        AuditEvent.objects.filter(action="case.update", object_id=str(case.pk))
        .order_by("pk")
        .values_list("details__action", flat=True)
    )
    assert actions == ["take", "triage", "note"]
    assert {e.actor for e in AuditEvent.objects.filter(action="case.update")} == {case_worker_a}


def test_a_refused_change_writes_no_event(welfare_a, case_worker_b):
    from omzien.audit.models import AuditEvent

    case = make_case(welfare_a)
    with pytest.raises(PermissionDenied):
        services.add_note(case, case_worker_b, "Niet van mij.")
    assert not AuditEvent.objects.filter(action="case.update").exists()


def test_an_event_written_by_a_service_during_a_request_keeps_the_clients_address(
    client, welfare_a, case_worker_a
):
    from omzien.audit.models import AuditEvent

    case = make_case(welfare_a)
    client.force_login(case_worker_a)
    client.post(reverse("cases:note", args=[case.pk]), {"text": "Even gebeld."})
    event = AuditEvent.objects.get(action="case.update", details__action="note")
    assert event.ip_address == "127.0.0.1"
    assert event.request_id
