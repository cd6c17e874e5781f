"""SQLite only: the FTS5 tables and the triggers that keep them in step.

- search_fts: each document's stems (name, description, other), rowid = SearchDocument.id;
  a trigger removes the row when its SearchDocument goes (also through Django's cascade when a
  service is deleted).
- search_word_trigram: a trigram index over the vocabulary (external content: the words are
  stored once, in search_searchword), for parts of compound words and typo candidates.

Nothing happens on PostgreSQL (see 0003). If a later migration makes Django rebuild
search_searchdocument or search_searchword on SQLite, the triggers must be created again.
"""

from django.db import migrations

FORWARD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "name, description, other, tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_searchdocument_fts_delete AFTER DELETE ON search_searchdocument "
    "BEGIN DELETE FROM search_fts WHERE rowid = old.id; END",
    "CREATE VIRTUAL TABLE search_word_trigram USING fts5("
    "word, content = 'search_searchword', content_rowid = 'id', tokenize = 'trigram')",
    "CREATE TRIGGER search_searchword_trigram_insert AFTER INSERT ON search_searchword "
    "BEGIN INSERT INTO search_word_trigram (rowid, word) VALUES (new.id, new.word); END",
    "CREATE TRIGGER search_searchword_trigram_delete AFTER DELETE ON search_searchword "
    "BEGIN INSERT INTO search_word_trigram (search_word_trigram, rowid, word) "
    "VALUES ('delete', old.id, old.word); END",
    # Only a changed word touches the trigram index, not the frequent changes of `docs`.
    "CREATE TRIGGER search_searchword_trigram_update AFTER UPDATE OF word ON search_searchword "
    "BEGIN INSERT INTO search_word_trigram (search_word_trigram, rowid, word) "
    "VALUES ('delete', old.id, old.word); "
    "INSERT INTO search_word_trigram (rowid, word) VALUES (new.id, new.word); END",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS search_searchword_trigram_update",
    "DROP TRIGGER IF EXISTS search_searchword_trigram_delete",
    "DROP TRIGGER IF EXISTS search_searchword_trigram_insert",
    "DROP TABLE IF EXISTS search_word_trigram",
    "DROP TRIGGER IF EXISTS search_searchdocument_fts_delete",
    "DROP TABLE IF EXISTS search_fts",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
