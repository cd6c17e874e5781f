"""The in-memory facet catalogue: the same answers as the database, rebuilt when services change."""

from __future__ import annotations

import numpy as np
import pytest

from omzien.directory import catalogue
from omzien.directory.filters import SearchParams
from omzien.directory.models import Schedule
from omzien.directory.search import get_backend
from tests.factories import ServiceFactory, tag

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
