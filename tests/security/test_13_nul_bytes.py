"""A NUL character in a path, query string, form field or JSON body is refused with a 400.

PostgreSQL cannot store or compare text with NUL (0x00), so such input gave a 500 wherever it
reached a query. One middleware refuses it before any view runs: a plain page in Dutch and
English for the site, the API's JSON error for /api/. Every URL the penetration test found is
here, signed in as someone who may open it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.core.cache import cache
from django.test import Client

import pytest

from omzien.audit.models import AuditEvent
from omzien.cases.models import Signal
from tests.cases.test_partner_api import body, make_key
from tests.factories import OrganisationFactory, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def browser() -> Client:
    # A 500 comes back as a response, as it would to a browser.
    return Client(raise_request_exception=False)


@pytest.fixture
def partner_key(db: None) -> str:
    from omzien.accounts.roles import OrganisationType, PartnerDomain

    organisation = OrganisationFactory(
        name="Woningcorporatie Test", type=OrganisationType.PARTNER, domain=PartnerDomain.HOUSING
    )
    return make_key(organisation.name)


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
def test_a_nul_in_a_public_page_address_gets_a_plain_400(browser, url):
    assert_html_400(browser.get(url))


def test_a_nul_in_the_audit_log_filter_gets_a_plain_400(browser, administrator):
    browser.force_login(administrator)
    assert_html_400(browser.get("/beheer/audit/?object_id=%00"))


def test_a_nul_in_the_page_number_of_a_case_log_gets_a_plain_400(browser, coordinator_a, welfare_a):
    case = make_case(welfare_a)
    browser.force_login(coordinator_a)
    url = f"/meldpunt/casussen/{case.pk}/inzage-log/"
    assert browser.get(url).status_code == 200
    before = AuditEvent.objects.count()
    assert_html_400(browser.get(url + "?pagina=%00"))
    assert AuditEvent.objects.count() == before


def test_a_nul_in_the_participant_search_gets_a_plain_400(browser, case_worker_a):
    browser.force_login(case_worker_a)
    assert_html_400(browser.get("/metingen/?code=%00"))


def test_a_nul_in_a_form_field_gets_a_plain_400_and_stores_nothing(browser, welfare_a):
    response = browser.post(
        "/melden/",
        {"reporter_kind": "resident", "person_name": "Hen\x00drika", "person_phone": "0612345678"},
    )
    assert_html_400(response)
    assert not Signal.objects.exists()


def test_a_nul_in_an_api_search_gets_the_json_error(browser):
    assert_json_400(browser.get("/api/v1/organizations?search=%00"), "search")


def test_a_nul_in_an_api_path_gets_the_json_error(browser):
    assert_json_400(browser.get("/api/v1/services/%00"), "path")


def test_an_escaped_nul_in_a_json_body_gets_the_json_error(browser, welfare_a, partner_key):
    data = json.dumps(body(source_reference="WC-\x00-1"))
    assert "\\u0000" in data
    response = browser.post(
        "/api/v1/signals",
        data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {partner_key}",
    )
    assert_json_400(response, "body")
    assert not Signal.objects.exists()


def test_a_raw_nul_byte_in_a_json_body_gets_the_json_error(browser, welfare_a, partner_key):
    response = browser.post(
        "/api/v1/signals",
        b'{"description": "x\x00"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {partner_key}",
    )
    assert_json_400(response, "body")


def test_the_text_backslash_u0000_is_not_a_nul_and_is_accepted(browser, welfare_a, partner_key):
    # A partner's reference may hold a backslash followed by u0000: that is text, not NUL.
    data = json.dumps(body(source_reference="WC\\u0000"))
    response = browser.post(
        "/api/v1/signals",
        data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {partner_key}",
    )
    assert response.status_code == 201
    assert Signal.objects.get().source_reference == "WC\\u0000"
