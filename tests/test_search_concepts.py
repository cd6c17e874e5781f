"""Administrators edit the search concepts beside the synonyms: audited, refused to others, and
in the next search at once."""

from __future__ import annotations

from collections.abc import Iterator

from django.core.cache import cache
from django.test import Client

import pytest

from omzien.audit.models import AuditEvent
from omzien.directory.filters import SearchParams
from omzien.directory.models import SearchConcept
from omzien.directory.search import concepts, get_backend
from omzien.directory.selectors import search_services
from omzien.directory.vocabularies import term_id
from tests.factories import ServiceFactory, tag

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_concepts() -> Iterator[None]:
    cache.delete(concepts.CACHE_KEY)
    yield
    cache.delete(concepts.CACHE_KEY)


def kaart(query: str) -> list[str]:
    return [s.name for s in search_services(SearchParams(query=query)).page.object_list]


@pytest.mark.parametrize(
    "person", ["policy_officer", "case_worker_a", "provider_editor", "outsider"]
)
def test_only_administrators_edit_search_concepts(client: Client, request, person: str) -> None:  # type: ignore[no-untyped-def]
    client.force_login(request.getfixturevalue(person))
    concept = SearchConcept.objects.get(name="Rouw en verlies")
    assert client.get("/beheer/vocabulaires/begrippen/nieuw/").status_code == 403
    assert client.post("/beheer/vocabulaires/begrippen/nieuw/", {"name": "x"}).status_code == 403
    edit = f"/beheer/vocabulaires/begrippen/{concept.pk}/"
    assert client.post(edit, {"name": "x", "phrases": "y"}).status_code == 403
    assert client.post(f"{edit}verwijderen/").status_code == 403
    concept.refresh_from_db()
    assert concept.name == "Rouw en verlies"
    assert not AuditEvent.objects.filter(action__startswith="search_concept.").exists()


def test_the_vocabulary_page_lists_the_concepts(client: Client, administrator) -> None:  # type: ignore[no-untyped-def]
    client.force_login(administrator)
    content = client.get("/beheer/vocabulaires/").content.decode()
    assert "Zoekbegrippen" in content and "Rouw en verlies" in content
    assert "Na verlies" in content  # the term it stands for


def test_an_administrator_adds_a_concept_and_the_next_search_uses_it(
    client: Client, administrator
) -> None:  # type: ignore[no-untyped-def]
    bingo = ServiceFactory(name="Spelmiddag", description="Een middag in de buurt.")
    tag(bingo, "support_kind", "meeting")
    get_backend().rebuild()
    assert kaart("kienen") == []

    client.force_login(administrator)
    page = client.get("/beheer/vocabulaires/begrippen/nieuw/").content.decode()
    assert 'name="terms"' in page and "Ontmoeting" in page
    meeting = term_id("support_kind", "meeting")
    response = client.post(
        "/beheer/vocabulaires/begrippen/nieuw/",
        {"name": " Kienen ", "phrases": "Kienen,\nbingo, , kienen", "terms": [str(meeting)]},
    )
    assert response.status_code == 302
    concept = SearchConcept.objects.get(name="Kienen")
    assert concept.phrases == "kienen, bingo"
    assert list(concept.terms.values_list("id", flat=True)) == [meeting]
    event = AuditEvent.objects.get(action="search_concept.create")
    assert event.object_id == str(concept.pk)
    assert kaart("kienen") == ["Spelmiddag"]
    assert kaart("bingo") == ["Spelmiddag"]


def test_an_administrator_changes_and_deletes_a_concept(client: Client, administrator) -> None:  # type: ignore[no-untyped-def]
    client.force_login(administrator)
    concept = SearchConcept.objects.get(name="Rouw en verlies")
    edit = f"/beheer/vocabulaires/begrippen/{concept.pk}/"
    page = client.get(edit).content.decode()
    assert "weduwe" in page and f'value="{term_id("target_group", "bereaved")}" checked' in page
    response = client.post(edit, {"name": "Rouw", "phrases": "weduwe", "words": "rouw"})
    assert response.status_code == 302
    concept.refresh_from_db()
    assert (concept.name, concept.phrases, concept.words) == ("Rouw", "weduwe", "rouw")
    assert not concept.terms.exists()
    event = AuditEvent.objects.get(action="search_concept.update")
    assert set(event.details["fields"]) == {"name", "phrases", "words", "terms"}

    assert client.post(f"{edit}verwijderen/").status_code == 302
    assert not SearchConcept.objects.filter(pk=concept.pk).exists()
    assert AuditEvent.objects.filter(
        action="search_concept.delete", object_id=str(concept.pk)
    ).exists()


def test_a_concept_needs_a_free_name_and_a_phrase(client: Client, administrator) -> None:  # type: ignore[no-untyped-def]
    client.force_login(administrator)
    response = client.post(
        "/beheer/vocabulaires/begrippen/nieuw/", {"name": "rouw en verlies", "phrases": " , "}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Er is al een begrip met deze naam." in content
    assert "Schrijf minstens één woord of zin." in content
    assert not AuditEvent.objects.filter(action__startswith="search_concept.").exists()


def test_the_concepts_are_cached_as_plain_data_and_an_unreadable_entry_is_built_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert "Rouw en verlies" in [c.name for c in concepts.concept_map().concepts]
    stored = cache.get(concepts.CACHE_KEY)
    assert isinstance(stored, dict) and set(stored) == {"version", "rows"}
    assert all(type(row) is dict for row in stored["rows"])

    def unreadable(key: str, default: object = None) -> object:
        raise ModuleNotFoundError("No module named 'omzien.search.concepts'")

    monkeypatch.setattr(cache, "get", unreadable)
    assert "Rouw en verlies" in [c.name for c in concepts.concept_map().concepts]


def test_a_phrase_of_stop_words_and_one_word_counts_only_as_written() -> None:
    found = concepts.concept_map()
    # "samen zijn" stands for meeting people; "samen" alone does not.
    assert "Mensen ontmoeten" in [m.concept.name for m in found.match(["samen", "zijn"])]
    assert "Mensen ontmoeten" not in [m.concept.name for m in found.match(["samen", "koken"])]
    # Two meaningful words match with stop words between them.
    match = found.match(["ik", "zoek", "iemand", "om", "eens", "mee", "te", "praten"])
    assert "Iemand om mee te praten" in [m.concept.name for m in match]
