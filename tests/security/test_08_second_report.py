"""A second report from the same form page is stored, not silently taken for the first one.

The one-time form token stops double submissions: the same form with the same content sent
again is one signal with one receipt. After the back button, a report about someone else (or
the same report corrected) is a new report and is stored as well. The key that tells them apart
is a keyed hash, because the content is about a person; the pages are never cached.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import QueryDict

import pytest

from omzien.cases.forms_public import PublicReportForm
from omzien.cases.models import Case, Signal
from omzien.core.spam import stamp
from tests.cases.test_public_form import fresh_form_fields

pytestmark = pytest.mark.django_db

URL = "/melden/"


def report(hidden: dict[str, str], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "reporter_kind": "resident",
        "person_name": "Hendrika Vogelzang",
        "person_phone": "06 98765432",
        "indicators": ["rarely_goes_out"],
        "description": "Ik zie haar al weken niet meer bij de bakker.",
        "person_knows": "no",
        "website": "",
        **hidden,
    }
    data.update(overrides)
    return data


def test_a_report_about_someone_else_after_the_back_button_is_stored_with_its_own_receipt(
    client, meldpunt
):
    hidden = fresh_form_fields(client)
    first = client.post(URL, report(hidden))
    second = client.post(
        URL,
        report(
            hidden,
            person_name="Gerrit de Wit",
            person_phone="06 11223344",
            description="Meneer op nummer 4 komt zijn huis niet meer uit.",
        ),
    )
    assert first.status_code == second.status_code == 303
    assert first["Location"] != second["Location"]
    assert Signal.objects.count() == 2 and Case.objects.count() == 2
    assert {case.person_name for case in Case.objects.all()} == {
        "Hendrika Vogelzang",
        "Gerrit de Wit",
    }


def test_a_corrected_report_from_the_same_form_is_stored_too(client, meldpunt):
    hidden = fresh_form_fields(client)
    client.post(URL, report(hidden))
    client.post(URL, report(hidden, indicators=["rarely_goes_out", "curtains_closed"]))
    assert Signal.objects.count() == 2


def test_the_same_form_with_the_same_content_is_still_one_signal_and_one_receipt(client, meldpunt):
    hidden = fresh_form_fields(client)
    first = client.post(URL, report(hidden))
    # Sent again a moment later, with the choices in another order: the same report.
    again = client.post(
        URL, report(hidden, started=stamp(), indicators=["rarely_goes_out"], person_knows="no")
    )
    assert first["Location"] == again["Location"]
    assert Signal.objects.count() == 1


def _bound_form(token: str, **overrides: str) -> PublicReportForm:
    data = QueryDict(mutable=True)
    data.update(
        {
            "reporter_kind": "resident",
            "person_name": "Hendrika Vogelzang",
            "person_phone": "06 98765432",
            "description": "Ik zie haar al weken niet meer.",
            "started": stamp(),
            "form_token": token,
            **overrides,
        }
    )
    form = PublicReportForm(data)
    assert form.is_valid(), form.errors
    return form


def test_the_submission_key_is_a_keyed_hash_of_token_and_content(settings):
    token = PublicReportForm().initial["form_token"]
    key = _bound_form(token).submission_key
    raw_token = _bound_form(token).cleaned_data["form_token"]
    assert len(key) == 64
    assert key != hashlib.sha256(raw_token.encode()).hexdigest()
    assert _bound_form(token).submission_key == key
    assert _bound_form(token, person_name="Gerrit de Wit").submission_key != key
    # Keyed: without the server's secret the hash of a guessed name cannot be checked.
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]  # the token stays valid
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789abcdef"
    assert _bound_form(token).cleaned_data["form_token"] == raw_token
    assert _bound_form(token).submission_key != key


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_report_form_is_never_stored_by_the_browser(client, meldpunt, method):
    if method == "get":
        response = client.get(URL)
    else:
        response = client.post(URL, report(fresh_form_fields(client), person_phone=""))
        assert response.status_code == 200  # the form again, with the input and an error
    assert "no-store" in response["Cache-Control"]


def test_the_receipt_page_is_never_stored_by_the_browser(client, meldpunt):
    response = client.post(URL, report(fresh_form_fields(client)))
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "no-store" in thanks["Cache-Control"]
