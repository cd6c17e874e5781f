"""The search interface every backend implements (SQLite FTS5, PostgreSQL).

Behaviour both must have, tested on both databases (tests/test_search.py):
- Dutch stemming: `gesprekken` finds `gesprek`;
- parts of compound words: `ochtend` finds `koffieochtend`;
- typo tolerance: `luisterlyn` finds `De Luisterlijn`;
- prefix completion while typing: `suggest("luist")` offers `luisterlijn`;
- synonyms from `directory.Synonym` (`maatje` ~ `buddy`, `eenzaam` ~ `alleen`);
- relevance: a match in the name weighs more than in the description, which weighs more than
  in other text;
- stop words are left out ("iemand om mee te praten" asks for "iemand" and "praten");
- several words do not all have to match: a service matching more of them (the rarer ones
  weighing more) ranks above one matching fewer, so a filler word that is in no text costs
  nothing;
- search concepts from `directory.SearchConcept` turn everyday phrasing into the kaart's
  terms and words ("weduwe" also finds the services for people who lost someone);
- parts of compound words both ways: `kaarten` finds `Kaartclub`, `tuinieren` finds
  `Buurtmoestuin`, `wandelmaatje` searches `wandel…` and `maatje`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypedDict

from django.db.models import QuerySet

import numpy as np

from omzien.directory.models import Service

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from omzien.directory.catalogue import Catalogue


class Ranked(TypedDict):
    """The annotation `apply()` adds, so type checkers accept `order_by("-search_rank")`."""

    search_rank: float


@dataclass
class SearchInfo:
    """What the search did with the query, to explain it to the user."""

    query: str
    terms: list[str] = field(default_factory=list)  # the words searched for
    corrections: dict[str, str] = field(default_factory=dict)  # typed word -> corrected word
    synonyms: dict[str, list[str]] = field(default_factory=dict)  # word -> synonyms also used
    concepts: list[str] = field(default_factory=list)  # names of the search concepts used
    splits: dict[str, list[str]] = field(default_factory=dict)  # compound -> parts searched


class SearchBackend(Protocol):
    def apply(
        self, queryset: QuerySet[Service], query: str
    ) -> tuple[QuerySet[WithAnnotations[Service, Ranked]], SearchInfo]:
        """Filter `queryset` to services matching `query`, annotated with `search_rank`.

        Higher `search_rank` is more relevant. An empty or blank query returns the queryset
        unchanged (annotated with search_rank 0). The queryset can then be filtered, counted
        and ordered further by the caller. Ordering by `-search_rank` alone is the fastest on
        SQLite: FTS5 then yields the best matches first and stops after the page.
        """
        ...

    def ranked_documents(
        self, query: str, kaart: Catalogue | None = None
    ) -> tuple[np.ndarray | None, np.ndarray, SearchInfo]:
        """(search document ids, ranks, info) of every document matching `query`, in no
        particular order; (None, empty, info) when the query has no words (everything).

        A rank's whole part is a relevance band (`backends/scoring.py`): services in one band
        are equally relevant and ordered further by the catalogue; the fraction breaks ties.
        `kaart`: the caller's catalogue (the current one when not given), which answers which
        services have a search concept's terms."""
        ...

    def closest_documents(self, query: str) -> tuple[np.ndarray, np.ndarray, SearchInfo]:
        """Like `ranked_documents`, for a query that found nothing: the documents with the
        indexed words closest to its words (looser than a typo correction)."""
        ...

    def did_you_mean(self, query: str, limit: int = 3) -> list[str]:
        """The query with its unknown words replaced by indexed words that look like them,
        the words in most services first; only words that occur in the index."""
        ...

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Words (or service names) starting with `prefix`, most useful first."""
        ...

    def index_services(self, ids: Iterable[uuid.UUID]) -> int:
        """(Re)index these services; remove the ones that no longer exist or are unpublished."""
        ...

    def rebuild(self) -> int:
        """Rebuild the whole index from the database; returns the number of services indexed."""
        ...
