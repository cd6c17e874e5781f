"""Relevance from the query's groups: how much of the query a service covers, then where.

A query becomes groups (`common.Group`): one per meaningful word, two per search concept it
contains (its words, its tags). A service matches a group in its name, its description, its
other text, or through a taxonomy term of a concept (a tag); the database reports, per group and
place, the documents that match (`_tiered`, as `Hits`). Here, per service:

- coverage: the share of the query it matches, each group weighted by how rare it is (its
  inverse document frequency), so "wandelen ouderen" ranks the services with both words first,
  and of those with one word the ones with the rarer word;
- quality: where the matches are, the name (or a concept's tag) above the description above
  other text.

The rank's whole part is a relevance band (coverage in tenths, then quality in four levels):
the services in one band are equally relevant, and the catalogue orders them further by what
residents asked for (local before national, recently verified, nearby). The fraction, below 1,
orders within what is still tied: the weighted match strength, then how many of a concept's
terms a service has.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TIER_NAME = 3
TIER_DESCRIPTION = 2
# A provider tagged the service with exactly the term the concept stands for: as good as a name.
TIER_TAG = 3
TIER_OTHER = 1
# What a match in each tier is worth (index = tier).
TIER_VALUE = np.array([0.0, 0.35, 0.6, 1.0])

# Coverage counts in tenths; quality in four levels (none, other text, description, name or tag).
COVERAGE_STEPS = 10
QUALITY_LEVELS = 4

# A corrected word may be what was meant, or not: it counts for half.
CORRECTION_WEIGHT = 0.5


def quality_level(quality: np.ndarray) -> np.ndarray:
    """0..3: matches mostly in the name or a tag (3), the description (2), other text (1)."""
    return np.select([quality >= 0.95, quality >= 0.55, quality >= 0.3], [3, 2, 1], default=0)


def group_weights(
    document_frequency: np.ndarray, total: int, kinds: list[str], terms: list[str] | None = None
) -> np.ndarray:
    """A weight per group: its inverse document frequency, a corrected word's halved. A
    concept (a need put in words: "iemand om mee te praten") weighs as much as its rarer half
    (its words or its tags, which weigh the same), and at least as much as any word beside it;
    of two concepts, the rarer weighs more."""
    total = max(total, int(document_frequency.max(initial=0)), 1)
    weights = np.where(
        document_frequency > 0,
        np.log1p(total / np.maximum(document_frequency, 1)),
        0.0,
    )
    for index, kind in enumerate(kinds):
        if kind == "correction":
            weights[index] *= CORRECTION_WEIGHT
    words = [i for i, kind in enumerate(kinds) if kind != "concept"]
    strongest_word = float(weights[words].max(initial=0.0)) if words else 0.0
    halves: dict[str, list[int]] = {}
    for index, kind in enumerate(kinds):
        if kind == "concept" and weights[index] > 0:
            halves.setdefault(terms[index] if terms else str(index), []).append(index)
    for indexes in halves.values():
        weights[indexes] = max(float(weights[indexes].max()), strongest_word)
    return weights


@dataclass(frozen=True)
class Hits:
    """The documents matching one group in one place (or one of a concept's tags)."""

    group: int
    tier: int
    documents: np.ndarray  # search document ids


def parse_ids(text: str | None) -> np.ndarray:
    """Document ids the database joined with commas (one row per query, not one per match:
    tens of thousands of Python rows cost more than the query itself)."""
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")


def score(
    hits: list[Hits], kinds: list[str], total: int, terms: list[str] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(document ids, ranks) from the hits of each group (`terms`: each group's term, which
    pairs the two groups of a concept)."""
    hits = [hit for hit in hits if len(hit.documents)]
    if not hits:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    ids = np.concatenate([hit.documents for hit in hits])
    group = np.concatenate([np.full(len(hit.documents), hit.group) for hit in hits])
    tier = np.concatenate([np.full(len(hit.documents), hit.tier) for hit in hits])
    documents, row_of = np.unique(ids, return_inverse=True)
    n, k = len(documents), len(kinds)

    value = np.zeros((n, k))
    np.maximum.at(value, (row_of, group), TIER_VALUE[tier])
    # How many of a group's hit lists a document is in (for a concept's tags: how many of its
    # terms the service has), as a share of the most any document has: the last tie-breaker.
    times = np.zeros((n, k))
    np.add.at(times, (row_of, group), 1.0)
    most = times.max(axis=0)
    share = times / np.where(most > 0, most, 1)

    matched = value > 0
    weights = group_weights(matched.sum(axis=0), total, kinds, terms)
    total_weight = float(weights.sum()) or 1.0
    covered = matched @ weights
    coverage = covered / total_weight
    quality = (value @ weights) / np.where(covered > 0, covered, 1)
    band = np.rint(coverage * COVERAGE_STEPS) * QUALITY_LEVELS + quality_level(quality)
    fine = 0.9 * (value @ weights) / total_weight + 0.09 * (share @ weights) / total_weight
    return documents, band + np.clip(fine, 0.0, 0.999)
