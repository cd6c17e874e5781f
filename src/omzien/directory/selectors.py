"""Reads for the public sociale kaart: search with facet counts, one service, compare, list."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, overload

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext, gettext_lazy

import numpy as np

from omzien.areas.geo import distance_km, geometry_centre, locate_postcode
from omzien.areas.models import District, Neighbourhood
from omzien.directory import presenters
from omzien.directory.catalogue import Catalogue, get_catalogue
from omzien.directory.entry_points import BY_SLUG, EntryPoint
from omzien.directory.filters import DAYS, FACET_PARAMS, PER_PAGE, SearchParams
from omzien.directory.models import (
    Attribute,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from omzien.directory.presenters import Card, Facet, FacetOption
from omzien.directory.search import get_backend
from omzien.directory.vocabularies import BY_KEY, stable_id, term_id

# The line for anyone who wants to talk, day and night (a national service of seed 001): offered
# when a search finds nothing.
HELPLINE_ID = stable_id("national-service", "De Luisterlijn")
# At most this many other services of a family are named on a card.
FAMILY_SHOWN = 12


def visible_services() -> QuerySet[Service]:
    return Service.objects.visible()


def districts() -> list[District]:
    """The districts of the newest loaded classification, for the district filter."""
    year = District.objects.order_by("-year").values_list("year", flat=True).first()
    return list(District.objects.filter(year=year).order_by("name")) if year else []


def neighbourhoods() -> list[tuple[District, list[Neighbourhood]]]:
    """The neighbourhoods of the newest classification by district, for "Uw buurt"."""
    year = Neighbourhood.objects.order_by("-year").values_list("year", flat=True).first()
    if not year:
        return []
    groups: dict[int, tuple[District, list[Neighbourhood]]] = {}
    found = Neighbourhood.objects.filter(year=year).select_related("district").defer("geometry")
    for neighbourhood in found.order_by("district__name", "name"):
        district = neighbourhood.district
        groups.setdefault(district.pk, (district, []))[1].append(neighbourhood)
    return list(groups.values())


@dataclass(frozen=True)
class AreaCentre:
    point: tuple[float, float]  # (lat, lon)
    note: str  # what the distances are measured from, for the resident


def neighbourhood_centre(code: str) -> AreaCentre | None:
    """The centre of a neighbourhood's boundary, or of its district's when the neighbourhood
    has none loaded: "around here" for distances, without a postcode."""
    neighbourhood = (
        Neighbourhood.objects.filter(code=code).select_related("district").order_by("-year").first()
    )
    if neighbourhood is None:
        return None
    point = geometry_centre(neighbourhood.geometry)
    if point is not None:
        note = gettext("De afstand is gemeten vanaf het midden van buurt %(name)s.")
        return AreaCentre(point, note % {"name": neighbourhood.name})
    point = geometry_centre(neighbourhood.district.geometry)
    if point is not None:
        note = gettext(
            "De afstand is gemeten vanaf het midden van %(district)s, de wijk van uw buurt."
        )
        return AreaCentre(point, note % {"district": neighbourhood.district.name})
    return None


def languages() -> list[tuple[str, str]]:
    """(code, name) of the languages public services are offered in, by name (from the facet
    catalogue: a DISTINCT over every service's languages cost tens of milliseconds per page)."""
    names = get_catalogue().language_names
    return sorted(names.items(), key=lambda item: item[1])


@dataclass
class SearchResult:
    page: Page
    total: int  # cards: one per activity (see `catalogue.collapse`)
    facets: list[Facet]
    info: Any  # omzien.directory.search.backends.base.SearchInfo
    origin: tuple[float, float] | None
    distances: dict[uuid.UUID, float]
    suggestions: list[str]
    origin_note: str = ""  # where distances are measured from, when not from a postcode
    # Nothing matched the query: these are the services closest to it.
    approximate: bool = False
    helpline: Card | None = None


@dataclass(frozen=True)
class Alternative:
    """Another service of the same activity, as a card links to it."""

    name: str
    slug: str


@dataclass
class Family:
    """The services on one card: one activity at several places or by several organisers."""

    places: int  # their locations (a service without one counts as one place)
    others: list[Alternative]  # the other services of the family in the result, in order
    more: int = 0  # others not listed


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
            queryset=ServiceAtLocation.objects.select_related(
                "location__neighbourhood__district"
            ).prefetch_related("location__addresses"),
        ),
    )


class _ServicePage(Sequence[Service]):
    """The ordered cards of a search as a sequence the Paginator can count and slice; only
    the slice shown is read from the database. Each service shown carries its `family`."""

    def __init__(self, catalogue: Catalogue, cards: np.ndarray, ordered: np.ndarray) -> None:
        self.catalogue = catalogue
        self.cards = cards
        self.in_order = ordered

    def __len__(self) -> int:
        return len(self.cards)

    @overload
    def __getitem__(self, index: int) -> Service: ...

    @overload
    def __getitem__(self, index: slice) -> list[Service]: ...

    def __getitem__(self, index: int | slice) -> Service | list[Service]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        ids = self.catalogue.service_ids(self.cards[index])
        found = {
            service.id: service
            for service in card_prefetches(visible_services().filter(id__in=ids))
        }
        services = [found[service_id] for service_id in ids if service_id in found]
        self._attach_families(services)
        return services

    def _attach_families(self, services: list[Service]) -> None:
        catalogue = self.catalogue
        families: dict[uuid.UUID, tuple[int, list[uuid.UUID], int]] = {}
        for service in services:
            position = catalogue.positions[service.id]
            members = catalogue.family_members(self.in_order, position)
            others = [p for p in members[: FAMILY_SHOWN + 1].tolist() if p != position]
            families[service.id] = (
                catalogue.places(members),
                catalogue.service_ids(np.asarray(others[:FAMILY_SHOWN], dtype=np.int64)),
                len(members) - 1,
            )
        listed = {i for _, others, _ in families.values() for i in others}
        names = {
            service_id: Alternative(name, slug)
            for service_id, name, slug in visible_services()
            .filter(id__in=listed)
            .values_list("id", "name", "slug")
        }
        for service in services:
            places, others, count = families[service.id]
            shown = [names[i] for i in others if i in names]
            service.card_family = Family(  # type: ignore[attr-defined]
                places=places, others=shown, more=max(0, count - len(shown))
            )


def _matching(query: str, catalogue: Catalogue) -> tuple[np.ndarray, np.ndarray | None, Any, bool]:
    """(mask, rank, info, approximate) of the services matching the query; when nothing does,
    of the services closest to it (approximate)."""
    backend = get_backend()
    documents, ranks, info = backend.ranked_documents(query, catalogue)
    if documents is None:
        return catalogue.all(), None, info, False
    base, rank = catalogue.ranked(documents, ranks)
    if base.any():
        return base, rank, info, False
    documents, ranks, closest = backend.closest_documents(query)
    near, near_rank = catalogue.ranked(documents, ranks)
    if not near.any():
        return base, rank, info, False
    info.corrections.update(closest.corrections)
    return near, near_rank, info, True


def search_services(
    params: SearchParams, *, may_ask_pdok: Callable[[], bool] | None = None
) -> SearchResult:
    catalogue = get_catalogue()
    base, rank, info, approximate = _matching(params.query, catalogue)

    origin_note = ""
    origin = (
        locate_postcode(params.postcode, may_ask_pdok=may_ask_pdok) if params.postcode else None
    )
    if params.postcode and origin is None:
        params.notices.append(
            gettext(
                "Wij konden deze postcode niet vinden. Daarom staan de resultaten niet op afstand."
            )
        )
    elif not params.postcode and params.neighbourhood:
        # No postcode table and no PDOK needed: the chosen neighbourhood's centre.
        centre = neighbourhood_centre(params.neighbourhood)
        origin, origin_note = (centre.point, centre.note) if centre else (None, "")
        if origin is None:
            params.notices.append(
                gettext(
                    "Wij weten niet waar deze buurt ligt. "
                    "Daarom staan de resultaten niet op afstand."
                )
            )
    kilometres = catalogue.distances_km(origin) if origin is not None else None
    if kilometres is not None and params.distance_km:
        # Facets count what is listed, so the radius applies to them too.
        base = base & catalogue.within(kilometres, params.distance_km)
    filtered = base & catalogue.filters(params)

    ordered = catalogue.order(filtered, params.sort, rank, kilometres)
    if params.topic and params.sort == "relevantie":
        ordered = _topic_first(catalogue, ordered, BY_SLUG[params.topic])
    paginator = Paginator(
        _ServicePage(catalogue, catalogue.collapse(ordered), ordered),
        PER_PAGE,
        allow_empty_first_page=True,
    )
    total = paginator.count
    if params.page > paginator.num_pages:
        if total:
            params.notices.append(
                gettext("Deze pagina bestaat niet. U ziet de laatste pagina met resultaten.")
            )
        params.page = paginator.num_pages
    page = paginator.page(params.page)

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

    nothing = total == 0 or approximate
    return SearchResult(
        page=page,
        total=total,
        facets=_facets(catalogue, base, filtered, params),
        info=info,
        origin=origin,
        distances=distances,
        suggestions=get_backend().did_you_mean(params.query) if nothing else [],
        origin_note=origin_note,
        approximate=approximate,
        helpline=_helpline() if nothing else None,
    )


def _topic_first(catalogue: Catalogue, ordered: np.ndarray, topic: EntryPoint) -> np.ndarray:
    """A topic page's "Best passend": services with more of the tile's terms first; within
    the same number, the order they already had (a stable sort)."""
    fits = np.zeros(len(ordered), dtype=np.int64)
    for param, code in topic.ranking_terms:
        fits += catalogue.term(FACET_PARAMS[param], code)[ordered]
    return ordered[np.argsort(-fits, kind="stable")]


def _helpline() -> Card | None:
    """Whoever finds nothing is offered someone to talk to, if that line is on the kaart."""
    service = card_prefetches(visible_services()).filter(id=HELPLINE_ID).first()
    return presenters.card(service) if service is not None else None


DAY_NAMES = {
    "MO": gettext_lazy("maandag"),
    "TU": gettext_lazy("dinsdag"),
    "WE": gettext_lazy("woensdag"),
    "TH": gettext_lazy("donderdag"),
    "FR": gettext_lazy("vrijdag"),
    "SA": gettext_lazy("zaterdag"),
    "SU": gettext_lazy("zondag"),
}


def _facets(
    catalogue: Catalogue, base: np.ndarray, filtered: np.ndarray, params: SearchParams
) -> list[Facet]:
    """Counts per option, in cards (one per activity, as the result list shows them). A facet
    with a choice made is counted without its own filter, so its other options show how many
    more there would be (OR within a facet)."""
    facets = []
    term_names = _term_names()
    for param, key in FACET_PARAMS.items():
        vocabulary = BY_KEY[key]
        chosen = params.terms.get(key, [])
        within = filtered if not chosen else base & catalogue.filters(params, key)
        counts = catalogue.family_counts(within, f"term:{key}:")
        facet = Facet(param=param, label=vocabulary.resident_name or vocabulary.name)
        for code, name, _description in vocabulary.terms:
            count = counts.get(code, 0)
            if count or code in chosen:
                label = term_names.get(term_id(key, code)) or vocabulary.resident_term(code, name)
                facet.options.append(FacetOption(code, label, count, code in chosen))
        if facet.options:
            facets.append(facet)

    within = base & catalogue.filters(params, "day") if params.days else filtered
    day_counts = catalogue.family_counts(within, "day:")
    day_facet = Facet(param="dag", label=gettext("Dag van de week"))
    for day in DAYS:
        count = day_counts.get(day, 0)
        if count or day in params.days:
            day_facet.options.append(
                FacetOption(day, str(DAY_NAMES[day]), count, day in params.days)
            )
    if day_facet.options:
        facets.append(day_facet)

    within = base & catalogue.filters(params, "language") if params.language else filtered
    language_counts = catalogue.family_counts(within, "language:")
    language_facet = Facet(param="taal", label=gettext("Taal"))
    for code, count in sorted(language_counts.items(), key=lambda item: (-item[1], item[0])):
        if count or code == params.language:
            name = catalogue.language_names.get(code) or code
            language_facet.options.append(FacetOption(code, name, count, code == params.language))
    if len(language_facet.options) > 1 or params.language:
        facets.append(language_facet)
    return facets


def _term_names() -> dict[uuid.UUID, str]:
    """What residents read for our vocabulary terms now: the plain label, else the name (both
    editable by the administrator)."""
    ids = [term_id(key, code) for key in FACET_PARAMS.values() for code, *_ in BY_KEY[key].terms]
    return {
        pk: resident_name or name
        for pk, name, resident_name in TaxonomyTerm.objects.filter(
            taxonomy_id__isnull=False, id__in=ids
        ).values_list("id", "name", "resident_name")
    }


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
