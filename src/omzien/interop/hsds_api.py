"""The answers of the HSDS API as plain data: the routers in `omzien.api` only parse input and
call these. Lists come in the HSDS page envelope; the queries per request are one count, one
page and the prefetches of that page.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db.models import QuerySet

from omzien.directory.models import (
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from omzien.interop import hsds, selectors
from omzien.interop.selectors import ServiceFilter

T = TypeVar("T")
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50


def api_info(openapi_url: str, profile_url: str) -> dict[str, str]:
    return {"version": hsds.HSDS_VERSION, "profile": profile_url, "openapi_url": openapi_url}


def envelope(contents: list[Any], total: int, page: int, per_page: int) -> dict[str, Any]:
    """The HSDS `Page`: `size` is the number of items on this page."""
    total_pages = math.ceil(total / per_page) if total else 0
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def page_items(queryset: QuerySet[Any], page: int, per_page: int) -> tuple[list[Any], int]:
    """The objects on `page` and the total, in as few queries as the page allows.

    Page 1 that is not full needs no count (its length is the total). A page past the end is
    answered from the count alone, without asking for rows at an impossible offset.
    """
    start = (page - 1) * per_page
    if page == 1:
        items = _rows(queryset, 0, per_page)
        total = len(items) if len(items) < per_page else queryset.count()
        return items, total
    total = queryset.count()
    if start >= total:
        return [], total
    return _rows(queryset, start, per_page), total


def _rows(queryset: QuerySet[Any], start: int, size: int) -> list[Any]:
    if "search_rank" not in queryset.query.annotations:
        return list(queryset[start : start + size])
    # Ranked by the search: sort only ids and ranks, then fetch the page's rows. Sorting every
    # match with all its columns (and joined organization) cost a third more.
    ids = list(queryset.values_list("pk", flat=True)[start : start + size])
    fetched = {
        obj.pk: obj
        for obj in queryset.model._default_manager.filter(pk__in=ids)
        .select_related(*_selected(queryset))
        .prefetch_related(*getattr(queryset, "_prefetch_related_lookups", ()))
    }
    return [fetched[pk] for pk in ids if pk in fetched]


def _selected(queryset: QuerySet[Any]) -> list[str]:
    related = queryset.query.select_related
    if not isinstance(related, dict):
        return []
    names: list[str] = []

    def walk(tree: dict[str, Any], prefix: str) -> None:
        for key, sub in tree.items():
            names.append(prefix + key)
            if sub:
                walk(sub, f"{prefix}{key}__")

    walk(related, "")
    return names


def _page(
    queryset: QuerySet[Any],
    page: int,
    per_page: int,
    prepare: Callable[[QuerySet[Any]], QuerySet[Any]],
    render: Callable[[Sequence[Any]], list[dict[str, Any]]],
    ranked: tuple[list[Any], int] | None = None,
) -> dict[str, Any]:
    if ranked is not None:
        # The search ordered and counted in the facet catalogue: read only the page's rows.
        ids, total = ranked
        fetched = {
            obj.pk: obj for obj in prepare(queryset.model._default_manager.filter(pk__in=ids))
        }
        items = [fetched[pk] for pk in ids if pk in fetched]
    else:
        items, total = page_items(prepare(queryset), page, per_page)
    return envelope(render(items), total, page, per_page)


# --- services -------------------------------------------------------------------------------------


def service_page(
    given: ServiceFilter, page: int, per_page: int, *, minimal: bool = False, full: bool = False
) -> dict[str, Any]:
    ranked = selectors.ranked_page(given, page, per_page)
    # Searched in the catalogue: the search need not be planned a second time for SQL.
    queryset = selectors.services_for_list(given) if ranked is None else selectors.public_services()
    if minimal:
        return _page(
            queryset.only("id", "last_modified"),
            page,
            per_page,
            lambda qs: qs.only("id", "last_modified"),
            lambda items: [hsds.service_minimal(s) for s in items],
            ranked,
        )
    if full:
        return _page(
            queryset,
            page,
            per_page,
            selectors.full_services,
            selectors.full_service_documents,
            ranked,
        )
    return _page(
        queryset,
        page,
        per_page,
        selectors.with_list_relations,
        lambda items: [hsds.service_to_hsds(s, full=False) for s in items],
        ranked,
    )


def service_detail(service_id: uuid.UUID) -> dict[str, Any] | None:
    found = list(selectors.full_services(selectors.public_services().filter(pk=service_id)))
    return selectors.full_service_documents(found)[0] if found else None


# --- service_at_location --------------------------------------------------------------------------


def _sal_list_item(sal: ServiceAtLocation) -> dict[str, Any]:
    return hsds.service_at_location_to_hsds(
        sal, full=False, service=hsds.service_to_hsds(sal.service, full=False)
    )


def _full_sals(items: Sequence[ServiceAtLocation]) -> list[dict[str, Any]]:
    services = {
        s.pk: s
        for s in selectors.full_services(
            Service.objects.filter(pk__in=[x.service_id for x in items])
        )
    }
    documents = selectors.full_service_documents(list(services.values()))
    by_id = {doc["id"]: doc for doc in documents}
    return [
        hsds.service_at_location_to_hsds(sal, full=True, service=by_id[str(sal.service_id)])
        for sal in items
    ]


def service_at_location_page(
    given: ServiceFilter,
    page: int,
    per_page: int,
    *,
    point: tuple[float, float] | None = None,
    within_m: float | None = None,
    full: bool = False,
) -> dict[str, Any]:
    queryset = selectors.public_service_at_locations(given)
    queryset = selectors.near(queryset, point, within_m) if point else queryset.order_by("pk")
    if full:
        return _page(queryset, page, per_page, selectors.full_service_at_locations, _full_sals)
    return _page(
        queryset,
        page,
        per_page,
        lambda qs: qs.select_related("location", "service__organization", "service__program"),
        lambda items: [_sal_list_item(s) for s in items],
    )


def service_at_location_detail(sal_id: uuid.UUID) -> dict[str, Any] | None:
    found = list(
        selectors.full_service_at_locations(
            ServiceAtLocation.objects.filter(
                pk=sal_id, service__in=selectors.public_services().values("pk")
            )
        )
    )
    return _full_sals(found)[0] if found else None


# --- organizations --------------------------------------------------------------------------------


def _organizations_with_services(
    organizations: Sequence[Organization], *, full: bool, full_service: bool
) -> list[dict[str, Any]]:
    services: dict[uuid.UUID, list[dict[str, Any]]] = {o.pk: [] for o in organizations}
    if full or full_service:
        queryset = (
            selectors.public_services().filter(organization__in=list(services)).order_by("pk")
        )
        if full_service:
            found = list(selectors.full_services(queryset))
            for service, document in zip(
                found, selectors.full_service_documents(found), strict=True
            ):
                services[service.organization_id].append(document)  # type: ignore[index]
        else:
            for service in queryset.select_related("organization", "program"):
                services[service.organization_id].append(  # type: ignore[index]
                    hsds.service_to_hsds(service, full=False)
                )
    documents = [
        hsds.organization_to_hsds(
            o, full=full, services=services[o.pk] if (full or full_service) else None
        )
        for o in organizations
    ]
    if full:
        hsds.attach_attributes(
            documents,
            "organization",
            selectors.attributes_linked_to(hsds.linked_ids(documents, "organization")),
        )
    return documents


def organization_page(
    search: str,
    taxonomy_term_id: uuid.UUID | None,
    taxonomy_id: uuid.UUID | None,
    page: int,
    per_page: int,
    *,
    full: bool = False,
    full_service: bool = False,
) -> dict[str, Any]:
    queryset = selectors.organizations_matching(search, taxonomy_term_id, taxonomy_id)
    return _page(
        queryset,
        page,
        per_page,
        selectors.full_organizations if full else (lambda qs: qs),
        lambda items: _organizations_with_services(items, full=full, full_service=full_service),
    )


def organization_detail(organization_id: uuid.UUID, *, full_service: bool) -> dict[str, Any] | None:
    found = list(selectors.full_organizations(Organization.objects.filter(pk=organization_id)))
    if not found:
        return None
    return _organizations_with_services(found, full=True, full_service=full_service)[0]


# --- taxonomies -----------------------------------------------------------------------------------


def taxonomy_page(search: str, page: int, per_page: int) -> dict[str, Any]:
    return _page(
        selectors.taxonomies_matching(search),
        page,
        per_page,
        lambda qs: qs,
        lambda items: [hsds.taxonomy_to_hsds(t) for t in items],
    )


def taxonomy_detail(taxonomy_id: uuid.UUID) -> dict[str, Any] | None:
    found = Taxonomy.objects.filter(pk=taxonomy_id).first()
    return hsds.taxonomy_to_hsds(found) if found else None


def taxonomy_term_page(
    search: str,
    taxonomy_id: uuid.UUID | None,
    parent_id: uuid.UUID | None,
    top_only: bool,
    page: int,
    per_page: int,
) -> dict[str, Any]:
    return _page(
        selectors.taxonomy_terms_matching(search, taxonomy_id, parent_id, top_only),
        page,
        per_page,
        lambda qs: qs,
        lambda items: [hsds.taxonomy_term_to_hsds(t) for t in items],
    )


def taxonomy_term_detail(term_id: uuid.UUID) -> dict[str, Any] | None:
    found = TaxonomyTerm.objects.select_related("taxonomy").filter(pk=term_id).first()
    return hsds.taxonomy_term_to_hsds(found) if found else None


# --- checks for filter values ---------------------------------------------------------------------


def unknown_references(
    *,
    taxonomy_term_id: uuid.UUID | None = None,
    taxonomy_id: uuid.UUID | None = None,
    organization_id: uuid.UUID | None = None,
    parent_id: uuid.UUID | None = None,
) -> list[str]:
    """The filter parameters whose id does not exist, so the API can say so (not just "0")."""
    unknown = []
    if taxonomy_term_id and not TaxonomyTerm.objects.filter(pk=taxonomy_term_id).exists():
        unknown.append("taxonomy_term_id")
    if taxonomy_id and not Taxonomy.objects.filter(pk=taxonomy_id).exists():
        unknown.append("taxonomy_id")
    if organization_id and not Organization.objects.filter(pk=organization_id).exists():
        unknown.append("organization_id")
    if parent_id and not TaxonomyTerm.objects.filter(pk=parent_id).exists():
        unknown.append("parent_id")
    return unknown
