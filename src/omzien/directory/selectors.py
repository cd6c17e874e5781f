"""Reads for the public sociale kaart: search with facet counts, one service, compare, list."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, ExpressionWrapper, F, FloatField, Min, Prefetch, Q, QuerySet

from omzien.areas.models import District
from omzien.directory.filters import DAYS, FACET_PARAMS, PER_PAGE, SearchParams
from omzien.directory.geo import distance_km, locate_postcode
from omzien.directory.models import (
    Attribute,
    Language,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceScope,
    ServiceStatus,
    TaxonomyTerm,
)
from omzien.directory.vocabularies import BY_KEY, term_id

VISIBLE_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)
KM_PER_DEGREE = 111.32


def visible_services() -> QuerySet[Service]:
    return Service.objects.filter(is_published=True, status__in=VISIBLE_STATUSES)


def districts() -> list[District]:
    """The districts of the newest loaded classification, for the district filter."""
    year = District.objects.order_by("-year").values_list("year", flat=True).first()
    return list(District.objects.filter(year=year).order_by("name")) if year else []


def languages() -> list[tuple[str, str]]:
    rows = (
        Language.objects.filter(service__isnull=False)
        .exclude(code="")
        .values_list("code", "name")
        .distinct()
        .order_by("name")
    )
    seen: dict[str, str] = {}
    for code, name in rows:
        seen.setdefault(code, name or code)
    return sorted(seen.items(), key=lambda item: item[1])


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    param: str
    label: str
    options: list[FacetOption] = field(default_factory=list)


@dataclass
class SearchResult:
    page: Page
    total: int
    facets: list[Facet]
    info: Any  # omzien.search.backends.base.SearchInfo
    origin: tuple[float, float] | None
    distances: dict[uuid.UUID, float]
    suggestions: list[str]


def _term_filter(queryset: QuerySet[Service], key: str, codes: list[str]) -> QuerySet[Service]:
    # OR within one facet, AND across facets: one EXISTS-like subquery per facet.
    ids = [term_id(key, code) for code in codes]
    return queryset.filter(
        id__in=Attribute.objects.filter(taxonomy_term_id__in=ids, service__isnull=False).values(
            "service_id"
        )
    )


def _apply_filters(
    queryset: QuerySet[Service], params: SearchParams, skip_key: str | None = None
) -> QuerySet[Service]:
    for key, codes in params.terms.items():
        if key != skip_key and codes:
            queryset = _term_filter(queryset, key, codes)
    if params.district and skip_key != "district":
        # Services for the whole municipality or the country are available in every district.
        queryset = queryset.filter(
            Q(scope__in=(ServiceScope.NATIONAL, ServiceScope.MUNICIPALITY))
            | Q(id__in=ServiceArea.objects.filter(area_code=params.district).values("service_id"))
        )
    if params.days and skip_key != "day":
        day_filter = Q()
        for day in params.days:
            day_filter |= Q(byday__contains=day)
        queryset = queryset.filter(
            id__in=Schedule.objects.filter(day_filter, service__isnull=False).values("service_id")
        )
    if params.language and skip_key != "language":
        queryset = queryset.filter(
            id__in=Language.objects.filter(code=params.language).values("service_id")
        )
    return queryset


def _distance_filter(
    queryset: QuerySet[Service], origin: tuple[float, float], radius_km: int | None
) -> QuerySet[Service]:
    """Annotate `dist2` (squared degrees, equirectangular: plain arithmetic on every database)
    and keep services with a location within the radius."""
    lat0, lon0 = origin
    cos_lat = math.cos(math.radians(lat0))
    lat = F("service_at_locations__location__latitude")
    lon = F("service_at_locations__location__longitude")
    expression = ExpressionWrapper(
        (lat - lat0) * (lat - lat0) + (lon - lon0) * (lon - lon0) * (cos_lat * cos_lat),
        output_field=FloatField(),
    )
    queryset = queryset.annotate(dist2=Min(expression))
    if radius_km:
        queryset = queryset.filter(dist2__lte=(radius_km / KM_PER_DEGREE) ** 2)
    return queryset


def _counts(queryset: QuerySet[Service]) -> dict[uuid.UUID, int]:
    rows = (
        Attribute.objects.filter(service__in=queryset.values("id"))
        .values("taxonomy_term_id")
        .annotate(n=Count("service_id", distinct=True))
    )
    return {row["taxonomy_term_id"]: row["n"] for row in rows}


def _facets(
    base: QuerySet[Service], filtered: QuerySet[Service], params: SearchParams
) -> list[Facet]:
    """Counts per option. A facet with a choice made is counted without its own filter, so
    its other options show how many more there would be (OR within a facet)."""
    counts = _counts(filtered)
    facets = []
    for param, key in FACET_PARAMS.items():
        vocabulary = BY_KEY[key]
        chosen = params.terms.get(key, [])
        facet_counts = counts if not chosen else _counts(_apply_filters(base, params, key))
        terms = {
            term.id: term
            for term in TaxonomyTerm.objects.filter(taxonomy_id__isnull=False).filter(
                id__in=[term_id(key, code) for code, *_ in vocabulary.terms]
            )
        }
        facet = Facet(param=param, label=vocabulary.name)
        for code, name, _description in vocabulary.terms:
            tid = term_id(key, code)
            count = facet_counts.get(tid, 0)
            if count or code in chosen:
                label = terms[tid].name if tid in terms else name
                facet.options.append(FacetOption(code, label, count, code in chosen))
        if facet.options:
            facets.append(facet)

    day_base = _apply_filters(base, params, "day") if params.days else filtered
    day_counts = Schedule.objects.filter(service__in=day_base.values("id")).aggregate(
        **{day: Count("service_id", distinct=True, filter=Q(byday__contains=day)) for day in DAYS}
    )
    day_names = {
        "MO": "maandag",
        "TU": "dinsdag",
        "WE": "woensdag",
        "TH": "donderdag",
        "FR": "vrijdag",
        "SA": "zaterdag",
        "SU": "zondag",
    }
    day_facet = Facet(param="dag", label="Dag van de week")
    for day in DAYS:
        if day_counts[day] or day in params.days:
            day_facet.options.append(
                FacetOption(day, day_names[day], day_counts[day], day in params.days)
            )
    if day_facet.options:
        facets.append(day_facet)

    language_base = _apply_filters(base, params, "language") if params.language else filtered
    language_rows = (
        Language.objects.filter(service__in=language_base.values("id"))
        .exclude(code="")
        .values("code")
        .annotate(n=Count("service_id", distinct=True), name=Min("name"))
        .order_by("-n")
    )
    language_facet = Facet(param="taal", label="Taal")
    for row in language_rows:
        language_facet.options.append(
            FacetOption(
                row["code"], row["name"] or row["code"], row["n"], row["code"] == params.language
            )
        )
    if len(language_facet.options) > 1 or params.language:
        facets.append(language_facet)
    return facets


def _order(
    queryset: QuerySet[Service], params: SearchParams, has_origin: bool
) -> QuerySet[Service]:
    if params.sort == "afstand" and has_origin:
        return queryset.order_by(F("dist2").asc(nulls_last=True), "name", "id")
    if params.sort == "naam":
        return queryset.order_by("name", "id")
    if params.sort == "kosten":
        return queryset.annotate(min_cost=Min("cost_options__amount")).order_by(
            F("min_cost").asc(nulls_last=True), "name", "id"
        )
    if params.sort == "gecontroleerd":
        return queryset.order_by(F("assured_date").desc(nulls_last=True), "name", "id")
    if params.query:
        # Rank alone: the backend can then read the order straight from its index.
        return queryset.order_by("-search_rank")  # type: ignore[misc]
    return queryset.order_by("name", "id")


def card_prefetches(queryset: QuerySet[Service]) -> QuerySet[Service]:
    """What a result card shows, in a fixed number of queries for the whole page."""
    return queryset.select_related("organization").prefetch_related(
        Prefetch(
            "attributes",
            queryset=Attribute.objects.select_related("taxonomy_term__taxonomy"),
        ),
        "schedules",
        "cost_options",
        "service_areas",
        "languages",
        "phones",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                "location__addresses"
            ),
        ),
    )


def search_services(params: SearchParams) -> SearchResult:
    from omzien.search import get_backend

    base, info = get_backend().apply(visible_services(), params.query)
    filtered = _apply_filters(base, params)

    origin = locate_postcode(params.postcode) if params.postcode else None
    if params.postcode and origin is None:
        params.notices.append(
            "Wij konden deze postcode niet vinden. Daarom staan de resultaten niet op afstand."
        )
    listing = filtered
    if origin is not None:
        listing = _distance_filter(filtered, origin, params.distance_km)
        if params.distance_km:
            # Facets count what is listed, so the radius applies to them too.
            filtered = filtered.filter(id__in=listing.values("id"))
            base = base.filter(
                id__in=_distance_filter(base, origin, params.distance_km).values("id")
            )

    ordered = _order(listing, params, origin is not None)
    paginator = Paginator(ordered, PER_PAGE, allow_empty_first_page=True)
    total = paginator.count
    if params.page > paginator.num_pages:
        if total:
            params.notices.append(
                "Deze pagina bestaat niet. U ziet de laatste pagina met resultaten."
            )
        params.page = paginator.num_pages
    page = paginator.page(params.page)
    page.object_list = list(card_prefetches(page.object_list))  # type: ignore[arg-type]

    distances: dict[uuid.UUID, float] = {}
    if origin is not None:
        for service in page.object_list:
            points = [
                (sal.location.latitude, sal.location.longitude)
                for sal in service.service_at_locations.all()
                if sal.location.latitude is not None and sal.location.longitude is not None
            ]
            if points:
                distances[service.id] = min(distance_km(origin, p) for p in points)

    suggestions: list[str] = []
    if total == 0 and params.query:
        suggestions = _suggestions(params.query)
    return SearchResult(
        page=page,
        total=total,
        facets=_facets(base, filtered, params),
        info=info,
        origin=origin,
        distances=distances,
        suggestions=suggestions,
    )


def _suggestions(query: str) -> list[str]:
    from omzien.search import get_backend

    suggestions: list[str] = []
    for word in query.split()[:3]:
        for suggestion in get_backend().suggest(word[:4], limit=3):
            if suggestion.lower() != word.lower() and suggestion not in suggestions:
                suggestions.append(suggestion)
    return suggestions[:6]


def get_visible_service(key: str) -> Service | None:
    """A service by slug or id, if it is public."""
    lookup: dict[str, Any]
    try:
        lookup = {"id": uuid.UUID(key)}
    except ValueError:
        lookup = {"slug": key[:120]}
    return (
        card_prefetches(visible_services())
        .prefetch_related(
            "contacts",
            "additional_urls",
            "required_documents",
            "service_at_locations__location__accessibility",
            "service_at_locations__location__phones",
        )
        .filter(**lookup)
        .first()
    )


def services_by_keys(keys: list[str], limit: int) -> list[Service]:
    """Services by id or slug, in the given order, at most `limit`, unknown keys skipped."""
    ids: list[uuid.UUID] = []
    slugs: list[str] = []
    for key in keys:
        try:
            ids.append(uuid.UUID(key))
        except ValueError:
            slugs.append(key[:120])
    found = list(card_prefetches(visible_services()).filter(Q(id__in=ids) | Q(slug__in=slugs)))
    by_key: dict[str, Service] = {}
    for service in found:
        by_key[str(service.id)] = service
        by_key[service.slug] = service
    ordered: list[Service] = []
    for key in keys:
        match = by_key.get(key) or by_key.get(key.lower())
        if match is not None and match not in ordered:
            ordered.append(match)
    return ordered[:limit]
