"""Case work at /meldpunt/: the queue, the case page, every action and the overdue reminders."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

import pytest

from omzien.accounts import roles
from omzien.accounts.roles import Capability, Role, Scope
from omzien.audit.models import AuditEvent
from omzien.cases import services
from omzien.cases.models import (
    Case,
    CaseNote,
    CaseState,
    Consent,
    ContactAttempt,
    NoteKind,
)
from tests.factories import MembershipFactory, UserFactory, make_case

pytestmark = pytest.mark.django_db

QUEUE = reverse("cases:queue")


def url(name: str, case: Case, *args: int) -> str:
    return reverse(f"cases:{name}", args=[case.pk, *args])


def local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def ids_in(response) -> set[int]:  # type: ignore[no-untyped-def]
    return {row["case"].pk for row in response.context["rows"]}


def overdue(case: Case, days: int = 3) -> Case:
    """Push the case's first-contact deadline into the past."""
    Case.objects.filter(pk=case.pk).update(
        first_contact_due=timezone.localdate() - dt.timedelta(days=days)
    )
    case.refresh_from_db()
    return case


def with_contact(case: Case, worker) -> Case:  # type: ignore[no-untyped-def]
    services.record_contact_attempt(
        case, worker, at=timezone.now(), channel="phone", outcome="reached"
    )
    case.refresh_from_db()
    return case


def updates(case: Case, action: str) -> int:
    return AuditEvent.objects.filter(
        action="case.update", object_id=str(case.pk), details__action=action
    ).count()


# --- the queue ---------------------------------------------------------------------------------


def test_queue_shows_only_the_own_organisations_cases(
    client, welfare_a, welfare_b, case_worker_a, case_worker_b
):
    own = make_case(welfare_a)
    other = make_case(welfare_b)
    client.force_login(case_worker_a)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert ids_in(response) == {own.pk}
    client.force_login(case_worker_b)
    response = client.get(QUEUE)
    assert ids_in(response) == {other.pk}
    assert url("detail", own) not in response.content.decode()


@pytest.mark.parametrize("who", ["policy_officer", "provider_editor", "outsider", "administrator"])
def test_people_without_case_access_get_403_on_the_queue(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(QUEUE).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client, welfare_a):
    case = make_case(welfare_a)
    for path in (QUEUE, url("detail", case), url("take", case)):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_queue_shows_no_names_and_decrypts_nothing(client, welfare_a, case_worker_a):
    make_case(welfare_a, person_name="Wilhelmina Geheimnaam", reporter_name="Melder Verborgen")
    client.force_login(case_worker_a)
    response = client.get(QUEUE)
    body = response.content.decode()
    assert "Geheimnaam" not in body and "Verborgen" not in body
    row_case = response.context["rows"][0]["case"]
    # The encrypted fields were not even loaded.
    assert "person_name" in row_case.get_deferred_fields()


def test_queue_queries_do_not_grow_with_the_number_of_cases(
    client, welfare_a, case_worker_a, django_assert_max_num_queries
):
    client.force_login(case_worker_a)
    make_case(welfare_a)
    with django_assert_max_num_queries(12) as few:
        client.get(QUEUE)
    for _ in range(30):
        make_case(welfare_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(QUEUE)
    assert len(response.context["rows"]) == 25


def test_queue_tabs_and_filters(client, welfare_a, case_worker_a, coordinator_a):
    new = make_case(welfare_a)
    mine = make_case(welfare_a)
    services.transition(mine, CaseState.INTAKE, case_worker_a)
    theirs = make_case(welfare_a)
    services.transition(theirs, CaseState.INTAKE, coordinator_a)
    services.triage(theirs, "urgent", coordinator_a)
    closed = make_case(welfare_a)
    services.transition(closed, CaseState.CLOSED, case_worker_a, reason="unfounded")
    client.force_login(case_worker_a)

    assert ids_in(client.get(QUEUE)) == {new.pk, mine.pk, theirs.pk}
    assert ids_in(client.get(QUEUE, {"weergave": "nieuw"})) == {new.pk}
    assert ids_in(client.get(QUEUE, {"weergave": "mijn"})) == {mine.pk}
    assert ids_in(client.get(QUEUE, {"weergave": "afgesloten"})) == {closed.pk}
    assert ids_in(client.get(QUEUE, {"urgentie": "urgent"})) == {theirs.pk}
    assert ids_in(client.get(QUEUE, {"status": "intake"})) == {mine.pk, theirs.pk}
    assert ids_in(client.get(QUEUE, {"consulent": str(coordinator_a.pk)})) == {theirs.pk}
    assert ids_in(client.get(QUEUE, {"consulent": "geen"})) == {new.pk}
    assert ids_in(client.get(QUEUE, {"nummer": str(mine.pk)})) == {mine.pk}
    receipt = closed.signals.get().receipt
    found = client.get(QUEUE, {"weergave": "afgesloten", "nummer": receipt.lower()})
    assert ids_in(found) == {closed.pk}


def test_overdue_tab_lists_cases_past_their_norm(client, welfare_a, case_worker_a):
    late = overdue(make_case(welfare_a))
    on_time = make_case(welfare_a)
    attempted = overdue(make_case(welfare_a))
    services.record_contact_attempt(
        attempted, case_worker_a, at=timezone.now(), channel="phone", outcome="no_answer"
    )
    client.force_login(case_worker_a)
    response = client.get(QUEUE, {"weergave": "te-laat"})
    assert ids_in(response) == {late.pk}
    assert on_time.pk not in ids_in(response)
    rows = {row["case"].pk: row for row in client.get(QUEUE).context["rows"]}
    assert rows[late.pk]["first_contact_late"] and not rows[on_time.pk]["first_contact_late"]


@pytest.mark.parametrize(
    "params",
    [
        {"pagina": "99999"},
        {"pagina": "-3"},
        {"pagina": "abc"},
        {"weergave": "onzin", "urgentie": "heel-erg", "consulent": "999999", "status": "x"},
        {"nummer": "'; DROP TABLE cases_case; --"},
        {"nummer": "9" * 19},
    ],
)
def test_absurd_queue_parameters_never_break_the_page(client, welfare_a, case_worker_a, params):
    for _ in range(30):
        make_case(welfare_a)
    client.force_login(case_worker_a)
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    if params.get("pagina") == "99999":
        assert response.context["page"].number == 2
    if "urgentie" in params:
        assert response.context["form"].errors  # named above the list
        assert "Dit filter is niet gebruikt" in response.content.decode()
        assert len(response.context["rows"]) == 25  # the bad filters are not applied


def test_a_worker_of_another_organisation_cannot_be_used_as_a_filter(
    client, welfare_a, welfare_b, case_worker_a, case_worker_b
):
    make_case(welfare_a)
    client.force_login(case_worker_a)
    response = client.get(QUEUE, {"consulent": str(case_worker_b.pk)})
    assert response.status_code == 200
    assert "consulent" in response.context["form"].errors


# --- the case page -----------------------------------------------------------------------------


def test_the_case_page_shows_the_person_and_records_a_view(client, welfare_a, case_worker_a):
    case = make_case(welfare_a, person_name="Fictieve Persoon")
    client.force_login(case_worker_a)
    for expected in (1, 2):
        response = client.get(url("detail", case))
        assert response.status_code == 200
        assert "Fictieve Persoon" in response.content.decode()
        events = AuditEvent.objects.filter(action="case.view", object_id=str(case.pk))
        assert events.count() == expected
    event = events.latest("pk")
    assert event.actor == case_worker_a and event.organisation_id == welfare_a.pk
    assert "Fictieve" not in str(event.details)


def test_a_case_of_another_organisation_is_404(client, welfare_a, case_worker_b):
    case = make_case(welfare_a)
    client.force_login(case_worker_b)
    assert client.get(url("detail", case)).status_code == 404
    for name in ("take", "assign", "status", "contact_attempt", "conversation", "note", "consent"):
        assert client.get(url(name, case)).status_code == 404
        assert client.post(url(name, case), {}).status_code == 404
    assert not AuditEvent.objects.filter(action="case.view").exists()


@pytest.mark.parametrize("who", ["policy_officer", "provider_editor", "outsider"])
def test_other_roles_get_403_on_the_case_page(client, request, welfare_a, who):
    case = make_case(welfare_a)
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("detail", case)).status_code == 403
    assert client.post(url("take", case)).status_code == 403


def test_reporter_details_are_masked_for_a_worker_who_is_not_assigned(
    client, welfare_a, case_worker_a, coordinator_a
):
    case = make_case(welfare_a, reporter_name="Kapper Knip", reporter_phone="0612398765")
    client.force_login(case_worker_a)
    body = client.get(url("detail", case)).content.decode()
    assert "kapper@example.org" not in body and "0612398765" not in body
    assert "Kapper Knip" not in body
    assert "k***@***.org" in body and "*******765" in body
    assert "Afgeschermd" in body

    client.force_login(coordinator_a)
    body = client.get(url("detail", case)).content.decode()
    assert "kapper@example.org" in body and "0612398765" in body and "Kapper Knip" in body

    services.assign(case, case_worker_a, coordinator_a)
    client.force_login(case_worker_a)
    body = client.get(url("detail", case)).content.decode()
    assert "kapper@example.org" in body and "Afgeschermd" not in body
    shown = AuditEvent.objects.filter(action="case.view", object_id=str(case.pk)).order_by("pk")
    assert [e.details["reporter_contact_shown"] for e in shown] == [False, True, True]


def test_every_action_page_works_without_javascript(client, welfare_a, coordinator_a):
    case = with_contact(make_case(welfare_a), coordinator_a)
    consent = services.record_consent(
        case,
        coordinator_a,
        given_at=timezone.now(),
        method="verbal",
        scope="Maatje",
        share_with_providers=True,
    )
    client.force_login(coordinator_a)
    names = ["take", "assign", "urgency", "status", "contact_attempt", "conversation", "note"]
    for name in [*names, "consent"]:
        response = client.get(url(name, case))
        assert response.status_code == 200, name
        assert "<form" in response.content.decode()
    assert client.get(url("consent_withdraw", case, consent.pk)).status_code == 200


# --- actions -----------------------------------------------------------------------------------


def test_take_assigns_the_case_and_starts_the_intake(client, welfare_a, case_worker_a):
    case = make_case(welfare_a)
    client.force_login(case_worker_a)
    response = client.post(url("take", case))
    assert response.status_code == 302 and response["Location"] == url("detail", case)
    case.refresh_from_db()
    assert case.assigned_to == case_worker_a and case.state == CaseState.INTAKE
    assert updates(case, "take") == 1


def test_a_closed_case_cannot_be_taken(client, welfare_a, case_worker_a):
    case = make_case(welfare_a)
    services.transition(case, CaseState.CLOSED, case_worker_a, reason="duplicate")
    client.force_login(case_worker_a)
    response = client.post(url("take", case), follow=True)
    assert "Heropen" in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_to is None and updates(case, "take") == 0


def test_coordinator_assigns_and_the_worker_hears_of_it(
    client, welfare_a, coordinator_a, case_worker_a, django_capture_on_commit_callbacks
):
    case = make_case(welfare_a)
    client.force_login(coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("assign", case), {"assignee": case_worker_a.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == case_worker_a
    assert [m.to for m in mail.outbox] == [[case_worker_a.email]]
    assert "Fictieve" not in mail.outbox[0].body
    event = AuditEvent.objects.get(action="case.update", details__action="assign")
    assert event.details == {"action": "assign", "assignee_id": case_worker_a.pk}
    response = client.post(url("assign", case), {"assignee": ""})
    case.refresh_from_db()
    assert case.assigned_to is None


def test_assigning_is_for_coordinators_and_only_to_own_workers(
    client, welfare_a, coordinator_a, case_worker_a, case_worker_b
):
    case = make_case(welfare_a)
    client.force_login(case_worker_a)
    assert client.get(url("assign", case)).status_code == 403
    assert client.post(url("assign", case), {"assignee": case_worker_a.pk}).status_code == 403
    client.force_login(coordinator_a)
    response = client.post(url("assign", case), {"assignee": case_worker_b.pk}, follow=True)
    assert "Kies een consulent uit de lijst" in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_to is None


def test_urgency(client, welfare_a, case_worker_a):
    case = make_case(welfare_a)
    client.force_login(case_worker_a)
    client.post(url("urgency", case), {"urgency": "high"})
    case.refresh_from_db()
    assert case.urgency == "high" and updates(case, "triage") == 1
    response = client.post(url("urgency", case), {"urgency": "extreem"}, follow=True)
    assert "Kies een urgentie uit de lijst" in response.content.decode()
    case.refresh_from_db()
    assert case.urgency == "high"


def test_contact_attempt_reached_moves_the_case_on(client, welfare_a, case_worker_a):
    case = make_case(welfare_a)
    client.force_login(case_worker_a)
    moment = timezone.now() - dt.timedelta(hours=2)
    data = {"at": local_input(moment), "channel": "phone", "outcome": "reached", "note": "Fijn"}
    response = client.post(url("contact_attempt", case), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.CONTACT_MADE
    attempt = ContactAttempt.objects.get(case=case)
    assert attempt.note == "Fijn" and attempt.created_by == case_worker_a
    assert updates(case, "contact_attempt") == 1


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("1900-01-01T10:00", "te ver terug"),
        ((timezone.now() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"), "in de toekomst"),
        ("gisteren", "Vul een datum en tijd in"),
        ("", "Vul een datum en tijd in"),
    ],
)
def test_absurd_dates_are_refused_with_a_clear_message(
    client, welfare_a, case_worker_a, at, message
):
    case = make_case(welfare_a)
    client.force_login(case_worker_a)
    data = {"at": at, "channel": "phone", "outcome": "no_answer"}
    response = client.post(url("contact_attempt", case), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ContactAttempt.objects.exists()


def test_oversized_text_is_refused(client, welfare_a, case_worker_a):
    case = make_case(welfare_a)
    client.force_login(case_worker_a)
    response = client.post(url("note", case), {"text": "x" * 5001})
    assert response.status_code == 400
    assert "hoogstens 5000 tekens" in response.content.decode()
    assert not CaseNote.objects.exists()
    assert client.post(url("note", case), {"text": "x" * 5000}).status_code == 302


def test_conversation(client, welfare_a, case_worker_a):
    case = with_contact(make_case(welfare_a), case_worker_a)
    client.force_login(case_worker_a)
    data = {
        "held_at": local_input(timezone.now()),
        "text": "Mevrouw wil graag een maatje.",
        "found_indicators": ["says_lonely", "few_visitors"],
        "person_informed": "on",
    }
    assert client.post(url("conversation", case), data).status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.CONVERSATION_HELD
    assert case.found_indicators == ["few_visitors", "says_lonely"]
    assert case.person_informed_at is not None
    assert CaseNote.objects.get(case=case, kind=NoteKind.CONVERSATION).text.startswith("Mevrouw")
    assert updates(case, "conversation") == 1
    body = client.get(url("detail", case)).content.decode()
    assert "Zegt zelf dat hij of zij eenzaam is" in body


def test_a_conversation_before_contact_is_refused_and_the_text_kept(
    client, welfare_a, case_worker_a
):
    case = make_case(welfare_a)
    client.force_login(case_worker_a)
    data = {"held_at": local_input(timezone.now()), "text": "Mijn verslag"}
    response = client.post(url("conversation", case), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Leg eerst vast dat er contact is gelegd" in body and "Mijn verslag" in body
    assert not CaseNote.objects.exists() and updates(case, "conversation") == 0


def test_note(client, welfare_a, case_worker_a):
    case = make_case(welfare_a)
    client.force_login(case_worker_a)
    assert client.post(url("note", case), {"text": "Buurvrouw belde nog."}).status_code == 302
    assert CaseNote.objects.get(case=case, kind=NoteKind.NOTE).text == "Buurvrouw belde nog."
    assert client.post(url("note", case), {"text": "   "}).status_code == 400


def test_consent_and_withdrawing_it(client, welfare_a, case_worker_a):
    case = with_contact(make_case(welfare_a), case_worker_a)
    client.force_login(case_worker_a)
    data = {
        "given_at": local_input(timezone.now()),
        "method": "verbal",
        "scope": "Doorverwijzen naar de buurtkamer.",
        "share_with_providers": "on",
    }
    assert client.post(url("consent", case), data).status_code == 302
    consent = Consent.objects.get(case=case)
    assert consent.is_active and consent.share_with_providers
    assert updates(case, "consent") == 1
    assert client.post(url("consent_withdraw", case, consent.pk)).status_code == 302
    consent.refresh_from_db()
    assert not consent.is_active and updates(case, "consent_withdraw") == 1
    response = client.post(url("consent_withdraw", case, consent.pk), follow=True)
    assert "al ingetrokken" in response.content.decode()
    assert updates(case, "consent_withdraw") == 1


def test_consent_before_contact_is_refused(client, welfare_a, case_worker_a):
    case = make_case(welfare_a)
    client.force_login(case_worker_a)
    data = {"given_at": local_input(timezone.now()), "method": "verbal", "scope": "Alles"}
    response = client.post(url("consent", case), data)
    assert response.status_code == 400
    assert "Toestemming kan pas na contact" in response.content.decode()
    assert not Consent.objects.exists()


def test_a_consent_of_another_case_cannot_be_withdrawn(client, welfare_a, case_worker_a):
    case = with_contact(make_case(welfare_a), case_worker_a)
    other = with_contact(make_case(welfare_a), case_worker_a)
    consent = services.record_consent(
        other,
        case_worker_a,
        given_at=timezone.now(),
        method="verbal",
        scope="Maatje",
        share_with_providers=True,
    )
    client.force_login(case_worker_a)
    assert client.post(url("consent_withdraw", case, consent.pk)).status_code == 404
    consent.refresh_from_db()
    assert consent.is_active


def test_closing_needs_a_reason(client, welfare_a, case_worker_a):
    case = make_case(welfare_a)
    client.force_login(case_worker_a)
    response = client.post(url("status", case), {"to_state": "closed"}, follow=True)
    assert "Kies een reden om de casus af te sluiten" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.RECEIVED
    response = client.post(
        url("status", case), {"to_state": "closed", "closing_reason": "helped"}, follow=True
    )
    assert "pas als er contact is geweest" in response.content.decode()
    client.post(url("status", case), {"to_state": "closed", "closing_reason": "unfounded"})
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.closing_reason == "unfounded"
    event = AuditEvent.objects.get(action="case.update", details__action="transition")
    assert event.details == {
        "action": "transition",
        "from": "received",
        "to": "closed",
        "reason": "unfounded",
    }


def test_only_allowed_next_steps_are_offered(client, welfare_a, case_worker_a):
    case = make_case(welfare_a)
    client.force_login(case_worker_a)
    form = client.get(url("detail", case)).context["status_form"]
    assert [v for v, _label in form.fields["to_state"].choices] == ["intake", "closed"]
    response = client.post(url("status", case), {"to_state": "referred"}, follow=True)
    assert "Deze stap kan nu niet" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.RECEIVED


def test_reopening_is_for_the_coordinator(client, welfare_a, case_worker_a, coordinator_a):
    case = make_case(welfare_a)
    services.transition(case, CaseState.CLOSED, case_worker_a, reason="unfounded")
    client.force_login(case_worker_a)
    assert client.get(url("detail", case)).context["status_form"] is None
    assert client.post(url("status", case), {"to_state": "intake"}).status_code == 403
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    client.force_login(coordinator_a)
    form = client.get(url("detail", case)).context["status_form"]
    assert [label for _v, label in form.fields["to_state"].choices] == ["Heropenen"]
    assert client.post(url("status", case), {"to_state": "intake"}).status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.INTAKE and case.reopened_count == 1


@pytest.mark.parametrize("who", ["policy_officer", "provider_editor"])
def test_other_roles_cannot_change_a_case(client, request, welfare_a, who):
    case = make_case(welfare_a)
    client.force_login(request.getfixturevalue(who))
    posts = {
        "status": {"to_state": "intake"},
        "urgency": {"urgency": "high"},
        "note": {"text": "Nee"},
    }
    for name, data in posts.items():
        assert client.post(url(name, case), data).status_code == 403
    case.refresh_from_db()
    assert case.state == CaseState.RECEIVED and case.urgency == "untriaged"
    assert not AuditEvent.objects.filter(action="case.update").exists()


def test_a_viewer_without_work_rights_sees_no_actions(client, welfare_a, monkeypatch):
    # A role that may see cases but not work on them: every change is refused with a 403.
    monkeypatch.setitem(
        roles.ROLE_CAPABILITIES, Role.CASE_WORKER, {Capability.VIEW_CASES: Scope.OWN}
    )
    viewer = UserFactory(email="kijker@example.org")
    MembershipFactory(user=viewer, organisation=welfare_a, role=Role.CASE_WORKER)
    case = make_case(welfare_a)
    client.force_login(viewer)
    response = client.get(url("detail", case))
    assert response.status_code == 200
    assert not response.context["can_work"] and response.context["status_form"] is None
    assert client.post(url("take", case)).status_code == 403
    assert client.get(url("note", case)).status_code == 403
    assert client.post(url("status", case), {"to_state": "intake"}).status_code == 403


# --- overdue reminders -------------------------------------------------------------------------


def test_reminders_go_once_a_day_to_the_assigned_worker(
    welfare_a, case_worker_a, coordinator_a, django_capture_on_commit_callbacks
):
    case = make_case(welfare_a)
    services.assign(case, case_worker_a, case_worker_a)
    overdue(case)
    make_case(welfare_a)  # not overdue
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("remind_overdue_cases", stdout=StringIO())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [case_worker_a.email]
    assert url("detail", case) in mail.outbox[0].body
    assert "Fictieve" not in mail.outbox[0].body
    case.refresh_from_db()
    assert case.overdue_notified_on == timezone.localdate()


def test_reminders_for_unassigned_cases_go_to_the_coordinators(
    welfare_a,
    welfare_b,
    coordinator_a,
    case_worker_a,
    case_worker_b,
    django_capture_on_commit_callbacks,
):
    overdue(make_case(welfare_a))
    with django_capture_on_commit_callbacks(execute=True):
        result = services.remind_overdue_cases()
    assert result.cases == 1
    assert [m.to for m in mail.outbox] == [[coordinator_a.email]]


def test_reminders_come_again_the_next_day(
    welfare_a, case_worker_a, django_capture_on_commit_callbacks
):
    case = make_case(welfare_a)
    services.assign(case, case_worker_a, case_worker_a)
    overdue(case)
    Case.objects.filter(pk=case.pk).update(
        overdue_notified_on=timezone.localdate() - dt.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.remind_overdue_cases()
    assert len(mail.outbox) == 1


def test_several_overdue_cases_make_one_e_mail_per_person(
    welfare_a, case_worker_a, django_capture_on_commit_callbacks
):
    for _n in range(3):
        case = make_case(welfare_a)
        services.assign(case, case_worker_a, case_worker_a)
        overdue(case)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.remind_overdue_cases()
    assert (result.cases, result.emails) == (3, 1)
    assert len(mail.outbox) == 1
    assert "3 casussen" in mail.outbox[0].body
    assert "weergave=te-laat" in mail.outbox[0].body
