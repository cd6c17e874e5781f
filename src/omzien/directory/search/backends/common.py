"""What both backends share, so that they behave the same on SQLite and on PostgreSQL.

A query is read in Python into groups of alternatives, one group per word: the word's stem, its
synonyms, the indexed words it is part of ("ochtend" -> "koffieochtend") and, when none of those
occurs anywhere, the closest indexed word (a typo). The groups are ANDed, the alternatives ORed;
only turning that into a MATCH expression or a tsquery is the database's business. Indexing,
likewise, is shared but for where the stems are written.
"""

from __future__ import annotations

import re
import uuid
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, TypeVar

from django.db import connection, transaction
from django.db.models import FloatField, QuerySet, Value

import numpy as np

from omzien.directory import catalogue
from omzien.directory.models import Service
from omzien.directory.search.backends.base import Ranked, SearchInfo
from omzien.directory.search.documents import IndexedDocument, all_documents, build_documents
from omzien.directory.search.synonyms import SynonymMap, synonym_map
from omzien.search.models import IndexedWords, SearchDocument, SearchWord
from omzien.search.text import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    MAX_WORD_CHARS,
    MIN_VOCABULARY_CHARS,
    STOP_WORDS,
    edit_distance,
    normalise,
    query_words,
    stem,
    words,
)

# A query word this long or longer also finds the indexed words it is part of; shorter ones
# ("dag", "eet") are part of too many unrelated words to help.
PART_MIN_CHARS = 4
# At most this many such words per query word, the most common first.
PART_LIMIT = 20
# Typo correction looks at this many candidates sharing trigrams with the word.
CANDIDATE_LIMIT = 100
# Services indexed per round trip.
BATCH_SIZE = 500

_LAST_WORD = re.compile(r"[^\W_]+$")

T = TypeVar("T")

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    RankedServices: TypeAlias = QuerySet[WithAnnotations[Service, Ranked]]


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class Group:
    """One query word: any one alternative must occur; an alternative is one or more stems that
    must all occur (a synonym of several words)."""

    term: str
    alternatives: tuple[tuple[str, ...], ...]

    @property
    def stems(self) -> list[str]:
        return list(dict.fromkeys(s for alternative in self.alternatives for s in alternative))


def phrase(text: str) -> tuple[str, ...]:
    return tuple(stem(word) for word in words(text))


def max_typos(word: str) -> int:
    return 1 if len(word) <= 4 else 2


def is_part(term: str, word: str) -> bool:
    """Whether `term` can be a part of the compound `word`: at its start, or after at least
    three letters, since the other part of a compound is a word too. So "ochtend" is part of
    "koffieochtend" and "zondagochtendwandeling", but "rouw" is not part of "vrouw"."""
    position = word.find(term)
    while position != -1:
        if position == 0 or position >= 3:
            return True
        position = word.find(term, position + 1)
    return False


class IndexBackend(ABC):
    """The shared part of `SearchBackend`; subclasses fill in the database-specific methods."""

    # -- searching ----------------------------------------------------------------------------

    def apply(self, queryset: QuerySet[Service], query: str) -> tuple[RankedServices, SearchInfo]:
        info = SearchInfo(query=query)
        groups = self.plan(query or "", info)
        if not groups:
            return queryset.annotate(search_rank=Value(0.0, output_field=FloatField())), info
        return self._filter(queryset, groups), info

    def ranked_documents(self, query: str) -> tuple[np.ndarray | None, np.ndarray, SearchInfo]:
        """(search document ids, their ranks, info) for the query; (None, ..) when it has no
        words, which means every service. Higher ranks are more relevant."""
        info = SearchInfo(query=query)
        groups = self.plan(query or "", info)
        if not groups:
            return None, np.zeros(0), info
        rows = self._ranked(groups)
        documents = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        ranks = np.fromiter((row[1] or 0.0 for row in rows), dtype=np.float64, count=len(rows))
        return documents, ranks, info

    def plan(self, query: str, info: SearchInfo) -> list[Group]:
        """The groups to search for (empty: no words, show everything); fills in `info`."""
        synonyms = synonym_map()
        terms = query_words(query)
        meaningful = [term for term in terms if term not in STOP_WORDS or term in synonyms]
        # A query of only stop words ("de") still searches for them rather than for nothing.
        terms = (meaningful or terms)[:MAX_TERMS]
        info.terms = list(terms)
        if not terms:
            return []

        alternatives: dict[str, list[tuple[str, ...]]] = {}
        for term in terms:
            alternatives[term] = [(stem(term),)] + self._synonyms(term, synonyms, info)
        known = self._known_stems(
            {s for options in alternatives.values() for option in options for s in option}
        )

        groups = []
        for term in terms:
            options = alternatives[term]
            found = any(all(s in known for s in option) for option in options)
            if len(term) >= PART_MIN_CHARS:
                # Fetched generously: is_part turns some down.
                parts = [
                    (word, part_stem)
                    for word, part_stem in self._words_containing(term, 2 * PART_LIMIT)
                    if is_part(term, word)
                ][:PART_LIMIT]
                options += [(part_stem,) for _, part_stem in parts]
                found = found or bool(parts)
            if not found:
                correction = self._correct(term)
                if correction is not None:
                    word, word_stem = correction
                    info.corrections[term] = word
                    options.append((word_stem,))
                    options += self._synonyms(word, synonyms, info)
            groups.append(Group(term, tuple(dict.fromkeys(options))))
        return groups

    def _synonyms(self, word: str, synonyms: SynonymMap, info: SearchInfo) -> list[tuple[str, ...]]:
        found = synonyms.lookup(word)
        if not found:
            return []
        info.synonyms[word] = found
        return [option for option in map(phrase, found) if option]

    def _known_stems(self, stems: set[str]) -> set[str]:
        return set(
            SearchWord.objects.filter(stem__in=sorted(stems), docs__gt=0)
            .values_list("stem", flat=True)
            .distinct()
        )

    def _correct(self, term: str) -> tuple[str, str] | None:
        """The indexed word closest to `term` within `max_typos`, the most common on a tie."""
        if len(term) < 3 or term.isdigit():
            return None
        limit = max_typos(term)
        best: tuple[int, int, str, str] | None = None
        for word, word_stem, docs in self._similar_words(term, limit, CANDIDATE_LIMIT):
            distance = edit_distance(term, word, limit)
            if distance <= limit:
                key = (distance, -docs, word, word_stem)
                best = key if best is None or key < best else best
        return None if best is None else (best[2], best[3])

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Completions of the last word typed, the words in most services first.

        What comes before the last word is kept as typed, so "koffie och" may give
        "koffie ochtend"; a single word gives single words.
        """
        text = (prefix or "")[:MAX_QUERY_CHARS]
        match = _LAST_WORD.search(text)
        if match is None or limit <= 0:
            return []
        typed = normalise(match.group())
        if not MIN_VOCABULARY_CHARS <= len(typed) <= MAX_WORD_CHARS:
            return []
        head = text[: match.start()]
        found = self._words_with_prefix(typed, min(limit, 50) + len(STOP_WORDS))
        return [head + word for word in found if word not in STOP_WORDS][:limit]

    # -- indexing -----------------------------------------------------------------------------

    def index_services(self, ids: Iterable[uuid.UUID]) -> int:
        wanted = list(dict.fromkeys(ids))
        indexed = 0
        with transaction.atomic():
            for batch in chunks(wanted, BATCH_SIZE):
                indexed += self._reindex(batch)
        catalogue.services_changed(wanted)
        return indexed

    def _reindex(self, ids: Sequence[uuid.UUID]) -> int:
        documents = build_documents(ids)
        previous = {
            service_id: (document_id, indexed or "")
            for service_id, document_id, indexed in SearchDocument.objects.filter(
                service_id__in=ids
            ).values_list("service_id", "id", "indexed_words__words")
        }
        # The vocabulary counts services per word: take away what was indexed, add what is now.
        delta: Counter[str] = Counter()
        stems: dict[str, str] = {}
        for _, indexed in previous.values():
            delta.subtract(indexed.split())
        for document in documents:
            delta.update(document.words.keys())
            stems.update(document.words)
        current = {document.service_id for document in documents}
        gone = [doc_id for service_id, (doc_id, _) in previous.items() if service_id not in current]
        if gone:
            # The cascade removes the indexed words; on SQLite a trigger removes the FTS5 row.
            SearchDocument.objects.filter(id__in=gone).delete()
        self._store(documents)
        self._count_words(delta, stems)
        return len(documents)

    def rebuild(self) -> int:
        total = 0
        counts: Counter[str] = Counter()
        stems: dict[str, str] = {}
        with transaction.atomic():
            self._clear()
            for documents in all_documents():
                self._store(documents)
                for document in documents:
                    counts.update(document.words.keys())
                    stems.update(document.words)
                total += len(documents)
            SearchWord.objects.bulk_create(
                (
                    SearchWord(word=word, stem=stems[word], docs=docs)
                    for word, docs in counts.items()
                ),
                batch_size=2000,
            )
            self._optimise()
        catalogue.bump()
        return total

    def _clear(self) -> None:
        with connection.cursor() as cursor:
            for model in (IndexedWords, SearchDocument, SearchWord):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608

    def _store(self, documents: list[IndexedDocument]) -> None:
        if not documents:
            return
        SearchDocument.objects.bulk_create(
            [
                SearchDocument(service_id=document.service_id, document=self._tsvector(document))
                for document in documents
            ],
            update_conflicts=True,
            unique_fields=["service"],
            update_fields=["document"],
            batch_size=BATCH_SIZE,
        )
        document_ids = dict(
            SearchDocument.objects.filter(
                service_id__in=[document.service_id for document in documents]
            ).values_list("service_id", "id")
        )
        IndexedWords.objects.bulk_create(
            [
                IndexedWords(document_id=document_ids[d.service_id], words=" ".join(d.words))
                for d in documents
            ],
            update_conflicts=True,
            unique_fields=["document"],
            update_fields=["words"],
            batch_size=BATCH_SIZE,
        )
        self._write_stems(documents, document_ids)

    def _count_words(self, delta: Counter[str], stems: dict[str, str]) -> None:
        table = connection.ops.quote_name(SearchWord._meta.db_table)
        added = [(word, stems[word], n) for word, n in delta.items() if n > 0]
        removed = [(n, word) for word, n in delta.items() if n < 0]
        with connection.cursor() as cursor:
            if added:
                cursor.executemany(
                    f"INSERT INTO {table} (word, stem, docs) VALUES (%s, %s, %s) "  # noqa: S608
                    f"ON CONFLICT (word) DO UPDATE SET docs = {table}.docs + excluded.docs",
                    added,
                )
            if removed:
                cursor.executemany(
                    f"UPDATE {table} SET docs = docs + %s WHERE word = %s",  # noqa: S608
                    removed,
                )
        if removed:
            for batch in chunks([word for _, word in removed], BATCH_SIZE):
                SearchWord.objects.filter(word__in=batch, docs__lte=0).delete()

    # -- what each database does its own way -------------------------------------------------

    @abstractmethod
    def _ranked(self, groups: list[Group]) -> list[tuple[int, float]]:
        """(search document id, rank) of every document matching the groups, in any order."""

    @abstractmethod
    def _filter(self, queryset: QuerySet[Service], groups: list[Group]) -> RankedServices:
        """`queryset` narrowed to services matching every group, annotated with search_rank."""

    @abstractmethod
    def _words_containing(self, term: str, limit: int) -> list[tuple[str, str]]:
        """(word, stem) of indexed words that contain `term`, the most common first."""

    @abstractmethod
    def _similar_words(
        self, term: str, max_distance: int, limit: int
    ) -> list[tuple[str, str, int]]:
        """(word, stem, docs) of indexed words that may be within `max_distance` of `term`."""

    @abstractmethod
    def _words_with_prefix(self, prefix: str, limit: int) -> list[str]:
        """Indexed words starting with `prefix`, the most common first."""

    @abstractmethod
    def _tsvector(self, document: IndexedDocument) -> str | None:
        """The value of `SearchDocument.document` for this document."""

    @abstractmethod
    def _write_stems(
        self, documents: list[IndexedDocument], document_ids: dict[uuid.UUID, int]
    ) -> None:
        """Write the documents' stems wherever this database searches them."""

    @abstractmethod
    def _optimise(self) -> None:
        """Tidy the index after a rebuild."""
