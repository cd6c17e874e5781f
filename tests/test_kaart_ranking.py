"""The kaart's order and its cards: relevance first, then local before national, recently
verified, nearby; one card per activity; never an empty page. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.test import Client
from django.utils import timezone

import pytest

from omzien.directory.filters import SearchParams
from omzien.directory.models import (
    Phone,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceScope,
)
from omzien.directory.search import get_backend
from omzien.directory.selectors import HELPLINE_ID, search_services
from tests.factories import LocationFactory, ServiceFactory, tag

pytestmark = pytest.mark.django_db

QUIET = "Een plek in de buurt."


def service(name: str, description: str = QUIET, **fields: Any) -> Service:
    fields.setdefault("scope", ServiceScope.MUNICIPALITY)
    return cast(Service, ServiceFactory(name=name, description=description, **fields))


def names(query: str = "", **params: Any) -> list[str]:
    get_backend().rebuild()
    result = search_services(SearchParams(query=query, **params))
    return [s.name for s in result.page.object_list]


def days_ago(days: int) -> Any:
    return timezone.localdate() - timedelta(days=days)


# -- the order ----------------------------------------------------------------------------------


def test_local_services_come_before_national_ones_of_the_same_relevance() -> None:
    service("Aa Luisterlijn", "Iemand om mee te praten.", scope=ServiceScope.NATIONAL)
    service("Zz Praatpunt", "Iemand om mee te praten.", scope=ServiceScope.DISTRICT)
    assert names("praten") == ["Zz Praatpunt", "Aa Luisterlijn"]


def test_relevance_comes_before_locality() -> None:
    service("Praatlijn", "Bel ons.", scope=ServiceScope.NATIONAL)
    service("Buurthuis", QUIET, alternate_name="Praatlijn in de wijk")
    # The national line has the word in its name, the local service only in other text.
    assert names("praatlijn") == ["Praatlijn", "Buurthuis"]


def test_recently_verified_services_come_before_stale_ones() -> None:
    service("Aa Koffie", "Koffie.", assured_date=days_ago(400))
    service("Bb Koffie", "Koffie.", assured_date=None)
    service("Zz Koffie", "Koffie.", assured_date=days_ago(10))
    assert names("koffie")[0] == "Zz Koffie"


def test_distance_orders_what_is_otherwise_equal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "omzien.directory.selectors.locate_postcode", lambda value, **kwargs: (51.47, 5.69)
    )
    far = service("Aa Koffie", "Koffie.", assured_date=days_ago(5))
    near = service("Zz Koffie", "Koffie.", assured_date=days_ago(5))
    ServiceAtLocation.objects.create(service=far, location=LocationFactory(latitude=51.60))
    ServiceAtLocation.objects.create(service=near, location=LocationFactory(latitude=51.471))
    assert names("koffie", postcode="5701AB") == ["Zz Koffie", "Aa Koffie"]


def test_without_a_query_best_match_is_local_and_verified_first_never_a_to_z() -> None:
    service("Aa Website", QUIET, scope=ServiceScope.NATIONAL, assured_date=days_ago(1))
    service("Bb Buurtkamer", QUIET, assured_date=None)
    service("Cc Wandelclub", QUIET, assured_date=days_ago(3))
    assert names() == ["Cc Wandelclub", "Bb Buurtkamer", "Aa Website"]
    # A-Z is there when asked for.
    assert names(sort="naam") == ["Aa Website", "Bb Buurtkamer", "Cc Wandelclub"]


# -- one card per activity ------------------------------------------------------------------------


def test_one_activity_at_several_places_is_one_card(client: Client) -> None:
    description = "Rustige gymnastiek op een stoel, met muziek."
    first = service("Bewegen voor ouderen Noord", description, assured_date=days_ago(2))
    second = service(
        "Bewegen voor ouderen Noord (Buurthuis De Brug)", description, assured_date=days_ago(30)
    )
    third = service("Bewegen voor ouderen Stiphout", description, assured_date=days_ago(60))
    ServiceArea.objects.create(service=first, name="Noord")
    ServiceArea.objects.create(service=second, name="Noord")
    ServiceArea.objects.create(service=third, name="Stiphout")
    for member in (first, second, third):
        ServiceAtLocation.objects.create(service=member, location=LocationFactory())
        tag(member, "support_kind", "occupation")
    other = service("Bewegen op muziek", "Dansen voor iedereen.")
    tag(other, "support_kind", "occupation")
    get_backend().rebuild()

    result = search_services(SearchParams(query="bewegen"))
    assert result.total == 2
    cards = [s.name for s in result.page.object_list]
    assert cards[0] == "Bewegen voor ouderen Noord"  # the most recently verified of the three
    facet = next(f for f in result.facets if f.param == "steun")
    assert {o.value: o.count for o in facet.options} == {"occupation": 2}

    content = client.get("/kaart/", {"q": "bewegen"}).content.decode()
    assert "2 resultaten" in content
    assert "Op 3 plekken" in content
    assert f'href="/kaart/{second.slug}/"' in content
    assert f'href="/kaart/{third.slug}/"' in content


def test_a_service_at_several_locations_says_so(client: Client) -> None:
    choir = service("Buurtkoor", "Samen zingen.")
    for _ in range(3):
        ServiceAtLocation.objects.create(service=choir, location=LocationFactory())
    get_backend().rebuild()
    content = client.get("/kaart/", {"q": "zingen"}).content.decode()
    assert "Op 3 plekken" in content


def test_different_activities_with_the_same_text_stay_apart() -> None:
    for n in range(3):
        service(f"Ontmoeting {n}", "Samen koffie drinken en een praatje maken.")
    assert len(names("koffie")) == 3


# -- never an empty page --------------------------------------------------------------------------


def test_nothing_found_offers_the_tiles_the_phone_line_and_someone_to_talk_to(
    client: Client, settings: Any
) -> None:
    settings.OMZIEN_PHONE_NUMBER = "14 0492"
    line = service("De Luisterlijn", "Dag en nacht een gesprek.", id=HELPLINE_ID)
    Phone.objects.create(service=line, number="088 0767 000")
    service("Koffiepunt", "Koffie.")
    get_backend().rebuild()
    content = client.get("/kaart/", {"q": "paardrijden"}).content.decode()
    assert "Wij hebben niets gevonden" in content
    assert 'href="tel:140492"' in content
    assert 'href="tel:0880767000"' in content
    assert "Ik voel me eenzaam" in content and "probleem=emotional_loneliness" in content


def test_a_near_miss_shows_the_closest_services_with_a_notice(client: Client) -> None:
    service("Wandelgroep", "Samen wandelen.")
    get_backend().rebuild()
    content = client.get("/kaart/", {"q": "wandwlwm"}).content.decode()
    assert "Wij hebben niets gevonden voor" in content
    assert ">Wandelgroep</a>" in content
    assert "Bedoelt u misschien" in content and "?q=wandelen" in content


@pytest.mark.parametrize(
    "query",
    [
        "x" * 5000,
        "koffie " * 800,
        "de het een van",
        "?!.,;:",
        '"',
        "koffie*",
        "NEAR(koffie thee)",
        "koffie OR thee",
        "-koffie",
        "^koffie",
        '"koffie* NEAR( OR -"',
        "koffie & thee | !melk",
    ],
)
def test_bad_input_gets_a_sensible_page(client: Client, query: str) -> None:
    service("Koffiepunt", "Koffie en thee.")
    get_backend().rebuild()
    for headers in ({}, {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "kaart-results"}):
        response = client.get("/kaart/", {"q": query}, **headers)
        assert response.status_code == 200
        content = response.content.decode()
        assert "resultaat" in content or "Wij hebben niets gevonden" in content
    # Where there is a word to search for, the service with it is found.
    if "koffie" in query.lower():
        assert "Koffiepunt" in client.get("/kaart/", {"q": query}).content.decode()


def test_families_after_an_edit_are_those_of_a_full_build(settings: Any) -> None:
    from omzien.directory import catalogue

    settings.OMZIEN_CATALOGUE_MAX_AGE = 300
    catalogue.bump()
    text = "Koersbal voor iedereen."
    north = service("Koersbal Noord", text)
    south = service("Koersbal Zuid", text)
    other = service("Jeu de boules", text)
    ServiceArea.objects.create(service=north, name="Noord")
    ServiceArea.objects.create(service=south, name="Zuid")
    get_backend().rebuild()
    before = catalogue.get_catalogue()

    def families(built: catalogue.Catalogue) -> set[frozenset[Any]]:
        groups: dict[int, set[Any]] = {}
        for position in range(built.size):
            if built.visible[position]:
                groups.setdefault(int(built.family[position]), set()).add(built.uuids[position])
        return {frozenset(group) for group in groups.values()}

    assert families(before) == {frozenset({north.id, south.id}), frozenset({other.id})}
    Service.objects.filter(id=other.id).update(name="Koersbal West")
    ServiceArea.objects.create(service=other, name="West")
    get_backend().index_services([other.id])
    after = catalogue.get_catalogue()
    assert after is not before and after.built_at == before.built_at  # applied, not rebuilt
    assert families(after) == families(catalogue.Catalogue.build(None))
    assert families(after) == {frozenset({north.id, south.id, other.id})}
    catalogue.bump()
