"""The in-memory facet catalogue: the same answers as the database, rebuilt when services change."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any
from unittest import mock

from django.core.cache import cache

import numpy as np
import pytest

from omzien.accounts.models import User
from omzien.areas.geo import distance_km
from omzien.directory import catalogue, services
from omzien.directory.filters import SearchParams
from omzien.directory.models import Schedule, Service, ServiceAtLocation
from omzien.directory.search import get_backend
from omzien.directory.selectors import search_services
from tests.factories import LocationFactory, ServiceFactory, tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):  # type: ignore[no-untyped-def]
    """Caching on, as in production (the test settings rebuild on every use)."""
    settings.OMZIEN_CATALOGUE_MAX_AGE = 300
    catalogue.bump()
    yield
    catalogue.bump()


def test_the_catalogue_is_kept_until_the_index_changes(cached) -> None:  # type: ignore[no-untyped-def]
    first = ServiceFactory(name="Koffie-uur")
    tag(first, "support_kind", "meeting")
    get_backend().rebuild()
    built = catalogue.get_catalogue()
    assert catalogue.get_catalogue() is built
    assert built.size == 1

    second = ServiceFactory(name="Wandelclub")
    tag(second, "support_kind", "meeting")
    # Not reindexed yet: the same catalogue is used ...
    assert catalogue.get_catalogue() is built
    # ... until the index follows, which tells every process to rebuild.
    get_backend().index_services([second.id])
    rebuilt = catalogue.get_catalogue()
    assert rebuilt is not built
    assert rebuilt.size == 2
    assert rebuilt.counts(rebuilt.all(), "term:support_kind:") == {"meeting": 2}


def test_the_catalogue_expires_after_its_maximum_age(settings) -> None:  # type: ignore[no-untyped-def]
    settings.OMZIEN_CATALOGUE_MAX_AGE = 0
    assert catalogue.get_catalogue() is not catalogue.get_catalogue()


def test_filters_and_counts_match_the_tags() -> None:
    a = ServiceFactory(name="A")
    b = ServiceFactory(name="B")
    c = ServiceFactory(name="C", is_published=False)
    tag(a, "support_kind", "meeting")
    tag(b, "support_kind", "meeting")
    tag(b, "target_group", "older_adults")
    tag(c, "support_kind", "meeting")
    Schedule.objects.create(service=a, byday="1MO")
    built = catalogue.get_catalogue()
    assert built.size == 2  # the unpublished one is not in it
    params = SearchParams(terms={"target_group": ["older_adults"]})
    mask = built.filters(params)
    assert built.service_ids(np.flatnonzero(mask)) == [b.id]
    assert built.counts(built.all(), "day:") == {"MO": 1}
    # Ordered by name when there is no rank.
    assert built.service_ids(built.order(built.all(), "relevantie")) == [a.id, b.id]


def test_search_ranks_come_from_the_index() -> None:
    ServiceFactory(name="Koffieochtend", description="Samen koffie.")
    ServiceFactory(name="Buurtkamer", description="Er is ook koffie.")
    ServiceFactory(name="Wandelen", description="Samen lopen.")
    get_backend().rebuild()
    documents, ranks, _info = get_backend().ranked_documents("koffie")
    assert documents is not None and len(documents) == 2
    built = catalogue.get_catalogue()
    mask, rank = built.ranked(documents, ranks)
    names = [s for s in built.service_ids(built.order(mask, "relevantie", rank))]
    from omzien.directory.models import Service

    assert [Service.objects.get(id=i).name for i in names] == ["Koffieochtend", "Buurtkamer"]


def test_the_radius_uses_the_distance_the_cards_show() -> None:
    """The kaart's radius filter and the distance on a result card are one distance
    (`areas.geo`): a service shown at 9.99 km is within 10 km, one at 10.01 km is not."""
    origin = (51.48, 5.66)
    per_km = distance_km(origin, (origin[0] + 1, origin[1]))  # degrees of latitude per km
    inside = ServiceFactory(name="Binnen")
    outside = ServiceFactory(name="Buiten")
    for service, km in ((inside, 9.99), (outside, 10.01)):
        ServiceAtLocation.objects.create(
            service=service,
            location=LocationFactory(latitude=origin[0] + km / per_km, longitude=origin[1]),
        )
    # A second, farther location does not matter: the nearest counts.
    ServiceAtLocation.objects.create(
        service=inside, location=LocationFactory(latitude=52.37, longitude=4.90)
    )
    built = catalogue.get_catalogue()
    kilometres = built.distances_km(origin)

    assert built.service_ids(np.flatnonzero(built.within(kilometres, 10))) == [inside.id]
    for service, km in ((inside, 9.99), (outside, 10.01)):
        assert kilometres[built.positions[service.id]] == pytest.approx(km, abs=1e-6)


# --- Changes applied one service at a time ---------------------------------------------------


def _answers(built: catalogue.Catalogue) -> dict[str, Any]:
    """Everything a search can ask of a catalogue, by service id rather than by position."""
    visible = built.all()
    origin = (51.48, 5.66)
    kilometres = built.distances_km(origin)
    return {
        "by name": built.service_ids(built.order(visible, "naam")),
        "by cost": built.service_ids(built.order(visible, "kosten")),
        "by check": built.service_ids(built.order(visible, "gecontroleerd")),
        "by distance": built.service_ids(
            built.order(visible & built.within(kilometres, 10), "afstand", distances=kilometres)
        ),
        "national": set(built.service_ids(np.flatnonzero(visible & built.national))),
        "columns": {
            key: set(built.service_ids(np.flatnonzero(visible & built.column(key))))
            for key in built.columns
            if (visible & built.column(key)).any()
        },
        "languages": built.language_names,
    }


def _edit(commit: Any, service: Service, editor: User, **changes: Any) -> None:
    """Save as the provider's editor does through /beheer/kaart/, the reindex included."""
    data = services.service_data(service)
    for name, value in changes.items():
        setattr(data, name, value)
    with commit(execute=True):
        services.update_service(service, data, editor)


def _create(commit: Any, organization: Any, editor: User, **fields: Any) -> Service:
    with commit(execute=True):
        return services.create_service(organization, services.ServiceData(**fields), editor)


def _facet(result: Any, param: str) -> dict[str, int]:
    facet = next((facet for facet in result.facets if facet.param == param), None)
    return {} if facet is None else {option.value: option.count for option in facet.options}


@pytest.fixture
def full_build(cached: None) -> Iterator[mock.MagicMock]:
    """A spy on the full build of the catalogue."""
    with mock.patch.object(catalogue.Catalogue, "build", wraps=catalogue.Catalogue.build) as spy:
        yield spy


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Any:
    return django_capture_on_commit_callbacks


def test_a_provider_edit_is_found_without_a_full_rebuild(
    full_build: mock.MagicMock, commit: Any, provider_editor: User
) -> None:
    koffie = ServiceFactory(name="Koffieochtend", description="Samen koffie drinken.")
    tag(koffie, "support_kind", "meeting")
    wandelen = ServiceFactory(name="Wandelclub", description="Samen wandelen.")
    tag(wandelen, "support_kind", "meeting")
    get_backend().rebuild()
    assert search_services(SearchParams(query="samen")).total == 2
    full_build.reset_mock()

    _edit(
        commit,
        wandelen,
        provider_editor,
        description="Samen wandelen en daarna koffie.",
        terms={"support_kind": ["occupation"]},
        schedules=[services.ScheduleData(days=["WE"])],
    )
    result = search_services(SearchParams(query="koffie"))
    assert {service.name for service in result.page.object_list} == {"Koffieochtend", "Wandelclub"}
    everything = search_services(SearchParams(query="samen"))
    assert _facet(everything, "steun") == {"meeting": 1, "occupation": 1}
    assert _facet(everything, "dag") == {"WE": 1}
    narrowed = search_services(SearchParams(query="samen", terms={"support_kind": ["occupation"]}))
    assert [service.name for service in narrowed.page.object_list] == ["Wandelclub"]
    full_build.assert_not_called()


def test_a_new_and_a_withdrawn_service_change_search_without_a_full_rebuild(
    full_build: mock.MagicMock, commit: Any, provider_editor: User
) -> None:
    koffie = ServiceFactory(name="Koffieochtend", description="Samen koffie drinken.")
    get_backend().rebuild()
    catalogue.get_catalogue()
    full_build.reset_mock()

    new = _create(
        commit,
        koffie.organization,
        provider_editor,
        name="Aanschuiftafel",
        description="Samen eten, koffie na.",
    )
    found = search_services(SearchParams(query="koffie", sort="naam"))
    assert [service.name for service in found.page.object_list] == [
        "Aanschuiftafel",
        "Koffieochtend",
    ]
    _edit(commit, koffie, provider_editor, status="inactive")
    found = search_services(SearchParams(query="koffie"))
    assert [service.id for service in found.page.object_list] == [new.id]
    assert found.total == 1
    full_build.assert_not_called()


def test_changes_applied_one_by_one_give_what_a_full_build_gives(
    full_build: mock.MagicMock, commit: Any, provider_editor: User
) -> None:
    bingo, eettafel, kookclub, zang = (
        ServiceFactory(name=name) for name in ("Bingo", "Eettafel", "Kookclub", "Zang")
    )
    tag(bingo, "support_kind", "meeting")
    tag(eettafel, "target_group", "older_adults")
    get_backend().rebuild()
    catalogue.get_catalogue()
    full_build.reset_mock()

    _edit(
        commit,
        bingo,
        provider_editor,
        name="Zomerbingo",
        languages=["nl", "tr"],
        cost_options=[services.CostData(amount="2.50")],
    )
    _edit(commit, eettafel, provider_editor, area=services.AreaData(kind="national"))
    _edit(commit, kookclub, provider_editor, status="defunct")
    # A location with coordinates (geocoded meanwhile), then the reindex that follows.
    ServiceAtLocation.objects.create(service=zang, location=LocationFactory())
    get_backend().index_services([zang.id])
    _edit(commit, kookclub, provider_editor, status="active", terms={"form": ["group"]})
    _create(commit, bingo.organization, provider_editor, name="Aa-wandeling")
    incremental = catalogue.get_catalogue()
    full_build.assert_not_called()

    assert _answers(incremental) == _answers(catalogue.Catalogue.build(None))
    assert incremental.service_ids(incremental.order(incremental.all(), "naam")) == list(
        Service.objects.filter(is_published=True, status="active")
        .order_by("name", "id")
        .values_list("id", flat=True)
    )


def test_a_gap_in_the_change_log_falls_back_to_a_full_build(cached: None) -> None:
    ServiceFactory(name="Koffie-uur")
    built = catalogue.get_catalogue()
    later = ServiceFactory(name="Wandelclub")
    get_backend().index_services([later.id])
    # The cache lost the entry (expired, Redis restarted without its data) but not the head.
    cache.delete(catalogue._entry_key(built.generation, built.applied + 1))
    with mock.patch.object(
        catalogue.Catalogue, "build", wraps=catalogue.Catalogue.build
    ) as full_build:
        rebuilt = catalogue.get_catalogue()
    full_build.assert_called_once()
    assert rebuilt.size == 2


def test_many_changes_at_once_fall_back_to_a_full_build(cached: None) -> None:
    built = catalogue.get_catalogue()
    for _ in range(catalogue.MAX_CHANGES + 1):
        catalogue.services_changed([uuid.uuid4()])
    with mock.patch.object(
        catalogue.Catalogue, "build", wraps=catalogue.Catalogue.build
    ) as full_build:
        rebuilt = catalogue.get_catalogue()
    full_build.assert_called_once()
    assert rebuilt.applied == catalogue.MAX_CHANGES + 1 + built.applied


def test_another_process_reads_the_log_at_most_every_half_second(cached: None) -> None:
    built = catalogue.get_catalogue()
    # As if another process logged a change: this process's own changes count at once.
    later = ServiceFactory(name="Wandelclub")
    get_backend().index_services([later.id])
    catalogue._checked_at = time.monotonic()
    assert catalogue.get_catalogue().size == built.size
    catalogue._checked_at = time.monotonic() - catalogue.CHECK_SECONDS
    assert catalogue.get_catalogue().size == built.size + 1
