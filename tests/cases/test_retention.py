"""Retention (ADR 0006): what is due is anonymised, and nothing else is touched."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

import pytest

from omzien.audit.models import AuditEvent
from omzien.cases import retention, services
from omzien.cases.models import (
    Case,
    CaseNote,
    CaseState,
    Consent,
    ContactAttempt,
    Referral,
    ReferralStatus,
    Signal,
)
from tests.factories import make_case

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
PERSON = "Fictieve Persoon"


def build_full_case(organisation, worker, **fields):  # type: ignore[no-untyped-def]
    """A case with something in every personal field: signal, attempts, notes, consent,
    a finished referral."""
    case = make_case(organisation, person_email="persoon@example.org", **fields)
    now = timezone.now()
    services.record_contact_attempt(
        case, worker, at=now, channel="phone", outcome="no_answer", note="Voicemail van Fictieve"
    )
    services.record_contact_attempt(case, worker, at=now, channel="visit", outcome="reached")
    case.refresh_from_db()
    services.record_conversation(
        case,
        worker,
        held_at=now,
        text="Gesprek met Fictieve Persoon over de buren.",
        found_indicators=["says_lonely"],
        person_informed=True,
    )
    case.refresh_from_db()
    services.add_note(case, worker, "Dochter woont in Eindhoven.")
    consent = services.record_consent(
        case,
        worker,
        given_at=now,
        method="verbal",
        scope="Delen met het buurthuis",
        share_with_providers=True,
    )
    Referral.objects.create(
        case=case,
        service_name="Koffieochtend",
        consent=consent,
        recipient_email="buurthuis@example.org",
        token_hash="a" * 64,
        shared_name=PERSON,
        shared_phone="0612345678",
        shared_email="persoon@example.org",
        message="Mevrouw wil graag koffie drinken.",
        status=ReferralStatus.COMPLETED,
        expires_at=now + dt.timedelta(days=14),
        decline_note="",
    )
    case.refresh_from_db()
    return case


def close(case, actor, reason, closed_at):  # type: ignore[no-untyped-def]
    services.transition(case, CaseState.CLOSED, actor, reason=reason)
    Case.objects.filter(pk=case.pk).update(closed_at=closed_at)
    case.refresh_from_db()
    return case


def raw_row(table: str, columns: list[str], where: str, value: int) -> tuple:  # type: ignore[type-arg]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE {where} = %s", [value])  # noqa: S608
        return cursor.fetchone()


def raw_rows(table: str, columns: list[str], where: str, value: int) -> list[tuple]:  # type: ignore[type-arg]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE {where} = %s", [value])  # noqa: S608
        return cursor.fetchall()


def assert_intact(case: Case) -> None:
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.anonymised_at is None
    assert fresh.person_name == PERSON
    assert fresh.person_lookup != ""
    assert fresh.signals.get().description.startswith("Mevrouw")


# --- the clock ---------------------------------------------------------------------------------


def test_months_are_calendar_months_with_the_last_day_when_the_month_is_short():
    def at(y: int, m: int, d: int) -> dt.datetime:
        return dt.datetime(y, m, d, 10, 0, tzinfo=AMS)

    assert retention.add_months(at(2026, 5, 31), 3) == at(2026, 8, 31)
    assert retention.add_months(at(2025, 11, 30), 3) == at(2026, 2, 28)
    assert retention.add_months(at(2027, 11, 30), 3) == at(2028, 2, 29)
    assert retention.add_months(at(2026, 3, 31), -1) == at(2026, 2, 28)
    assert retention.add_months(at(2026, 1, 15), -12) == at(2025, 1, 15)
    assert retention.add_months(at(2026, 10, 15), 3) == at(2027, 1, 15)


def test_a_no_contact_case_is_due_the_day_after_three_months_not_the_day_before(
    welfare_a, case_worker_a
):
    closed_at = dt.datetime(2026, 1, 15, 10, 0, tzinfo=AMS)
    case = close(make_case(welfare_a), case_worker_a, "unreachable", closed_at)
    assert retention.anonymise_due_on(case) == dt.datetime(2026, 4, 15, 10, 0, tzinfo=AMS)

    day_before = dt.datetime(2026, 4, 14, 10, 0, tzinfo=AMS)
    assert retention.apply_retention(now=day_before).anonymised == 0
    assert_intact(case)

    day_after = dt.datetime(2026, 4, 16, 10, 0, tzinfo=AMS)
    result = retention.apply_retention(now=day_after)
    assert result.anonymised_no_contact == 1 and result.anonymised_closed == 0
    assert Case.objects.get(pk=case.pk).anonymised_at == day_after


def test_other_closed_cases_are_due_after_twelve_months(welfare_a, case_worker_a, settings):
    settings.OMZIEN_RETENTION_CLOSED_MONTHS = 12
    closed_at = dt.datetime(2025, 3, 10, 9, 0, tzinfo=AMS)
    case = close(make_case(welfare_a), case_worker_a, "no_help_wanted", closed_at)
    # After three months a case with another reason is not due yet.
    assert retention.apply_retention(now=dt.datetime(2025, 7, 1, tzinfo=AMS)).anonymised == 0
    assert retention.apply_retention(now=dt.datetime(2026, 3, 9, 9, 0, tzinfo=AMS)).anonymised == 0
    assert Case.objects.get(pk=case.pk).anonymised_at is None
    result = retention.apply_retention(now=dt.datetime(2026, 3, 11, 9, 0, tzinfo=AMS))
    assert result.anonymised_closed == 1
    assert result.anonymised_case_ids == [case.pk]


def test_the_periods_are_configurable(welfare_a, case_worker_a, settings):
    settings.OMZIEN_RETENTION_CLOSED_MONTHS = 24
    closed_at = dt.datetime(2025, 3, 10, 9, 0, tzinfo=AMS)
    close(make_case(welfare_a), case_worker_a, "no_help_wanted", closed_at)
    assert retention.apply_retention(now=dt.datetime(2026, 3, 11, tzinfo=AMS)).anonymised == 0
    assert retention.apply_retention(now=dt.datetime(2027, 3, 11, tzinfo=AMS)).anonymised == 1


# --- what anonymising does ---------------------------------------------------------------------


def test_anonymising_blanks_every_personal_value_in_the_database(
    welfare_a, case_worker_a, coordinator_a
):
    case = build_full_case(welfare_a, case_worker_a)
    signal = case.signals.get()
    receipt, indicators = signal.receipt, signal.indicators
    close(case, case_worker_a, "helped", timezone.now() - dt.timedelta(days=400))

    result = retention.apply_retention()
    assert result.anonymised_case_ids == [case.pk]

    person = raw_row(
        "cases_case",
        [
            "person_name",
            "person_phone",
            "person_email",
            "person_address",
            "person_postcode",
            "person_lookup",
        ],
        "id",
        case.pk,
    )
    assert person == ("", "", "", "", "", "")
    assert raw_row(
        "cases_signal",
        ["reporter_name", "reporter_phone", "reporter_email", "description", "source_reference"],
        "case_id",
        case.pk,
    ) == ("", "", "", "", "")
    assert raw_rows("cases_contactattempt", ["note"], "case_id", case.pk) == [("",), ("",)]
    assert not CaseNote.objects.filter(case=case).exists()
    assert raw_rows("cases_consent", ["scope"], "case_id", case.pk) == [("",)]
    assert raw_row(
        "cases_referral",
        [
            "shared_name",
            "shared_phone",
            "shared_email",
            "message",
            "recipient_email",
            "token_hash",
        ],
        "case_id",
        case.pk,
    ) == ("", "", "", "", "", "")

    # The minimal anonymous record for the figures stays.
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.is_anonymised
    assert fresh.state == CaseState.CLOSED and fresh.closing_reason == "helped"
    assert fresh.closed_at is not None and fresh.received_at is not None
    assert fresh.contact_made_at is not None and fresh.person_informed_at is not None
    assert fresh.found_indicators == ["says_lonely"]
    assert fresh.source == "form"
    fresh_signal = fresh.signals.get()
    assert fresh_signal.receipt == receipt and fresh_signal.indicators == indicators
    assert fresh_signal.reporter_kind == "professional"
    attempts = ContactAttempt.objects.filter(case=case).order_by("pk")
    assert [(a.channel, a.outcome) for a in attempts] == [
        ("phone", "no_answer"),
        ("visit", "reached"),
    ]
    consent = Consent.objects.get(case=case)
    assert consent.method == "verbal" and consent.given_at is not None
    assert Referral.objects.get(case=case).status == ReferralStatus.COMPLETED
    # An anonymised case cannot be changed any more, not even re-opened.
    with pytest.raises(services.TransitionError):
        services.transition(fresh, CaseState.INTAKE, coordinator_a)


def test_retention_touches_nothing_that_is_not_due(welfare_a, case_worker_a, coordinator_a):
    long_ago = timezone.now() - dt.timedelta(days=800)
    due = close(build_full_case(welfare_a, case_worker_a), case_worker_a, "helped", long_ago)
    not_yet = close(
        build_full_case(welfare_a, case_worker_a),
        case_worker_a,
        "no_help_wanted",
        timezone.now() - dt.timedelta(days=200),
    )
    open_case = build_full_case(welfare_a, case_worker_a)
    reopened = close(build_full_case(welfare_a, case_worker_a), case_worker_a, "helped", long_ago)
    services.transition(reopened, CaseState.INTAKE, coordinator_a)
    # Even if a re-opened case still carried an old closing date, its state keeps it intact.
    Case.objects.filter(pk=reopened.pk).update(closed_at=long_ago, closing_reason="unfounded")

    result = retention.apply_retention()

    assert result.anonymised_case_ids == [due.pk]
    for case in (not_yet, open_case, reopened):
        assert_intact(case)
        assert CaseNote.objects.filter(case=case).count() == 2
        assert Consent.objects.get(case=case).scope == "Delen met het buurthuis"
        assert Referral.objects.get(case=case).shared_name == PERSON
        assert ContactAttempt.objects.filter(case=case).first().note == "Voicemail van Fictieve"
    assert Case.objects.get(pk=open_case.pk).state == CaseState.CONVERSATION_HELD
    assert Case.objects.get(pk=reopened.pk).state == CaseState.INTAKE


def test_each_anonymised_case_gets_one_audit_event_and_a_second_run_does_nothing(
    welfare_a, welfare_b, case_worker_a, case_worker_b
):
    long_ago = timezone.now() - dt.timedelta(days=800)
    first = close(make_case(welfare_a), case_worker_a, "unfounded", long_ago)
    second = close(make_case(welfare_b), case_worker_b, "no_help_wanted", long_ago)

    result = retention.apply_retention()
    assert result.anonymised == 2

    events = AuditEvent.objects.filter(action="case.anonymise")
    assert sorted(int(e.object_id) for e in events) == sorted([first.pk, second.pk])
    for event in events:
        assert event.object_type == "cases.case"
        assert event.actor is None
        assert PERSON not in str(event.details) and "0612" not in str(event.details)
    assert events.get(object_id=str(first.pk)).organisation == welfare_a
    assert events.get(object_id=str(first.pk)).details["rule"] == "no_contact"
    assert events.get(object_id=str(second.pk)).details["rule"] == "closed"

    again = retention.apply_retention()
    assert again.counts() == {
        "dry_run": False,
        "reporter_details_removed": 0,
        "anonymised_no_contact": 0,
        "anonymised_closed": 0,
        "anonymised": 0,
    }
    assert AuditEvent.objects.filter(action="case.anonymise").count() == 2


def test_the_safety_net_removes_reporter_details_left_on_a_closed_case(
    welfare_a, case_worker_a, django_capture_on_commit_callbacks
):
    case = close(make_case(welfare_a), case_worker_a, "no_help_wanted", timezone.now())
    # As if closing had failed to remove them (an older version, a bulk update).
    Signal.objects.filter(case=case).update(
        reporter_email="kapper@example.org",
        reporter_name="Kapper Knip",
        reporter_details_removed_at=None,
        reporter_notified_status="picked_up",
    )
    open_case = make_case(welfare_a)

    with django_capture_on_commit_callbacks(execute=True):
        result = retention.apply_retention()

    assert result.reporter_details_removed == 1 and result.anonymised == 0
    signal = Signal.objects.get(case=case)
    assert signal.reporter_email == "" and signal.reporter_name == ""
    assert signal.reporter_details_removed_at is not None
    assert signal.reporter_notified_status == "completed"  # told before the address went
    # The case itself is not due yet, and an open case keeps its reporter.
    assert_intact(case)
    assert Signal.objects.get(case=open_case).reporter_email == "kapper@example.org"
    assert retention.apply_retention().reporter_details_removed == 0


def test_a_dry_run_changes_nothing(welfare_a, case_worker_a):
    case = close(
        make_case(welfare_a), case_worker_a, "duplicate", timezone.now() - dt.timedelta(days=200)
    )
    result = retention.apply_retention(dry_run=True)
    assert result.dry_run and result.anonymised_no_contact == 1
    assert result.anonymised_case_ids == [case.pk]
    assert_intact(case)
    assert not AuditEvent.objects.filter(action="case.anonymise").exists()


def test_the_command_prints_what_it_would_do_and_then_does_it(welfare_a, case_worker_a):
    case = close(
        make_case(welfare_a), case_worker_a, "unreachable", timezone.now() - dt.timedelta(days=100)
    )
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert f"Would anonymise case {case.pk}" in out.getvalue()
    assert "Dry run" in out.getvalue()
    assert PERSON not in out.getvalue()
    assert_intact(case)

    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert f"Did anonymise case {case.pk}" in out.getvalue()
    assert "anonymised 1 case(s)" in out.getvalue()
    assert Case.objects.get(pk=case.pk).is_anonymised


def test_the_task_returns_the_counts(welfare_a, case_worker_a):
    close(make_case(welfare_a), case_worker_a, "unfounded", timezone.now() - dt.timedelta(days=200))
    result = retention.apply_retention_task.enqueue()
    assert result.return_value["anonymised_no_contact"] == 1
