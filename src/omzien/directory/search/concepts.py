"""Search concepts from `directory.SearchConcept`, read through Django's cache.

A concept turns everyday phrasing into what the kaart knows: "iemand om mee te praten" into the
term "Persoonlijk contact" and the words "praten" and "gesprek". Phrases of two meaningful words
or more are compared on the stems of those (stop words left out), as a run of consecutive
meaningful words of the query, so "ik zoek iemand om eens mee te praten" contains "iemand om mee
te praten"; shorter phrases with stop words ("de deur uit") only as written.

Like the synonyms, the list is cached in the shared cache as plain data and dropped whenever a
concept or its terms change (see `apps.py`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction

from omzien.directory.models import SearchConcept
from omzien.directory.search.documents import term_token
from omzien.search.text import STOP_WORDS, stem, words

CACHE_KEY = "omzien:search:concepts:v1"
CACHE_SECONDS = 24 * 60 * 60
# At most this many concepts take part in one query.
MAX_CONCEPTS = 6

logger = logging.getLogger(__name__)


def content_stems(text_words: Sequence[str]) -> tuple[str, ...]:
    """The stems of the meaningful words of a phrase."""
    return tuple(stem(word) for word in text_words if word not in STOP_WORDS)


@dataclass(frozen=True)
class Concept:
    name: str
    phrases: tuple[tuple[str, ...], ...]  # each phrase as the stems of its meaningful words
    # Phrases of stop words and at most one other word ("iets te doen", "de deur uit"), as the
    # stems of all their words, matched only as written.
    plain_phrases: tuple[tuple[str, ...], ...]
    words: tuple[str, ...]  # normalised words also searched for
    tags: tuple[str, ...]  # index tokens of the concept's taxonomy terms


@dataclass(frozen=True)
class ConceptMatch:
    concept: Concept
    words: frozenset[str]  # the query's words the concept stands for


@dataclass(frozen=True)
class ConceptMap:
    concepts: tuple[Concept, ...]

    def match(self, query_words: Sequence[str]) -> list[ConceptMatch]:
        """The concepts whose phrases occur in the query (as runs of its meaningful words),
        with the query words each phrase covers; the longest phrases first."""
        everything = list(range(len(query_words)))
        meaningful = [i for i in everything if query_words[i] not in STOP_WORDS]
        all_stems = [stem(word) for word in query_words]
        found: list[tuple[int, ConceptMatch]] = []
        for concept in self.concepts:
            covered: set[str] = set()
            longest = 0
            for phrases, positions in (
                (concept.phrases, meaningful),
                (concept.plain_phrases, everything),
            ):
                stems = [all_stems[i] for i in positions]
                for phrase in phrases:
                    size = len(phrase)
                    for start in range(len(stems) - size + 1):
                        if tuple(stems[start : start + size]) == phrase:
                            covered.update(query_words[i] for i in positions[start : start + size])
                            longest = max(longest, size)
            if covered:
                found.append((longest, ConceptMatch(concept, frozenset(covered))))
        found.sort(key=lambda item: (-item[0], item[1].concept.name))
        return [match for _, match in found[:MAX_CONCEPTS]]


def build(rows: list[dict[str, Any]]) -> ConceptMap:
    concepts = []
    for row in rows:
        phrases: dict[tuple[str, ...], None] = {}
        plain: dict[tuple[str, ...], None] = {}
        for phrase in row["phrases"]:
            phrase_words = words(phrase)
            stems = content_stems(phrase_words)
            if len(stems) > 1 or (stems and len(phrase_words) == 1):
                phrases[stems] = None
            elif phrase_words:
                # Stop words and at most one other word ("samen zijn", "de deur uit"): only as
                # written, or the one word alone would stand for the whole phrase.
                plain[tuple(stem(word) for word in phrase_words)] = None
        concept_words = tuple(dict.fromkeys(w for entry in row["words"] for w in words(entry)))
        concepts.append(
            Concept(
                name=row["name"],
                phrases=tuple(phrases),
                plain_phrases=tuple(plain),
                words=concept_words,
                tags=tuple(row["tags"]),
            )
        )
    return ConceptMap(tuple(concepts))


def _rows() -> list[dict[str, Any]]:
    rows = []
    for concept in SearchConcept.objects.prefetch_related("terms").order_by("name"):
        rows.append(
            {
                "name": concept.name,
                "phrases": concept.phrase_list(),
                "words": concept.word_list(),
                "tags": [term_token(term.id) for term in concept.terms.all()],
            }
        )
    return rows


# Stemming every phrase again for every query would cost more than the query: the concepts built
# from the cached rows are kept per process, under the version the cache entry carries.
_built: dict[str, ConceptMap] = {}


def _store() -> dict[str, Any]:
    rows = _rows()
    entry = {"version": uuid.uuid4().hex, "rows": rows}
    cache.set(CACHE_KEY, entry, CACHE_SECONDS)
    return entry


def concept_map() -> ConceptMap:
    # Plain data in the shared cache, never a class of ours (see synonyms.synonym_map).
    try:
        cached = cache.get(CACHE_KEY)
    except Exception:  # noqa: BLE001 - an entry this code cannot read is a miss
        logger.warning("The cached search concepts could not be read; building them again")
        cached = None
    if not (isinstance(cached, dict) and isinstance(cached.get("version"), str)):
        cached = _store()
    version = cached["version"]
    found = _built.get(version)
    if found is not None:
        return found
    try:
        built = build(cached["rows"])
    except (KeyError, TypeError):
        logger.warning("The cached search concepts had an unknown shape; building them again")
        cached = _store()
        version, built = cached["version"], build(cached["rows"])
    _built.clear()
    _built[version] = built
    return built


def forget(**_: Any) -> None:
    """Drop the cached concepts: now, and again after the transaction commits."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
