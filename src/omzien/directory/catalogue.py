"""The sociale kaart's facets in memory: what every visible service is tagged with, as bit columns.

Counting facets in SQL means a GROUP BY over every matching service's attributes: with 100 000
services and a common word that is half a million rows per facet, several times per page (see
docs/performance.md). Search engines count facets from per-value bitsets instead, and so does
this module: one boolean column per facet value (taxonomy term, weekday, language, district)
over the visible services, so a filter is an AND/OR of columns and the counts are one pass of
`count_nonzero`. The full-text match itself stays in the database (FTS5 or tsvector), which
returns the matching documents with their rank; ordering by rank, name, cost, check date or
distance happens here on arrays too.

The catalogue is built from the database on first use (about 2 s for 100 000 services) and
kept per process. It is rebuilt when the search index changes (`bump()`, called by the search
backends after every (re)index, shared between processes through the cache) and at the latest
after `OMZIEN_CATALOGUE_MAX_AGE` seconds, so a change made some other way shows up too.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection

import numpy as np

from omzien.directory.filters import DAYS, FACET_PARAMS, SearchParams
from omzien.directory.models import (
    Attribute,
    CostOption,
    Language,
    Location,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceScope,
    ServiceStatus,
)
from omzien.directory.vocabularies import BY_KEY, term_id
from omzien.search.models import SearchDocument

VISIBLE_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)
GENERATION_KEY = "omzien:catalogue:generation"
KM_PER_DEGREE = 111.32

_lock = threading.Lock()
_current: Catalogue | None = None


# The shared generation is read at most this often per process; a bump in this process counts
# at once.
CHECK_SECONDS = 1.0
_checked: tuple[float, Any] | None = None


def bump() -> None:
    """Tell every process that services changed: their catalogues are rebuilt on next use."""
    global _checked
    cache.set(GENERATION_KEY, time.time_ns(), None)
    _checked = None


def _generation() -> Any:
    global _checked
    now = time.monotonic()
    if _checked is not None and now - _checked[0] < CHECK_SECONDS:
        return _checked[1]
    generation = cache.get(GENERATION_KEY)
    _checked = (now, generation)
    return generation


def get_catalogue() -> Catalogue:
    global _current
    max_age = settings.OMZIEN_CATALOGUE_MAX_AGE
    generation = _generation()
    current = _current
    if (
        current is not None
        and max_age > 0
        and current.generation == generation
        and current.vendor == connection.vendor
        and time.monotonic() - current.built_at < max_age
    ):
        return current
    with _lock:
        current = _current
        if (
            current is not None
            and max_age > 0
            and current.generation == generation
            and current.vendor == connection.vendor
            and time.monotonic() - current.built_at < max_age
        ):
            return current
        current = Catalogue.build(generation)
        _current = current
        return current


def _table(model: type[Any]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _rows(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall()


def _batches(sql: str, params: list[Any], size: int = 20_000) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(size):
            yield batch


@dataclass
class Catalogue:
    generation: Any
    vendor: str
    built_at: float
    ids: list[Any]  # service ids as the database driver returns them, by position
    uuids: list[uuid.UUID] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)  # column key -> row of `matrix`
    matrix: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))
    national: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    name_order: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    name_rank: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    min_cost: np.ndarray = field(default_factory=lambda: np.zeros(0))
    assured: np.ndarray = field(default_factory=lambda: np.zeros(0))
    location_service: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    location_lat: np.ndarray = field(default_factory=lambda: np.zeros(0))
    location_lon: np.ndarray = field(default_factory=lambda: np.zeros(0))
    document_position: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    language_names: dict[str, str] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.ids)

    # -- building ------------------------------------------------------------------------------

    @classmethod
    def build(cls, generation: Any) -> Catalogue:
        service = _table(Service)
        rows = _rows(
            f"SELECT id, name, scope, assured_date FROM {service} "  # noqa: S608
            "WHERE is_published = %s AND status IN (%s, %s)",
            [True, *VISIBLE_STATUSES],
        )
        ids = [row[0] for row in rows]
        position = {service_id: i for i, service_id in enumerate(ids)}
        n = len(ids)
        catalogue = cls(
            generation=generation, vendor=connection.vendor, built_at=time.monotonic(), ids=ids
        )
        catalogue.uuids = [v if isinstance(v, uuid.UUID) else uuid.UUID(str(v)) for v in ids]
        catalogue.national = np.fromiter(
            (row[2] in (ServiceScope.NATIONAL, ServiceScope.MUNICIPALITY) for row in rows),
            dtype=bool,
            count=n,
        )
        # Name order as Django sorts ("name", "id"), so pages match the SQL order of old.
        order = sorted(range(n), key=lambda i: (rows[i][1], str(catalogue.uuids[i])))
        catalogue.name_order = np.asarray(order, dtype=np.int64)
        catalogue.name_rank = np.empty(n, dtype=np.int64)
        catalogue.name_rank[catalogue.name_order] = np.arange(n, dtype=np.int64)
        catalogue.assured = np.fromiter(
            (_ordinal(row[3]) for row in rows), dtype=np.float64, count=n
        )

        columns: dict[str, list[int]] = {}

        def add(key: str, service_id: Any) -> None:
            found = position.get(service_id)
            if found is not None:
                columns.setdefault(key, []).append(found)

        facet_terms = {
            term_id(key, code): f"term:{key}:{code}"
            for key in FACET_PARAMS.values()
            for code, *_ in BY_KEY[key].terms
        }
        # Per facet term, streamed: a million attribute rows never sit in memory at once.
        term_field = Attribute._meta.get_field("taxonomy_term").target_field
        for term, key in facet_terms.items():
            for batch in _batches(
                f"SELECT service_id FROM {_table(Attribute)} "  # noqa: S608
                "WHERE taxonomy_term_id = %s AND service_id IS NOT NULL",
                [term_field.get_db_prep_value(term, connection)],
            ):
                tagged = [position[row[0]] for row in batch if row[0] in position]
                if tagged:
                    columns.setdefault(key, []).extend(tagged)
        for service_id, byday in _rows(
            f"SELECT service_id, byday FROM {_table(Schedule)} "  # noqa: S608
            "WHERE service_id IS NOT NULL AND byday <> ''"
        ):
            for day in DAYS:
                if day in byday:
                    add(f"day:{day}", service_id)
        for service_id, code, name in _rows(
            f"SELECT service_id, code, name FROM {_table(Language)} "  # noqa: S608
            "WHERE service_id IS NOT NULL AND code <> ''"
        ):
            add(f"language:{code}", service_id)
            if name and (
                code not in catalogue.language_names or name < catalogue.language_names[code]
            ):
                catalogue.language_names[code] = name
            catalogue.language_names.setdefault(code, name or code)
        for service_id, area_code in _rows(
            f"SELECT service_id, area_code FROM {_table(ServiceArea)} "  # noqa: S608
            "WHERE service_id IS NOT NULL AND area_code <> ''"
        ):
            add(f"area:{area_code}", service_id)

        keys = sorted(columns)
        catalogue.columns = {key: i for i, key in enumerate(keys)}
        matrix = np.zeros((len(keys), n), dtype=bool)
        for i, key in enumerate(keys):
            matrix[i, columns[key]] = True
        catalogue.matrix = matrix

        costs = np.full(n, np.inf)
        for service_id, amount in _rows(
            f"SELECT service_id, MIN(amount) FROM {_table(CostOption)} "  # noqa: S608
            "WHERE amount IS NOT NULL GROUP BY service_id"
        ):
            found = position.get(service_id)
            if found is not None:
                costs[found] = float(amount)
        catalogue.min_cost = costs

        located = _rows(
            f"SELECT sal.service_id, l.latitude, l.longitude FROM {_table(ServiceAtLocation)} sal "  # noqa: S608
            f"JOIN {_table(Location)} l ON l.id = sal.location_id "
            "WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL"
        )
        points = [(position[s], float(lat), float(lon)) for s, lat, lon in located if s in position]
        catalogue.location_service = np.asarray([p[0] for p in points], dtype=np.int64)
        catalogue.location_lat = np.asarray([p[1] for p in points], dtype=np.float64)
        catalogue.location_lon = np.asarray([p[2] for p in points], dtype=np.float64)

        documents = _rows(f"SELECT id, service_id FROM {_table(SearchDocument)}")  # noqa: S608
        largest = max((doc_id for doc_id, _ in documents), default=0)
        document_position = np.full(largest + 1, -1, dtype=np.int64)
        for doc_id, service_id in documents:
            at = position.get(service_id)
            if at is not None:
                document_position[doc_id] = at
        catalogue.document_position = document_position
        return catalogue

    # -- matching and filtering ----------------------------------------------------------------

    def all(self) -> np.ndarray:
        return np.ones(self.size, dtype=bool)

    def ranked(self, documents: np.ndarray, ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(mask of visible services among these documents, rank per position)."""
        mask = np.zeros(self.size, dtype=bool)
        rank = np.zeros(self.size)
        if len(documents):
            inside = documents < len(self.document_position)
            positions = self.document_position[documents[inside]]
            known = positions >= 0
            positions = positions[known]
            mask[positions] = True
            rank[positions] = ranks[inside][known]
        return mask, rank

    def term_columns(self) -> dict[uuid.UUID, str]:
        """Taxonomy term id -> column key, for the terms of our facet vocabularies."""
        return {
            term_id(key, code): f"term:{key}:{code}"
            for key in FACET_PARAMS.values()
            for code, *_ in BY_KEY[key].terms
        }

    def column(self, key: str) -> np.ndarray:
        row = self.columns.get(key)
        if row is None:
            return np.zeros(self.size, dtype=bool)
        return self.matrix[row]

    def any_of(self, keys: list[str]) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        for key in keys:
            mask |= self.column(key)
        return mask

    def filters(self, params: SearchParams, skip: str | None = None) -> np.ndarray:
        """The form's filters: OR within a facet, AND across; `skip` leaves one facet out."""
        mask = self.all()
        for key, codes in params.terms.items():
            if key != skip and codes:
                mask &= self.any_of([f"term:{key}:{code}" for code in codes])
        if params.district and skip != "district":
            # Services for the whole municipality or the country are there in every district.
            mask &= self.national | self.column(f"area:{params.district}")
        if params.days and skip != "day":
            mask &= self.any_of([f"day:{day}" for day in params.days])
        if params.language and skip != "language":
            mask &= self.column(f"language:{params.language}")
        return mask

    def distance2(self, origin: tuple[float, float]) -> np.ndarray:
        """Squared distance in degrees (equirectangular) to each service's nearest location;
        infinite for services without a location."""
        lat0, lon0 = origin
        cos_lat = math.cos(math.radians(lat0))
        per_location = (self.location_lat - lat0) ** 2 + ((self.location_lon - lon0) * cos_lat) ** 2
        nearest = np.full(self.size, np.inf)
        np.minimum.at(nearest, self.location_service, per_location)
        return nearest

    @staticmethod
    def within(distance2: np.ndarray, radius_km: int) -> np.ndarray:
        return distance2 <= (radius_km / KM_PER_DEGREE) ** 2

    # -- counting ------------------------------------------------------------------------------

    def counts(self, mask: np.ndarray, prefix: str) -> dict[str, int]:
        """How many services in `mask` each column starting with `prefix` holds."""
        keys = [key for key in self.columns if key.startswith(prefix)]
        if not keys:
            return {}
        rows = [self.columns[key] for key in keys]
        totals = np.count_nonzero(self.matrix[rows][:, mask], axis=1)
        return {key[len(prefix) :]: int(total) for key, total in zip(keys, totals, strict=True)}

    # -- ordering ------------------------------------------------------------------------------

    def order(
        self,
        mask: np.ndarray,
        sort: str,
        rank: np.ndarray | None = None,
        distance2: np.ndarray | None = None,
    ) -> np.ndarray:
        """The positions in `mask`, in the order of `sort`; ties by name, then id."""
        positions = np.flatnonzero(mask)
        name = self.name_rank[positions]
        if sort == "afstand" and distance2 is not None:
            keys: tuple[np.ndarray, ...] = (name, distance2[positions])
        elif sort == "kosten":
            keys = (name, self.min_cost[positions])
        elif sort == "gecontroleerd":
            # Newest check first, services never checked last.
            keys = (
                name,
                np.where(np.isnan(self.assured[positions]), np.inf, -self.assured[positions]),
            )
        elif sort == "naam" or rank is None:
            return self.name_order[mask[self.name_order]]
        else:
            keys = (name, -rank[positions])
        return positions[np.lexsort(keys)]

    def service_ids(self, positions: np.ndarray) -> list[uuid.UUID]:
        return [self.uuids[i] for i in positions.tolist()]


def _ordinal(value: Any) -> float:
    if value is None:
        return math.nan
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return float(value.toordinal())
