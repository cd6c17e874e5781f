"""Text into search words, done in Python so that indexing and querying, on SQLite and on
PostgreSQL, all see exactly the same words and stems.

- `normalise`: lower case without diacritics ("Café" and "cafe" are one word);
- `words`: the words of a text: runs of letters and digits, nothing else survives, so no
  query syntax of either database can get through;
- `stem`: the Dutch Snowball stem ("gesprekken" and "gesprek" both become "sprek").
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

# A query longer than this is cut before it is looked at: nobody types more, and it bounds
# the work a hostile 5 000-character query can cause.
MAX_QUERY_CHARS = 500
# At most this many words of a query are searched for; each becomes a group of alternatives.
MAX_TERMS = 12
# Longer "words" are identifiers, hashes or junk; they would only bloat the vocabulary.
MAX_WORD_CHARS = 40
# Words shorter than this are not offered as completions, parts or corrections.
MIN_VOCABULARY_CHARS = 2

_WORD = re.compile(r"[^\W_]+")

# Function words, left out of a query's match so that "iemand om mee te praten" does not ask for
# "om", "mee" and "te" (they would match nearly every text, or rank services by their grammar).
# Snowball's Dutch list with the words people add when they type a question ("ik zoek", "graag",
# "wie kan"). "alleen", "samen", "zonder" and "iemand" are kept on purpose: they carry meaning
# in a sociale kaart ("alleen" is a synonym of "eenzaam"; "iemand om mee te praten" is a need).
STOP_WORDS = frozenset(
    """
    aan af al alles als ander andere anders bij ben daar dan dat de der des deze die dit
    doch doen door dus een eens en er erg even ge geen geweest graag haar had heb hebben heeft
    heel hem het hier hij hoe hun ik in is ja je jij kan kon kunnen kunt maar me mee meer men
    met mij mijn moet moeten na naar niet niets nog nu of om omdat onder ons ook op over reeds
    s t te tegen toch toen tot u uit uw van veel via voor waar waren want was wat we wel werd
    wezen wie wil wilde willen wij word worden wordt zal ze zeer zelf zich zij zijn zo zoals
    zoek zoeken zou zullen
    """.split()  # noqa: SIM905 - a list literal of 130 words would fill three screens
)


def normalise(text: str) -> str:
    """Lower case, with diacritics removed (NFKD splits "é" into "e" and a combining mark)."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The normalised words of `text`, in order, repeats included."""
    return [word for word in _WORD.findall(normalise(text)) if len(word) <= MAX_WORD_CHARS]


_local = threading.local()


def _stemmer() -> snowballstemmer.stemmer:
    # Snowball stemmer objects keep state while stemming, so each thread gets its own.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("dutch")
    return stemmer


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Dutch stem of one normalised word (cached: a corpus repeats its words endlessly)."""
    if word.isdigit():
        return word
    result: str = _stemmer().stemWord(word)
    return result or word


def query_words(query: str) -> list[str]:
    """The distinct words of a query, in order, before stop words and the term cap."""
    return list(dict.fromkeys(words(query[:MAX_QUERY_CHARS])))


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two neighbours counts as one edit).

    Returns `limit + 1` as soon as the distance is known to exceed `limit`, which keeps checking
    a hundred candidates cheap.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[len(b)], limit + 1)
