"""A person's rights (inzage, wissen), finding their cases, and who looked at a case."""

from __future__ import annotations

import json

from django.db import connection
from django.urls import reverse
from django.utils import timezone

import pytest

from omzien.accounts.roles import Role
from omzien.audit.models import AuditEvent
from omzien.audit.services import record_event
from omzien.cases import subject_rights
from omzien.cases.models import Case, CaseNote, CaseState, Referral, ReferralStatus
from tests.cases.test_retention import PERSON, build_full_case, close
from tests.conftest import _person
from tests.factories import make_case

pytestmark = pytest.mark.django_db

REPORTER_NAME = "Kapper Knip"
REPORTER_EMAIL = "kapper@example.org"


@pytest.fixture
def coordinator_b(welfare_b):  # type: ignore[no-untyped-def]
    return _person("coordinator-b@example.org", welfare_b, Role.CASE_COORDINATOR)


@pytest.fixture
def full_case(welfare_a, case_worker_a):  # type: ignore[no-untyped-def]
    return build_full_case(welfare_a, case_worker_a)


def case_urls(case: Case) -> list[str]:
    return [
        reverse("cases:subject_access", args=[case.pk]),
        reverse("cases:subject_access", args=[case.pk]) + "?format=json",
        reverse("cases:erase", args=[case.pk]),
        reverse("cases:case_audit", args=[case.pk]),
    ]


# --- who may --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    ["case_worker_a", "case_worker_b", "policy_officer", "provider_editor", "outsider"],
)
def test_people_without_the_right_role_are_refused_on_every_privacy_page(
    client, welfare_a, who, request
):
    case = make_case(welfare_a)
    user = request.getfixturevalue(who)
    client.force_login(user)
    for url in case_urls(case):
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {"reason": "request", "confirm": "on"}).status_code in (
            403,
            404,
            405,
        ), url
    search = reverse("cases:subject_search")
    assert client.get(search).status_code == 403
    assert client.post(search, {"phone": "0612345678"}).status_code == 403
    assert not Case.objects.get(pk=case.pk).is_anonymised
    assert not AuditEvent.objects.filter(
        action__in=["case.export", "case.erase", "case.search", "case.audit_view"]
    ).exists()


def test_a_case_worker_cannot_see_who_looked_at_a_case(client, welfare_a, case_worker_a):
    case = make_case(welfare_a)
    client.force_login(case_worker_a)
    assert client.get(reverse("cases:case_audit", args=[case.pk])).status_code == 403


def test_a_coordinator_of_another_organisation_gets_404(client, welfare_a, coordinator_b):
    case = make_case(welfare_a)
    client.force_login(coordinator_b)
    for url in case_urls(case):
        assert client.get(url).status_code == 404, url
    erase = reverse("cases:erase", args=[case.pk])
    assert client.post(erase, {"reason": "request", "confirm": "on"}).status_code == 404


def test_the_administrator_handles_no_requests_for_a_welfare_organisation(
    client, welfare_a, administrator
):
    case = make_case(welfare_a)
    client.force_login(administrator)
    assert client.get(reverse("cases:subject_access", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:erase", args=[case.pk])).status_code == 404


def test_anonymous_visitors_go_to_the_login_page(client, welfare_a):
    case = make_case(welfare_a)
    for url in [*case_urls(case), reverse("cases:subject_search")]:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


# --- inzage ---------------------------------------------------------------------------------


def test_the_access_page_says_what_the_export_holds_and_is_audited(
    client, full_case, coordinator_a
):
    client.force_login(coordinator_a)
    response = client.get(reverse("cases:subject_access", args=[full_case.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Download het overzicht" in text
    assert "melder" in text
    assert PERSON not in text  # the page holds counts, not the data
    event = AuditEvent.objects.get(action="case.view")
    assert event.object_id == str(full_case.pk) and event.actor == coordinator_a


def test_the_export_holds_the_persons_data_and_not_the_reporters(client, full_case, coordinator_a):
    client.force_login(coordinator_a)
    response = client.post(reverse("cases:subject_access", args=[full_case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    raw = response.content.decode()
    data = json.loads(raw)

    assert data["person"]["name"] == PERSON
    assert data["person"]["phone"] == "0612345678"
    assert data["person"]["email"] == "persoon@example.org"
    assert data["person"]["address"] == "Voorbeeldstraat 1"
    assert data["signals"][0]["description"].startswith("Mevrouw komt al weken")
    assert [i["code"] for i in data["signals"][0]["indicators"]] == [
        "rarely_goes_out",
        "sad_or_withdrawn",
    ]
    assert [a["outcome"]["code"] for a in data["contact_attempts"]] == ["no_answer", "reached"]
    assert data["contact_attempts"][0]["note"] == "Voicemail van Fictieve"
    assert {n["text"] for n in data["notes"]} == {
        "Gesprek met Fictieve Persoon over de buren.",
        "Dochter woont in Eindhoven.",
    }
    assert data["consents"][0]["scope"] == "Delen met het buurthuis"
    assert data["referrals"][0]["status"]["code"] == "completed"
    assert data["referrals"][0]["shared_with_provider"]["name"] == PERSON
    assert [t["to"]["code"] for t in data["transitions"]] == [
        "received",
        "intake",
        "contact_made",
        "conversation_held",
    ]
    assert data["case"]["found_indicators"][0]["code"] == "says_lonely"
    # The reporter: that there is one, of which kind; never who.
    assert data["reporter"]["exists"] is True
    assert data["reporter"]["kinds"][0]["code"] == "professional"
    assert REPORTER_NAME not in raw
    assert REPORTER_EMAIL not in raw
    assert "hairdresser" not in raw  # the profession could point at the reporter
    assert "Kapper" not in raw

    event = AuditEvent.objects.get(action="case.export")
    assert event.object_type == "cases.case" and event.object_id == str(full_case.pk)
    assert event.actor == coordinator_a and event.organisation == full_case.organisation
    assert event.details["notes"] == 2 and event.details["signals"] == 1
    assert PERSON not in json.dumps(event.details)


def test_the_export_lists_who_looked_at_the_case_by_organisation(
    client, full_case, coordinator_a, case_worker_a
):
    record_event(
        "case.view", actor=case_worker_a, obj=full_case, organisation=full_case.organisation
    )
    client.force_login(coordinator_a)
    data = client.get(
        reverse("cases:subject_access", args=[full_case.pk]), {"format": "json"}
    ).json()
    actions = [e["action"] for e in data["access_log"]]
    assert "case.view" in actions
    assert all("consulent-a@example.org" not in json.dumps(e) for e in data["access_log"])
    assert AuditEvent.objects.filter(action="case.export").count() == 1


def test_someone_who_reported_about_themselves_gets_their_own_details(
    client, welfare_a, coordinator_a
):
    case = make_case(
        welfare_a,
        reporter_kind="self",
        reporter_profession="",
        reporter_name=PERSON,
        reporter_email="zelf@example.org",
    )
    client.force_login(coordinator_a)
    data = client.post(reverse("cases:subject_access", args=[case.pk])).json()
    assert data["reporter"]["exists"] is False
    assert data["signals"][0]["own_contact_details"]["email"] == "zelf@example.org"


# --- wissen ---------------------------------------------------------------------------------


def test_erasing_anonymises_now_and_is_audited_with_the_reason_code(
    client, full_case, case_worker_a, coordinator_a
):
    close(full_case, case_worker_a, "helped", timezone.now())
    url = reverse("cases:erase", args=[full_case.pk])
    client.force_login(coordinator_a)
    page = client.get(url)
    assert page.status_code == 200 and "Wis de gegevens" in page.content.decode()

    response = client.post(url, {"reason": "objection", "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:subject_search")

    case = Case.objects.get(pk=full_case.pk)
    assert case.is_anonymised and case.person_name == ""
    assert not CaseNote.objects.filter(case=case).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT person_name, person_phone, person_lookup FROM cases_case WHERE id = %s",
            [case.pk],
        )
        assert cursor.fetchone() == ("", "", "")
        cursor.execute("SELECT description FROM cases_signal WHERE case_id = %s", [case.pk])
        assert cursor.fetchone() == ("",)
    event = AuditEvent.objects.get(action="case.erase")
    assert event.details == {"reason": "objection", "notes_deleted": 2}
    assert event.actor == coordinator_a and event.object_id == str(case.pk)
    assert not AuditEvent.objects.filter(action="case.anonymise").exists()


def test_erasing_needs_a_reason_and_a_confirmation(client, welfare_a, case_worker_a, coordinator_a):
    case = close(make_case(welfare_a), case_worker_a, "unfounded", timezone.now())
    client.force_login(coordinator_a)
    url = reverse("cases:erase", args=[case.pk])
    assert "Kies een reden." in client.post(url, {}).content.decode()
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 200
    assert "Kies een reden." in response.content.decode()
    response = client.post(url, {"reason": "free text is not a reason", "confirm": "on"})
    assert response.status_code == 200
    response = client.post(url, {"reason": "request"})
    assert "Vink aan dat u dit weet." in response.content.decode()
    assert not Case.objects.get(pk=case.pk).is_anonymised
    assert not AuditEvent.objects.filter(action="case.erase").exists()


def test_erasing_is_refused_while_a_referral_is_open(
    client, full_case, case_worker_a, coordinator_a
):
    close(full_case, case_worker_a, "helped", timezone.now())
    Referral.objects.filter(case=full_case).update(status=ReferralStatus.ACCEPTED)
    client.force_login(coordinator_a)
    url = reverse("cases:erase", args=[full_case.pk])
    assert "Er lopen nog verwijzingen" in client.get(url).content.decode()

    response = client.post(url, {"reason": "request", "confirm": "on"})
    assert response.status_code == 409
    assert "Er lopen nog verwijzingen" in response.content.decode()
    case = Case.objects.get(pk=full_case.pk)
    assert not case.is_anonymised and case.person_name == PERSON
    assert CaseNote.objects.filter(case=case).count() == 2
    assert not AuditEvent.objects.filter(action="case.erase").exists()
    # The service refuses too, not only the page.
    with pytest.raises(subject_rights.ErasureRefused):
        subject_rights.erase_case(case, coordinator_a, "request")


def test_an_open_case_is_closed_first_before_erasing(client, welfare_a, coordinator_a):
    case = make_case(welfare_a)
    client.force_login(coordinator_a)
    response = client.post(
        reverse("cases:erase", args=[case.pk]), {"reason": "request", "confirm": "on"}
    )
    assert response.status_code == 409
    assert "Sluit de casus eerst af" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == CaseState.RECEIVED
    assert not Case.objects.get(pk=case.pk).is_anonymised


def test_a_case_worker_cannot_erase_through_the_service(welfare_a, case_worker_a):
    from django.core.exceptions import PermissionDenied

    case = close(make_case(welfare_a), case_worker_a, "unfounded", timezone.now())
    with pytest.raises(PermissionDenied):
        subject_rights.erase_case(case, case_worker_a, "request")
    assert not Case.objects.get(pk=case.pk).is_anonymised


# --- finding a person's cases -------------------------------------------------------------


def test_a_coordinator_finds_the_cases_of_one_person_in_their_own_organisation(
    client, welfare_a, welfare_b, coordinator_a
):
    first = make_case(welfare_a)  # address 5701AA / Voorbeeldstraat 1, phone 0612345678
    second = make_case(
        welfare_a, person_address="", person_postcode="", person_email="Persoon@Example.org"
    )
    other_person = make_case(
        welfare_a, person_address="Andere straat 12", person_phone="0687654321"
    )
    other_organisation = make_case(welfare_b)
    client.force_login(coordinator_a)
    url = reverse("cases:subject_search")
    assert client.get(url).status_code == 200

    def found(data: dict[str, str]) -> set[int]:
        response = client.post(url, data)
        assert response.status_code == 200
        return {row["case"].pk for row in response.context["results"]}

    assert found({"postcode": "5701 aa", "house_number": "1"}) == {first.pk}
    # The phone number is found on a case that is indexed on its address, too.
    assert found({"phone": "06-12345678"}) == {first.pk, second.pk}
    assert found({"email": "persoon@example.org"}) == {second.pk}
    assert other_person.pk not in found({"postcode": "5701AA", "house_number": "1"})
    assert other_organisation.pk not in found({"phone": "0612345678"})
    assert found({"postcode": "9999ZZ", "house_number": "3"}) == set()

    events = AuditEvent.objects.filter(action="case.search")
    assert events.count() == 6
    for event in events:
        assert event.organisation == welfare_a
        details = json.dumps(event.details)
        assert "5701" not in details and "0612" not in details and "example" not in details
    assert sorted(e.details["criteria"] for e in events)[0] == ["address"]
    assert ["email"] in [e.details["criteria"] for e in events]


def test_the_search_form_says_what_is_missing(client, coordinator_a):
    client.force_login(coordinator_a)
    url = reverse("cases:subject_search")
    text = client.post(url, {}).content.decode()
    assert "Vul een postcode met huisnummer" in text
    text = client.post(url, {"postcode": "5701AA"}).content.decode()
    assert "Vul bij de postcode ook het huisnummer in." in text
    text = client.post(url, {"postcode": "57", "house_number": "1"}).content.decode()
    assert "Vul een postcode in zoals 5701 AA." in text
    assert not AuditEvent.objects.filter(action="case.search").exists()


def test_searching_does_not_put_personal_data_in_the_url(client, coordinator_a):
    client.force_login(coordinator_a)
    page = client.get(reverse("cases:subject_search")).content.decode()
    assert 'method="post"' in page


# --- who looked at this case ----------------------------------------------------------------


def test_the_case_audit_page_lists_events_of_the_case_and_its_referrals_only(
    client, full_case, welfare_a, case_worker_a, coordinator_a, provider_editor
):
    other = make_case(welfare_a)
    referral = Referral.objects.get(case=full_case)
    record_event("case.view", actor=case_worker_a, obj=full_case, organisation=welfare_a)
    record_event("referral.view", actor=provider_editor, obj=referral, organisation=welfare_a)
    record_event("case.view", actor=coordinator_a, obj=other, organisation=welfare_a)

    client.force_login(coordinator_a)
    response = client.get(reverse("cases:case_audit", args=[full_case.pk]))
    assert response.status_code == 200
    rows = response.context["rows"]
    seen = {(r["event"].action, r["event"].object_type, r["event"].object_id) for r in rows}
    assert ("case.view", "cases.case", str(full_case.pk)) in seen
    assert ("referral.view", "cases.referral", str(referral.pk)) in seen
    assert ("case.view", "cases.case", str(other.pk)) not in seen
    text = response.content.decode()
    assert "consulent-a@example.org" in text and "aanbieder@example.org" in text
    # Looking at the log is itself in the log, and shows on the page.
    own = AuditEvent.objects.get(action="case.audit_view")
    assert own.actor == coordinator_a and own.object_id == str(full_case.pk)
    assert ("case.audit_view", "cases.case", str(full_case.pk)) in seen


def test_export_and_erase_show_up_in_the_case_audit_log(
    client, welfare_a, case_worker_a, coordinator_a
):
    case = close(make_case(welfare_a), case_worker_a, "unfounded", timezone.now())
    client.force_login(coordinator_a)
    client.post(reverse("cases:subject_access", args=[case.pk]))
    client.post(reverse("cases:erase", args=[case.pk]), {"reason": "request", "confirm": "on"})
    response = client.get(reverse("cases:case_audit", args=[case.pk]))
    actions = [r["event"].action for r in response.context["rows"]]
    assert "case.export" in actions and "case.erase" in actions
    assert "Gewist op verzoek" in response.content.decode()


def test_an_already_anonymised_case_cannot_be_erased_again(
    client, welfare_a, case_worker_a, coordinator_a
):
    case = close(make_case(welfare_a), case_worker_a, "unfounded", timezone.now())
    subject_rights.erase_case(case, coordinator_a, "request")
    client.force_login(coordinator_a)
    response = client.get(reverse("cases:erase", args=[case.pk]))
    assert "al geanonimiseerd" in response.content.decode()
    with pytest.raises(subject_rights.ErasureRefused):
        subject_rights.erase_case(case, coordinator_a, "request")
    assert AuditEvent.objects.filter(action="case.erase").count() == 1
