"""The search index's tables and its text analysis, knowing nothing of what is indexed.

The index of the sociale kaart (backends, documents, synonyms, `get_backend()`) lives in
`omzien.directory.search`; this app keeps the `search` label, its tables and migrations, and
`text.py` (words, stems, stop words), which the dashboard uses too. See ADR 0008.
"""
