"""Search as people ask: stop words, partial matches ranked by coverage, parts of compound words,
search concepts, suggestions from the index. Through `get_backend()` and through the kaart's
own path (`selectors.search_services`), the same tests on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any, cast

from django.core.cache import cache

import pytest

from omzien.directory.filters import SearchParams
from omzien.directory.models import SearchConcept, Service, TaxonomyTerm
from omzien.directory.search import concepts, get_backend
from omzien.directory.search.backends.base import SearchInfo
from omzien.directory.selectors import search_services
from omzien.directory.vocabularies import term_id
from tests.factories import ServiceFactory, tag

pytestmark = pytest.mark.django_db

# No factory default may match by accident: every test says what a service's text is.
QUIET = "Een plek in de buurt."


def service(name: str, description: str = QUIET, **fields: Any) -> Service:
    return cast(Service, ServiceFactory(name=name, description=description, **fields))


def rebuild() -> None:
    get_backend().rebuild()


def found(query: str) -> list[str]:
    """The names the backend finds, best first (the order `apply()` gives)."""
    queryset, _ = get_backend().apply(Service.objects.all(), query)
    return [s.name for s in queryset.order_by("-search_rank", "name", "id")]


def kaart(query: str = "", **params: Any) -> list[str]:
    """The names on the kaart's first page, in the kaart's order (one card per activity)."""
    result = search_services(SearchParams(query=query, **params))
    return [s.name for s in result.page.object_list]


def plan(query: str) -> SearchInfo:
    info = SearchInfo(query=query)
    get_backend().plan(query, info)
    return info


# -- stop words and partial matches ---------------------------------------------------------------


def test_stop_words_are_not_asked_for() -> None:
    service("Praatgroep", "Wij praten samen.")
    rebuild()
    assert plan("iemand om mee te praten").terms == ["iemand", "praten"]
    assert "Praatgroep" in found("iemand om mee te praten")
    assert "Praatgroep" in kaart("ik zoek iemand om eens mee te praten")


def test_a_query_of_only_stop_words_or_punctuation_is_answered() -> None:
    service("Het Buurthuis", "Open.")
    rebuild()
    assert found("het") == ["Het Buurthuis"]
    assert kaart("?!.,;") == ["Het Buurthuis"]  # no words: everything


def test_services_matching_more_of_the_words_rank_first() -> None:
    service("Wandelgroep voor ouderen", "Elke week samen wandelen.")
    service("Wandelgroep voor jongeren", "Elke week samen wandelen.")
    service("Koffie voor ouderen", "Een kop koffie.")
    rebuild()
    first, *rest = kaart("wandelen ouderen")
    assert first == "Wandelgroep voor ouderen"
    assert set(rest) == {"Wandelgroep voor jongeren", "Koffie voor ouderen"}
    first, *rest = found("wandelen ouderen")
    assert first == "Wandelgroep voor ouderen"
    assert set(rest) == {"Wandelgroep voor jongeren", "Koffie voor ouderen"}


def test_a_word_that_is_in_no_text_costs_nothing() -> None:
    service("Schaakclub", "Elke dinsdag schaken.")
    rebuild()
    assert kaart("schaakclub dinsdag xyzzyq") == ["Schaakclub"]
    assert found("gezellig schaakclub") == ["Schaakclub"]


def test_the_rarer_word_weighs_more() -> None:
    for n in range(4):
        service(f"Koffie {n}", "Samen koffie drinken in de wijk.")
    service("Breiclub", "Samen breien in de wijk.")
    rebuild()
    # Both words are in one text each; "breien" is in one service, "koffie" in four.
    assert kaart("koffie breien")[0] == "Breiclub"


# -- parts of compound words------------------------------------------------------------------------


def test_a_verb_finds_the_compound_its_stem_is_part_of() -> None:
    service("Biljartclub De Keu", QUIET)
    service("Kaartclub", "Klaverjassen en andere kaartspellen.")
    service("Buurtmoestuin", "Samen groente kweken.")
    service("Fotografieclub", QUIET)
    service("Vrouwencafe", QUIET)
    rebuild()
    assert found("biljarten") == ["Biljartclub De Keu"]
    assert found("kaarten") == ["Kaartclub"]
    assert found("tuinieren") == ["Buurtmoestuin"]
    assert found("fotograferen") == ["Fotografieclub"]


def test_a_compound_that_occurs_nowhere_is_searched_by_its_parts() -> None:
    service("Biljartclub", "Elke middag biljarten.")
    service("Samen eten", "Een warme maaltijd in de buurt.")
    service("Mantelzorgcafé", "Voor mantelzorgers.")
    rebuild()
    info = plan("biljartmiddag")
    assert info.splits == {"biljartmiddag": ["biljart", "middag"]}
    assert kaart("biljartmiddag") == ["Biljartclub"]
    assert kaart("buurtmaaltijd")[0] == "Samen eten"
    # One long known part is enough: "ondersteuning" occurs nowhere.
    assert plan("mantelzorgondersteuning").splits == {"mantelzorgondersteuning": ["mantelzorg"]}
    assert kaart("mantelzorgondersteuning") == ["Mantelzorgcafé"]


def test_a_typo_is_corrected_before_a_word_is_split() -> None:
    service("Vrijwilligerswerk vinden", "Een consulent helpt u.")
    rebuild()
    info = plan("vrijwiligerswerk")
    assert info.corrections == {"vrijwiligerswerk": "vrijwilligerswerk"}
    assert info.splits == {}
    assert kaart("vrijwiligerswerk") == ["Vrijwilligerswerk vinden"]


# -- search concepts ---------------------------------------------------------------------------


def test_everyday_phrasing_finds_the_services_tagged_with_its_kind_of_support() -> None:
    visits = service("Bezoekdienst", "Een vrijwilliger komt langs.")
    tag(visits, "support_kind", "personal_contact")
    grief = service("Steunpunt", QUIET)
    tag(grief, "target_group", "bereaved")
    service("Koersbal", "Een balspel.")
    rebuild()
    assert kaart("iemand om mee te praten") == ["Bezoekdienst"]
    assert "Iemand om mee te praten" in plan("iemand om mee te praten").concepts
    assert kaart("weduwe") == ["Steunpunt"]
    assert kaart("mijn man is overleden") == ["Steunpunt"]
    assert found("weduwnaar") == ["Steunpunt"]


def test_a_service_with_both_the_words_and_the_tag_of_a_concept_ranks_first() -> None:
    tagged = service("Maatjes", "Samen iets doen.")
    tag(tagged, "support_kind", "personal_contact")
    both = service("Luisterlijn", "Dag en nacht iemand om mee te praten.")
    tag(both, "support_kind", "personal_contact")
    service("Praatcafe", "Hier kunt u praten over van alles.")
    rebuild()
    assert kaart("iemand om mee te praten")[0] == "Luisterlijn"
    assert set(kaart("iemand om mee te praten")) == {"Maatjes", "Luisterlijn", "Praatcafe"}


def test_a_corrected_word_or_a_part_can_be_a_concept_too() -> None:
    choir = service("Buurtkoor", "Iedere week samen zingen.")
    tag(choir, "support_kind", "occupation")
    rebuild()
    # "muziekles" occurs nowhere; its part "muziek" is a phrase of the concept "Zingen en
    # muziek", whose words find the choir.
    SearchConcept.objects.filter(name="Zingen en muziek").update(words="zingen, koor")
    cache.delete(concepts.CACHE_KEY)
    assert "Zingen en muziek" in plan("muziekles").concepts
    assert kaart("muziekles") == ["Buurtkoor"]


def test_an_edited_concept_applies_to_the_next_search() -> None:
    bingo = service("Spelmiddag", QUIET)
    tag(bingo, "support_kind", "meeting")
    rebuild()
    assert kaart("kienen") == []
    concept = SearchConcept.objects.create(name="Kienen", phrases="kienen, bingo")
    concept.terms.add(TaxonomyTerm.objects.get(id=term_id("support_kind", "meeting")))
    assert kaart("kienen") == ["Spelmiddag"]
    concept.terms.clear()
    assert kaart("kienen") == []
    concept.words = "spelmiddag"
    concept.save()
    assert kaart("kienen") == ["Spelmiddag"]
    concept.delete()
    assert kaart("kienen") == []


def test_every_installation_has_the_seeded_concepts() -> None:
    assert SearchConcept.objects.count() >= 40
    grief = SearchConcept.objects.get(name="Rouw en verlies")
    assert "weduwe" in grief.phrase_list()
    assert list(grief.terms.values_list("code", flat=True)) == ["bereaved"]
    talk = SearchConcept.objects.get(name="Iemand om mee te praten")
    assert "iemand om mee te praten" in talk.phrase_list()


# -- suggestions and the closest services -------------------------------------------------------


def test_did_you_mean_offers_only_indexed_words_the_most_common_first() -> None:
    for n in range(3):
        service(f"Mantel {n}", "Een warme mantel.")
    service("Kantel", "Een kantel.")
    rebuild()
    assert get_backend().did_you_mean("wantel") == ["mantel", "kantel"]
    # The rest of the query is kept; a word that occurs is left alone.
    assert get_backend().did_you_mean("warme wantel") == ["warme mantel", "warme kantel"]
    assert get_backend().did_you_mean("mantel") == []
    assert get_backend().did_you_mean("qqqqqqqq") == []


def test_a_query_that_matches_nothing_shows_the_closest_services() -> None:
    service("Wandelgroep", "Samen wandelen.")
    service("Schaakclub", "Elke dinsdag schaken.")
    rebuild()
    # Three letters off (e -> w, n -> m: a thumb beside the key): too far for a typo, near
    # enough to be the closest.
    result = search_services(SearchParams(query="wandwlwm"))
    assert result.approximate
    assert [s.name for s in result.page.object_list] == ["Wandelgroep"]
    assert "wandelen" in result.suggestions
    nothing = search_services(SearchParams(query="xqzwvkjj"))
    assert nothing.total == 0 and not nothing.approximate
