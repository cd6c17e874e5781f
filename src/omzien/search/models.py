"""The search index's tables.

Both databases:
- `SearchDocument`: one row per indexed service. On SQLite its id is the rowid of the FTS5
  table `search_fts`; on PostgreSQL the row carries the weighted `tsvector` itself.
- `IndexedWords`: the distinct words each document was indexed with, so the vocabulary's
  counts can be corrected when a service is indexed again. Kept apart from `SearchDocument`
  so the table every search joins stays narrow.
- `SearchWord`: the vocabulary (word, stem, number of documents) behind parts of compound
  words, typo corrections and completions. SQLite adds an FTS5 trigram index on it, PostgreSQL
  a pg_trgm index (migrations 0002 and 0003).

SQLite only: `SearchFts` maps the FTS5 virtual table, so the ORM can join it; it is unmanaged
and never queried on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Lookup
from django.db.models.sql.compiler import SQLCompiler


class TsVectorField(models.Field[Any, Any]):
    """PostgreSQL's `tsvector`; an always-empty text column on other databases."""

    description = "Text search document"

    def db_type(self, connection: BaseDatabaseWrapper) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def get_placeholder(
        self, value: Any, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> str:
        # The value is tsvector text built in Python; PostgreSQL parses it into a tsvector.
        return "%s::tsvector" if connection.vendor == "postgresql" else "%s"


class TsMatch(Lookup[Any]):
    """`document @@ query`, the query given as tsquery text built by the backend."""

    lookup_name = "tsmatch"

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ ({rhs})::tsquery", [*lhs_params, *rhs_params]


TsVectorField.register_lookup(TsMatch)


class Fts5TableField(models.TextField[Any, Any]):
    """The hidden column of an FTS5 table that bears the table's name: the left side of MATCH
    and the first argument of its ranking functions."""


class Fts5Match(Lookup[Any]):
    lookup_name = "fts5_match"
    prepare_rhs = False  # the right side is FTS5 query text, whatever the column's type

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


Fts5TableField.register_lookup(Fts5Match)


class Fts5RankField(models.FloatField[Any, Any]):
    """FTS5's hidden `rank` column; `rank MATCH 'fn(...)'` chooses how it is computed."""


Fts5RankField.register_lookup(Fts5Match)


class SearchDocument(models.Model):
    id = models.BigAutoField(primary_key=True)
    # No cascade and no constraint: a deleted service's document stays until index_services
    # (or rebuild) removes it, so the vocabulary's counts can be corrected from its words.
    # Searches join from the services, so such a document is never found meanwhile.
    # By label, not by import: this app knows nothing of the sociale kaart it indexes.
    service = models.OneToOneField(
        "directory.Service",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_document",
    )
    # PostgreSQL: setweight(name, 'A') || setweight(description, 'B') || setweight(other, 'C'),
    # built in Python from the same stems SQLite indexes. NULL on SQLite.
    document = TsVectorField(null=True)

    def __str__(self) -> str:
        return f"search document {self.id}"


class IndexedWords(models.Model):
    document = models.OneToOneField(
        SearchDocument, primary_key=True, on_delete=models.CASCADE, related_name="indexed_words"
    )
    words = models.TextField()  # distinct normalised words, separated by spaces

    def __str__(self) -> str:
        return f"words of search document {self.document_id}"


class SearchWord(models.Model):
    word = models.CharField(max_length=64, unique=True)
    stem = models.CharField(max_length=64, db_index=True)
    docs = models.IntegerField(default=0)  # indexed services that contain the word

    def __str__(self) -> str:
        return self.word


class SearchFts(models.Model):
    """SQLite's FTS5 table `search_fts` (name, description, other: stems), rowid = document id."""

    document = models.OneToOneField(
        SearchDocument,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="fts",
    )
    table = Fts5TableField(db_column="search_fts")
    rank = Fts5RankField()

    class Meta:
        managed = False
        db_table = "search_fts"

    def __str__(self) -> str:
        return f"fts row {self.pk}"
