"""PostgreSQL only: pg_trgm and the GIN indexes search needs. Nothing happens on SQLite.

- GIN on search_searchdocument.document answers `document @@ query`;
- GIN trigram on search_searchword.word answers LIKE '%part%', LIKE 'prefix%' and the
  similarity operator % used for typo candidates.

pg_trgm is a trusted extension (PostgreSQL 13+), so the database owner may create it. Going
back drops the indexes but leaves the extension: other parts may come to use it.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS search_document_gin ON search_searchdocument USING gin (document)",
    "CREATE INDEX IF NOT EXISTS search_word_trgm ON search_searchword "
    "USING gin (word gin_trgm_ops)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS search_word_trgm",
    "DROP INDEX IF EXISTS search_document_gin",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0002_sqlite_fts5")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
