"""Synonyms from `directory.Synonym`, read through Django's cache.

Administrators edit the list rarely and every search needs it, so it is cached without expiry
worth mentioning and dropped whenever a row is saved or deleted (see `apps.py`). The shared
cache, not process memory, holds it, so every worker sees an edit at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction

from omzien.directory.models import Synonym
from omzien.search.text import stem, words

CACHE_KEY = "omzien:search:synonyms:v2"
logger = logging.getLogger(__name__)

CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class SynonymMap:
    # A normalised word (or phrase, words joined by one space) -> the others of its rows.
    by_word: dict[str, tuple[str, ...]]
    # The same for the stem of single words, so "maatjes" finds the synonyms of "maatje".
    by_stem: dict[str, tuple[str, ...]]

    def lookup(self, word: str) -> list[str]:
        found = self.by_word.get(word) or self.by_stem.get(stem(word)) or ()
        return [other for other in found if other != word]

    def __contains__(self, word: str) -> bool:
        return bool(self.lookup(word))


def build(rows: list[str]) -> SynonymMap:
    by_word: dict[str, list[str]] = {}
    by_stem: dict[str, list[str]] = {}
    for row in rows:
        entries = list(dict.fromkeys(" ".join(words(part)) for part in row.split(",")))
        entries = [entry for entry in entries if entry]
        for entry in entries:
            others = [other for other in entries if other != entry]
            by_word.setdefault(entry, []).extend(o for o in others if o not in by_word[entry])
            if " " not in entry:
                key = stem(entry)
                by_stem.setdefault(key, []).extend(o for o in others if o not in by_stem[key])
    return SynonymMap(
        by_word={k: tuple(v) for k, v in by_word.items()},
        by_stem={k: tuple(v) for k, v in by_stem.items()},
    )


def synonym_map() -> SynonymMap:
    # The shared cache holds plain dicts, never a class of ours: a pickled class breaks every
    # search once the code that defined it moves (a shared Redis outlives deployments).
    try:
        cached = cache.get(CACHE_KEY)
    except Exception:  # noqa: BLE001 - an entry this code cannot read is a miss
        logger.warning("The cached synonym list could not be read; building it again")
        cached = None
    if (
        isinstance(cached, dict)
        and isinstance(cached.get("by_word"), dict)
        and isinstance(cached.get("by_stem"), dict)
    ):
        return SynonymMap(by_word=cached["by_word"], by_stem=cached["by_stem"])
    result = build(list(Synonym.objects.values_list("words", flat=True)))
    cache.set(CACHE_KEY, {"by_word": result.by_word, "by_stem": result.by_stem}, CACHE_SECONDS)
    return result


def forget(**_: Any) -> None:
    """Drop the cached list: now, and again after the transaction commits, because a search in
    between may have cached the old rows again."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
