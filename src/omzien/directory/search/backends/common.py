"""What both backends share, so that they behave the same on SQLite and on PostgreSQL.

A query is read in Python into groups (`plan`):
- each search concept whose phrase occurs in it ("iemand om mee te praten") is two groups: the
  words it stands for with the concept's own words, and its taxonomy terms (as index tokens);
- every other meaningful word is one group of alternatives: its stem, its synonyms, the indexed
  words it is part of ("ochtend" -> "koffieochtend", "kaarten" -> "kaartclub", "tuinieren" ->
  "buurtmoestuin") and, when none of those occurs anywhere, the closest indexed word (a typo) or
  else its parts ("wandelmaatje" -> "wandel", "maatje").
Stop words are left out. No group is required: the database reports, per group, which services
match it and where (name, description, other text, tag), and `scoring` ranks the services by
how much of the query they cover and where. Only turning groups into a MATCH expression or a
tsquery is the database's business. Indexing, likewise, is shared but for where the stems are
written.
"""

from __future__ import annotations

import re
import time
import uuid
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeAlias, TypeVar

from django.db import connection, transaction
from django.db.models import FloatField, QuerySet, Value

import numpy as np

from omzien.directory import catalogue
from omzien.directory.models import Service
from omzien.directory.search.backends.base import Ranked, SearchInfo
from omzien.directory.search.backends.scoring import TIER_TAG, Hits, score
from omzien.directory.search.concepts import concept_map
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
# Concept phrases are looked for in this many words of a query at most.
CONCEPT_WINDOW = 3 * MAX_TERMS
# A word this long that occurs nowhere may be a compound of indexed words.
SPLIT_MIN_CHARS = 7
# A part on its own (the other part occurring nowhere) must be at least this long.
LONE_PART_MIN_CHARS = 6
# How far "the closest" words may be from a word of a query that found nothing: at most this
# many edits, and at most this share of the word's letters.
CLOSEST_DISTANCE = 3
CLOSEST_SHARE = 0.4
# Endings that make a word of another ("tuinieren" from "tuin", "wandeling" from "wandel"),
# longest first; only used when the word and its stem are part of no indexed word.
DERIVATIONS = (
    "ieren", "eren", "ering", "ingen", "ing", "tjes", "tje", "jes", "je", "en", "er", "s", "e",
)  # fmt: skip
# The number of indexed documents is read again after this many seconds.
TOTAL_SECONDS = 30.0

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
    """One part of a query: any one alternative (one or more stems that must all occur, a
    synonym of several words) or tag (the index token of a taxonomy term) matches it.

    kind: "word", "concept" (a search concept), "correction" (a typo, corrected) or "part" (a
    part of a compound that occurs nowhere as a whole)."""

    term: str
    alternatives: tuple[tuple[str, ...], ...]
    tags: tuple[str, ...] = ()
    kind: str = "word"

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


def part_positions(term: str, word: str) -> list[int]:
    """Where `term` can be a part of the compound `word` (see `is_part`), after the start."""
    found = []
    position = word.find(term, 3)
    while position != -1:
        found.append(position)
        position = word.find(term, position + 1)
    return found


def derived_root(word: str) -> str | None:
    """`word` without a derivational ending, if at least PART_MIN_CHARS remain."""
    for ending in DERIVATIONS:
        if word.endswith(ending) and len(word) - len(ending) >= PART_MIN_CHARS:
            return word[: -len(ending)]
    return None


class IndexBackend(ABC):
    """The shared part of `SearchBackend`; subclasses fill in the database-specific methods."""

    _total: tuple[float, int] | None = None

    # -- searching ----------------------------------------------------------------------------

    def apply(self, queryset: QuerySet[Service], query: str) -> tuple[RankedServices, SearchInfo]:
        info = SearchInfo(query=query)
        groups = self.plan(query or "", info)
        if not groups:
            return queryset.annotate(search_rank=Value(0.0, output_field=FloatField())), info
        return self._filter(queryset, groups), info

    def ranked_documents(
        self, query: str, kaart: catalogue.Catalogue | None = None
    ) -> tuple[np.ndarray | None, np.ndarray, SearchInfo]:
        """(search document ids, their ranks, info) for the query; (None, ..) when it has no
        words, which means every service. Higher ranks are more relevant; the whole part of a
        rank is its relevance band (see `scoring`). `kaart`: the catalogue the caller uses,
        which answers which services have a concept's terms."""
        info = SearchInfo(query=query)
        groups = self.plan(query or "", info)
        if not groups:
            return None, np.zeros(0), info
        documents, ranks = self._score(groups, kaart)
        return documents, ranks, info

    def closest_documents(self, query: str) -> tuple[np.ndarray, np.ndarray, SearchInfo]:
        """For a query that found nothing: the documents with the indexed words closest to its
        meaningful words (within CLOSEST_DISTANCE edits, or sharing its first five letters)."""
        info = SearchInfo(query=query)
        terms = self._terms(query or "")
        info.terms = list(terms)
        groups = []
        for term in terms:
            found = self._closest_words(term)
            if found:
                info.corrections[term] = found[0][0]
                groups.append(
                    Group(term, tuple((word_stem,) for _, word_stem in found), (), "correction")
                )
        if not groups:
            return np.zeros(0, dtype=np.int64), np.zeros(0), info
        documents, ranks = self._score(groups)
        return documents, ranks, info

    def did_you_mean(self, query: str, limit: int = 3) -> list[str]:
        """The query with each word that occurs nowhere replaced by the indexed words closest to
        it (edit distance, then the number of services with the word): never a word that is not
        in the index."""
        terms = self._terms(query or "")
        if not terms:
            return []
        known = self._known_stems({stem(term) for term in terms})
        suggestions: list[str] = []
        for term in terms:
            if stem(term) in known or len(term) < 3 or term.isdigit():
                continue
            for word, _ in self._closest_words(term)[:limit]:
                if word == term:
                    continue
                text = re.sub(rf"(?i)\b{re.escape(term)}\b", word, normalise(query), count=1)
                suggestion = " ".join(text.split())
                if suggestion not in suggestions:
                    suggestions.append(suggestion)
        return suggestions[: 2 * limit]

    def _score(
        self, groups: list[Group], kaart: catalogue.Catalogue | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        # A concept's terms come from the catalogue's bit columns where it has them: reading the
        # index for a term most services have costs more than the rest of the search.
        hits: list[Hits] = []
        asked: list[Group] = []
        for index, group in enumerate(groups):
            if not group.tags:
                asked.append(group)
                continue
            kaart = kaart or catalogue.get_catalogue()
            left = []
            for tag in group.tags:
                documents = kaart.tagged_documents(uuid.UUID(tag[1:]))
                if documents is None:
                    left.append(tag)
                else:
                    hits.append(Hits(index, TIER_TAG, documents))
            asked.append(replace(group, tags=tuple(left)))
        hits += self._tiered(asked)
        return score(
            hits,
            [group.kind for group in groups],
            self._document_count(),
            [group.term for group in groups],
        )

    def _document_count(self) -> int:
        # Only the inverse document frequencies use it: a count a few seconds old is as good.
        now = time.monotonic()
        cached = self._total
        if cached is not None and now - cached[0] < TOTAL_SECONDS:
            return cached[1]
        total = SearchDocument.objects.count()
        self._total = (now, total)
        return total

    def _terms(self, query: str, synonyms: SynonymMap | None = None) -> list[str]:
        synonyms = synonym_map() if synonyms is None else synonyms
        terms = list(dict.fromkeys(words(query[:MAX_QUERY_CHARS])))
        meaningful = [term for term in terms if term not in STOP_WORDS or term in synonyms]
        # A query of only stop words ("de") still searches for them rather than for nothing.
        return (meaningful or terms)[:MAX_TERMS]

    def plan(self, query: str, info: SearchInfo) -> list[Group]:
        """The groups to search for (empty: no words, show everything); fills in `info`."""
        synonyms = synonym_map()
        terms = self._terms(query, synonyms)
        info.terms = list(terms)
        if not terms:
            return []
        concepts = concept_map()
        matches = concepts.match(words(query[:MAX_QUERY_CHARS])[:CONCEPT_WINDOW])
        consumed = {word for match in matches for word in match.words}

        # Every word's alternatives (its stem and synonyms, recorded for the query's own words)
        # and the stems of the indexed words it is part of, looked up in batches.
        alternatives: dict[str, list[tuple[str, ...]]] = {}
        parts: dict[str, list[str]] = {}
        known: set[str] = set()

        def look_up(wanted: Iterable[str], recorded: set[str]) -> None:
            fresh = [word for word in dict.fromkeys(wanted) if word not in alternatives]
            if not fresh:
                return
            for word in fresh:
                record = info if word in recorded else None
                alternatives[word] = [(stem(word),), *self._synonyms(word, synonyms, record)]
            known.update(
                self._known_stems({s for w in fresh for option in alternatives[w] for s in option})
            )
            parts.update(self._parts([word for word in fresh if len(word) >= PART_MIN_CHARS]))

        own = {*terms, *consumed}
        look_up([*own, *(word for match in matches for word in match.concept.words)], own)

        # What each other word stands for: itself, when it occurs; else a typo's correction,
        # or the parts of a compound ("buurtmaaltijd"), or one known part of it.
        resolved: dict[str, tuple[str, list[str]]] = {}
        for term in terms:
            if term in consumed:
                continue
            found = bool(parts.get(term)) or any(
                all(s in known for s in option) for option in alternatives[term]
            )
            if found:
                resolved[term] = ("word", [term])
                continue
            correction = self._correct(term)
            if correction is not None:
                info.corrections[term] = correction
                resolved[term] = ("correction", [correction])
                continue
            both, lone = self._split(term)
            if both or lone:
                info.splits[term] = both or lone
                resolved[term] = ("part", both or lone)
            else:
                resolved[term] = ("word", [term])

        # A corrected word or a part may be a concept's phrase too ("muziekles" -> "muziek").
        named = {match.concept.name for match in matches}
        for kind, resolved_words in resolved.values():
            if kind == "word":
                continue
            for word in resolved_words:
                for match in concepts.match([word]):
                    if match.concept.name not in named:
                        named.add(match.concept.name)
                        matches.append(match)
                        consumed.add(word)
        standing_for = {word for _, found in resolved.values() for word in found}
        look_up(
            [*standing_for, *(word for match in matches for word in match.concept.words)],
            standing_for,
        )
        info.concepts = [match.concept.name for match in matches]

        def expanded(word: str) -> list[tuple[str, ...]]:
            return alternatives[word] + [(part,) for part in parts.get(word, [])]

        groups = []
        for match in matches:
            options: list[tuple[str, ...]] = []
            for word in [*match.words, *match.concept.words]:
                options += expanded(word)
            # The text and the tags are two groups of equal weight: a service with the words
            # and the tag covers the concept, one with either covers half of it.
            groups.append(Group(match.concept.name, tuple(dict.fromkeys(options)), (), "concept"))
            if match.concept.tags:
                groups.append(Group(match.concept.name, (), match.concept.tags, "concept"))
        for term, (kind, resolved_words) in resolved.items():
            for word in resolved_words:
                if kind != "word" and word in consumed:
                    continue
                options = expanded(word)
                if kind == "correction":
                    options = expanded(term) + options
                groups.append(Group(word, tuple(dict.fromkeys(options)), (), kind))
        return groups

    def _synonyms(
        self, word: str, synonyms: SynonymMap, info: SearchInfo | None
    ) -> list[tuple[str, ...]]:
        found = synonyms.lookup(word)
        if not found:
            return []
        if info is not None:
            info.synonyms[word] = found
        return [option for option in map(phrase, found) if option]

    def _known_words(self, wanted: set[str]) -> set[str]:
        if not wanted:
            return set()
        return set(
            SearchWord.objects.filter(word__in=sorted(wanted), docs__gt=0).values_list(
                "word", flat=True
            )
        )

    def _known_stems(self, stems: set[str]) -> set[str]:
        return set(
            SearchWord.objects.filter(stem__in=sorted(stems), docs__gt=0)
            .values_list("stem", flat=True)
            .distinct()
        )

    def _parts(self, words_: Sequence[str]) -> dict[str, list[str]]:
        """Per word, the stems of the indexed words it (or its stem) is part of, the most common
        first; if there are none, those its root is part of ("tuinieren" -> "tuin")."""
        needles: dict[str, tuple[list[str], str | None]] = {}
        for word in words_:
            own = [word]
            word_stem = stem(word)
            if word_stem != word and len(word_stem) >= PART_MIN_CHARS:
                own.append(word_stem)
            root = derived_root(word)
            needles[word] = (own, root if root not in own else None)
        wanted = sorted(
            {n for own, root in needles.values() for n in (*own, root) if n is not None}
        )
        if not wanted:
            return {}
        # Fetched generously: is_part turns some down, and so does a better split. "thuis" is
        # inside "buurthuis", but "buurt" is a word: that is "buurt" + "huis".
        candidates = [
            (needle, word, word_stem)
            for needle, word, word_stem in self._words_containing(wanted, 2 * PART_LIMIT)
            if is_part(needle, word)
        ]
        longer = {
            (needle, word): [word[: p + 1] for p in part_positions(needle, word)]
            for needle, word, _ in candidates
            if not word.startswith(needle)
        }
        words_before = self._known_words({w for prefixes in longer.values() for w in prefixes})
        containing: dict[str, list[str]] = {}
        for needle, word, word_stem in candidates:
            prefixes = longer.get((needle, word))
            if prefixes and all(prefix in words_before for prefix in prefixes):
                continue
            containing.setdefault(needle, []).append(word_stem)
        found: dict[str, list[str]] = {}
        for word, (own, root) in needles.items():
            stems = [word_stem for needle in own for word_stem in containing.get(needle, [])]
            if not stems and root is not None:
                stems = containing.get(root, [])
            if stems:
                found[word] = list(dict.fromkeys(stems))[:PART_LIMIT]
        return found

    def _split(self, term: str) -> tuple[list[str], list[str]]:
        """A word that occurs nowhere as parts that do: (both parts, the first part as long as
        possible: "buurtmaaltijd" -> "buurt", "maaltijd"), or else one long part alone
        ("mantelzorgondersteuning" -> "mantelzorg", "belastingformulier" -> "formulier").
        A part "does occur" when it is part of an indexed word (`is_part`)."""
        empty: tuple[list[str], list[str]] = ([], [])
        if len(term) < SPLIT_MIN_CHARS or term.isdigit():
            return empty
        # Every cut leaving a first part of PART_MIN_CHARS or more, the longest first part first.
        cuts = range(len(term) - 1, PART_MIN_CHARS - 1, -1)
        candidates: dict[int, tuple[str, list[str]]] = {}
        for cut in cuts:
            head, tail = term[:cut], term[cut:]
            # Dutch joins parts with an "s" or an "e(n)" ("vrijwilligerscentrale").
            tails = [tail] + [tail[len(j) :] for j in ("s", "en", "e") if tail.startswith(j)]
            tails = [t for t in tails if len(t) >= PART_MIN_CHARS and t not in STOP_WORDS]
            candidates[cut] = (head, tails)
        needles = sorted(
            {head for head, _ in candidates.values()}
            | {t for _, tails in candidates.values() for t in tails}
        )
        occurring = {
            needle
            for needle, word, _ in self._words_containing(needles, PART_MIN_CHARS)
            if is_part(needle, word)
        }
        lone: list[str] = []
        for cut in cuts:
            head, tails = candidates[cut]
            known_tail = next((t for t in tails if t in occurring), None)
            if head in occurring and known_tail is not None:
                return [head, known_tail], []
            if not lone and head in occurring and len(head) >= LONE_PART_MIN_CHARS:
                lone = [head]
        if not lone:
            for cut in reversed(cuts):
                known_tail = next((t for t in candidates[cut][1] if t in occurring), None)
                if known_tail is not None and len(known_tail) >= LONE_PART_MIN_CHARS - 1:
                    lone = [known_tail]
                    break
        return [], lone

    def _correct(self, term: str) -> str | None:
        """The indexed word closest to `term` within `max_typos`, the most common on a tie."""
        if len(term) < 3 or term.isdigit():
            return None
        limit = max_typos(term)
        best: tuple[int, int, str, str] | None = None
        for word, word_stem, docs in self._similar_words(term, limit, CANDIDATE_LIMIT):
            if word in STOP_WORDS:
                continue
            distance = edit_distance(term, word, limit)
            if distance <= limit:
                key = (distance, -docs, word, word_stem)
                best = key if best is None or key < best else best
        return None if best is None else best[2]

    def _closest_words(self, term: str) -> list[tuple[str, str]]:
        """(word, stem) of the indexed words closest to `term`: within CLOSEST_DISTANCE edits
        (and CLOSEST_SHARE of its letters) or sharing its first five letters; the closest, then
        the most common, first."""
        if len(term) < 4 or term.isdigit():
            return []
        limit = min(CLOSEST_DISTANCE, int(len(term) * CLOSEST_SHARE))
        ranked = []
        for word, word_stem, docs in self._similar_words(term, limit, CANDIDATE_LIMIT, loose=True):
            if word in STOP_WORDS or word == term:
                continue
            distance = edit_distance(term, word, limit)
            if distance <= limit or (len(term) >= 5 and word[:5] == term[:5]):
                ranked.append((distance, -docs, word, word_stem))
        ranked.sort()
        return [(word, word_stem) for _, _, word, word_stem in ranked[:PART_LIMIT]]

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
    def _tiered(self, groups: list[Group]) -> list[Hits]:
        """The documents matching each group, per place (`scoring.TIER_*`: name, description,
        other text) and, for a concept's tags, per tag."""

    @abstractmethod
    def _filter(self, queryset: QuerySet[Service], groups: list[Group]) -> RankedServices:
        """`queryset` narrowed to services matching any group, annotated with search_rank."""

    @abstractmethod
    def _words_containing(self, needles: list[str], limit: int) -> list[tuple[str, str, str]]:
        """(needle, word, stem) of indexed words that contain each needle, per needle at most
        `limit`, the most common first."""

    @abstractmethod
    def _similar_words(
        self, term: str, max_distance: int, limit: int, loose: bool = False
    ) -> list[tuple[str, str, int]]:
        """(word, stem, docs) of indexed words that may be within `max_distance` of `term`;
        `loose`: also those sharing only a few trigrams with it (for the closest words)."""

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
