"""The digital signalling network: partner keys (`omzien partner-key`) and POST /api/v1/signals.

Keys are made through the command, as a municipality would; every test then talks HTTP.
"""

from __future__ import annotations

import hashlib
import io
import json
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

import pytest

from omzien.accounts.models import Organisation
from omzien.accounts.roles import OrganisationType, PartnerDomain
from omzien.audit.models import AuditEvent
from omzien.cases import partners, services
from omzien.cases.indicators import INDICATORS
from omzien.cases.models import Case, PartnerKey, Signal, SignalSource
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/signals"
NAME = "Geheime Gerritsen"
DESCRIPTION = "Huur drie maanden niet betaald, reageert niet op brieven."


def make_key(organisation_name: str) -> str:
    out = io.StringIO()
    call_command("partner_key", organisation_name, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "description": DESCRIPTION,
        "person": {"name": NAME, "address": "Markt 1", "postcode": "5701 AB"},
        "indicators": ["rent_unpaid", "mail_piling_up"],
        "source_reference": "WC-2025-0042",
    }
    data.update(overrides)
    return data


def post(client: Client, key: str | None, data: Any, **headers: str) -> Any:
    if key is not None:
        headers.setdefault("HTTP_AUTHORIZATION", f"Bearer {key}")
    payload = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(URL, payload, content_type="application/json", **headers)


@pytest.fixture
def housing(db: None) -> Organisation:
    return OrganisationFactory(
        name="Woningcorporatie Test", type=OrganisationType.PARTNER, domain=PartnerDomain.HOUSING
    )


@pytest.fixture
def water(db: None) -> Organisation:
    return OrganisationFactory(
        name="Waterbedrijf Test", type=OrganisationType.PARTNER, domain=PartnerDomain.HOUSING
    )


@pytest.fixture
def key(housing: Organisation) -> str:
    return make_key(housing.name)


@pytest.fixture
def client() -> Client:
    # Like a partner's server: no cookies, and CSRF checks on (a bearer API needs no CSRF token).
    return Client(enforce_csrf_checks=True)


# --- the command -----------------------------------------------------------------------------


def test_the_command_makes_a_key_that_is_stored_only_as_a_hash(housing):
    out = io.StringIO()
    call_command("partner_key", "woningcorporatie test", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    assert partners.KEY_RE.match(key)
    stored = PartnerKey.objects.get()
    assert stored.organisation == housing
    assert key.startswith(f"omz_{stored.prefix}_")
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    for field in PartnerKey._meta.concrete_fields:
        value = str(field.value_from_object(stored))
        assert value != key and key[13:] not in value
    event = AuditEvent.objects.get(action="partner_key.create")
    assert event.organisation == housing and event.details == {"key": stored.prefix}
    # A second key for the same organisation is a different key.
    assert make_key(housing.name) != key
    assert PartnerKey.objects.filter(organisation=housing).count() == 2


def test_the_command_refuses_an_unknown_organisation(db):
    with pytest.raises(CommandError, match="geen organisatie"):
        call_command("partner_key", "Bestaat Niet", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("partner_key", stdout=io.StringIO())
    assert not PartnerKey.objects.exists()


def test_the_command_lists_and_revokes_keys_without_showing_them(housing, key):
    prefix = key.split("_")[1]
    out = io.StringIO()
    call_command("partner_key", "--list", stdout=out)
    listing = out.getvalue()
    assert prefix in listing and housing.name in listing
    assert key not in listing and key[13:] not in listing

    out = io.StringIO()
    call_command("partner_key", "--revoke", prefix, stdout=out)
    assert "ingetrokken" in out.getvalue()
    assert PartnerKey.objects.get(prefix=prefix).revoked_at is not None
    assert AuditEvent.objects.filter(action="partner_key.revoke").count() == 1

    with pytest.raises(CommandError, match="geen sleutel"):
        call_command("partner_key", "--revoke", "zzzzzzzz", stdout=io.StringIO())


# --- sending a signal ------------------------------------------------------------------------


def test_a_partner_signal_becomes_an_encrypted_case_at_the_meldpunt(
    client, key, housing, welfare_a, welfare_b
):
    response = post(client, key, body())
    assert response.status_code == 201, response.content
    answer = response.json()
    assert set(answer) == {"id", "receipt", "status"}
    assert answer["status"] == "received"
    assert services.RECEIPT_RE.match(answer["receipt"])
    assert response["Access-Control-Allow-Origin"] == "*"

    case = Case.objects.get(pk=answer["id"])
    assert case.organisation == services.meldpunt_organisation() == welfare_a
    assert case.source == SignalSource.PARTNER
    assert case.person_name == NAME and case.person_postcode == "5701AB"
    signal = case.signals.get()
    assert signal.receipt == answer["receipt"]
    assert signal.partner == housing and signal.reporter_kind == "partner"
    assert signal.source_reference == "WC-2025-0042"
    assert signal.indicators == ["mail_piling_up", "rent_unpaid"]
    assert signal.description == DESCRIPTION

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT person_name, person_address FROM cases_case WHERE id = %s", [case.pk]
        )
        raw_name, raw_address = cursor.fetchone()
        cursor.execute("SELECT description FROM cases_signal WHERE id = %s", [signal.pk])
        (raw_description,) = cursor.fetchone()
    assert "Gerritsen" not in raw_name and raw_name.startswith("gAAAA")
    assert "Markt" not in raw_address
    assert "Huur" not in raw_description

    prefix = key.split("_")[1]
    event = AuditEvent.objects.get(action="signal.create")
    assert event.actor is None
    assert event.organisation == housing
    assert event.details == {"source": "partner", "key": prefix}
    assert NAME not in json.dumps(event.details)
    assert PartnerKey.objects.get(prefix=prefix).last_used_at is not None


def test_a_phone_or_email_alone_is_enough_to_reach_the_person(client, key, welfare_a):
    by_phone = post(client, key, body(person={"phone": "06 12345678"}, source_reference="a"))
    by_email = post(client, key, body(person={"email": "p@example.org"}, source_reference="b"))
    assert by_phone.status_code == 201, by_phone.content
    assert by_email.status_code == 201, by_email.content
    assert Case.objects.count() == 2


def test_sending_the_same_reference_again_gives_the_same_signal(client, key, welfare_a):
    first = post(client, key, body())
    again = post(client, key, body(description="Nog een keer gestuurd."))
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Signal.objects.count() == 1 and Case.objects.count() == 1
    assert AuditEvent.objects.filter(action="signal.create").count() == 1


def test_without_a_reference_every_post_is_a_new_signal(client, key, welfare_a):
    assert post(client, key, body(source_reference=None)).status_code == 201
    assert post(client, key, body(source_reference=None)).status_code == 201
    assert Signal.objects.count() == 2


def test_two_partners_may_use_the_same_reference(client, key, water, welfare_a):
    other_key = make_key(water.name)
    first = post(client, key, body())
    second = post(client, other_key, body())
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert Signal.objects.count() == 2
    assert set(Signal.objects.values_list("partner__name", flat=True)) == {
        "Woningcorporatie Test",
        "Waterbedrijf Test",
    }


def test_two_keys_of_one_partner_share_its_references(client, key, housing, welfare_a):
    second_key = make_key(housing.name)
    first = post(client, key, body())
    again = post(client, second_key, body())
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]


# --- keys that do not work -------------------------------------------------------------------


def _assert_refused(response: Any) -> dict[str, Any]:
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"].startswith("Bearer")
    answer = response.json()
    assert answer["status"] == 401 and answer["error"] == "unauthorized"
    assert answer["nl"] and answer["en"]
    return dict(answer)


def test_no_header_is_refused(client, welfare_a):
    answer = _assert_refused(post(client, None, body()))
    assert "Bearer" in answer["nl"]
    assert not Signal.objects.exists()


def test_another_scheme_is_refused(client, key, welfare_a):
    _assert_refused(post(client, None, body(), HTTP_AUTHORIZATION=f"Token {key}"))
    _assert_refused(post(client, None, body(), HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz"))
    _assert_refused(post(client, None, body(), HTTP_AUTHORIZATION=key))
    assert not Signal.objects.exists()


def test_an_unknown_key_is_refused(client, key, welfare_a):
    prefix = key.split("_")[1]
    wrong_secret = f"omz_{prefix}_{'x' * 43}"
    answer = _assert_refused(post(client, wrong_secret, body()))
    assert answer["en"] == "This key is not known."
    _assert_refused(post(client, "omz_abcdefgh_" + "y" * 43, body()))
    _assert_refused(post(client, "not-a-key", body()))
    _assert_refused(post(client, "", body()))
    assert not Signal.objects.exists()
    # A refused key is not marked as used.
    assert PartnerKey.objects.get(prefix=prefix).last_used_at is None


def test_a_revoked_key_is_refused(client, key, welfare_a):
    call_command("partner_key", "--revoke", key.split("_")[1], stdout=io.StringIO())
    answer = _assert_refused(post(client, key, body()))
    assert "ingetrokken" in answer["nl"]
    assert not Signal.objects.exists()


def test_a_key_of_an_organisation_that_was_switched_off_is_refused(client, key, housing, welfare_a):
    Organisation.objects.filter(pk=housing.pk).update(is_active=False)
    _assert_refused(post(client, key, body()))


# --- bodies that do not work -----------------------------------------------------------------


def _assert_field_error(response: Any, parameter: str) -> dict[str, Any]:
    assert response.status_code == 422, response.content
    answer = response.json()
    assert answer["error"] == "invalid_field"
    assert parameter in answer["parameters"]
    assert parameter in answer["nl"] and parameter in answer["en"]
    return dict(answer)


def test_a_signal_without_a_way_to_reach_the_person_is_refused(client, key, welfare_a):
    answer = _assert_field_error(post(client, key, body(person={"name": NAME})), "person")
    assert "person.phone" in answer["nl"]
    _assert_field_error(
        post(client, key, body(person={"name": NAME, "address": "Markt 1"})), "person.postcode"
    )
    _assert_field_error(post(client, key, body(person={"postcode": "5701AB"})), "person.address")
    _assert_field_error(post(client, key, body(person={"phone": "   "})), "person")
    _assert_field_error(post(client, key, body(person=None)), "person")
    _assert_field_error(post(client, key, body(person="Markt 1")), "person")
    assert not Signal.objects.exists()


def test_a_bad_email_or_postcode_is_refused(client, key, welfare_a):
    _assert_field_error(post(client, key, body(person={"email": "geen-adres"})), "person.email")
    _assert_field_error(
        post(client, key, body(person={"address": "Markt 1", "postcode": "12"})),
        "person.postcode",
    )
    assert not Signal.objects.exists()


def test_unknown_indicator_codes_are_refused(client, key, welfare_a):
    response = post(client, key, body(indicators=["rent_unpaid", "made_up"]))
    answer = _assert_field_error(response, "indicators")
    assert "made_up" in answer["nl"] and "rent_unpaid" not in answer["nl"]
    _assert_field_error(post(client, key, body(indicators="rent_unpaid")), "indicators")
    _assert_field_error(post(client, key, body(indicators=[1])), "indicators.0")
    assert not Signal.objects.exists()


def test_the_description_is_required_and_at_most_5000_characters(client, key, welfare_a):
    answer = _assert_field_error(post(client, key, body(description="x" * 6000)), "description")
    assert "5000" in answer["nl"]
    _assert_field_error(post(client, key, body(description="   ")), "description")
    data = body()
    del data["description"]
    _assert_field_error(post(client, key, data), "description")
    assert not Signal.objects.exists()
    assert post(client, key, body(description="x" * 5000)).status_code == 201


def test_unknown_fields_and_a_long_reference_are_refused(client, key, welfare_a):
    _assert_field_error(post(client, key, body(persoon={"phone": "0612345678"})), "persoon")
    _assert_field_error(
        post(client, key, body(person={"phone": "0612345678", "bsn": "123"})), "person.bsn"
    )
    _assert_field_error(post(client, key, body(source_reference="r" * 101)), "source_reference")
    assert not Signal.objects.exists()


@pytest.mark.parametrize("raw", ['{"description": ', "niet json", "", b"\xff\xfe", "[1, 2]", "42"])
def test_a_body_that_is_not_a_json_object_is_a_400(client, key, welfare_a, raw):
    response = post(client, key, raw)
    assert response.status_code == 400, response.content
    answer = response.json()
    assert answer["error"] == "invalid_json" and answer["parameters"] == ["body"]
    assert "JSON" in answer["nl"]


def test_without_a_meldpunt_the_answer_is_503_not_500(client, key):
    response = post(client, key, body())
    assert response.status_code == 503
    assert response.json()["error"] == "not_configured"
    assert not Signal.objects.exists()


# --- rate limit ------------------------------------------------------------------------------


def test_each_key_has_its_own_hourly_limit(client, key, housing, welfare_a, settings, monkeypatch):
    settings.OMZIEN_PARTNER_API_RATE_LIMIT = 2
    now = 1_800_000_000 + 1200  # 20 minutes into a clock hour
    monkeypatch.setattr(partners, "_clock", lambda: now)
    assert post(client, key, body(source_reference="1")).status_code == 201
    assert post(client, key, body(source_reference="2")).status_code == 201
    refused = post(client, key, body(source_reference="3"))
    assert refused.status_code == 429
    assert refused.json()["error"] == "rate_limited"
    assert refused["Retry-After"] == "2400"
    assert Signal.objects.count() == 2
    # Another key (also of the same organisation) still works.
    other = make_key(housing.name)
    assert post(client, other, body(source_reference="3")).status_code == 201
    # The next clock hour the first key works again.
    now += 2400
    assert post(client, key, body(source_reference="4")).status_code == 201


# --- the code list and the documentation -----------------------------------------------------


def test_the_indicator_list_is_public_and_complete(client, db):
    response = client.get(f"{URL}/indicators", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    listed = response.json()
    assert [item["code"] for item in listed] == [i.code for i in INDICATORS]
    by_code = {item["code"]: item for item in listed}
    assert by_code["rent_unpaid"] == {
        "code": "rent_unpaid",
        "label": "Huur niet betaald",
        "kind": "partner",
    }
    assert by_code["curtains_closed"]["kind"] == "observed"


def test_the_openapi_document_describes_the_signals_api(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/signals"]["post"]
    (requirement,) = operation["security"]
    (scheme_name,) = requirement
    assert schema["components"]["securitySchemes"][scheme_name]["scheme"] == "bearer"
    assert schema["components"]["securitySchemes"][scheme_name]["type"] == "http"
    request_schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert set(request_schema["required"]) == {"description", "person"}
    assert request_schema["properties"]["description"]["maxLength"] == 5000
    assert "phone" in request_schema["properties"]["person"]["properties"]
    assert "Wat is opgevallen" in request_schema["properties"]["description"]["description"]
    assert {"200", "201", "401", "422", "429"} <= set(operation["responses"])
    indicators = schema["paths"]["/api/v1/signals/indicators"]["get"]
    assert "security" not in indicators
