"""White spots and overlap in the offering: personas per district matched to the sociale kaart.

Den Haag described groups of residents as personas, looked per district whether the offering
fits their needs, and found that "for four personas there was no suitable offering" (seed 003);
seed 002 asks for an overview that removes overlap and white spots. This module does both, on
the published services of the sociale kaart, for every district of the newest CBS
classification. Only services and area figures are read: no personal data.

The rules (also in docs/measurement.md, "White spots and overlap"):

- A service **suits** a persona when it has a target group of the persona, a kind of support
  the persona needs, and, for every characteristic the persona sets (vocabulary key -> codes),
  one of those codes. A service without any target group is for everyone (HSDS: no audience
  restriction), exactly like one tagged "everyone". Offering for everyone counts as suitable
  only for a persona that lists the target group "everyone" itself; otherwise it is shown
  beside the count as "aanbod voor iedereen", because general offering is often not reachable
  for the group (seed 001: language, money, health). A service without a kind of support, or
  without a tag of a vocabulary the persona sets a characteristic for, does not suit (unknown
  is not a match: tag it to have it counted).
- A service is **offered in a district** when it is for the whole municipality (scope
  municipality), for the whole country (scope national), or has a service area with the
  district's code or the code of one of its neighbourhoods (the district code is part of the
  neighbourhood code, CBS). This is the district filter of the kaart, plus neighbourhoods.
- A district x persona is a **white spot** when no suitable service is offered there at all;
  **national only** ("alleen landelijk aanbod", softer) when the only suitable services are
  national (a phone line, an online course: useful, but nobody nearby).
- White spots are ranked by the **estimated number of lonely people in the group**: the group
  size (the persona's `size_indicator` figure for the district) times the share of lonely
  adults in the district (`LONELINESS_INDICATOR`, percent). This assumes the group is as lonely
  as the district's adults: a rough order of work, not a count.
- **Overlap**: at least `OVERLAP_MIN_SERVICES` services offered in one district with the same
  kinds of support, target groups and form, whose names and descriptions are alike (Jaccard
  similarity of their Dutch word stems at least `OVERLAP_SIMILARITY`, linked in a chain).
  National services are left out: the municipality does not fund them.

The services come from the sociale kaart's catalogue (`directory.catalogue`): the visible
services as boolean columns, built once per process and kept current when a service changes,
so the matrix is a handful of array operations even for 100 000 services. Read here are only the
districts, the area figures and, for overlap, the texts of the services being compared.
"""

from __future__ import annotations

import math
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import connection
from django.db.models import Max
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

import numpy as np

from omzien.areas.models import District
from omzien.directory.catalogue import Catalogue, get_catalogue
from omzien.directory.models import Organization, Service, ServiceScope, TaxonomyTerm
from omzien.directory.vocabularies import BY_KEY
from omzien.insight.models import AreaFigure, Persona
from omzien.search.text import STOP_WORDS, stem, words

# The area figure with the share (percent) of adults who are lonely (GGD/RIVM health monitor,
# "eenzaam": De Jong Gierveld score 3 or more).
LONELINESS_INDICATOR = "lonely"
# Turning a size figure given as a percentage into a number: the share of what. Residents
# unless named here (the names of the CBS import, `cbs.KWB_COLUMNS`).
POPULATION_INDICATOR = "residents"
PERCENT_BASES: dict[str, str] = {
    "share_low_income_households": "households",
    "share_households_social_minimum": "households",
    "share_single_person_households": "households",
}

# Area figures that estimate the size of a persona's group, with a plain Dutch label: the
# counts of the CBS import and the demo (`cbs.KWB_COLUMNS`, `area_figures.CHARACTERISTICS`).
# Most are a proxy for the group; the page says which figure it used. A persona may also name
# any other count or share present in the area figures.
SIZE_INDICATORS: dict[str, Any] = {
    "residents": _("Alle inwoners"),
    "households": _("Alle huishoudens"),
    "residents_65_plus": _("Inwoners van 65 jaar en ouder"),
    "residents_75_plus": _("Inwoners van 75 jaar en ouder"),
    "single_person_households": _("Eenpersoonshuishoudens"),
    "share_low_income_households": _("Huishoudens met een laag inkomen"),
    "residents_origin_outside_europe": _("Inwoners met herkomst buiten Europa"),
    "residents_non_western": _("Inwoners met een niet-westerse migratieachtergrond"),
}

# The kaart's "everyone" target group; a service without a target group counts as this too.
EVERYONE = "everyone"
# Vocabularies a persona may set as extra characteristics (target group and kind of support
# have their own fields; the partner domain belongs to organisations, not services).
CHARACTERISTIC_KEYS: tuple[str, ...] = (
    "form",
    "frequency",
    "place",
    "cost_category",
    "problem",
    "condition",
)
# All of them are vocabularies of the kaart, so the catalogue has their terms as columns.
_SERVICE_KEYS: tuple[str, ...] = ("target_group", "support_kind", *CHARACTERISTIC_KEYS)
# The signature of a service for overlap: these vocabularies must be equal.
SIGNATURE_KEYS: tuple[str, ...] = ("support_kind", "target_group", "form")

# At least this many alike services in one district make an overlap group.
OVERLAP_MIN_SERVICES = 3
# Jaccard similarity of the word stems of name and description from which two services count
# as alike (0: nothing in common, 1: the same words). 0.5 joins "Koffieochtend in De Brug" and
# "Koffieochtend in het Trefpunt" with the same description, not a walk and a coffee morning.
OVERLAP_SIMILARITY = 0.5
# Only the start of a long description is compared: it says what the service is.
OVERLAP_TEXT_CHARS = 1000

# The area key of overlap among services for the whole municipality.
MUNICIPALITY_AREA = "gemeente"


class Status(StrEnum):
    COVERED = "covered"
    NATIONAL_ONLY = "national_only"
    WHITE_SPOT = "white_spot"


STATUS_LABELS: dict[Status, Any] = {
    Status.COVERED: _("Passend aanbod"),
    Status.NATIONAL_ONLY: _("Alleen landelijk aanbod"),
    Status.WHITE_SPOT: _("Witte vlek"),
}
# Severity order in the list of white spots: white spots first.
_SEVERITY = {Status.WHITE_SPOT: 0, Status.NATIONAL_ONLY: 1, Status.COVERED: 2}


# -- reading the offering ------------------------------------------------------------------------

# The texts of the services compared for overlap are read this many at a time (SQLite allows
# 999 parameters by default).
_READ_CHUNK = 900


def district_of(area_code: str) -> str | None:
    """The district a district or neighbourhood code belongs to (CBS: BU = GM(4) WK(2) BU(2))."""
    if area_code.startswith("WK") and len(area_code) == 8:
        return area_code
    if area_code.startswith("BU") and len(area_code) == 10:
        return f"WK{area_code[2:8]}"
    return None


@dataclass
class Offering:
    """The visible services as white spots see them: by scope, vocabulary terms and districts,
    as boolean columns over the positions of the kaart's catalogue."""

    catalogue: Catalogue
    visible: np.ndarray
    national: np.ndarray  # for the whole country
    municipality: np.ndarray  # for the whole municipality
    tagged: dict[str, np.ndarray] = field(default_factory=dict)  # vocabulary key -> any term
    districts: dict[str, np.ndarray] = field(default_factory=dict)  # code -> positions
    codes: dict[str, list[str]] = field(default_factory=dict)  # vocabulary key -> known codes

    @property
    def size(self) -> int:
        return self.catalogue.size

    @property
    def ids(self) -> list[uuid.UUID]:
        """Service ids by position."""
        return self.catalogue.uuids

    @classmethod
    def load(cls, catalogue: Catalogue | None = None) -> Offering:
        catalogue = catalogue or get_catalogue()
        # A position whose service left since the catalogue's full build is not visible.
        visible = catalogue.visible
        offering = cls(
            catalogue=catalogue,
            visible=visible,
            national=catalogue.countrywide & visible,
            municipality=catalogue.national & ~catalogue.countrywide & visible,
        )
        for key in _SERVICE_KEYS:
            codes = catalogue.codes(key)
            if codes:
                offering.codes[key] = codes
            tagged = np.zeros(catalogue.size, dtype=bool)
            for code in codes:
                tagged |= catalogue.term(key, code)
            offering.tagged[key] = tagged & visible

        # Service areas of districts and neighbourhoods; whole-municipality and national
        # services are known by their scope, as in the kaart's district filter.
        local = visible & ~catalogue.national
        by_district: dict[str, np.ndarray] = {}
        for key in catalogue.columns:
            district = district_of(key[len("area:") :]) if key.startswith("area:") else None
            if district is None:
                continue
            if district in by_district:
                by_district[district] |= catalogue.column(key)
            else:
                by_district[district] = catalogue.column(key).copy()
        for code, mask in by_district.items():
            positions = np.flatnonzero(mask & local)
            if len(positions):
                offering.districts[code] = positions
        return offering

    # -- columns ---------------------------------------------------------------------------------

    def column(self, key: str, code: str) -> np.ndarray:
        return self.catalogue.term(key, code)

    def any_of(self, key: str, codes: Iterable[str]) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        for code in codes:
            mask |= self.column(key, code)
        return mask

    def for_everyone(self) -> np.ndarray:
        return self.column("target_group", EVERYONE) | ~self.tagged["target_group"]

    def target_mask(self, codes: Sequence[str]) -> np.ndarray:
        mask = self.any_of("target_group", codes)
        if EVERYONE in codes:
            mask |= ~self.tagged["target_group"]
        return mask

    def needs_mask(self, persona: Persona) -> np.ndarray:
        """Services with a kind of support the persona needs and all its characteristics."""
        mask = self.visible & self.any_of("support_kind", persona.support_kinds or [])
        for key, codes in (persona.characteristics or {}).items():
            if codes:
                mask &= self.any_of(key, codes)
        return mask

    def suitable(self, persona: Persona) -> np.ndarray:
        return self.target_mask(persona.target_groups or []) & self.needs_mask(persona)

    def general(self, persona: Persona) -> np.ndarray:
        """Services for everyone that give what the persona needs, but are not counted."""
        return self.for_everyone() & self.needs_mask(persona) & ~self.suitable(persona)

    def in_district(self, code: str) -> np.ndarray:
        """Services offered in the district: for the country, the municipality, or this area."""
        mask = self.national | self.municipality
        positions = self.districts.get(code)
        if positions is not None:
            mask = mask.copy()
            mask[positions] = True
        return mask

    def count_local(self, mask: np.ndarray, code: str) -> int:
        positions = self.districts.get(code)
        return 0 if positions is None else int(np.count_nonzero(mask[positions]))


# -- area figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    indicator: str
    value: float
    unit: str
    period: int
    area_year: int
    is_generated: bool
    margin_low: float | None = None
    margin_high: float | None = None


def area_figures(
    codes: Iterable[str], indicators: Iterable[str], year: int
) -> dict[tuple[str, str], Figure]:
    """The newest figure per (area code, indicator). A figure for the same classification year
    wins; one for the same code in another year is used when there is none (CBS keeps most
    codes from year to year). Real figures win over generated (demo) ones of the same period."""
    codes = list(codes)
    indicators = [i for i in dict.fromkeys(indicators) if i]
    best: dict[tuple[str, str], tuple[tuple[Any, ...], Figure]] = {}
    if not codes or not indicators:
        return {}
    rows = AreaFigure.objects.filter(
        area_code__in=codes, area_year=year, indicator__in=indicators, value__isnull=False
    ).values_list(
        "area_code",
        "indicator",
        "value",
        "unit",
        "period",
        "area_year",
        "is_generated",
        "margin_low",
        "margin_high",
    )
    for code, indicator, value, unit, period, area_year, generated, low, high in rows:
        if value is None:
            continue
        rank = (period, not generated)
        key = (code, indicator)
        if key not in best or rank > best[key][0]:
            best[key] = (
                rank,
                Figure(indicator, float(value), unit, period, area_year, generated, low, high),
            )
    return {key: figure for key, (_rank, figure) in best.items()}


# -- the matrix ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DistrictInfo:
    code: str
    name: str


@dataclass
class Cell:
    district: DistrictInfo
    persona: Persona
    local: int  # suitable services for this district or one of its neighbourhoods
    municipality: int  # suitable services for the whole municipality
    national: int  # suitable national services
    general: int  # services for everyone with what the persona needs (not counted above)
    size: float | None = None  # estimated number of people in the group
    size_figure: Figure | None = None
    size_from_percent: bool = False
    lonely: Figure | None = None

    @property
    def total(self) -> int:
        return self.local + self.municipality + self.national

    @property
    def status(self) -> Status:
        if self.local + self.municipality:
            return Status.COVERED
        if self.national:
            return Status.NATIONAL_ONLY
        return Status.WHITE_SPOT

    @property
    def status_label(self) -> Any:
        return STATUS_LABELS[self.status]

    @property
    def is_white_spot(self) -> bool:
        return self.status == Status.WHITE_SPOT

    @property
    def is_national_only(self) -> bool:
        return self.status == Status.NATIONAL_ONLY

    @property
    def estimated_lonely(self) -> float | None:
        """Group size x share lonely in the district: the ranking of white spots."""
        if self.size is None or self.lonely is None:
            return None
        return self.size * self.lonely.value / 100

    @property
    def has_generated_figures(self) -> bool:
        return any(f is not None and f.is_generated for f in (self.size_figure, self.lonely))


@dataclass
class Matrix:
    year: int | None
    districts: list[DistrictInfo]
    personas: list[Persona]
    cells: dict[tuple[str, int], Cell]

    def cell(self, district: str, persona_id: int) -> Cell:
        return self.cells[(district, persona_id)]

    def rows(self) -> list[tuple[DistrictInfo, list[Cell]]]:
        return [(d, [self.cells[(d.code, p.pk)] for p in self.personas]) for d in self.districts]

    def white_spots(self, include_national_only: bool = True) -> list[Cell]:
        """White spots (and national-only cells), the most urgent first: white spots before
        national-only, then by estimated lonely people, then group size; unknown last."""
        wanted = {Status.WHITE_SPOT, Status.NATIONAL_ONLY}
        if not include_national_only:
            wanted = {Status.WHITE_SPOT}
        found = [cell for cell in self.cells.values() if cell.status in wanted]
        return sorted(found, key=_urgency)


def _urgency(cell: Cell) -> tuple[Any, ...]:
    lonely = cell.estimated_lonely
    return (
        _SEVERITY[cell.status],
        lonely is None,
        -(lonely or 0.0),
        cell.size is None,
        -(cell.size or 0.0),
        cell.district.code,
        cell.persona.name,
    )


def newest_year() -> int | None:
    year: int | None = District.objects.aggregate(year=Max("year"))["year"]
    return year


def districts_of(year: int | None) -> list[DistrictInfo]:
    if year is None:
        return []
    return [
        DistrictInfo(code, name)
        for code, name in District.objects.filter(year=year)
        .order_by("code")
        .values_list("code", "name")
    ]


def analyse(
    personas: Sequence[Persona] | None = None,
    district_codes: Sequence[str] | None = None,
    offering: Offering | None = None,
) -> Matrix:
    """Suitable services per district (newest classification) x persona, with area figures."""
    year = newest_year()
    districts = districts_of(year)
    if district_codes is not None:
        wanted = set(district_codes)
        districts = [d for d in districts if d.code in wanted]
    personas = list(personas) if personas is not None else list(Persona.objects.order_by("name"))
    cells: dict[tuple[str, int], Cell] = {}
    if not districts or not personas:
        return Matrix(year, districts, personas, cells)
    offering = offering or Offering.load()
    indicators = [LONELINESS_INDICATOR, POPULATION_INDICATOR, *PERCENT_BASES.values()]
    indicators += [p.size_indicator for p in personas if p.size_indicator]
    figures = area_figures([d.code for d in districts], indicators, year or 0)
    for persona in personas:
        suitable = offering.suitable(persona)
        general = offering.general(persona)
        national = int(np.count_nonzero(suitable & offering.national))
        municipality = int(np.count_nonzero(suitable & offering.municipality))
        general_wide = int(np.count_nonzero(general & (offering.national | offering.municipality)))
        for district in districts:
            cell = Cell(
                district=district,
                persona=persona,
                local=offering.count_local(suitable, district.code),
                municipality=municipality,
                national=national,
                general=general_wide + offering.count_local(general, district.code),
                lonely=figures.get((district.code, LONELINESS_INDICATOR)),
            )
            _set_size(cell, persona, figures)
            cells[(district.code, persona.pk)] = cell
    return Matrix(year, districts, personas, cells)


def _set_size(cell: Cell, persona: Persona, figures: dict[tuple[str, str], Figure]) -> None:
    if not persona.size_indicator:
        return
    figure = figures.get((cell.district.code, persona.size_indicator))
    if figure is None:
        return
    cell.size_figure = figure
    if figure.unit == "percent":
        base = PERCENT_BASES.get(persona.size_indicator, POPULATION_INDICATOR)
        whole = figures.get((cell.district.code, base))
        if whole is not None and whole.unit != "percent":
            cell.size = figure.value / 100 * whole.value
            cell.size_from_percent = True
    else:
        cell.size = figure.value


def suitable_services(
    persona: Persona, district_code: str, offering: Offering | None = None, limit: int = 50
) -> dict[str, list[Service]]:
    """The first `limit` (by name) suitable services of one cell, by where they are offered
    ("local", "municipality", "national"), and of the services for everyone with what the
    persona needs ("general"). The cell itself has the full counts."""
    offering = offering or Offering.load()
    where = offering.in_district(district_code)
    wide = offering.national | offering.municipality
    groups = {
        "local": offering.suitable(persona) & where & ~wide,
        "municipality": offering.suitable(persona) & offering.municipality,
        "national": offering.suitable(persona) & offering.national,
        "general": offering.general(persona) & where,
    }
    catalogue = offering.catalogue
    result: dict[str, list[Service]] = {}
    for name, mask in groups.items():
        first = catalogue.service_ids(catalogue.order(mask, "naam")[:limit])
        result[name] = list(
            Service.objects.visible()
            .filter(pk__in=first)
            .select_related("organization")
            .order_by("name", "id")
        )
    return result


# -- overlap -------------------------------------------------------------------------------------


def tokens(text: str) -> frozenset[str]:
    """The Dutch word stems of a text, without stop words and single letters."""
    return frozenset(stem(w) for w in words(text) if len(w) > 1 and w not in STOP_WORDS)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def _prefix_length(size: int, threshold: float) -> int:
    # Two sets with Jaccard >= t share a token within the first |x| - ceil(t|x|) + 1 tokens of
    # each, in any fixed global order (prefix filtering, Xiao et al. 2008). The small epsilon
    # keeps 0.7 * 10 = 7.000000000000001 from rounding up to 8.
    return size - math.ceil(threshold * size - 1e-9) + 1


class _UnionFind:
    def __init__(self, size: int = 0) -> None:
        self.parent = list(range(size))

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def copy(self) -> _UnionFind:
        other = _UnionFind()
        other.parent = list(self.parent)
        return other


class _SimilarityIndex:
    """Distinct token sets with a prefix index, to find the alike ones without comparing all
    pairs; `order` ranks tokens rare-first so the prefixes are short and selective."""

    def __init__(self, threshold: float, order: dict[str, int]) -> None:
        self.threshold = threshold
        self.order = order
        self.sets: list[frozenset[str]] = []
        self.postings: dict[str, list[int]] = defaultdict(list)

    def prefix(self, tokens: frozenset[str]) -> list[str]:
        ranked = sorted(tokens, key=lambda t: (self.order.get(t, 0), t))
        return ranked[: _prefix_length(len(ranked), self.threshold)]

    def similar(self, tokens: frozenset[str]) -> list[int]:
        found: set[int] = set()
        for token in self.prefix(tokens):
            found.update(self.postings.get(token, ()))
        return [i for i in found if jaccard(tokens, self.sets[i]) >= self.threshold]

    def add(self, tokens: frozenset[str]) -> int:
        index = len(self.sets)
        self.sets.append(tokens)
        for token in self.prefix(tokens):
            self.postings[token].append(index)
        return index


@dataclass(frozen=True)
class OverlapService:
    id: Any
    name: str
    slug: str
    organization: str
    scope: str

    @property
    def scope_label(self) -> str:
        return str(ServiceScope(self.scope).label) if self.scope in ServiceScope.values else ""


@dataclass
class OverlapGroup:
    area_code: str  # a district code, or MUNICIPALITY_AREA for the whole municipality
    area_name: str
    signature: dict[str, list[str]]  # vocabulary key -> codes
    services: list[OverlapService]

    @property
    def size(self) -> int:
        return len(self.services)


def _signatures(offering: Offering, eligible: np.ndarray) -> dict[int, bytes]:
    """Per eligible position, the packed bits of its support kinds, target groups and form.
    A service without a target group is for everyone, so it gets the "everyone" bit."""
    columns: list[np.ndarray] = []
    for key in SIGNATURE_KEYS:
        for code in offering.codes.get(key, []):
            column = offering.column(key, code)
            if key == "target_group" and code == EVERYONE:
                column = column | ~offering.tagged["target_group"]
            columns.append(column)
    positions = np.flatnonzero(eligible)
    if not columns or not len(positions):
        return {}
    packed = np.packbits(np.stack(columns, axis=1)[positions], axis=1)
    return {int(p): packed[i].tobytes() for i, p in enumerate(positions.tolist())}


def _signature_codes(offering: Offering, position: int) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for key in SIGNATURE_KEYS:
        codes = [c for c in offering.codes.get(key, []) if offering.column(key, c)[position]]
        if key == "target_group" and not offering.tagged[key][position]:
            codes = [EVERYONE]
        result[key] = codes
    return result


def find_overlap(
    district_codes: Sequence[str] | None = None,
    include_municipality: bool = True,
    offering: Offering | None = None,
) -> list[OverlapGroup]:
    """Groups of at least OVERLAP_MIN_SERVICES alike services offered in one district (services
    for this district or its neighbourhoods, together with those for the whole municipality),
    and groups among the services for the whole municipality alone. A district's group holds
    at least one service of the district itself; the biggest groups come first."""
    year = newest_year()
    districts = districts_of(year)
    if district_codes is not None:
        wanted = set(district_codes)
        districts = [d for d in districts if d.code in wanted]
    offering = offering or Offering.load()
    eligible = offering.tagged["support_kind"] & ~offering.national
    signature_of = _signatures(offering, eligible)
    if not signature_of:
        return []

    wide_by_signature: dict[bytes, list[int]] = defaultdict(list)
    for position in np.flatnonzero(eligible & offering.municipality).tolist():
        wide_by_signature[signature_of[position]].append(position)
    # Per district and signature, the district's own services; only groups that can reach the
    # minimum size are looked at further.
    local: dict[str, dict[bytes, list[int]]] = {}
    needed: set[int] = set()
    for district in districts:
        by_signature: dict[bytes, list[int]] = defaultdict(list)
        for position in offering.districts.get(district.code, np.zeros(0, np.int64)).tolist():
            if eligible[position]:
                by_signature[signature_of[position]].append(position)
        for signature, positions in list(by_signature.items()):
            wide = wide_by_signature.get(signature, [])
            if len(positions) + len(wide) < OVERLAP_MIN_SERVICES:
                del by_signature[signature]
            else:
                needed.update(positions)
                needed.update(wide)
        local[district.code] = by_signature
    if include_municipality:
        for positions in wide_by_signature.values():
            if len(positions) >= OVERLAP_MIN_SERVICES:
                needed.update(positions)
    if not needed:
        return []

    token_sets, details = _read_services(offering, needed)
    frequency: Counter[str] = Counter()
    for tokens_ in set(token_sets.values()):
        frequency.update(tokens_)
    order = {token: count for token, count in frequency.items()}

    names = {d.code: d.name for d in districts}
    groups: list[OverlapGroup] = []
    wide_clusters: dict[bytes, _WideClusters] = {}

    def clusters_of_wide(signature: bytes) -> _WideClusters:
        if signature not in wide_clusters:
            wide_clusters[signature] = _WideClusters.build(
                wide_by_signature.get(signature, []), token_sets, order
            )
        return wide_clusters[signature]

    for district in districts:
        for signature, positions in local[district.code].items():
            for members in clusters_of_wide(signature).extend(positions, token_sets, order):
                groups.append(
                    _group(offering, district.code, names[district.code], members, details)
                )
    if include_municipality:
        for signature, positions in wide_by_signature.items():
            if len(positions) < OVERLAP_MIN_SERVICES:
                continue
            for members in clusters_of_wide(signature).alone():
                groups.append(
                    _group(offering, MUNICIPALITY_AREA, str(_("Hele gemeente")), members, details)
                )
    groups.sort(
        key=lambda g: (-g.size, g.area_code == MUNICIPALITY_AREA, g.area_code, g.services[0].name)
    )
    return groups


def _read_services(
    offering: Offering, positions: set[int]
) -> tuple[dict[int, frozenset[str]], dict[int, OverlapService]]:
    """Word stems and what the page shows, for these positions (raw rows: 100 000 ORM rows
    with UUID conversion cost seconds)."""
    ids = offering.catalogue.ids  # as the database driver returns them
    position = {ids[p]: p for p in positions}
    wanted = list(position)
    cache: dict[str, frozenset[str]] = {}
    token_sets: dict[int, frozenset[str]] = {}
    details: dict[int, OverlapService] = {}
    for start in range(0, len(wanted), _READ_CHUNK):
        chunk = wanted[start : start + _READ_CHUNK]
        placeholders = ", ".join(["%s"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.id, s.name, s.description, s.slug, s.scope, o.name "  # noqa: S608
                f"FROM {_table(Service)} s LEFT JOIN {_table(Organization)} o "
                f"ON o.id = s.organization_id WHERE s.id IN ({placeholders})",
                chunk,
            )
            rows = cursor.fetchall()
        for service_id, name, description, slug, scope, organization in rows:
            at = position[service_id]
            text = f"{name} {(description or '')[:OVERLAP_TEXT_CHARS]}"
            found = cache.get(text)
            if found is None:
                found = cache[text] = tokens(text)
            token_sets[at] = found
            details[at] = OverlapService(offering.ids[at], name, slug, organization or "", scope)
    return token_sets, details


def _table(model: type[Any]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@dataclass
class _WideClusters:
    """The services for the whole municipality with one signature, clustered once and then
    extended with each district's own services."""

    positions: list[int]  # service position per node
    index: _SimilarityIndex
    nodes_of_set: list[list[int]]  # distinct token set -> nodes (services) with it
    union: _UnionFind  # over distinct sets

    @classmethod
    def build(
        cls, positions: list[int], token_sets: dict[int, frozenset[str]], order: dict[str, int]
    ) -> _WideClusters:
        index = _SimilarityIndex(OVERLAP_SIMILARITY, order)
        union = _UnionFind()
        set_of: dict[frozenset[str], int] = {}
        nodes_of_set: list[list[int]] = []
        for position in positions:
            tokens_ = token_sets.get(position, frozenset())
            # Services without words are alike to nothing, not to each other.
            found = set_of.get(tokens_) if tokens_ else None
            if found is None:
                similar = index.similar(tokens_)
                found = index.add(tokens_)
                if tokens_:
                    set_of[tokens_] = found
                union.add()
                nodes_of_set.append([])
                for other in similar:
                    union.union(found, other)
            nodes_of_set[found].append(position)
        return cls(positions, index, nodes_of_set, union)

    def alone(self) -> list[list[int]]:
        components: dict[int, list[int]] = defaultdict(list)
        for set_index, positions in enumerate(self.nodes_of_set):
            components[self.union.find(set_index)].extend(positions)
        return [p for p in components.values() if len(p) >= OVERLAP_MIN_SERVICES]

    def extend(
        self,
        local: list[int],
        token_sets: dict[int, frozenset[str]],
        order: dict[str, int],
    ) -> list[list[int]]:
        """Groups with at least one of `local`: the district's services joined to each other
        and to the municipality-wide ones they are alike."""
        union = self.union.copy()
        wide_count = len(self.nodes_of_set)
        own = _SimilarityIndex(OVERLAP_SIMILARITY, order)
        own_set: dict[frozenset[str], int] = {}
        own_nodes: list[list[int]] = []
        for position in local:
            tokens_ = token_sets.get(position, frozenset())
            found = own_set.get(tokens_) if tokens_ else None
            if found is None:
                similar_own = own.similar(tokens_)
                found = own.add(tokens_)
                if tokens_:
                    own_set[tokens_] = found
                node = union.add()
                own_nodes.append([])
                for other in similar_own:
                    union.union(node, wide_count + other)
                for other in self.index.similar(tokens_):
                    union.union(node, other)
            own_nodes[found].append(position)
        components: dict[int, list[int]] = defaultdict(list)
        has_own: set[int] = set()
        for i, positions in enumerate(own_nodes):
            root = union.find(wide_count + i)
            components[root].extend(positions)
            has_own.add(root)
        for set_index, positions in enumerate(self.nodes_of_set):
            root = union.find(set_index)
            if root in has_own:
                components[root].extend(positions)
        return [p for p in components.values() if len(p) >= OVERLAP_MIN_SERVICES]


def _group(
    offering: Offering,
    area_code: str,
    area_name: str,
    members: list[int],
    details: dict[int, OverlapService],
) -> OverlapGroup:
    services = sorted(
        (details[p] for p in members if p in details), key=lambda s: (s.name, str(s.id))
    )
    return OverlapGroup(area_code, area_name, _signature_codes(offering, members[0]), services)


def term_labels() -> dict[tuple[str, str], str]:
    """(vocabulary key, code) -> the term's current name, for showing signatures."""
    labels = {
        (key, code): gettext(name)
        for key, vocabulary in BY_KEY.items()
        for code, name, _description in vocabulary.terms
    }
    for key, code, name in TaxonomyTerm.objects.filter(taxonomy__key__in=_SERVICE_KEYS).values_list(
        "taxonomy__key", "code", "name"
    ):
        labels[(key, code)] = gettext(name)
    return labels
