"""Search on SQLite: FTS5 over stems, an FTS5 trigram index over the vocabulary.

- `search_fts` (name, description, other) holds each document's Dutch stems, rowid = the
  `SearchDocument` id. A search joins it to the services through `SearchDocument`, so SQLite
  runs the MATCH once and looks up only the matching services: no subquery per row.
- `apply()` matches any group and ranks by FTS5's bm25 with column weights (see
  `COLUMN_WEIGHTS`); the kaart's ranking (`_tiered`, then `scoring`) asks per group and column
  which documents match.
- `search_word_trigram` indexes the vocabulary by trigrams: substrings for the parts of
  compound words, shared trigrams for typo candidates.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import F, QuerySet

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
from omzien.search.models import SearchWord

if TYPE_CHECKING:
    from omzien.directory.search.backends.common import RankedServices

# Relevance is FTS5's bm25 with a weight per column (name, description, other), read from FTS5's
# `rank` column so that "ORDER BY search_rank DESC" alone is answered by the index, best first,
# and SQLite stops after a page instead of ranking and sorting every match.
#
# bm25 multiplies a word's count in each column by the column's weight, then saturates:
# score = idf * f * 2.2 / (f + K), K = 1.2 * (0.25 + 0.75 * length / average length) >= 0.3.
# With weights this small f stays far below K, so the score is close to linear in them and a
# name hit outweighs a description hit a hundredfold (lengths would need to differ more than
# that to change the order). Their sign is negative so that bm25, which returns minus the
# score, returns the score itself: higher is better, as SearchBackend promises. |f| stays
# below 0.3 even for a name of 127 one-letter words and descriptions of MAX_FIELD_WORDS.
COLUMN_WEIGHTS = (-0.002, -0.00002, -0.0000002)
RANK = "bm25({})".format(", ".join(f"{weight:.7f}" for weight in COLUMN_WEIGHTS))
COLUMN_TIERS = (("name", TIER_NAME), ("description", TIER_DESCRIPTION), ("other", TIER_OTHER))


def _quoted(word: str) -> str:
    # Words are runs of letters and digits (text.words), so they never contain a quote; quoting
    # keeps words like "and", "or", "near" and "not" from being read as operators.
    return f'"{word}"'


def _option(stems: tuple[str, ...]) -> str:
    if len(stems) == 1:
        return _quoted(stems[0])
    return "(" + " AND ".join(map(_quoted, stems)) + ")"


def group_expression(group: Group) -> str:
    """Any alternative or tag of the group (empty when it has neither)."""
    return " OR ".join([*map(_option, group.alternatives), *map(_quoted, group.tags)])


def match_expression(groups: list[Group]) -> str:
    """Any group: no word of a query is required (see `scoring`)."""
    return " OR ".join(
        f"({expression})" for group in groups if (expression := group_expression(group))
    )


class SqliteFts5Backend(IndexBackend):
    def _filter(self, queryset: QuerySet[Service], groups: list[Group]) -> RankedServices:
        return queryset.filter(
            search_document__fts__table__fts5_match=match_expression(groups),
            search_document__fts__rank__fts5_match=RANK,
        ).annotate(search_rank=F("search_document__fts__rank"))

    def _tiered(self, groups: list[Group]) -> list[Hits]:
        # One MATCH per group and column (a column filter keeps FTS5 on its index) and per tag
        # (tags are index tokens in "other"), each answering one row of joined ids, all in one
        # statement: one round trip, and no Python row per match.
        selects: list[str] = []
        params: list[str] = []
        for index, group in enumerate(groups):
            text = " OR ".join(map(_option, group.alternatives))
            places = (
                [(tier, f"{column} : ({text})") for column, tier in COLUMN_TIERS] if text else []
            )
            places += [(TIER_TAG, f"other : {_quoted(tag)}") for tag in group.tags]
            for tier, expression in places:
                selects.append(
                    f"SELECT {index:d}, {tier:d}, group_concat(rowid) FROM search_fts "  # noqa: S608 - integers
                    "WHERE search_fts MATCH %s"
                )
                params.append(expression)
        if not selects:
            return []
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(selects), params)
            return [Hits(group, tier, parse_ids(ids)) for group, tier, ids in cursor.fetchall()]

    def _words_containing(self, needles: list[str], limit: int) -> list[tuple[str, str, str]]:
        # Per needle its own LIMIT, in one statement.
        selects = []
        params: list[str | int] = []
        for needle in needles:
            selects.append(
                "SELECT * FROM (SELECT %s, w.word, w.stem FROM search_word_trigram t "
                "JOIN search_searchword w ON w.id = t.rowid "
                "WHERE search_word_trigram MATCH %s AND w.docs > 0 "
                "ORDER BY w.docs DESC, w.word LIMIT %s)"
            )
            params += [needle, _quoted(needle), limit]
        if not selects:
            return []
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(selects), params)
            return [(needle, word, word_stem) for needle, word, word_stem in cursor.fetchall()]

    def _similar_words(
        self, term: str, max_distance: int, limit: int, loose: bool = False
    ) -> list[tuple[str, str, int]]:
        # Any shared trigram makes a candidate, loose or not; the best ranked come first.
        trigrams = sorted({term[i : i + 3] for i in range(len(term) - 2)})
        with connection.cursor() as cursor:
            # Words sharing the most (and rarest) trigrams with the term come first.
            cursor.execute(
                "SELECT w.word, w.stem, w.docs FROM search_word_trigram t "
                "JOIN search_searchword w ON w.id = t.rowid "
                "WHERE search_word_trigram MATCH %s AND w.docs > 0 "
                "AND length(w.word) BETWEEN %s AND %s "
                "ORDER BY bm25(search_word_trigram) LIMIT %s",
                [
                    " OR ".join(map(_quoted, trigrams)),
                    len(term) - max_distance,
                    len(term) + max_distance,
                    limit,
                ],
            )
            return [(word, word_stem, docs) for word, word_stem, docs in cursor.fetchall()]

    def _words_with_prefix(self, prefix: str, limit: int) -> list[str]:
        # A range on the unique index (SQLite compares bytes) rather than LIKE, which SQLite
        # cannot answer from an index here.
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return list(
            SearchWord.objects.filter(word__gte=prefix, word__lt=upper, docs__gt=0)
            .order_by("-docs", "word")
            .values_list("word", flat=True)[:limit]
        )

    def _tsvector(self, document: IndexedDocument) -> str | None:
        return None

    def _write_stems(
        self, documents: list[IndexedDocument], document_ids: dict[uuid.UUID, int]
    ) -> None:
        with connection.cursor() as cursor:
            # OR REPLACE: a service indexed again keeps its rowid; FTS5 drops the old row first.
            cursor.executemany(
                "INSERT OR REPLACE INTO search_fts (rowid, name, description, other) "
                "VALUES (%s, %s, %s, %s)",
                [
                    (
                        document_ids[document.service_id],
                        " ".join(document.name),
                        " ".join(document.description),
                        " ".join(document.other),
                    )
                    for document in documents
                ],
            )

    def _optimise(self) -> None:
        # Merge the index's segments into one b-tree: fewer lookups per query afterwards.
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
            cursor.execute(
                "INSERT INTO search_word_trigram (search_word_trigram) VALUES ('optimize')"
            )
