"""Search on PostgreSQL: a weighted tsvector of Python-made stems, pg_trgm on the vocabulary.

The stems are the ones SQLite indexes (Snowball's Dutch stemmer in Python), written as a
`tsvector` literal with weights A (name), B (description) and C (other text). PostgreSQL's own
`dutch` configuration is deliberately not used: its older Snowball Dutch stemmer and its parser
split and stem differently, and the same query must find the same services on both databases.
A GIN index answers `@@`; `ts_rank` with the weights below orders.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import F, FloatField, Func, QuerySet, Value

from omzien.directory.models import Service
from omzien.directory.search.backends.common import Group, IndexBackend
from omzien.directory.search.documents import IndexedDocument

if TYPE_CHECKING:
    from omzien.directory.search.backends.common import RankedServices

# ts_rank's weights for D, C, B, A. A word counts about as much as its best position's weight,
# however often it repeats (at most the weight, at least 0.61 of it for one position), so with
# these a name hit always outranks a description hit, which outranks a hit in other text.
RANK_WEIGHTS = "{0, 0.01, 0.1, 1}"
# tsvector limits: positions run to 16383 and a word keeps at most 256 of them.
MAX_POSITION = 16_383
MAX_POSITIONS_PER_WORD = 256


def _quoted(word: str) -> str:
    # Words are runs of letters and digits (text.words): no quote or backslash to escape.
    return f"'{word}'"


def tsquery(groups: list[Group]) -> str:
    def option(stems: tuple[str, ...]) -> str:
        if len(stems) == 1:
            return _quoted(stems[0])
        return "(" + " & ".join(map(_quoted, stems)) + ")"

    return " & ".join(
        "(" + " | ".join(option(stems) for stems in group.alternatives) + ")" for group in groups
    )


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
        # Ranked on all stems ORed: ts_rank on an AND query would weigh how close the words
        # stand rather than where they stand.
        ranking = " | ".join(_quoted(s) for group in groups for s in group.stems)
        return queryset.filter(search_document__document__tsmatch=tsquery(groups)).annotate(
            search_rank=TsRank(F("search_document__document"), Value(ranking))
        )

    def _ranked(self, groups: list[Group]) -> list[tuple[int, float]]:
        ranking = " | ".join(_quoted(s) for group in groups for s in group.stems)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, ts_rank(%s::float4[], document, %s::tsquery) "
                "FROM search_searchdocument WHERE document @@ %s::tsquery",
                [RANK_WEIGHTS, ranking, tsquery(groups)],
            )
            return cursor.fetchall()

    def _words_containing(self, term: str, limit: int) -> list[tuple[str, str]]:
        with connection.cursor() as cursor:
            # LIKE '%term%' is answered by the pg_trgm index; words contain no % or _.
            cursor.execute(
                "SELECT word, stem FROM search_searchword WHERE word LIKE %s AND docs > 0 "
                "ORDER BY docs DESC, word LIMIT %s",
                [f"%{term}%", limit],
            )
            return [(word, word_stem) for word, word_stem in cursor.fetchall()]

    def _similar_words(
        self, term: str, max_distance: int, limit: int
    ) -> list[tuple[str, str, int]]:
        with connection.cursor() as cursor:
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
