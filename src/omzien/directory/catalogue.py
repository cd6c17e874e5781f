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
kept per process. When services are reindexed, the search backend writes their ids to a change
log in the shared cache (`services_changed()`); every process reads the log at most every
`CHECK_SECONDS` and reloads just those services' bits and order data, so a provider's edit does
not make the next resident's search wait for a full build. A full build happens on first use,
after a full reindex (`bump()`), when the log has more than `MAX_CHANGES` entries to catch up
on or a gap (entries expired, the cache emptied), and at the latest after
`OMZIEN_CATALOGUE_MAX_AGE` seconds, so a change made some other way shows up too.

"Best passend" (`order`) is a deliberate order: the search's relevance band first, then local
before national, then recently verified, then nearby (with a postcode), and only then the finer
rank, the check date and the name. Services that are one activity (the same name but for the
place or the organiser in brackets, and the same description) form a family (`family`): the
result list shows one card per family (`collapse`), and counts families (`family_counts`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

import numpy as np

from omzien.areas import geo
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
    TaxonomyTerm,
)
from omzien.search.models import SearchDocument
from omzien.search.text import words

# The epoch: a new value (after a full reindex) makes every process build its catalogue anew.
GENERATION_KEY = "omzien:catalogue:generation"
# Within an epoch, a log of changed services: entry n is `{CHANGES_KEY}:{epoch}:{n}` (a list of
# service ids); `{CHANGES_KEY}:{epoch}:head` is the highest n written, as far as writers know.
CHANGES_KEY = "omzien:catalogue:changes"

# The shared log is read at most this often per process; a change made in this process counts
# at once.
CHECK_SECONDS = 0.5
# Beyond this many log entries or services to catch up on, a full build is the quicker way.
MAX_CHANGES = 100
MAX_SERVICES = 1000

_lock = threading.Lock()
_current: Catalogue | None = None
_checked_at: float | None = None


def bump() -> None:
    """Tell every process that services changed wholesale: their catalogues are built anew."""
    global _checked_at
    cache.set(GENERATION_KEY, time.time_ns(), None)
    _checked_at = None


def services_changed(ids: Iterable[Any]) -> None:
    """Tell every process that these services changed: they reload just these on next use."""
    global _checked_at
    wanted = [str(service_id) for service_id in dict.fromkeys(ids)]
    if not wanted:
        return
    if len(wanted) > MAX_SERVICES:
        bump()
        return
    epoch = cache.get(GENERATION_KEY)
    if epoch is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        epoch = cache.get(GENERATION_KEY)
    timeout = _log_seconds()
    number = (cache.get(_head_key(epoch)) or 0) + 1
    # `add` claims an entry atomically (Redis SET NX, a unique key in the database cache): two
    # processes writing at once take consecutive numbers and neither entry is lost.
    while not cache.add(_entry_key(epoch, number), wanted, timeout):
        number += 1
    # A racing writer may set a lower head after ours; readers also look past the head.
    cache.set(_head_key(epoch), number, timeout)
    _checked_at = None


def _entry_key(epoch: Any, number: int) -> str:
    return f"{CHANGES_KEY}:{epoch}:{number}"


def _head_key(epoch: Any) -> str:
    return f"{CHANGES_KEY}:{epoch}:head"


def _log_seconds() -> int:
    # Longer than a catalogue lives, so a process never misses an entry it has not read yet.
    return max(2 * settings.OMZIEN_CATALOGUE_MAX_AGE, 600)


def _fresh(current: Catalogue | None) -> bool:
    max_age = settings.OMZIEN_CATALOGUE_MAX_AGE
    return (
        current is not None
        and max_age > 0
        and current.vendor == connection.vendor
        and time.monotonic() - current.built_at < max_age
    )


def get_catalogue() -> Catalogue:
    global _current, _checked_at
    current = _current
    now = time.monotonic()
    if _fresh(current) and _checked_at is not None and now - _checked_at < CHECK_SECONDS:
        assert current is not None
        return current
    with _lock:
        current = _current
        if not _fresh(current):
            current = _build()
        else:
            assert current is not None
            current = _catch_up(current)
        _current = current
        _checked_at = time.monotonic()
        return current


def _build() -> Catalogue:
    """A full build; changes logged while it runs are applied again later (harmlessly)."""
    epoch = cache.get(GENERATION_KEY)
    head = 0 if epoch is None else cache.get(_head_key(epoch)) or 0
    return Catalogue.build(epoch, head)


def _catch_up(current: Catalogue) -> Catalogue:
    """The catalogue with the changes logged since it was made applied, or a full build."""
    epoch = current.generation
    first = _entry_key(epoch, current.applied + 1)
    state = cache.get_many([GENERATION_KEY, _head_key(epoch), first])
    if state.get(GENERATION_KEY) != epoch:
        return _build()
    head = state.get(_head_key(epoch)) or 0
    if first not in state:
        # Nothing new, unless the head is further: a gap (entries expired, the cache emptied).
        return current if head <= current.applied else _build()
    changed: dict[str, None] = dict.fromkeys(state[first])
    last = current.applied + 1
    complete = True
    while complete and last - current.applied <= MAX_CHANGES:
        keys = [_entry_key(epoch, last + i) for i in range(1, 17)]
        found = cache.get_many(keys)
        for key in keys:
            if key not in found:
                complete = False
                break
            changed.update(dict.fromkeys(found[key]))
            last += 1
    if last - current.applied > MAX_CHANGES or len(changed) > MAX_SERVICES or head > last:
        return _build()
    return current.updated([uuid.UUID(service_id) for service_id in changed], last)


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


def _visible_rows(*fields: str) -> list[tuple[Any, ...]]:
    """These fields of every visible service, by `Service.objects.visible()` (the one definition
    of visible) but as plain rows: 100 000 model rows with UUID conversion cost seconds."""
    sql, params = Service.objects.visible().order_by().values_list(*fields).query.sql_with_params()
    return _rows(sql, list(params))


def _vocabulary() -> dict[uuid.UUID, tuple[str, str]]:
    """Term id -> (vocabulary key, code) for the kaart's vocabularies, with the terms
    administrators added."""
    return {
        term: (key, code)
        for term, key, code in TaxonomyTerm.objects.filter(
            taxonomy__key__in=list(FACET_PARAMS.values())
        )
        .exclude(code="")
        .values_list("id", "taxonomy__key", "code")
    }


def _term_key(key: str, code: str) -> str:
    return f"term:{key}:{code}"


_BRACKETS = re.compile(r"\([^)]*\)")


def family_key(name: str, description: str, places: Iterable[str]) -> tuple[str, int]:
    """What makes services one activity: the name without the organiser in brackets and
    without the names of the places it serves ("Bewegen voor ouderen Helmond-Noord (Buurthuis
    De Brug)" -> "bewegen voor ouderen"), and the same description word for word."""
    tokens = words(_BRACKETS.sub(" ", name))
    for place in sorted({tuple(words(p)) for p in places if p}, key=len, reverse=True):
        size = len(place)
        for start in range(len(tokens) - size, -1, -1):
            if size and tuple(tokens[start : start + size]) == place and len(tokens) > size:
                del tokens[start : start + size]
    text = " ".join((description or "").split()).casefold()
    return " ".join(tokens) or " ".join(words(name)), hash(text)


@dataclass
class Catalogue:
    generation: Any  # the epoch it was built in
    vendor: str
    built_at: float  # of the full build; applied changes do not make it younger
    ids: list[Any]  # service ids as the database driver returns them, by position
    applied: int = 0  # the last entry of the change log it includes
    uuids: list[uuid.UUID] = field(default_factory=list)
    positions: dict[uuid.UUID, int] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    # False for a service that left since the full build (positions never move).
    visible: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # Column keys: "term:<vocabulary key>:<code>", "day:<MO..SU>", "language:<code>",
    # "area:<area code>" (service areas: CBS district, neighbourhood or municipality codes).
    columns: dict[str, int] = field(default_factory=dict)  # column key -> row of `matrix`
    matrix: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))
    # Offered everywhere in the municipality: scope national or municipality.
    national: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # Of those, the ones for the whole country (scope national).
    countrywide: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    name_order: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    name_rank: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    min_cost: np.ndarray = field(default_factory=lambda: np.zeros(0))
    assured: np.ndarray = field(default_factory=lambda: np.zeros(0))
    location_service: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    location_lat: np.ndarray = field(default_factory=lambda: np.zeros(0))
    location_lon: np.ndarray = field(default_factory=lambda: np.zeros(0))
    document_position: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    language_names: dict[str, str] = field(default_factory=dict)
    # Term id -> (vocabulary key, code) of the vocabularies that have "term:" columns.
    vocabulary: dict[uuid.UUID, tuple[str, str]] = field(default_factory=dict)
    # One activity, offered at several places or by several organisers: a family number per
    # position, and the number of each family_key (`family_key`).
    family: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    families: dict[tuple[str, int], int] = field(default_factory=dict)
    # The positions sorted by family, so the members of each family are neighbours.
    family_order: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # Per position: the number of locations (service_at_location rows) of the service.
    location_count: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def size(self) -> int:
        return len(self.uuids)

    # -- building ------------------------------------------------------------------------------

    @classmethod
    def build(cls, generation: Any, applied: int = 0) -> Catalogue:
        rows = _visible_rows("id", "name", "scope", "assured_date", "description")
        ids = [row[0] for row in rows]
        position = {service_id: i for i, service_id in enumerate(ids)}
        n = len(ids)
        catalogue = cls(
            generation=generation,
            vendor=connection.vendor,
            built_at=time.monotonic(),
            ids=ids,
            applied=applied,
        )
        catalogue.uuids = [v if isinstance(v, uuid.UUID) else uuid.UUID(str(v)) for v in ids]
        catalogue.positions = {service_id: i for i, service_id in enumerate(catalogue.uuids)}
        catalogue.names = [row[1] for row in rows]
        catalogue.visible = np.ones(n, dtype=bool)
        catalogue.national = np.fromiter(
            (row[2] in (ServiceScope.NATIONAL, ServiceScope.MUNICIPALITY) for row in rows),
            dtype=bool,
            count=n,
        )
        catalogue.countrywide = np.fromiter(
            (row[2] == ServiceScope.NATIONAL for row in rows), dtype=bool, count=n
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

        catalogue.vocabulary = _vocabulary()
        # Per facet term, streamed: a million attribute rows never sit in memory at once.
        term_field = Attribute._meta.get_field("taxonomy_term").target_field
        for term, key in catalogue.term_columns().items():
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
        area_names: dict[int, list[str]] = {}
        for service_id, area_code, area_name in _rows(
            f"SELECT service_id, area_code, name FROM {_table(ServiceArea)} "  # noqa: S608
            "WHERE service_id IS NOT NULL"
        ):
            if area_code:
                add(f"area:{area_code}", service_id)
            found = position.get(service_id)
            if found is not None and area_name:
                area_names.setdefault(found, []).append(area_name)
        catalogue.family = np.zeros(n, dtype=np.int64)
        for i, row in enumerate(rows):
            family = family_key(row[1], row[4], area_names.get(i, ()))
            catalogue.family[i] = catalogue.families.setdefault(family, len(catalogue.families))
        catalogue.family_order = np.argsort(catalogue.family, kind="stable")

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

        catalogue.location_count = np.zeros(n, dtype=np.int64)
        for service_id, count in _rows(
            f"SELECT service_id, COUNT(*) FROM {_table(ServiceAtLocation)} "  # noqa: S608
            "WHERE service_id IS NOT NULL GROUP BY service_id"
        ):
            found = position.get(service_id)
            if found is not None:
                catalogue.location_count[found] = count

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

    # -- applying changes ----------------------------------------------------------------------

    def updated(self, changed: Sequence[uuid.UUID], applied: int) -> Catalogue:
        """A copy with these services reloaded from the database: their bits, order data,
        locations and search document; a service no longer visible is hidden, a new one added.

        A copy, so a request still using this catalogue in another thread is not disturbed.
        """
        state = _ServiceState.load(changed)
        new = [
            service_id
            for service_id in changed
            if service_id not in self.positions and service_id in state.visible
        ]
        n = self.size + len(new)
        grow = len(new)
        uuids = self.uuids + new
        positions = dict(self.positions)
        positions.update({service_id: self.size + i for i, service_id in enumerate(new)})
        names = self.names + [state.names[service_id] for service_id in new]
        ids: list[Any] = self.ids + list(new)

        def grown(array: np.ndarray, fill: Any) -> np.ndarray:
            return np.concatenate([array, np.full(grow, fill, dtype=array.dtype)])

        visible = grown(self.visible, False)
        national = grown(self.national, False)
        countrywide = grown(self.countrywide, False)
        min_cost = grown(self.min_cost, np.inf)
        assured = grown(self.assured, math.nan)
        family = grown(self.family, 0)
        families = dict(self.families)
        location_count = grown(self.location_count, 0)
        columns = dict(self.columns)
        wanted_keys = {key for keys in state.keys.values() for key in keys}
        added_keys = sorted(wanted_keys - columns.keys())
        for key in added_keys:
            columns[key] = len(columns)
        matrix = np.zeros((len(columns), n), dtype=bool)
        matrix[: self.matrix.shape[0], : self.size] = self.matrix

        touched = [positions[s] for s in changed if s in positions]
        touched_array = np.asarray(touched, dtype=np.int64)
        matrix[:, touched_array] = False
        keep = ~np.isin(self.location_service, touched_array)
        location_service = [self.location_service[keep]]
        location_lat = [self.location_lat[keep]]
        location_lon = [self.location_lon[keep]]
        document_position = self.document_position.copy()
        document_position[np.isin(document_position, touched_array)] = -1
        largest = max(state.documents.values(), default=-1)
        if largest >= len(document_position):
            document_position = np.concatenate(
                [document_position, np.full(largest + 1 - len(document_position), -1)]
            )
        name_order = self.name_order[~np.isin(self.name_order, touched_array)]
        language_names = dict(self.language_names)

        for service_id in changed:
            at = positions.get(service_id)
            if at is None:
                continue  # neither in the catalogue nor visible now
            shown = service_id in state.visible
            visible[at] = shown
            if shown:
                names[at] = state.names[service_id]
                national[at] = state.national[service_id]
                countrywide[at] = state.countrywide[service_id]
                assured[at] = state.assured[service_id]
                family[at] = families.setdefault(state.families[service_id], len(families))
                location_count[at] = state.location_counts.get(service_id, 0)
                min_cost[at] = state.min_cost.get(service_id, np.inf)
                for key in state.keys.get(service_id, ()):
                    matrix[columns[key], at] = True
                points = state.points.get(service_id, [])
                location_service.append(np.full(len(points), at, dtype=np.int64))
                location_lat.append(np.asarray([p[0] for p in points], dtype=np.float64))
                location_lon.append(np.asarray([p[1] for p in points], dtype=np.float64))
                if service_id in state.documents:
                    document_position[state.documents[service_id]] = at
            else:
                national[at] = False
                countrywide[at] = False
                min_cost[at] = np.inf
                assured[at] = math.nan
        for code, name in state.language_names.items():
            if code not in language_names or (name and name < language_names[code]):
                language_names[code] = name or code

        # Back into the name order ("name", "id"), each place found by bisection.
        def name_key(i: int) -> tuple[str, str]:
            return (names[i], str(uuids[i]))

        moved = sorted(touched, key=name_key)
        rest = _Positions(name_order)
        places = [bisect.bisect_left(rest, name_key(at), key=name_key) for at in moved]
        name_order = np.insert(name_order, places, np.asarray(moved, dtype=np.int64))
        name_rank = np.empty(n, dtype=np.int64)
        name_rank[name_order] = np.arange(n, dtype=np.int64)
        return Catalogue(
            generation=self.generation,
            vendor=self.vendor,
            built_at=self.built_at,
            ids=ids,
            applied=applied,
            uuids=uuids,
            positions=positions,
            names=names,
            visible=visible,
            columns=columns,
            matrix=matrix,
            national=national,
            countrywide=countrywide,
            name_order=name_order,
            name_rank=name_rank,
            min_cost=min_cost,
            assured=assured,
            location_service=np.concatenate(location_service),
            location_lat=np.concatenate(location_lat),
            location_lon=np.concatenate(location_lon),
            document_position=document_position,
            language_names=language_names,
            vocabulary=state.vocabulary,
            family=family,
            families=families,
            family_order=np.argsort(family, kind="stable"),
            location_count=location_count,
        )

    # -- matching and filtering ----------------------------------------------------------------

    def all(self) -> np.ndarray:
        return self.visible.copy()

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
        return {term: _term_key(key, code) for term, (key, code) in self.vocabulary.items()}

    @cached_property
    def position_document(self) -> np.ndarray:
        """Per position, its search document id (-1: none)."""
        found = np.full(self.size, -1, dtype=np.int64)
        indexed = np.flatnonzero(self.document_position >= 0)
        found[self.document_position[indexed]] = indexed
        return found

    @cached_property
    def _term_keys(self) -> dict[uuid.UUID, str]:
        return self.term_columns()

    def tagged_documents(self, term: uuid.UUID) -> np.ndarray | None:
        """The search document ids of the visible services tagged with `term`; None when the
        term is none of the facet vocabularies' (ask the index instead). For the search's
        concepts: a bit column costs nothing, reading the index for a common term does."""
        key = self._term_keys.get(term)
        if key is None:
            return None
        documents = self.position_document[np.flatnonzero(self.column(key) & self.visible)]
        return documents[documents >= 0]

    def codes(self, key: str) -> list[str]:
        """The codes of one vocabulary's terms, sorted (whether or not a service has them)."""
        return sorted({code for k, code in self.vocabulary.values() if k == key})

    def term(self, key: str, code: str) -> np.ndarray:
        """The column of one vocabulary term."""
        return self.column(_term_key(key, code))

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
                mask &= self.any_of([_term_key(key, code) for code in codes])
        if params.district and skip != "district":
            # Services for the whole municipality or the country are there in every district.
            mask &= self.national | self.column(f"area:{params.district}")
        if params.days and skip != "day":
            mask &= self.any_of([f"day:{day}" for day in params.days])
        if params.language and skip != "language":
            mask &= self.column(f"language:{params.language}")
        return mask

    def distances_km(self, origin: tuple[float, float]) -> np.ndarray:
        """Distance in kilometres (`areas.geo`) to each service's nearest location; infinite
        for services without a location."""
        per_location = geo.distances_km(origin, self.location_lat, self.location_lon)
        nearest = np.full(self.size, np.inf)
        np.minimum.at(nearest, self.location_service, per_location)
        return nearest

    @staticmethod
    def within(distances: np.ndarray, radius_km: float) -> np.ndarray:
        return distances <= radius_km

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
        distances: np.ndarray | None = None,
    ) -> np.ndarray:
        """The positions in `mask`, in the order of `sort`; ties by name, then id.

        "relevantie" (Best passend): the relevance band of the search (the whole part of
        `rank`, see `search.backends.scoring`), then local before national, then checked
        within OMZIEN_STALE_AFTER_DAYS before not, then nearest (when `distances` are known),
        then the finer rank, the newest check and the name. Without a query, the same order
        without the rank: never just A-Z."""
        positions = np.flatnonzero(mask)
        name = self.name_rank[positions]
        checked = np.where(np.isnan(self.assured[positions]), np.inf, -self.assured[positions])
        if sort == "afstand" and distances is not None:
            keys: tuple[np.ndarray, ...] = (name, distances[positions])
        elif sort == "kosten":
            keys = (name, self.min_cost[positions])
        elif sort == "gecontroleerd":
            # Newest check first, services never checked last.
            keys = (name, checked)
        elif sort == "naam":
            return self.name_order[mask[self.name_order]]
        else:
            # The discrete keys in one integer (fewer keys make lexsort much cheaper): band
            # first, then national after local, then stale after checked.
            first = self.stale()[positions].astype(np.int64)
            first += 2 * self.countrywide[positions]
            keys = (name, checked)
            if rank is not None:
                ranks = rank[positions]
                band = np.floor(ranks)
                first -= 4 * band.astype(np.int64)
                keys += (band - ranks,)
            if distances is not None:
                keys += (distances[positions],)
            keys += (first,)
        return positions[np.lexsort(keys)]

    def stale(self) -> np.ndarray:
        """Per position: not checked within OMZIEN_STALE_AFTER_DAYS (or never)."""
        cutoff = timezone.localdate().toordinal() - settings.OMZIEN_STALE_AFTER_DAYS
        with np.errstate(invalid="ignore"):
            return ~(self.assured >= cutoff)

    def collapse(self, ordered: np.ndarray) -> np.ndarray:
        """`ordered` with only the first service of each family: one card per activity."""
        if not len(ordered):
            return ordered
        _, first = np.unique(self.family[ordered], return_index=True)
        keep = np.zeros(len(ordered), dtype=bool)
        keep[first] = True
        return ordered[keep]

    def family_members(self, ordered: np.ndarray, position: int) -> np.ndarray:
        """The positions in `ordered` of the family of `position`, in order."""
        return ordered[self.family[ordered] == self.family[position]]

    def places(self, positions: np.ndarray) -> int:
        """How many places these services are offered at: their locations, a service without
        one counting as one place."""
        return int(np.maximum(self.location_count[positions], 1).sum())

    def family_counts(self, mask: np.ndarray, prefix: str) -> dict[str, int]:
        """Like `counts`, in families: how many activities in `mask` each column holds."""
        keys = [key for key in self.columns if key.startswith(prefix)]
        if not keys:
            return {}
        # The positions in the mask, family by family (no sort: the order is kept at build).
        positions = self.family_order[mask[self.family_order]]
        if not len(positions):
            return {key[len(prefix) :]: 0 for key in keys}
        family = self.family[positions]
        starts = np.flatnonzero(np.concatenate(([True], family[1:] != family[:-1])))
        rows = [self.columns[key] for key in keys]
        present = np.logical_or.reduceat(self.matrix[rows][:, positions], starts, axis=1)
        totals = np.count_nonzero(present, axis=1)
        return {key[len(prefix) :]: int(total) for key, total in zip(keys, totals, strict=True)}

    def service_ids(self, positions: np.ndarray) -> list[uuid.UUID]:
        return [self.uuids[i] for i in positions.tolist()]


class _Positions(Sequence[int]):
    """An int64 array seen as a sequence of ints, for bisect without a copy to a list."""

    def __init__(self, array: np.ndarray) -> None:
        self.array = array

    def __len__(self) -> int:
        return len(self.array)

    def __getitem__(self, index: Any) -> Any:
        return int(self.array[index])


@dataclass
class _ServiceState:
    """What the catalogue holds of a few services, read with the ORM (the full build reads
    every service with plain SQL instead, for speed)."""

    visible: set[uuid.UUID] = field(default_factory=set)
    names: dict[uuid.UUID, str] = field(default_factory=dict)
    national: dict[uuid.UUID, bool] = field(default_factory=dict)
    countrywide: dict[uuid.UUID, bool] = field(default_factory=dict)
    assured: dict[uuid.UUID, float] = field(default_factory=dict)
    keys: dict[uuid.UUID, list[str]] = field(default_factory=dict)
    min_cost: dict[uuid.UUID, float] = field(default_factory=dict)
    points: dict[uuid.UUID, list[tuple[float, float]]] = field(default_factory=dict)
    documents: dict[uuid.UUID, int] = field(default_factory=dict)
    language_names: dict[str, str] = field(default_factory=dict)
    vocabulary: dict[uuid.UUID, tuple[str, str]] = field(default_factory=dict)
    families: dict[uuid.UUID, tuple[str, int]] = field(default_factory=dict)
    location_counts: dict[uuid.UUID, int] = field(default_factory=dict)

    @classmethod
    def load(cls, ids: Sequence[uuid.UUID]) -> _ServiceState:
        state = cls()
        descriptions: dict[uuid.UUID, str] = {}
        for service_id, name, scope, assured_date, description in (
            Service.objects.visible()
            .filter(id__in=ids)
            .values_list("id", "name", "scope", "assured_date", "description")
        ):
            state.visible.add(service_id)
            descriptions[service_id] = description
            state.names[service_id] = name
            state.national[service_id] = scope in (ServiceScope.NATIONAL, ServiceScope.MUNICIPALITY)
            state.countrywide[service_id] = scope == ServiceScope.NATIONAL
            state.assured[service_id] = _ordinal(assured_date)
        shown = list(state.visible)

        def add(service_id: uuid.UUID, key: str) -> None:
            state.keys.setdefault(service_id, []).append(key)

        # Read again: a term added since the full build gets its column now.
        state.vocabulary = _vocabulary()
        for service_id, term in Attribute.objects.filter(
            service_id__in=shown, taxonomy_term_id__in=list(state.vocabulary)
        ).values_list("service_id", "taxonomy_term_id"):
            add(service_id, _term_key(*state.vocabulary[term]))
        for service_id, byday in (
            Schedule.objects.filter(service_id__in=shown)
            .exclude(byday="")
            .values_list("service_id", "byday")
        ):
            for day in DAYS:
                if day in byday:
                    add(service_id, f"day:{day}")
        for service_id, code, name in (
            Language.objects.filter(service_id__in=shown)
            .exclude(code="")
            .values_list("service_id", "code", "name")
        ):
            add(service_id, f"language:{code}")
            if code not in state.language_names or (name and name < state.language_names[code]):
                state.language_names[code] = name
        area_names: dict[uuid.UUID, list[str]] = {}
        for service_id, area_code, area_name in ServiceArea.objects.filter(
            service_id__in=shown
        ).values_list("service_id", "area_code", "name"):
            if area_code:
                add(service_id, f"area:{area_code}")
            if area_name:
                area_names.setdefault(service_id, []).append(area_name)
        for service_id in shown:
            state.families[service_id] = family_key(
                state.names[service_id], descriptions[service_id], area_names.get(service_id, ())
            )
        for service_id, amount in CostOption.objects.filter(
            service_id__in=shown, amount__isnull=False
        ).values_list("service_id", "amount"):
            state.min_cost[service_id] = min(
                float(amount or 0), state.min_cost.get(service_id, math.inf)
            )
        for service_id in ServiceAtLocation.objects.filter(service_id__in=shown).values_list(
            "service_id", flat=True
        ):
            if service_id is not None:
                state.location_counts[service_id] = state.location_counts.get(service_id, 0) + 1
        for service_id, lat, lon in ServiceAtLocation.objects.filter(
            service_id__in=shown,
            location__latitude__isnull=False,
            location__longitude__isnull=False,
        ).values_list("service_id", "location__latitude", "location__longitude"):
            state.points.setdefault(service_id, []).append((float(lat or 0), float(lon or 0)))
        state.documents = dict(
            SearchDocument.objects.filter(service_id__in=shown).values_list("service_id", "id")
        )
        return state


def _ordinal(value: Any) -> float:
    if value is None:
        return math.nan
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return float(value.toordinal())
