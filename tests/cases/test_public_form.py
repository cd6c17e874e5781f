"""The public side of the meldpunt: the report form, the receipt page and the status page.

Bots that fill in the honeypot (or send a form with a forged or very old time stamp) get a clear
error and the form back, not a fake "thank you": a person who left the form open for a day then
only has to press the button again, and nothing is stored for the bot.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.test import Client
from django.urls import reverse

import pytest

from omzien.audit.models import AuditEvent
from omzien.cases import services
from omzien.cases.forms_public import PublicReportForm
from omzien.cases.models import Case, CaseState, CaseTransition, Signal
from omzien.core.spam import stamp
from tests.factories import make_case

pytestmark = pytest.mark.django_db

URL = "/melden/"
PERSON_NAME = "Hendrika Vogelzang"
PERSON_PHONE = "06 98765432"
PERSON_ADDRESS = "Lindelaan 17"
DESCRIPTION = "Ik zie haar al weken niet meer bij de bakker."


def fresh_form_fields(client: Client) -> dict[str, str]:
    """The hidden fields of the form as the page hands them out (time stamp and token)."""
    html = client.get(URL).content.decode()
    fields = {}
    for name in ("started", "form_token"):
        match = re.search(rf'name="{name}" value="([^"]+)"', html)
        assert match, f"the form has no {name} field"
        fields[name] = match.group(1)
    return fields


def report_data(client: Client, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "reporter_kind": "resident",
        "reporter_profession": "",
        "person_name": PERSON_NAME,
        "person_phone": PERSON_PHONE,
        "person_email": "",
        "person_address": PERSON_ADDRESS,
        "person_postcode": "5701 ab",
        "age_group": "75+",
        "indicators": ["rarely_goes_out", "curtains_closed"],
        "description": DESCRIPTION,
        "person_knows": "no",
        "reporter_name": "Buurman Jansen",
        "reporter_phone": "",
        "reporter_email": "buurman@example.org",
        "website": "",
    }
    data.update(fresh_form_fields(client))
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def html_of(response: Any) -> str:
    return response.content.decode()


# --- the form page ---------------------------------------------------------------------------


def test_the_form_shows_the_questions_and_the_emergency_numbers(client, meldpunt):
    response = client.get(URL)
    html = html_of(response)
    assert response.status_code == 200
    assert 'value="resident"' in html and 'value="professional"' in html
    # Partners and case workers have their own ways in.
    assert 'value="partner"' not in html and 'value="case_worker"' not in html
    assert 'value="curtains_closed"' in html and 'value="rent_unpaid"' not in html
    assert 'href="tel:112"' in html and 'href="tel:113"' in html and "0800-0113" in html
    assert 'class="omzien-hp"' in html
    assert "alleen als u het in uw werk ziet" in html.lower()
    assert "medische gegevens" in html


def test_the_home_page_links_to_the_form(client, meldpunt):
    html = html_of(client.get("/"))
    assert f'href="{reverse("cases:report")}"' in html


def test_other_methods_are_refused(client, meldpunt):
    assert client.put(URL).status_code == 405
    assert client.post(reverse("cases:status")).status_code == 405


# --- sending a report ------------------------------------------------------------------------


def test_a_report_is_stored_encrypted_and_the_reporter_gets_a_receipt(client, meldpunt):
    response = client.post(URL, report_data(client))

    assert response.status_code == 303
    signal = Signal.objects.select_related("case").get()
    assert response["Location"] == f"/melden/bedankt/{signal.receipt}/"
    case = signal.case
    assert case.organisation == meldpunt
    assert case.person_name == PERSON_NAME
    assert case.person_phone == PERSON_PHONE
    assert case.person_postcode == "5701AB"
    assert case.age_group == "75+" and case.person_knows == "no"
    assert signal.source == "form" and signal.reporter_kind == "resident"
    assert signal.reporter_profession == ""
    assert signal.indicators == ["curtains_closed", "rarely_goes_out"]
    assert signal.description == DESCRIPTION
    assert signal.reporter_email == "buurman@example.org"
    assert signal.submission_key and len(signal.submission_key) == 64
    assert CaseTransition.objects.filter(case=case, to_state=CaseState.RECEIVED).count() == 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT person_name, person_phone, person_address FROM cases_case WHERE id = %s",
            [case.pk],
        )
        stored = " ".join(cursor.fetchone())
        cursor.execute(
            "SELECT description, reporter_email FROM cases_signal WHERE id = %s", [signal.pk]
        )
        stored += " ".join(cursor.fetchone())
    for secret in ("Vogelzang", "98765432", "Lindelaan", "bakker", "buurman@"):
        assert secret not in stored


def test_the_new_signal_is_in_the_audit_log_without_personal_data(client, meldpunt):
    client.post(URL, report_data(client))
    signal = Signal.objects.get()
    event = AuditEvent.objects.get(action="signal.create")
    assert event.object_id == str(signal.pk)
    assert event.organisation == meldpunt
    assert event.details == {"source": "form", "reporter_kind": "resident", "indicators": 2}
    written = json.dumps(event.details) + event.object_type + event.object_id
    for secret in ("Vogelzang", "98765432", "Lindelaan", "bakker", "buurman"):
        assert secret not in written


def test_the_thanks_page_shows_the_receipt_and_nothing_about_the_person(client, meldpunt):
    response = client.post(URL, report_data(client), follow=True)
    html = html_of(response)
    receipt = Signal.objects.get().receipt
    assert response.status_code == 200
    assert receipt in html
    assert f"{reverse('cases:status')}?code={receipt}" in html
    assert "data-omzien-print" in html
    assert f"binnen {settings.OMZIEN_NORM_FIRST_CONTACT_WORKING_DAYS} werkdagen" in html
    for secret in (PERSON_NAME, PERSON_PHONE, PERSON_ADDRESS, "5701", DESCRIPTION, "Jansen"):
        assert secret not in html


def test_the_thanks_page_of_an_unknown_receipt_is_not_found(client, meldpunt):
    response = client.get("/melden/bedankt/ABCD-EFGH-JK/")
    assert response.status_code == 404
    assert "geen melding vinden" in html_of(response)


def test_an_address_with_postcode_is_enough_to_reach_the_person(client, meldpunt):
    response = client.post(URL, report_data(client, person_phone="", person_name=""))
    assert response.status_code == 303
    assert Case.objects.get().person_address == PERSON_ADDRESS


def test_a_report_without_a_way_to_reach_the_person_is_refused(client, meldpunt):
    response = client.post(
        URL, report_data(client, person_phone="", person_email="", person_postcode="")
    )
    html = html_of(response)
    assert response.status_code == 200
    assert "Wij moeten de persoon kunnen bereiken" in html
    assert "Vul ook de postcode in" in html
    assert not Signal.objects.exists() and not Case.objects.exists()


def test_a_report_with_only_a_name_is_refused(client, meldpunt):
    response = client.post(
        URL,
        report_data(
            client, person_phone="", person_email="", person_postcode="", person_address=""
        ),
    )
    assert "Wij moeten de persoon kunnen bereiken" in html_of(response)
    assert not Signal.objects.exists()


def test_every_valid_field_is_kept_when_something_is_wrong(client, meldpunt):
    response = client.post(
        URL,
        report_data(client, person_postcode="12345", reporter_email="geen-adres"),
    )
    html = html_of(response)
    assert response.status_code == 200
    assert not Signal.objects.exists()
    assert "Deze postcode klopt niet" in html
    assert "Dit is geen e-mailadres" in html
    assert f'value="{PERSON_NAME}"' in html
    assert f'value="{PERSON_PHONE}"' in html
    assert f'value="{PERSON_ADDRESS}"' in html
    assert 'value="12345"' in html and 'value="geen-adres"' in html
    assert DESCRIPTION in html
    assert re.search(r'value="resident"[^>]*checked', html)
    assert re.search(r'value="rarely_goes_out"[^>]*checked', html)
    assert re.search(r'value="curtains_closed"[^>]*checked', html)
    assert not re.search(r'value="few_visitors"[^>]*checked', html)
    assert re.search(r'value="no"[^>]*checked', html)
    assert re.search(r'value="75\+" selected', html)
    assert 'aria-invalid="true"' in html


def test_wrong_postcodes_and_phone_numbers_get_a_clear_message(client, meldpunt):
    response = client.post(
        URL, report_data(client, person_postcode="AB 1234", person_phone="bel mij")
    )
    html = html_of(response)
    assert "Deze postcode klopt niet. Een postcode ziet er zo uit: 1234 AB." in html
    assert "Dit telefoonnummer klopt niet" in html
    assert not Signal.objects.exists()


@pytest.mark.parametrize(
    "phone", ["0612345678", "06-12 34 56 78", "+31 6 12345678", "(0492) 123456"]
)
def test_common_ways_of_writing_a_phone_number_are_accepted(client, meldpunt, phone):
    response = client.post(URL, report_data(client, person_phone=phone, person_postcode=""))
    assert response.status_code == 303
    assert Case.objects.get().person_phone == phone


def test_a_text_of_5000_characters_gets_a_clear_message(client, meldpunt):
    long_text = "Zorgen! " * 624 + "Zorgen!!"
    response = client.post(URL, report_data(client, description=long_text))
    html = html_of(response)
    assert response.status_code == 200
    assert "Uw tekst is te lang: hoogstens 2000 tekens. U schreef er 5000." in html
    assert not Signal.objects.exists()


def test_overlong_short_fields_are_refused_without_an_error_page(client, meldpunt):
    response = client.post(
        URL, report_data(client, person_name="x" * 5000, person_postcode="9" * 5000)
    )
    assert response.status_code == 200
    assert "Dit is te lang" in html_of(response)
    assert not Signal.objects.exists()


def test_something_noticed_is_required(client, meldpunt):
    response = client.post(URL, report_data(client, indicators=[], description=""))
    assert "Kruis aan wat u is opgevallen, of schrijf het kort op." in html_of(response)
    assert not Signal.objects.exists()


def test_unknown_choices_are_refused(client, meldpunt):
    response = client.post(
        URL, report_data(client, reporter_kind="partner", indicators=["rent_unpaid"])
    )
    html = html_of(response)
    assert "Kies wie u bent." in html
    assert "Kies uit de lijst wat u is opgevallen." in html
    assert not Signal.objects.exists()


def test_a_professional_names_the_profession(client, meldpunt):
    response = client.post(URL, report_data(client, reporter_kind="professional"))
    assert "Kies uw beroep" in html_of(response)
    assert not Signal.objects.exists()
    response = client.post(
        URL, report_data(client, reporter_kind="professional", reporter_profession="hairdresser")
    )
    assert response.status_code == 303
    assert Signal.objects.get().reporter_profession == "hairdresser"


def test_a_profession_left_over_from_switching_is_not_stored(client, meldpunt):
    client.post(URL, report_data(client, reporter_kind="family", reporter_profession="gp"))
    signal = Signal.objects.get()
    assert signal.reporter_kind == "family" and signal.reporter_profession == ""


def test_the_same_form_sent_twice_stores_one_signal_and_shows_the_same_receipt(client, meldpunt):
    data = report_data(client)
    first = client.post(URL, data)
    second = client.post(URL, data)
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert Signal.objects.count() == 1 and Case.objects.count() == 1
    assert AuditEvent.objects.filter(action="signal.create").count() == 1


def test_two_forms_store_two_signals(client, meldpunt):
    first = client.post(URL, report_data(client))
    second = client.post(URL, report_data(client))
    assert first["Location"] != second["Location"]
    assert Signal.objects.count() == 2


def test_a_forged_token_is_refused_and_a_fresh_one_handed_out(client, meldpunt):
    data = report_data(client, form_token="made-up")
    response = client.post(URL, data)
    html = html_of(response)
    assert "Dit formulier is verlopen" in html
    assert not Signal.objects.exists()
    token = re.search(r'name="form_token" value="([^"]+)"', html)
    assert token and token.group(1) != "made-up"
    assert f'value="{PERSON_NAME}"' in html


def test_the_honeypot_stores_nothing_and_says_so(client, meldpunt):
    response = client.post(URL, report_data(client, website="https://spam.example"))
    assert response.status_code == 400
    assert "Uw melding is niet verstuurd" in html_of(response)
    assert not Signal.objects.exists()


def test_a_forged_time_stamp_stores_nothing(client, meldpunt):
    response = client.post(URL, report_data(client, started="123"))
    assert response.status_code == 400
    assert not Signal.objects.exists()
    # The form comes back with a good time stamp: sending it again works.
    html = html_of(response)
    data = report_data(client)
    data["started"] = re.search(r'name="started" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert client.post(URL, data).status_code == 303


def test_a_form_sent_too_fast_stores_nothing(client, meldpunt, settings):
    settings.OMZIEN_FORM_MIN_SECONDS = 60
    response = client.post(URL, report_data(client, started=stamp()))
    assert response.status_code == 400
    assert not Signal.objects.exists()


def test_too_many_reports_get_a_friendly_429_that_keeps_the_input(client, meldpunt, settings):
    settings.OMZIEN_REPORT_RATE_LIMIT = 2
    assert client.post(URL, report_data(client)).status_code == 303
    assert client.post(URL, report_data(client)).status_code == 303
    response = client.post(URL, report_data(client, person_name="Derde Persoon"))
    html = html_of(response)
    assert response.status_code == 429
    assert settings.OMZIEN_PHONE_NUMBER in html
    assert "nog niet verstuurd" in html
    assert 'value="Derde Persoon"' in html and DESCRIPTION in html
    assert re.search(r'value="curtains_closed"[^>]*checked', html)
    assert Signal.objects.count() == 2


def test_a_storage_failure_keeps_the_input_and_points_to_the_phone(client, meldpunt, monkeypatch):
    def broken(report: Any) -> Any:
        raise DatabaseError("disk full")

    monkeypatch.setattr(services, "submit_report", broken)
    response = client.post(URL, report_data(client))
    html = html_of(response)
    assert response.status_code == 503
    assert "nog niet ontvangen" in html and settings.OMZIEN_PHONE_NUMBER in html
    assert f'value="{PERSON_NAME}"' in html
    assert not Signal.objects.exists()


def test_the_signal_and_its_audit_event_are_stored_together(client, meldpunt, monkeypatch):
    def broken_audit(*args: Any, **kwargs: Any) -> Any:
        raise DatabaseError("audit unavailable")

    monkeypatch.setattr(services, "record_event", broken_audit)
    response = client.post(URL, report_data(client))
    assert response.status_code == 503
    assert not Signal.objects.exists() and not Case.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_storing_still_gives_the_receipt(client, meldpunt, monkeypatch):
    def broken_notification(case_id: int) -> None:
        raise RuntimeError("queue unavailable")

    monkeypatch.setattr(services, "_queue_new_signal_notifications", broken_notification)
    response = client.post(URL, report_data(client))
    signal = Signal.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/melden/bedankt/{signal.receipt}/"
    assert AuditEvent.objects.filter(action="signal.create", object_id=str(signal.pk)).exists()


def test_the_form_class_keeps_input_without_errors():
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.update({"person_name": "Iemand", "reporter_kind": "self"})
    data.setlist("indicators", ["few_visitors", "says_lonely"])
    form = PublicReportForm.keeping(data)
    assert not form.is_bound
    html = str(form["person_name"]) + str(form["indicators"])
    assert 'value="Iemand"' in html
    assert re.search(r'value="says_lonely"[^>]*checked', html)


# --- the status page -------------------------------------------------------------------------


def _status_html(client: Client, code: str) -> tuple[int, str]:
    response = client.get(reverse("cases:status"), {"code": code})
    return response.status_code, html_of(response)


def _assert_nothing_about_the_person(html: str) -> None:
    for secret in (
        "Fictieve Persoon",
        "0612345678",
        "Voorbeeldstraat",
        "5701",
        "kapper",
        "Kapper Knip",
        "somber",
    ):
        assert secret not in html


def test_the_status_page_without_a_code_shows_the_form(client):
    response = client.get(reverse("cases:status"))
    assert response.status_code == 200
    assert 'name="code"' in html_of(response)


def test_a_received_report_shows_received(client, welfare_a):
    case = make_case(welfare_a)
    receipt = case.signals.get().receipt
    status, html = _status_html(client, receipt)
    assert status == 200
    assert 'aria-current="step"' in html
    assert re.search(r'aria-current="step">\s*<strong>Ontvangen', html)
    assert receipt in html and "ontvangen op" in html
    _assert_nothing_about_the_person(html)


def test_a_report_being_worked_on_shows_picked_up(client, welfare_a, case_worker_a):
    case = make_case(welfare_a)
    services.transition(case, CaseState.INTAKE, case_worker_a)
    status, html = _status_html(client, case.signals.get().receipt)
    assert status == 200
    assert re.search(r'aria-current="step">\s*<strong>Opgepakt', html)
    _assert_nothing_about_the_person(html)
    assert case_worker_a.email not in html and case_worker_a.full_name not in html


def test_a_closed_report_shows_completed_without_the_reason(client, welfare_a, case_worker_a):
    case = make_case(welfare_a)
    receipt = case.signals.get().receipt
    services.transition(case, CaseState.CLOSED, case_worker_a, reason="no_help_wanted")
    status, html = _status_html(client, receipt)
    assert status == 200
    assert re.search(r'aria-current="step">\s*<strong>Afgerond', html)
    assert "Geen hulp gewenst" not in html
    _assert_nothing_about_the_person(html)


def test_a_code_typed_in_lower_case_with_spaces_is_found(client, welfare_a):
    receipt = make_case(welfare_a).signals.get().receipt
    typed = receipt.replace("-", " ").lower()
    status, html = _status_html(client, f"  {typed} ")
    assert status == 200
    assert receipt in html


def test_an_unknown_code_gets_a_friendly_not_found(client, welfare_a):
    make_case(welfare_a)
    status, html = _status_html(client, "ZZZZ-ZZZZ-ZZ")
    assert status == 404
    assert "geen melding vinden" in html
    assert 'name="code"' in html
    status, html = _status_html(client, "<script>" + "x" * 500)
    assert status == 404
    assert "<script>" not in html


def test_guessing_codes_is_rate_limited(client, welfare_a):
    for _ in range(30):
        assert _status_html(client, "ZZZZ-ZZZZ-ZZ")[0] == 404
    receipt = make_case(welfare_a).signals.get().receipt
    status, html = _status_html(client, receipt)
    assert status == 429
    assert "Probeer het over een uur opnieuw" in html
    assert 'aria-current="step"' not in html


# --- language --------------------------------------------------------------------------------


def test_the_form_works_in_english(client, meldpunt):
    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    response = client.get(URL)
    assert response.status_code == 200
    assert '<html lang="en"' in html_of(response)
    response = client.post(URL, report_data(client))
    assert response.status_code == 303
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and '<html lang="en"' in html_of(thanks)
    status = client.get(reverse("cases:status"), {"code": Signal.objects.get().receipt})
    assert status.status_code == 200 and '<html lang="en"' in html_of(status)


def test_typed_text_is_shown_back_escaped(client, meldpunt):
    typed = '"><script>alert(1)</script>'
    response = client.post(
        URL,
        report_data(client, person_name=typed, description=typed, person_postcode="fout"),
    )
    html = html_of(response)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not Signal.objects.exists()
