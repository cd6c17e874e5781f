"""The sociale kaart's search, through `get_backend()`: the same tests on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from typing import Any, cast

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, QuerySet

import pytest

from omzien.directory.models import (
    Address,
    Location,
    Service,
    ServiceAtLocation,
    ServiceScope,
    ServiceStatus,
    Synonym,
)
from omzien.directory.search import get_backend, schedule_reindex
from omzien.directory.search.backends.base import SearchBackend, SearchInfo
from omzien.search.models import SearchDocument, SearchWord
from omzien.search.text import MAX_TERMS, edit_distance
from tests.factories import DirectoryOrganizationFactory, LocationFactory, ServiceFactory, tag

pytestmark = pytest.mark.django_db

# No factory default may match by accident: every test says what a service's text is.
QUIET = "Een plek in de buurt."


def backend() -> SearchBackend:
    return get_backend()


def service(name: str, description: str = QUIET, **fields: Any) -> Service:
    return cast(Service, ServiceFactory(name=name, description=description, **fields))


def search(query: str, queryset: QuerySet[Service] | None = None) -> tuple[list[str], SearchInfo]:
    found, info = backend().apply(Service.objects.all() if queryset is None else queryset, query)
    return [s.name for s in found.order_by("-search_rank", "name", "id")], info


def names(query: str) -> list[str]:
    return search(query)[0]


def rebuild() -> int:
    return backend().rebuild()


# -- what is found ------------------------------------------------------------------------------


def test_dutch_stemming_finds_a_singular_when_searching_the_plural() -> None:
    service("Goed gesprek", "Een gesprek met een vrijwilliger.")
    service("Wandelclub", "Samen lopen.")
    rebuild()
    assert names("gesprekken") == ["Goed gesprek"]
    assert names("gesprek") == ["Goed gesprek"]


def test_part_of_a_compound_word_finds_the_compound() -> None:
    service("Koffieochtend in de Brandevoort")
    service("Avondwandeling", "Samen lopen.")
    rebuild()
    assert names("ochtend") == ["Koffieochtend in de Brandevoort"]
    assert names("koffie") == ["Koffieochtend in de Brandevoort"]


def test_a_word_inside_another_is_only_a_part_where_a_compound_could_split() -> None:
    service("Rouwgroep", "Samen praten.")
    service("Steun bij rouwverwerking", "Samen praten.")
    service("Vrouwencafe", "Samen praten.")
    service("Zondagochtendwandeling", "Samen lopen.")
    rebuild()
    assert names("rouw") == ["Rouwgroep", "Steun bij rouwverwerking"]
    assert names("ochtend") == ["Zondagochtendwandeling"]


def test_a_typo_is_corrected_to_the_closest_indexed_word_and_reported() -> None:
    service("De Luisterlijn", "Dag en nacht iemand om mee te praten.")
    service("Luistertuin", "Een tuin om in te zitten.")
    rebuild()
    found, info = search("luisterlyn")
    assert found == ["De Luisterlijn"]
    assert info.corrections == {"luisterlyn": "luisterlijn"}


def test_a_swap_of_two_letters_counts_as_one_typo() -> None:
    service("Steunpunt Mantelzorg", "Voor wie zorgt voor een naaste.")
    rebuild()
    found, info = search("mantelzrog")
    assert found == ["Steunpunt Mantelzorg"]
    assert info.corrections == {"mantelzrog": "mantelzorg"}
    assert edit_distance("mantelzrog", "mantelzorg", 2) == 1


def test_a_word_like_nothing_indexed_finds_nothing_and_corrects_nothing() -> None:
    service("De Luisterlijn", "Iemand om mee te praten.")
    rebuild()
    found, info = search("xqzwvk")
    assert found == []
    assert info.corrections == {}


def test_an_indexed_word_is_never_corrected() -> None:
    service("Buurtkamer", "Open inloop.")
    service("Buurtkamers", "Open inloop.")
    rebuild()
    found, info = search("buurtkamer")
    assert set(found) == {"Buurtkamer", "Buurtkamers"}
    assert info.corrections == {}


def test_case_and_diacritics_do_not_matter() -> None:
    service("Taalcafé Noord", "Nederlands oefenen.")
    rebuild()
    assert names("TAALCAFE") == ["Taalcafé Noord"]
    assert names("taalcafé") == ["Taalcafé Noord"]


def test_synonyms_find_a_service_that_only_uses_the_other_word() -> None:
    Synonym.objects.create(words="maatje, buddy")
    service("Buddyproject", "Een buddy voor wie er alleen voor staat.")
    service("Schaakclub", "Elke week schaken.")
    rebuild()
    found, info = search("maatje")
    assert found == ["Buddyproject"]
    assert info.synonyms == {"maatje": ["buddy"]}
    # Both ways, and through the stem: "maatjes" has the stem of "maatje".
    assert names("buddy") == ["Buddyproject"]
    assert names("maatjes") == ["Buddyproject"]


def test_a_synonym_of_several_words_needs_all_of_them() -> None:
    Synonym.objects.create(words="mantelzorger, zorgt voor een naaste")
    service("Steunpunt", "Voor wie zorgt voor een naaste.")
    service("Zorgloos", "Voor wie een naaste heeft verloren.")
    rebuild()
    assert names("mantelzorger") == ["Steunpunt"]


def test_an_edited_synonym_list_applies_to_the_next_search() -> None:
    service("Buddyproject", "Een buddy aan uw zijde.")
    rebuild()
    assert names("maatje") == []
    row = Synonym.objects.create(words="maatje, buddy")
    assert names("maatje") == ["Buddyproject"]
    row.words = "maatje, vriend"
    row.save()
    assert names("maatje") == []
    row.words = "maatje, buddy"
    row.save()
    assert names("maatje") == ["Buddyproject"]
    row.delete()
    assert names("maatje") == []


def test_other_text_is_searched_too() -> None:
    organization = DirectoryOrganizationFactory(name="Stichting Zonnebloem")
    with_org = service("Uitjes", organization=organization)
    tagged = service("Samen eten")
    tag(tagged, "target_group", "informal_carers")  # term "Mantelzorgers"
    located = service("Spelletjesmiddag")
    location = cast(Location, LocationFactory(name="Wijkgebouw De Boog"))
    ServiceAtLocation.objects.create(service=located, location=location)
    Address.objects.create(
        location=location,
        address_1="Kerkstraat 1",
        city="Mierlo",
        state_province="Noord-Brabant",
        postal_code="5731AA",
    )
    service("Inloop", eligibility_description="Voor weduwnaars.")
    service("Tuinieren", application_process="Bel de tuinman.")
    service("Hulp", alternate_name="Klusjesdienst")
    rebuild()
    assert names("zonnebloem") == [with_org.name]
    assert names("mantelzorgers") == ["Samen eten"]
    assert names("boog") == ["Spelletjesmiddag"]
    assert names("mierlo") == ["Spelletjesmiddag"]
    assert names("weduwnaars") == ["Inloop"]
    assert names("tuinman") == ["Tuinieren"]
    assert names("klusjesdienst") == ["Hulp"]


# -- relevance and combining words --------------------------------------------------------------


def test_a_match_in_the_name_ranks_above_the_description_which_ranks_above_other_text() -> None:
    # The description repeats the word in a short text and the name hit has a long one: the
    # name still wins.
    service("Jeu de boules", " ".join(["Elke dinsdag op het plein bij de kerk."] * 20))
    service("Spelmiddag", "Boules, boules en nog eens boules.")
    service("Buitenspelen", eligibility_description="Voor liefhebbers van boules.")
    service("Kaartclub", "Klaverjassen.")
    rebuild()
    assert names("boules") == ["Jeu de boules", "Spelmiddag", "Buitenspelen"]
    found, _ = backend().apply(Service.objects.all(), "boules")
    ranks = dict(found.values_list("name", "search_rank"))
    assert ranks["Jeu de boules"] > ranks["Spelmiddag"] > ranks["Buitenspelen"] > 0
    # Ordered by rank alone (which SQLite answers from the index), the order is the same.
    assert [s.name for s in found.order_by("-search_rank")] == [
        "Jeu de boules",
        "Spelmiddag",
        "Buitenspelen",
    ]
    assert [s.name for s in found.order_by("-search_rank")[1:2]] == ["Spelmiddag"]


def test_services_matching_more_of_the_words_rank_first() -> None:
    # Issue 11: no word is required (people add words a service does not use), but a service
    # that matches more of them comes first.
    service("Wandelgroep voor ouderen", "Elke week samen wandelen.")
    service("Wandelgroep voor jongeren", "Elke week samen wandelen.")
    service("Koffie voor ouderen", "Een kop koffie.")
    rebuild()
    found = names("wandelen ouderen")
    assert found[0] == "Wandelgroep voor ouderen"
    assert set(found) == {
        "Wandelgroep voor ouderen",
        "Wandelgroep voor jongeren",
        "Koffie voor ouderen",
    }
    assert sorted(names("ouderen")) == ["Koffie voor ouderen", "Wandelgroep voor ouderen"]


def test_each_word_with_its_synonyms_is_one_group_and_more_groups_rank_higher() -> None:
    Synonym.objects.create(words="eenzaam, alleen")
    service("Samen koken", "Voor wie alleen woont en graag kookt.")
    service("Kookclub", "Koken met de buurt.")
    service("Luisterlijn", "Voor wie zich eenzaam voelt.")
    rebuild()
    found, info = search("eenzaam koken")
    # Every service that matches a group is found; the kaart ranks by how many groups match
    # (tests/test_search_understanding.py), this queryset only by the text rank.
    assert set(found) == {"Samen koken", "Kookclub", "Luisterlijn"}
    assert info.synonyms == {"eenzaam": ["alleen"]}
    assert info.terms == ["eenzaam", "koken"]


def test_stop_words_do_not_narrow_a_query_of_several_words() -> None:
    service("Wandelen met ouderen", "In het park.")
    rebuild()
    found, info = search("wandelen voor de ouderen")
    assert found == ["Wandelen met ouderen"]
    assert info.terms == ["wandelen", "ouderen"]


def test_a_query_of_only_stop_words_still_searches_for_them() -> None:
    service("Het Buurthuis", "Open.")
    service("Buurthuis", "Open.")
    rebuild()
    assert names("het") == ["Het Buurthuis"]


def test_a_typo_in_one_of_several_words_is_corrected_within_its_group() -> None:
    service("Wandelgroep Mierlo", "Elke week samen wandelen.")
    service("Fietsgroep Mierlo", "Elke week samen fietsen.")
    rebuild()
    found, info = search("wandelen mierlow")
    assert found[0] == "Wandelgroep Mierlo"
    assert info.corrections == {"mierlow": "mierlo"}


def test_at_most_twelve_words_of_a_query_are_searched() -> None:
    service("Koffie", "een twee drie vier vijf zes zeven acht negen tien elf twaalf")
    rebuild()
    words = "een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien"
    found, info = search(words)
    assert len(info.terms) == MAX_TERMS
    # "een" is a stop word, so the twelve are "twee" .. "dertien"; "dertien" occurs nowhere.
    assert info.terms[-1] == "dertien"
    # "dertien" occurs nowhere, but no word is required any more: the other eleven find it.
    assert found == ["Koffie"]


# -- the queryset the caller gets ---------------------------------------------------------------


def test_an_empty_query_returns_the_queryset_unchanged_with_rank_zero() -> None:
    service("Een")
    service("Twee", status=ServiceStatus.INACTIVE)
    for query in ("", "   ", "!!! ... ???", "🙂🙂"):
        found, info = backend().apply(Service.objects.all(), query)
        assert found.count() == 2
        assert {s.search_rank for s in found} == {0.0}
        assert info.terms == []


def test_the_result_can_be_filtered_counted_ordered_and_used_as_a_subquery() -> None:
    local = service("Koffiepunt", scope=ServiceScope.MUNICIPALITY)
    service("Koffielijn", scope=ServiceScope.NATIONAL)
    service("Theetuin", scope=ServiceScope.NATIONAL)
    rebuild()
    found, _ = backend().apply(Service.objects.filter(scope=ServiceScope.MUNICIPALITY), "koffie")
    assert found.count() == 1
    assert list(found.values_list("id", flat=True)) == [local.id]
    found, _ = backend().apply(Service.objects.all(), "koffie")
    assert found.filter(scope=ServiceScope.NATIONAL).count() == 1
    assert Service.objects.filter(id__in=found.values("id")).count() == 2
    assert [s.name for s in found.order_by("-search_rank", "name")[:1]] == ["Koffielijn"]
    by_scope = dict(found.values_list("scope").annotate(n=Count("id")))
    assert by_scope == {ServiceScope.MUNICIPALITY: 1, ServiceScope.NATIONAL: 1}


BAD_QUERIES = [
    '"',
    '""koffie',
    "koffie*",
    "*",
    "name:koffie",
    "{name}: koffie",
    "-koffie",
    "koffie -thee",
    "NEAR(koffie thee)",
    "koffie AND OR NOT",
    "AND",
    "^koffie",
    "koffie + thee",
    "(koffie",
    "koffie)",
    "'; DROP TABLE directory_service; --",
    "1 OR 1=1",
    "koffie' OR '1'='1",
    "🙂 koffie 🎉",
    "\x00koffie\x00",
    "ko\u0301ffie",
    "koffie & thee | !melk",
    "koffie:* <-> thee",
    "%_%",
    "\\",
    "x" * 5000,
    "koffie " * 1000,
    " ".join(f"woord{i}" for i in range(500)),
    "日本語 العربية русский",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_input_never_errors(query: str) -> None:
    service("Koffiepunt", "Koffie en thee.")
    rebuild()
    found, info = backend().apply(Service.objects.all(), query)
    assert found.count() == len(list(found.order_by("-search_rank")[:20]))
    assert len(info.terms) <= MAX_TERMS
    assert isinstance(backend().suggest(query), list)


def test_sql_in_a_query_is_only_words() -> None:
    service("Koffiepunt", "Koffie en thee.")
    rebuild()
    # The SQL is only words: "koffie" finds the service, nothing else happens.
    assert names("koffie'; DROP TABLE directory_service; --") == ["Koffiepunt"]
    assert names("koffie' OR '1'='1") == ["Koffiepunt"]
    assert Service.objects.count() == 1
    # Operators are words like any other ("near" and "and" occur nowhere here), so they do
    # not change what the other words find.
    assert names('"koffie" NEAR thee') == ["Koffiepunt"]
    assert names("koffie AND thee") == ["Koffiepunt"]
    assert names('"koffie"* (thee)') == ["Koffiepunt"]


# -- completion ---------------------------------------------------------------------------------


def test_suggest_completes_the_word_being_typed() -> None:
    service("De Luisterlijn", "Iemand die luistert.")
    service("Luisterlijn Helmond", "Bel ons.")
    rebuild()
    suggestions = backend().suggest("luist")
    assert suggestions[0] == "luisterlijn"  # in two services, so first
    assert "luistert" in suggestions
    assert backend().suggest("Luist", limit=1) == ["luisterlijn"]
    # What precedes the last word is kept, so the whole text can be completed.
    assert backend().suggest("bel de luist") == ["bel de luisterlijn", "bel de luistert"]


def test_suggest_offers_nothing_for_too_little_or_unknown_input() -> None:
    service("De Luisterlijn")
    rebuild()
    assert backend().suggest("") == []
    assert backend().suggest("l") == []
    assert backend().suggest("luist ") == []
    assert backend().suggest("qqq") == []
    assert backend().suggest("luist", limit=0) == []


def test_suggest_skips_stop_words() -> None:
    service("Voorleesclub", "Voor kinderen, voorgelezen door vrijwilligers.")
    rebuild()
    assert "voor" not in backend().suggest("voo")
    assert "voorleesclub" in backend().suggest("voo")


# -- keeping the index fresh --------------------------------------------------------------------


def test_only_published_services_that_are_active_or_temporarily_closed_are_found() -> None:
    service("Koffie actief")
    service("Koffie tijdelijk dicht", status=ServiceStatus.TEMPORARILY_CLOSED)
    service("Koffie niet actief", status=ServiceStatus.INACTIVE)
    service("Koffie opgeheven", status=ServiceStatus.DEFUNCT)
    service("Koffie concept", is_published=False)
    assert rebuild() == 2
    assert names("koffie") == ["Koffie actief", "Koffie tijdelijk dicht"]


def test_index_services_picks_up_a_change_and_keeps_word_counts_right() -> None:
    koffie = service("Koffieochtend")
    service("Koffiemiddag")
    rebuild()
    assert SearchWord.objects.get(word="koffieochtend").docs == 1
    koffie.name = "Theeochtend"
    koffie.save()
    assert names("thee") == []  # not indexed yet
    assert backend().index_services([koffie.id]) == 1
    assert names("thee") == ["Theeochtend"]
    assert names("koffie") == ["Koffiemiddag"]
    assert not SearchWord.objects.filter(word="koffieochtend").exists()
    assert SearchWord.objects.get(word="theeochtend").docs == 1
    assert "koffieochtend" not in backend().suggest("koffie")


def test_index_services_removes_services_that_are_unpublished_closed_or_deleted() -> None:
    hidden = service("Koffie een")
    closed = service("Koffie twee")
    deleted = service("Koffie drie")
    service("Koffie vier")
    rebuild()
    assert len(names("koffie")) == 4
    Service.objects.filter(id=hidden.id).update(is_published=False)
    Service.objects.filter(id=closed.id).update(status=ServiceStatus.DEFUNCT)
    deleted_id = deleted.id
    deleted.delete()  # not found from now on; index_services tidies up
    assert backend().index_services([hidden.id, closed.id, deleted_id, uuid.uuid4()]) == 0
    assert names("koffie") == ["Koffie vier"]
    assert SearchDocument.objects.count() == 1
    assert SearchWord.objects.get(word="koffie").docs == 1


def test_index_services_adds_a_new_service_and_repeats_harmlessly() -> None:
    service("Koffie een")
    rebuild()
    new = service("Koffie twee")
    assert names("koffie") == ["Koffie een"]
    assert backend().index_services([new.id, new.id]) == 1
    assert backend().index_services([new.id]) == 1
    assert names("koffie") == ["Koffie een", "Koffie twee"]
    assert SearchWord.objects.get(word="koffie").docs == 2
    assert backend().index_services([]) == 0


def test_rebuild_replaces_the_whole_index_and_counts_the_services() -> None:
    first = service("Koffie een")
    service("Koffie twee")
    assert rebuild() == 2
    Service.objects.filter(id=first.id).update(name="Thee een")
    service("Koffie drie")
    assert rebuild() == 3
    assert names("koffie") == ["Koffie drie", "Koffie twee"]
    assert names("thee") == ["Thee een"]
    assert SearchWord.objects.get(word="koffie").docs == 2
    assert SearchDocument.objects.count() == 3


def test_schedule_reindex_indexes_once_the_transaction_commits(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    rebuild()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = service("Wandelclub")
        schedule_reindex([created.id])
        assert names("wandelclub") == []
    assert len(callbacks) == 1
    assert names("wandelclub") == ["Wandelclub"]
    schedule_reindex([])  # nothing to do, nothing scheduled


def test_the_rebuild_command_prints_the_number_of_services() -> None:
    service("Koffie een")
    service("Koffie twee")
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert out.getvalue().startswith("Indexed 2 services in ")
    assert len(names("koffie")) == 2


def test_the_index_tables_belong_to_the_database_in_use() -> None:
    tables = connection.introspection.table_names()
    if connection.vendor == "sqlite":
        assert {"search_fts", "search_word_trigram"} <= set(tables)
    else:
        assert "search_fts" not in tables
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            assert cursor.fetchone() == (1,)


def test_edit_distance_stops_counting_past_the_limit() -> None:
    assert edit_distance("luisterlyn", "luisterlijn", 2) == 2
    assert edit_distance("koffie", "koffie", 2) == 0
    assert edit_distance("koffie", "thee", 2) == 3
    assert edit_distance("ab", "ba", 1) == 1


def test_a_cached_synonym_list_that_cannot_be_read_is_built_again(db, monkeypatch):
    # A shared Redis outlives deployments: an entry pickled by code that has since moved must
    # not break every search.

    from omzien.directory.models import Synonym
    from omzien.directory.search import synonyms

    Synonym.objects.create(words="maatje, buddy")

    def unreadable(key, default=None):
        raise ModuleNotFoundError("No module named 'omzien.search.synonyms'")

    monkeypatch.setattr(cache, "get", unreadable)
    assert "buddy" in synonyms.synonym_map().lookup("maatje")


def test_the_synonym_list_is_cached_as_plain_data(db):

    from omzien.directory.models import Synonym
    from omzien.directory.search import synonyms

    Synonym.objects.create(words="maatje, buddy")
    cache.delete(synonyms.CACHE_KEY)
    synonyms.synonym_map()
    stored = cache.get(synonyms.CACHE_KEY)
    assert isinstance(stored, dict) and set(stored) == {"by_word", "by_stem"}
    assert type(stored["by_word"]) is dict
    assert "buddy" in synonyms.synonym_map().lookup("maatje")
