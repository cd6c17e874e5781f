"""A NUL character in a path, query string, form field or JSON body is refused with a 400.

PostgreSQL cannot store or compare text with NUL (0x00), so such input gave a 500 wherever it
reached a query. One middleware refuses it before any view runs: a plain page in Dutch and
English for the site, the API's JSON error for /api/. Every URL the penetration test found is
here, signed in as someone who may open it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from omzien.audit.models import AuditEvent
from omzien.cases.models import Signal
from tests.cases.test_partner_api import body
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def assert_html_400(response: Any) -> None:
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "teken" in html and "character" in html


def assert_json_400(response: Any, parameter: str) -> None:
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    answer = json.loads(response.content)
    assert answer["status"] == 400 and answer["error"] == "invalid_character"
    assert answer["nl"] and answer["en"]
    assert answer["parameters"] == [parameter]


@pytest.mark.parametrize(
    "url", ["/kaart/%00/", "/kaart/vergelijk/?ids=%00", "/kaart/vergelijk/?%00=1"]
)
def test_a_nul_in_a_public_page_address_gets_a_plain_400(raw_client, url):
    assert_html_400(raw_client.get(url))


def test_a_nul_in_the_audit_log_filter_gets_a_plain_400(raw_client, administrator):
    raw_client.force_login(administrator)
    assert_html_400(raw_client.get("/beheer/audit/?object_id=%00"))


def test_a_nul_in_the_page_number_of_a_case_log_gets_a_plain_400(
    raw_client, coordinator_a, welfare_a
):
    case = make_case(welfare_a)
    raw_client.force_login(coordinator_a)
    url = f"/meldpunt/casussen/{case.pk}/inzage-log/"
    assert raw_client.get(url).status_code == 200
    before = AuditEvent.objects.count()
    assert_html_400(raw_client.get(url + "?pagina=%00"))
    assert AuditEvent.objects.count() == before


def test_a_nul_in_the_participant_search_gets_a_plain_400(raw_client, case_worker_a):
    raw_client.force_login(case_worker_a)
    assert_html_400(raw_client.get("/metingen/?code=%00"))


def test_a_nul_in_a_form_field_gets_a_plain_400_and_stores_nothing(raw_client, welfare_a):
    response = raw_client.post(
        "/melden/",
        {"reporter_kind": "resident", "person_name": "Hen\x00drika", "person_phone": "0612345678"},
    )
    assert_html_400(response)
    assert not Signal.objects.exists()


def test_a_nul_in_an_api_search_gets_the_json_error(raw_client):
    assert_json_400(raw_client.get("/api/v1/organizations?search=%00"), "search")


def test_a_nul_in_an_api_path_gets_the_json_error(raw_client):
    assert_json_400(raw_client.get("/api/v1/services/%00"), "path")


def test_an_escaped_nul_in_a_json_body_gets_the_json_error(raw_client, welfare_a, partner_key):
    data = json.dumps(body(source_reference="WC-\x00-1"))
    assert "\\u0000" in data
    response = raw_client.post(
        "/api/v1/signals",
        data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {partner_key}",
    )
    assert_json_400(response, "body")
    assert not Signal.objects.exists()


def test_a_raw_nul_byte_in_a_json_body_gets_the_json_error(raw_client, welfare_a, partner_key):
    response = raw_client.post(
        "/api/v1/signals",
        b'{"description": "x\x00"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {partner_key}",
    )
    assert_json_400(response, "body")


def test_the_text_backslash_u0000_is_not_a_nul_and_is_accepted(raw_client, welfare_a, partner_key):
    # A partner's reference may hold a backslash followed by u0000: that is text, not NUL.
    data = json.dumps(body(source_reference="WC\\u0000"))
    response = raw_client.post(
        "/api/v1/signals",
        data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {partner_key}",
    )
    assert response.status_code == 201
    assert Signal.objects.get().source_reference == "WC\\u0000"
