"""Search on PostgreSQL: a weighted tsvector of Python-made stems, pg_trgm on the vocabulary.

The stems are the ones SQLite indexes (Snowball's Dutch stemmer in Python), written as a
`tsvector` literal with weights A (name), B (description) and C (other text). PostgreSQL's own
`dutch` configuration is deliberately not used: its older Snowball Dutch stemmer and its parser
split and stem differently, and the same query must find the same services on both databases.
A GIN index answers `@@`. `apply()` matches any group and ranks with `ts_rank` and the weights
below; the kaart's ranking (`_tiered`, then `scoring`) asks per group where the documents match
it.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import F, FloatField, Func, QuerySet, Value

from omzien.directory.models import Service
from omzien.directory.search.backends.common import Group, IndexBackend
from omzien.directory.search.backends.scoring import (
    TIER_DESCRIPTION,
    TIER_NAME,
    TIER_OTHER,
    TIER_TAG,
    Hits,
    parse_ids,
)
from omzien.directory.search.documents import IndexedDocument

if TYPE_CHECKING:
    from omzien.directory.search.backends.common import RankedServices

# ts_rank's weights for D, C, B, A. A word counts about as much as its best position's weight,
# however often it repeats (at most the weight, at least 0.61 of it for one position), so with
# these a name hit always outranks a description hit, which outranks a hit in other text.
RANK_WEIGHTS = "{0, 0.01, 0.1, 1}"
# The trigram similarity from which a word is among "the closest" to a query word that found
# nothing (pg_trgm's own threshold, 0.3, is for typos).
LOOSE_SIMILARITY = 0.1
# Above this share of the documents, reading them all beats the index (see `_tiered`).
SEQUENTIAL_SHARE = 0.3
# tsvector limits: positions run to 16383 and a word keeps at most 256 of them.
MAX_POSITION = 16_383
MAX_POSITIONS_PER_WORD = 256


def _quoted(word: str) -> str:
    # Words are runs of letters and digits (text.words): no quote or backslash to escape.
    return f"'{word}'"


def _option(stems: tuple[str, ...], weight: str = "") -> str:
    if len(stems) == 1:
        return _quoted(stems[0]) + weight
    return "(" + " & ".join(_quoted(s) + weight for s in stems) + ")"


def group_query(group: Group, weight: str = "") -> str:
    """Any alternative of the group, in the place `weight` (":A" name, ":B" description), or
    anywhere with its tags when no place is given."""
    options = [_option(option, weight) for option in group.alternatives]
    if not weight:
        options += [_quoted(tag) for tag in group.tags]
    return " | ".join(options)


def tsquery(groups: list[Group]) -> str:
    """Any group: no word of a query is required (see `scoring`)."""
    return " | ".join(f"({query})" for group in groups if (query := group_query(group)))


def tsvector(document: IndexedDocument) -> str:
    positions: dict[str, list[str]] = {}
    position = 0
    for weight, stems in (("A", document.name), ("B", document.description), ("C", document.other)):
        for word_stem in stems:
            position += 1
            if position > MAX_POSITION:
                break
            found = positions.setdefault(word_stem, [])
            if len(found) < MAX_POSITIONS_PER_WORD:
                found.append(f"{position}{weight}")
    return " ".join(f"{_quoted(word)}:{','.join(found)}" for word, found in positions.items())


class TsRank(Func):
    function = "ts_rank"
    template = f"ts_rank('{RANK_WEIGHTS}'::float4[], %(expressions)s::tsquery)"
    output_field = FloatField()


class PostgresBackend(IndexBackend):
    def _filter(self, queryset: QuerySet[Service], groups: list[Group]) -> RankedServices:
        query = tsquery(groups)
        return queryset.filter(search_document__document__tsmatch=query).annotate(
            search_rank=TsRank(F("search_document__document"), Value(query))
        )

    def _tiered(self, groups: list[Group]) -> list[Hits]:
        # One scan of the documents matching anything in the query (reading a tsvector costs
        # more than testing it): per group the ids in its name (A), its description (B) and
        # anywhere, and per tag the ids with it, each joined into one string.
        columns: list[tuple[int, int, str]] = []
        for index, group in enumerate(groups):
            anywhere = " | ".join(_option(option) for option in group.alternatives)
            if anywhere:
                columns += [
                    (index, TIER_NAME, group_query(group, ":A")),
                    (index, TIER_DESCRIPTION, group_query(group, ":B")),
                    (index, TIER_OTHER, anywhere),
                ]
            columns += [(index, TIER_TAG, _quoted(tag)) for tag in group.tags]
        if not columns:
            return []
        aggregates = ", ".join(
            "string_agg(id::text, ',') FILTER (WHERE document @@ %s::tsquery)" for _ in columns
        )
        with transaction.atomic(), connection.cursor() as cursor:
            # The planner guesses an OR of many words to match most documents and reads them
            # all; when the vocabulary says they are in few, the GIN index finds those faster
            # (at 20 000 services: 19 against 8 ms for "bewegen" and its concept's words).
            if self._few(groups):
                cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                f"SELECT {aggregates} FROM search_searchdocument "  # noqa: S608 - placeholders only
                "WHERE document @@ %s::tsquery",
                [query for _, _, query in columns] + [tsquery(groups)],
            )
            row = cursor.fetchone()
        return [
            Hits(group, tier, parse_ids(ids))
            for (group, tier, _), ids in zip(columns, row or (), strict=False)
        ]

    def _few(self, groups: list[Group]) -> bool:
        """Whether the groups' words are in at most SEQUENTIAL_SHARE of the documents, by the
        vocabulary's counts (summed: an overestimate)."""
        stems = sorted({s for group in groups for s in group.stems})
        if not stems:
            return True
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COALESCE(SUM(docs), 0) FROM (SELECT MAX(docs) AS docs "
                "FROM search_searchword WHERE stem = ANY(%s) GROUP BY stem) AS counted",
                [stems],
            )
            row = cursor.fetchone()
        return bool(row) and row[0] < SEQUENTIAL_SHARE * self._document_count()

    def _words_containing(self, needles: list[str], limit: int) -> list[tuple[str, str, str]]:
        selects = []
        params: list[str | int] = []
        for needle in needles:
            # LIKE '%needle%' is answered by the pg_trgm index; words contain no % or _.
            selects.append(
                "(SELECT %s, word, stem FROM search_searchword WHERE word LIKE %s AND docs > 0 "
                "ORDER BY docs DESC, word LIMIT %s)"
            )
            params += [needle, f"%{needle}%", limit]
        if not selects:
            return []
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(selects), params)
            return [(needle, word, word_stem) for needle, word, word_stem in cursor.fetchall()]

    def _similar_words(
        self, term: str, max_distance: int, limit: int, loose: bool = False
    ) -> list[tuple[str, str, int]]:
        with transaction.atomic(), connection.cursor() as cursor:
            if loose:
                # For this transaction only: words sharing a few trigrams count as similar.
                cursor.execute("SET LOCAL pg_trgm.similarity_threshold = %s", [LOOSE_SIMILARITY])
            # word % term: trigram similarity above pg_trgm's threshold (0.3), from the index.
            cursor.execute(
                "SELECT word, stem, docs FROM search_searchword "
                "WHERE word %% %s AND docs > 0 AND length(word) BETWEEN %s AND %s "
                "ORDER BY similarity(word, %s) DESC, docs DESC LIMIT %s",
                [term, len(term) - max_distance, len(term) + max_distance, term, limit],
            )
            return [(word, word_stem, docs) for word, word_stem, docs in cursor.fetchall()]

    def _words_with_prefix(self, prefix: str, limit: int) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM search_searchword WHERE word LIKE %s AND docs > 0 "
                "ORDER BY docs DESC, word LIMIT %s",
                [f"{prefix}%", limit],
            )
            return [word for (word,) in cursor.fetchall()]

    def _tsvector(self, document: IndexedDocument) -> str | None:
        return tsvector(document)

    def _write_stems(
        self, documents: list[IndexedDocument], document_ids: dict[uuid.UUID, int]
    ) -> None:
        # The tsvector was written with the SearchDocument row itself.
        return None

    def _optimise(self) -> None:
        with connection.cursor() as cursor:
            # A bulk load leaves the new entries in the GIN indexes' pending lists, which every
            # search must then scan (and which make the planner prefer a sequential scan);
            # merge them now rather than at the next autovacuum.
            for index in ("search_document_gin", "search_word_trgm"):
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            # Fresh statistics, so the planner knows how selective words are straight away.
            for table in ("search_searchdocument", "search_searchword"):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
