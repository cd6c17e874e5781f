"""The sociale kaart as an Open Referral HSDS 3.1 API: public, read-only, no key.

Routers only read and check the query parameters, then call `interop.hsds_api`. Parameters and
answers follow the HSDS API reference (vendored in interop/hsds_schema/openapi.json).
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_naive, make_aware

from ninja import Query, Router
from pydantic import BeforeValidator

from omzien.api.errors import ApiError, Message, invalid, json_response, not_found
from omzien.areas import geo
from omzien.areas.importers import normalise_postcode
from omzien.interop import hsds_api
from omzien.interop.selectors import ServiceFilter

router = Router(tags=["HSDS"])

MAX_SEARCH_LENGTH = 200
MAX_PROXIMITY_M = 100_000


def _blank_to_none(value: Any) -> Any:
    """`?taxonomy_id=` (empty) means "no filter", as in most HTML forms and HTTP clients."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


OptionalId = Annotated[uuid.UUID | None, BeforeValidator(_blank_to_none)]
OptionalInt = Annotated[int | None, BeforeValidator(_blank_to_none)]
OptionalBool = Annotated[bool | None, BeforeValidator(_blank_to_none)]

_D = {
    "search": "Zoek in naam, beschrijving en andere tekst (full text search).",
    "page": "Paginanummer, vanaf 1 (page number, from 1).",
    "per_page": f"Aantal per pagina, hoogstens {hsds_api.MAX_PER_PAGE} "
    f"(standaard {hsds_api.DEFAULT_PER_PAGE}).",
    "format": "Alleen `json`.",
    "taxonomy_term_id": "Alleen met deze taxonomy term (attribute).",
    "taxonomy_id": "Alleen met een term uit deze taxonomy.",
    "organization_id": "Alleen van deze organization.",
    "modified_after": "Alleen gewijzigd op of na dit moment (ISO 8601, bv. 2024-01-31 of "
    "2024-01-31T12:00:00Z).",
    "minimal": "Alleen id en last_modified per dienst.",
    "full": "Volledig geneste objecten.",
    "full_service": "Diensten van de organization volledig genest.",
    "postcode": "Nederlandse postcode (bv. 5701 AB); sorteert op afstand.",
    "proximity": f"Alleen binnen zoveel meter van de postcode (hoogstens {MAX_PROXIMITY_M}).",
    "top_only": "Alleen termen zonder bovenliggende term.",
    "parent_id": "Alleen termen direct onder deze term.",
}

# Query parameters with their documentation, as types (so defaults stay plain None).
Search = Annotated[str | None, Query(None, description=_D["search"])]
Page = Annotated[OptionalInt, Query(None, description=_D["page"])]
PerPage = Annotated[OptionalInt, Query(None, description=_D["per_page"])]
Format = Annotated[str | None, Query(None, description=_D["format"])]
TermId = Annotated[OptionalId, Query(None, description=_D["taxonomy_term_id"])]
TaxonomyId = Annotated[OptionalId, Query(None, description=_D["taxonomy_id"])]
OrganizationId = Annotated[OptionalId, Query(None, description=_D["organization_id"])]
ModifiedAfter = Annotated[str | None, Query(None, description=_D["modified_after"])]
Minimal = Annotated[OptionalBool, Query(None, description=_D["minimal"])]
Full = Annotated[OptionalBool, Query(None, description=_D["full"])]
FullService = Annotated[OptionalBool, Query(None, description=_D["full_service"])]
Postcode = Annotated[str | None, Query(None, description=_D["postcode"])]
Proximity = Annotated[str | None, Query(None, description=_D["proximity"])]
TopOnly = Annotated[OptionalBool, Query(None, description=_D["top_only"])]
ParentId = Annotated[OptionalId, Query(None, description=_D["parent_id"])]


def _page(page: int | None, per_page: int | None) -> tuple[int, int]:
    page = 1 if page is None else page
    per_page = hsds_api.DEFAULT_PER_PAGE if per_page is None else per_page
    if page < 1:
        raise invalid(
            "page", "page moet een heel getal van 1 of meer zijn.", "page must be 1 or more."
        )
    if per_page < 1:
        raise invalid(
            "per_page",
            "per_page moet een heel getal van 1 of meer zijn.",
            "per_page must be 1 or more.",
        )
    # More than the maximum is not an error: the client gets the maximum, as `size` shows.
    return page, min(per_page, hsds_api.MAX_PER_PAGE)


def _search(search: str | None) -> str:
    search = (search or "").strip()
    if len(search) > MAX_SEARCH_LENGTH:
        raise invalid(
            "search",
            f"search mag hoogstens {MAX_SEARCH_LENGTH} tekens lang zijn.",
            f"search may be at most {MAX_SEARCH_LENGTH} characters long.",
        )
    return search


def _format(value: str | None) -> None:
    if value not in (None, "", "json"):
        raise invalid(
            "format",
            "format kan alleen json zijn.",
            "format can only be json.",
        )


def _modified_after(value: str | None) -> dt.datetime | None:
    if value is None or not value.strip():
        return None
    text = value.strip().replace(" ", "+")  # a "+" in a query string arrives as a space
    try:
        parsed = parse_datetime(text)
        if parsed is None:
            day = parse_date(text)
            parsed = dt.datetime.combine(day, dt.time()) if day else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise invalid(
            "modified_after",
            "modified_after moet een datum of tijdstip zijn (ISO 8601), zoals 2024-01-31 of "
            "2024-01-31T12:00:00Z.",
            "modified_after must be a date or date-time (ISO 8601), such as 2024-01-31 or "
            "2024-01-31T12:00:00Z.",
        )
    return make_aware(parsed) if is_naive(parsed) else parsed


def _check_references(**ids: uuid.UUID | None) -> None:
    unknown = hsds_api.unknown_references(**ids)
    if unknown:
        raise ApiError(
            400,
            "unknown_reference",
            [
                Message(
                    f"Er bestaat geen object met {p} {ids[p]}.",
                    f"There is no object with {p} {ids[p]}.",
                )
                for p in unknown
            ],
            unknown,
        )


def _location(
    request: HttpRequest, postcode: str | None, proximity: str | None
) -> tuple[tuple[float, float] | None, float | None]:
    within: float | None = None
    if proximity is not None and proximity.strip():
        try:
            within = float(proximity)
        except ValueError:
            within = math.nan
        if not (0 < within <= MAX_PROXIMITY_M):
            raise invalid(
                "proximity",
                "proximity moet een afstand in meters zijn, groter dan 0 en hoogstens "
                f"{MAX_PROXIMITY_M}.",
                f"proximity must be a distance in metres, more than 0 and at most "
                f"{MAX_PROXIMITY_M}.",
            )
    if postcode is None or not postcode.strip():
        if within is not None:
            raise invalid(
                "proximity",
                "proximity werkt alleen samen met postcode.",
                "proximity only works together with postcode.",
            )
        return None, None
    normalised = normalise_postcode(postcode)
    if normalised is None:
        raise invalid(
            "postcode",
            f"“{postcode[:20]}” is geen Nederlandse postcode; een postcode is zoals 5701 AB.",
            f"“{postcode[:20]}” is not a Dutch postcode; a postcode looks like 5701 AB.",
        )
    point = geo.locate_postcode(normalised, may_ask_pdok=geo.client_may_ask_pdok(request))
    if point is None:
        raise invalid(
            "postcode",
            f"Postcode {normalised} is niet gevonden.",
            f"Postcode {normalised} was not found.",
        )
    return point, within


def _detail(found: dict[str, Any] | None) -> HttpResponse:
    if found is None:
        raise not_found("id")
    return json_response(found)


@router.get("/", summary="Over deze API (version, profile, openapi_url)")
def api_root(request: HttpRequest) -> HttpResponse:
    return json_response(
        hsds_api.api_info(
            openapi_url=request.build_absolute_uri(reverse("api:openapi-json")),
            profile_url=request.build_absolute_uri(reverse("api:openapi-view")),
        )
    )


def _service_filter(
    search: str | None,
    taxonomy_term_id: uuid.UUID | None,
    taxonomy_id: uuid.UUID | None,
    organization_id: uuid.UUID | None,
    modified_after: str | None,
) -> ServiceFilter:
    """The filters /services and /service_at_locations share, with their references checked."""
    given = ServiceFilter(
        search=_search(search),
        taxonomy_term_id=taxonomy_term_id,
        taxonomy_id=taxonomy_id,
        organization_id=organization_id,
        modified_after=_modified_after(modified_after),
    )
    _check_references(
        taxonomy_term_id=taxonomy_term_id, taxonomy_id=taxonomy_id, organization_id=organization_id
    )
    return given


@router.get("/services", summary="Diensten (services), per pagina")
def list_services(
    request: HttpRequest,
    search: Search = None,
    page: Page = None,
    per_page: PerPage = None,
    format: Format = None,  # noqa: A002 - the HSDS parameter name
    taxonomy_term_id: TermId = None,
    taxonomy_id: TaxonomyId = None,
    organization_id: OrganizationId = None,
    modified_after: ModifiedAfter = None,
    minimal: Minimal = None,
    full: Full = None,
) -> HttpResponse:
    page_number, size = _page(page, per_page)
    _format(format)
    given = _service_filter(search, taxonomy_term_id, taxonomy_id, organization_id, modified_after)
    return json_response(
        hsds_api.service_page(given, page_number, size, minimal=bool(minimal), full=bool(full))
    )


@router.get("/services/{id}", summary="Eén dienst, volledig genest")
def get_service(request: HttpRequest, id: uuid.UUID) -> HttpResponse:  # noqa: A002
    return _detail(hsds_api.service_detail(id))


@router.get("/service_at_locations", summary="Diensten op locaties, met postcode en afstand")
def list_service_at_locations(
    request: HttpRequest,
    search: Search = None,
    page: Page = None,
    per_page: PerPage = None,
    format: Format = None,  # noqa: A002
    taxonomy_term_id: TermId = None,
    taxonomy_id: TaxonomyId = None,
    organization_id: OrganizationId = None,
    modified_after: ModifiedAfter = None,
    full: Full = None,
    postcode: Postcode = None,
    proximity: Proximity = None,
) -> HttpResponse:
    page_number, size = _page(page, per_page)
    _format(format)
    given = _service_filter(search, taxonomy_term_id, taxonomy_id, organization_id, modified_after)
    point, within = _location(request, postcode, proximity)
    return json_response(
        hsds_api.service_at_location_page(
            given, page_number, size, point=point, within_m=within, full=bool(full)
        )
    )


@router.get("/service_at_locations/{id}", summary="Eén dienst op een locatie")
def get_service_at_location(
    request: HttpRequest,
    id: uuid.UUID,  # noqa: A002
) -> HttpResponse:
    return _detail(hsds_api.service_at_location_detail(id))


@router.get("/organizations", summary="Organisaties (organizations)")
def list_organizations(
    request: HttpRequest,
    search: Search = None,
    full_service: FullService = None,
    full: Full = None,
    taxonomy_term_id: TermId = None,
    taxonomy_id: TaxonomyId = None,
    page: Page = None,
    per_page: PerPage = None,
    format: Format = None,  # noqa: A002
) -> HttpResponse:
    page_number, size = _page(page, per_page)
    _format(format)
    _check_references(taxonomy_term_id=taxonomy_term_id, taxonomy_id=taxonomy_id)
    return json_response(
        hsds_api.organization_page(
            _search(search),
            taxonomy_term_id,
            taxonomy_id,
            page_number,
            size,
            full=bool(full),
            full_service=bool(full_service),
        )
    )


@router.get("/organizations/{id}", summary="Eén organisatie, volledig genest")
def get_organization(
    request: HttpRequest,
    id: uuid.UUID,  # noqa: A002
    full_service: FullService = None,
) -> HttpResponse:
    return _detail(hsds_api.organization_detail(id, full_service=bool(full_service)))


@router.get("/taxonomies", summary="Taxonomieën (taxonomies)")
def list_taxonomies(
    request: HttpRequest,
    search: Search = None,
    page: Page = None,
    per_page: PerPage = None,
    format: Format = None,  # noqa: A002
) -> HttpResponse:
    page_number, size = _page(page, per_page)
    _format(format)
    return json_response(hsds_api.taxonomy_page(_search(search), page_number, size))


@router.get("/taxonomies/{id}", summary="Eén taxonomie")
def get_taxonomy(request: HttpRequest, id: uuid.UUID) -> HttpResponse:  # noqa: A002
    return _detail(hsds_api.taxonomy_detail(id))


@router.get("/taxonomy_terms", summary="Termen (taxonomy terms)")
def list_taxonomy_terms(
    request: HttpRequest,
    search: Search = None,
    page: Page = None,
    per_page: PerPage = None,
    format: Format = None,  # noqa: A002
    taxonomy_id: TaxonomyId = None,
    top_only: TopOnly = None,
    parent_id: ParentId = None,
) -> HttpResponse:
    page_number, size = _page(page, per_page)
    _format(format)
    _check_references(taxonomy_id=taxonomy_id, parent_id=parent_id)
    return json_response(
        hsds_api.taxonomy_term_page(
            _search(search), taxonomy_id, parent_id, bool(top_only), page_number, size
        )
    )


@router.get("/taxonomy_terms/{id}", summary="Eén term")
def get_taxonomy_term(
    request: HttpRequest,
    id: uuid.UUID,  # noqa: A002
) -> HttpResponse:
    return _detail(hsds_api.taxonomy_term_detail(id))
