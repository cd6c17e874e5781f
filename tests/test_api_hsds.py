"""The HSDS 3.1 API under /api/v1/: answers checked against the vendored HSDS schemas, and the
meaning of every filter, page and error. The same tests run on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

from django.test import Client
from django.utils import timezone

import pytest

from omzien.directory.models import (
    Address,
    Attribute,
    Phone,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from omzien.directory.search import get_backend
from omzien.directory.vocabularies import taxonomy_id, term_id
from omzien.interop.hsds_import import import_hsds
from omzien.interop.hsds_schemas import openapi_response_validator, validator
from tests.factories import DirectoryOrganizationFactory, LocationFactory, ServiceFactory, tag

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "hsds"
ENVELOPE = [
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
]
INTERNAL_FIELDS = {
    "slug",
    "scope",
    "owner",
    "owner_id",
    "is_published",
    "is_trusted",
    "area_code",
    "verification_reminder_sent_at",
    "created_at",
    "search_text",
    "neighbourhood",
    "key",
}
HELMOND = (51.4816, 5.6611)
EINDHOVEN = (51.4416, 5.4697)  # about 14 km from Helmond


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def kaart(db: None) -> Iterator[dict[str, Any]]:
    """Four public-or-not services in two organizations, one of them tagged and located."""
    org_a = DirectoryOrganizationFactory(name="Stichting Samen")
    org_b = DirectoryOrganizationFactory(name="Buurtwerk Oost")
    koffie = ServiceFactory(
        organization=org_a,
        name="Koffieochtend in de buurt",
        description="Samen koffie drinken en een praatje maken.",
        minimum_age=55,
        last_modified=timezone.now() - dt.timedelta(days=30),
    )
    maatje = ServiceFactory(
        organization=org_b,
        name="Maatje voor thuis",
        description="Een vrijwilliger komt bij u thuis op bezoek.",
        status=ServiceStatus.TEMPORARILY_CLOSED,
    )
    hidden = ServiceFactory(organization=org_a, name="Nog niet klaar", is_published=False)
    stopped = ServiceFactory(organization=org_a, name="Gestopt", status=ServiceStatus.DEFUNCT)
    tag(koffie, "support_kind", "meeting")
    tag(koffie, "target_group", "older_adults")
    tag(maatje, "support_kind", "personal_contact")
    helmond = LocationFactory(organization=org_a, name="Buurthuis Helmond")
    Address.objects.create(
        location=helmond,
        address_1="Markt 1",
        city="Helmond",
        state_province="Noord-Brabant",
        postal_code="5701 AB",
    )
    eindhoven = LocationFactory(
        organization=org_b,
        name="Wijkcentrum Eindhoven",
        latitude=EINDHOVEN[0],
        longitude=EINDHOVEN[1],
    )
    near = ServiceAtLocation.objects.create(service=koffie, location=helmond)
    far = ServiceAtLocation.objects.create(service=maatje, location=eindhoven)
    ServiceAtLocation.objects.create(service=hidden, location=helmond)
    Phone.objects.create(service=koffie, number="0492 123456", extension="12")
    get_backend().rebuild()
    yield {
        "org_a": org_a,
        "org_b": org_b,
        "koffie": koffie,
        "maatje": maatje,
        "hidden": hidden,
        "stopped": stopped,
        "near": near,
        "far": far,
    }


def get(client: Client, url: str, **params: Any) -> Any:
    response = client.get(url, params)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"].startswith("application/json")
    return response


def ok(client: Client, url: str, **params: Any) -> Any:
    response = get(client, url, **params)
    assert response.status_code == 200, response.content
    return response.json()


def assert_valid(name_or_path: str, data: Any, *, openapi: bool = False) -> None:
    check = openapi_response_validator(name_or_path) if openapi else validator(name_or_path)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in check.iter_errors(data)]
    assert not errors, errors


def assert_page(data: dict[str, Any]) -> None:
    assert list(data) == ENVELOPE
    assert data["size"] == len(data["contents"])
    assert data["empty"] is (not data["contents"])


def all_keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for item in value.values() for k in all_keys(item)}
    if isinstance(value, list):
        return {k for item in value for k in all_keys(item)}
    return set()


def ids(data: dict[str, Any]) -> set[str]:
    return {item["id"] for item in data["contents"]}


def bad_request(client: Client, url: str, parameter: str, **params: Any) -> dict[str, Any]:
    response = get(client, url, **params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert parameter in body["parameters"]
    assert body["nl"] and body["en"] and body["nl"] != body["en"]
    return body  # type: ignore[no-any-return]


# -- the root and the documentation --------------------------------------------------------------


def test_root_says_which_hsds_version_and_where_the_openapi_is(client: Client) -> None:
    data = ok(client, "/api/v1/")
    assert data["version"] == "3.1"
    assert data["openapi_url"] == "http://testserver/api/v1/openapi.json"
    assert data["profile"].startswith("http://testserver/api/v1/")
    assert_valid("/", data, openapi=True)


def test_openapi_and_docs_are_served(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Omzien API"
    assert "/api/v1/services" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/api/v1/services" in html and "taxonomy_term_id" in html
    # Our content security policy forbids inline script: the page has none.
    assert "<script>" not in html


# -- services --------------------------------------------------------------------------------------


def test_services_lists_only_published_running_services(client: Client, kaart: dict) -> None:
    data = ok(client, "/api/v1/services")
    assert_page(data)
    assert_valid("/services", data, openapi=True)
    assert ids(data) == {str(kaart["koffie"].id), str(kaart["maatje"].id)}
    assert data["total_items"] == 2 and data["total_pages"] == 1
    assert data["first_page"] and data["last_page"] and not data["empty"]


def test_a_list_item_has_its_organization_but_no_nested_arrays(client: Client, kaart: dict) -> None:
    item = next(
        i for i in ok(client, "/api/v1/services")["contents"] if i["id"] == str(kaart["koffie"].id)
    )
    assert item["organization"]["name"] == "Stichting Samen"
    assert item["minimum_age"] == 55
    assert "phones" not in item and "attributes" not in item


def test_full_services_validate_against_the_compiled_schema(client: Client, kaart: dict) -> None:
    data = ok(client, "/api/v1/services", full="true")
    assert_page(data)
    for service in data["contents"]:
        assert_valid("compiled/service.json", service)
    koffie = next(s for s in data["contents"] if s["id"] == str(kaart["koffie"].id))
    codes = {a["taxonomy_term"]["code"] for a in koffie["attributes"]}
    assert codes == {"meeting", "older_adults"}
    assert koffie["phones"][0]["extension"] == 12  # a number, as HSDS says
    location = koffie["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] == "5701 AB"


def test_no_internal_field_ever_reaches_the_api(client: Client, kaart: dict) -> None:
    import_hsds(FIXTURES / "service_full.json")
    Service.objects.update(is_published=True)
    seen: set[str] = set()
    for url in (
        "/api/v1/services?full=true",
        "/api/v1/organizations?full=true&full_service=true",
        "/api/v1/service_at_locations?full=true",
        f"/api/v1/services/{kaart['koffie'].id}",
        f"/api/v1/organizations/{kaart['org_a'].id}?full_service=true",
    ):
        seen |= all_keys(client.get(url).json())
    assert not seen & INTERNAL_FIELDS


def test_one_service_is_fully_nested_and_valid(client: Client, kaart: dict) -> None:
    data = ok(client, f"/api/v1/services/{kaart['koffie'].id}")
    assert_valid("/services/{id}", data, openapi=True)
    assert_valid("compiled/service.json", data)
    assert data["organization"]["id"] == str(kaart["org_a"].id)


def test_the_official_example_comes_back_valid_from_the_api(client: Client) -> None:
    import_hsds(FIXTURES / "service_full.json")
    data = ok(client, "/api/v1/services/ac148810-d857-441c-9679-408f346de14b")
    assert_valid("compiled/service.json", data)
    assert data["phones"][0]["number"] == "+44 1234 234567"
    assert data["cost_options"][0]["amount"] == 35
    assert data["schedules"][0]["opens_at"] == "10:00:00"
    assert data["assured_date"] == "2005-01-01"
    assert data["last_modified"] == "2023-03-15T10:30:45.123000Z"
    assert data["attributes"][0]["taxonomy_term"]["taxonomy_detail"]["name"] == "name"


@pytest.mark.parametrize("which", ["hidden", "stopped"])
def test_a_hidden_service_is_not_found(client: Client, kaart: dict, which: str) -> None:
    response = get(client, f"/api/v1/services/{kaart[which].id}")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_an_unknown_service_is_not_found(client: Client, kaart: dict) -> None:
    assert get(client, f"/api/v1/services/{uuid.uuid4()}").status_code == 404


@pytest.mark.parametrize("value", ["abc", "123", "ac148810-d857-441c-9679", "' OR 1=1 --"])
def test_a_malformed_id_is_a_clear_400(client: Client, kaart: dict, value: str) -> None:
    bad_request(client, f"/api/v1/services/{value}", "id")
    bad_request(client, f"/api/v1/taxonomy_terms/{value}", "id")


def test_minimal_gives_only_id_and_last_modified(client: Client, kaart: dict) -> None:
    data = ok(client, "/api/v1/services", minimal="true")
    assert all(set(item) == {"id", "last_modified"} for item in data["contents"])


# -- filters --------------------------------------------------------------------------------------


def test_taxonomy_term_filter(client: Client, kaart: dict) -> None:
    data = ok(client, "/api/v1/services", taxonomy_term_id=str(term_id("support_kind", "meeting")))
    assert ids(data) == {str(kaart["koffie"].id)}


def test_taxonomy_filter_matches_any_term_of_it(client: Client, kaart: dict) -> None:
    data = ok(client, "/api/v1/services", taxonomy_id=str(taxonomy_id("support_kind")))
    assert ids(data) == {str(kaart["koffie"].id), str(kaart["maatje"].id)}
    data = ok(client, "/api/v1/services", taxonomy_id=str(taxonomy_id("target_group")))
    assert ids(data) == {str(kaart["koffie"].id)}


def test_organization_filter(client: Client, kaart: dict) -> None:
    data = ok(client, "/api/v1/services", organization_id=str(kaart["org_b"].id))
    assert ids(data) == {str(kaart["maatje"].id)}


def test_modified_after(client: Client, kaart: dict) -> None:
    since = (timezone.now() - dt.timedelta(days=1)).date().isoformat()
    assert ids(ok(client, "/api/v1/services", modified_after=since)) == {str(kaart["maatje"].id)}
    instant = "2000-01-01T00:00:00+01:00"
    assert len(ok(client, "/api/v1/services", modified_after=instant)["contents"]) == 2


def test_filters_combine_with_and(client: Client, kaart: dict) -> None:
    meeting = str(term_id("support_kind", "meeting"))
    both = ok(
        client, "/api/v1/services", taxonomy_term_id=meeting, organization_id=str(kaart["org_a"].id)
    )
    assert ids(both) == {str(kaart["koffie"].id)}
    neither = ok(
        client, "/api/v1/services", taxonomy_term_id=meeting, organization_id=str(kaart["org_b"].id)
    )
    assert neither["contents"] == [] and neither["empty"] and neither["total_items"] == 0


def test_search_uses_the_search_index_and_combines_with_filters(
    client: Client, kaart: dict
) -> None:
    assert ids(ok(client, "/api/v1/services", search="koffie")) == {str(kaart["koffie"].id)}
    assert ids(ok(client, "/api/v1/services", search="vrijwilliger thuis")) == {
        str(kaart["maatje"].id)
    }
    assert (
        ok(client, "/api/v1/services", search="koffie", organization_id=str(kaart["org_b"].id))[
            "contents"
        ]
        == []
    )
    # The unpublished service matches the words but stays hidden.
    assert ok(client, "/api/v1/services", search="klaar")["contents"] == []


def test_empty_parameters_mean_no_filter(client: Client, kaart: dict) -> None:
    data = ok(client, "/api/v1/services?taxonomy_term_id=&organization_id=&page=&search=")
    assert data["total_items"] == 2


@pytest.mark.parametrize("parameter", ["taxonomy_term_id", "taxonomy_id", "organization_id"])
def test_unknown_ids_in_filters_are_a_clear_400(
    client: Client, kaart: dict, parameter: str
) -> None:
    body = bad_request(client, "/api/v1/services", parameter, **{parameter: str(uuid.uuid4())})
    assert body["error"] == "unknown_reference"


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"taxonomy_term_id": "meeting"}, "taxonomy_term_id"),
        ({"organization_id": "12"}, "organization_id"),
        ({"modified_after": "gisteren"}, "modified_after"),
        ({"modified_after": "2024-13-45"}, "modified_after"),
        ({"minimal": "misschien"}, "minimal"),
        ({"full": "2"}, "full"),
        ({"format": "ndjson"}, "format"),
        ({"search": "x" * 201}, "search"),
    ],
)
def test_malformed_filter_values_are_a_clear_400(
    client: Client, kaart: dict, params: dict[str, str], parameter: str
) -> None:
    bad_request(client, "/api/v1/services", parameter, **params)


# -- pages -----------------------------------------------------------------------------------------


def test_pages(client: Client, kaart: dict) -> None:
    first = ok(client, "/api/v1/services", per_page=1)
    second = ok(client, "/api/v1/services", per_page=1, page=2)
    assert first["total_pages"] == 2 and first["first_page"] and not first["last_page"]
    assert second["page_number"] == 2 and second["last_page"] and not second["first_page"]
    assert ids(first) | ids(second) == {str(kaart["koffie"].id), str(kaart["maatje"].id)}
    assert_valid("/services", second, openapi=True)


@pytest.mark.parametrize("page", [3, 999999, 10**30])
def test_a_page_past_the_end_is_empty_not_an_error(client: Client, kaart: dict, page: int) -> None:
    data = ok(client, "/api/v1/services", per_page=1, page=page)
    assert data["contents"] == [] and data["empty"] and data["size"] == 0
    assert data["total_items"] == 2 and data["last_page"]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5"])
def test_absurd_page_numbers_are_a_clear_400(client: Client, kaart: dict, page: str) -> None:
    bad_request(client, "/api/v1/services", "page", page=page)


@pytest.mark.parametrize("per_page", ["0", "-5", "veel"])
def test_absurd_page_sizes_are_a_clear_400(client: Client, kaart: dict, per_page: str) -> None:
    bad_request(client, "/api/v1/services", "per_page", per_page=per_page)


def test_per_page_is_capped_at_100(client: Client) -> None:
    organization = DirectoryOrganizationFactory()
    for number in range(105):
        ServiceFactory(organization=organization, name=f"Dienst {number}", slug=f"d-{number}")
    data = ok(client, "/api/v1/services", per_page=5000)
    assert data["size"] == 100 and data["total_pages"] == 2 and data["total_items"] == 105


def test_a_list_takes_a_fixed_number_of_queries(
    client: Client, kaart: dict, django_assert_max_num_queries: Any
) -> None:
    for number in range(30):
        ServiceFactory(name=f"Extra {number}", slug=f"extra-{number}")
    with django_assert_max_num_queries(4):
        client.get("/api/v1/services", {"per_page": 50})


def test_a_full_list_takes_a_fixed_number_of_queries(
    client: Client, kaart: dict, django_assert_max_num_queries: Any
) -> None:
    for number in range(10):
        service = ServiceFactory(name=f"Extra {number}", slug=f"extra-{number}")
        tag(service, "form", "group")
        Phone.objects.create(service=service, number="06 12345678")
    with django_assert_max_num_queries(45):
        client.get("/api/v1/services", {"full": "true"})


# -- service_at_locations -------------------------------------------------------------------------


def test_service_at_locations_list_and_detail_validate(client: Client, kaart: dict) -> None:
    data = ok(client, "/api/v1/service_at_locations")
    assert_page(data)
    assert_valid("/service_at_locations", data, openapi=True)
    assert ids(data) == {str(kaart["near"].id), str(kaart["far"].id)}
    item = next(i for i in data["contents"] if i["id"] == str(kaart["near"].id))
    assert item["service"]["id"] == str(kaart["koffie"].id)
    assert item["location"]["name"] == "Buurthuis Helmond"
    detail = ok(client, f"/api/v1/service_at_locations/{kaart['near'].id}")
    # The HSDS API reference points this at compiled/service.json by mistake; the object is a
    # service_at_location with its service nested.
    assert_valid("compiled/service_at_location.json", detail)
    full = ok(client, "/api/v1/service_at_locations", full="true")
    for sal in full["contents"]:
        assert_valid("compiled/service_at_location.json", sal)


def test_postcode_and_proximity(client: Client, kaart: dict) -> None:
    with mock.patch("omzien.areas.geo.locate_postcode", return_value=HELMOND) as locate:
        nearby = ok(client, "/api/v1/service_at_locations", postcode="5701 ab", proximity="5000")
        everything = ok(client, "/api/v1/service_at_locations", postcode="5701AB")
        wide = ok(client, "/api/v1/service_at_locations", postcode="5701AB", proximity="20000")
    locate.assert_called_with("5701AB", may_ask_pdok=mock.ANY)
    assert ids(nearby) == {str(kaart["near"].id)}
    # Without proximity the postcode sorts by distance, nearest first.
    assert [i["id"] for i in everything["contents"]] == [
        str(kaart["near"].id),
        str(kaart["far"].id),
    ]
    assert ids(wide) == {str(kaart["near"].id), str(kaart["far"].id)}


def test_postcode_combines_with_the_other_filters(client: Client, kaart: dict) -> None:
    with mock.patch("omzien.areas.geo.locate_postcode", return_value=EINDHOVEN):
        data = ok(
            client,
            "/api/v1/service_at_locations",
            postcode="5611 AB",
            proximity="1000",
            organization_id=str(kaart["org_a"].id),
        )
    assert data["contents"] == []


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"postcode": "12345"}, "postcode"),
        ({"postcode": "Helmond"}, "postcode"),
        ({"postcode": "5701AB", "proximity": "ver"}, "proximity"),
        ({"postcode": "5701AB", "proximity": "-10"}, "proximity"),
        ({"postcode": "5701AB", "proximity": "0"}, "proximity"),
        ({"postcode": "5701AB", "proximity": "1e9"}, "proximity"),
        ({"postcode": "5701AB", "proximity": "nan"}, "proximity"),
        ({"proximity": "1000"}, "proximity"),
    ],
)
def test_bad_postcode_or_proximity_is_a_clear_400(
    client: Client, kaart: dict, params: dict[str, str], parameter: str
) -> None:
    with mock.patch("omzien.areas.geo.locate_postcode", return_value=HELMOND):
        bad_request(client, "/api/v1/service_at_locations", parameter, **params)


def test_a_postcode_nobody_can_place_is_a_clear_400(client: Client, kaart: dict) -> None:
    with mock.patch("omzien.areas.geo.locate_postcode", return_value=None):
        body = bad_request(client, "/api/v1/service_at_locations", "postcode", postcode="9999 ZZ")
    assert "9999ZZ" in body["nl"]


def test_a_hidden_services_location_is_not_found(client: Client, kaart: dict) -> None:
    hidden = ServiceAtLocation.objects.get(service=kaart["hidden"])
    assert get(client, f"/api/v1/service_at_locations/{hidden.id}").status_code == 404


# -- organizations and taxonomies ------------------------------------------------------------------


def test_organizations(client: Client, kaart: dict) -> None:
    data = ok(client, "/api/v1/organizations")
    assert_page(data)
    assert_valid("/organizations", data, openapi=True)
    assert ids(data) == {str(kaart["org_a"].id), str(kaart["org_b"].id)}
    assert ids(ok(client, "/api/v1/organizations", search="oost")) == {str(kaart["org_b"].id)}
    detail = ok(client, f"/api/v1/organizations/{kaart['org_a'].id}")
    assert_valid("/organizations/{id}", detail, openapi=True)
    # Only the public service of organization A, as a list item.
    assert [s["id"] for s in detail["services"]] == [str(kaart["koffie"].id)]
    full = ok(client, f"/api/v1/organizations/{kaart['org_a'].id}", full_service="true")
    assert_valid("compiled/organization.json", full)
    assert full["services"][0]["attributes"]
    assert get(client, f"/api/v1/organizations/{uuid.uuid4()}").status_code == 404


def test_organizations_filtered_by_their_own_attributes(client: Client, kaart: dict) -> None:
    term = TaxonomyTerm.objects.get(id=term_id("partner_domain", "sport"))
    Attribute.objects.create(
        link_id=kaart["org_b"].id, link_entity="organization", taxonomy_term=term
    )
    data = ok(client, "/api/v1/organizations", taxonomy_term_id=str(term.id))
    assert ids(data) == {str(kaart["org_b"].id)}
    full = ok(client, f"/api/v1/organizations/{kaart['org_b'].id}")
    assert full["attributes"][0]["taxonomy_term"]["code"] == "sport"


def test_taxonomies_and_terms(client: Client, kaart: dict) -> None:
    data = ok(client, "/api/v1/taxonomies", per_page=100)
    assert_page(data)
    assert_valid("/taxonomies", data, openapi=True)
    assert str(taxonomy_id("support_kind")) in ids(data)
    one = ok(client, f"/api/v1/taxonomies/{taxonomy_id('support_kind')}")
    assert_valid("/taxonomies/{id}", one, openapi=True)
    terms = ok(client, "/api/v1/taxonomy_terms", taxonomy_id=str(taxonomy_id("form")))
    assert_valid("/taxonomy_terms", terms, openapi=True)
    assert {t["code"] for t in terms["contents"]} == {"group", "individual"}
    term = ok(client, f"/api/v1/taxonomy_terms/{term_id('form', 'group')}")
    assert_valid("/taxonomy_terms/{id}", term, openapi=True)
    assert term["taxonomy_detail"]["id"] == str(taxonomy_id("form"))


def test_taxonomy_terms_top_only_and_parent(client: Client, kaart: dict) -> None:
    parent = TaxonomyTerm.objects.get(id=term_id("form", "group"))
    child = TaxonomyTerm.objects.create(
        taxonomy=parent.taxonomy, parent=parent, code="small", name="Kleine groep", description="-"
    )
    tops = ok(
        client, "/api/v1/taxonomy_terms", taxonomy_id=str(parent.taxonomy_id), top_only="true"
    )
    assert str(child.id) not in ids(tops) and str(parent.id) in ids(tops)
    under = ok(client, "/api/v1/taxonomy_terms", parent_id=str(parent.id))
    assert ids(under) == {str(child.id)}
    bad_request(client, "/api/v1/taxonomy_terms", "parent_id", parent_id=str(uuid.uuid4()))
    bad_request(client, "/api/v1/taxonomy_terms", "top_only", top_only="soms")


def test_errors_are_json_with_dutch_and_english(client: Client, kaart: dict) -> None:
    body = bad_request(client, "/api/v1/services", "page", page="nul")
    assert body == {
        "status": 400,
        "error": "invalid_parameter",
        "nl": body["nl"],
        "en": body["en"],
        "parameters": ["page"],
    }
    assert "page" in body["nl"] and "page" in body["en"]


@pytest.mark.parametrize(
    "query", ['"', "AND OR NOT", "*", "%", "koffie -", "NEAR(a b)", "ü ß €", "'; --"]
)
def test_odd_search_text_never_breaks_the_api(client: Client, kaart: dict, query: str) -> None:
    assert get(client, "/api/v1/services", search=query).status_code == 200
    assert get(client, "/api/v1/service_at_locations", search=query).status_code == 200
