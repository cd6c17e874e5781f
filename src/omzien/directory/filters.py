"""Reading the sociale kaart's search form from a URL: every filter lives in the query string,
so a result page can be bookmarked, shared and printed. Bad values never break the page: they
are dropped with a plain notice, and everything valid is kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from omzien.areas.importers import normalise_postcode
from omzien.directory.entry_points import BY_SLUG
from omzien.directory.vocabularies import BY_KEY

MAX_QUERY_LENGTH = 200
MAX_PAGE = 10_000
PER_PAGE = 20
DISTANCES_KM = (1, 2, 5, 10, 25)

# URL parameter (Dutch, for people who read URLs) -> vocabulary key.
FACET_PARAMS: dict[str, str] = {
    "doelgroep": "target_group",
    "steun": "support_kind",
    "vorm": "form",
    "duur": "frequency",
    "waar": "place",
    "kosten": "cost_category",
    "probleem": "problem",
    "voorwaarde": "condition",
}
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
SORTS = ("relevantie", "afstand", "naam", "kosten", "gecontroleerd")


@dataclass
class SearchParams:
    query: str = ""
    terms: dict[str, list[str]] = field(default_factory=dict)  # vocabulary key -> codes
    district: str = ""
    postcode: str = ""
    # A CBS neighbourhood code: distance is measured from its centre when there is no postcode.
    neighbourhood: str = ""
    # The entry tile this search came from (entry_points.EntryPoint.slug): names the page and
    # puts what fits the topic first; not a filter.
    topic: str = ""
    distance_km: int | None = None
    days: list[str] = field(default_factory=list)
    language: str = ""
    sort: str = "relevantie"
    page: int = 1
    notices: list[str] = field(default_factory=list)

    @property
    def has_filters(self) -> bool:
        return bool(
            any(self.terms.values())
            or self.district
            or self.postcode
            or self.neighbourhood
            or self.days
            or self.language
        )

    @property
    def has_origin(self) -> bool:
        """Whether there is a place to measure distance from."""
        return bool(self.postcode or self.neighbourhood)

    def to_query(self, **changes: Any) -> str:
        """This search as a query string, with some values changed (for links)."""
        values = {
            "q": self.query,
            "onderwerp": self.topic,
            "wijk": self.district,
            "postcode": self.postcode,
            "buurt": self.neighbourhood,
            "afstand": self.distance_km or "",
            "dag": self.days,
            "taal": self.language,
            "sort": "" if self.sort == "relevantie" else self.sort,
            "pagina": "" if self.page == 1 else self.page,
        }
        for param, key in FACET_PARAMS.items():
            values[param] = self.terms.get(key, [])
        values.update(changes)
        query = QueryDict(mutable=True)
        for key, value in values.items():
            if isinstance(value, list | tuple):
                if value:
                    query.setlist(key, [str(v) for v in value])
            elif value not in ("", None):
                query[key] = str(value)
        return query.urlencode()

    def without(self, param: str, value: str = "") -> str:
        """This search without one filter value (the link of a chip), from its first page."""
        current = {
            "wijk": self.district,
            "postcode": self.postcode,
            "buurt": self.neighbourhood,
            "afstand": self.distance_km or "",
            "dag": self.days,
            "taal": self.language,
        }
        for name, key in FACET_PARAMS.items():
            current[name] = self.terms.get(key, [])
        chosen = current.get(param, "")
        if isinstance(chosen, list):
            return self.to_query(**{param: [v for v in chosen if v != value], "pagina": ""})
        return self.to_query(**{param: "", "pagina": ""})


def parse(
    data: QueryDict,
    valid_districts: set[str],
    valid_languages: set[str],
    valid_neighbourhoods: frozenset[str] | set[str] = frozenset(),
) -> SearchParams:
    params = SearchParams()
    query = " ".join(data.get("q", "").split())
    if len(query) > MAX_QUERY_LENGTH:
        query = query[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or query[:MAX_QUERY_LENGTH]
        params.notices.append(
            _("Uw zoekvraag was erg lang. Wij hebben gezocht op het begin ervan.")
        )
    params.query = query

    unknown = False
    for param, key in FACET_PARAMS.items():
        known = {code for code, *_ in BY_KEY[key].terms}
        chosen = []
        for value in data.getlist(param)[:20]:
            if value in known and value not in chosen:
                chosen.append(value)
            elif value:
                unknown = True
        if chosen:
            params.terms[key] = chosen

    district = data.get("wijk", "").strip().upper()
    if district:
        if district in valid_districts:
            params.district = district
        else:
            unknown = True

    topic = data.get("onderwerp", "").strip()
    if topic:
        if topic in BY_SLUG:
            params.topic = topic
        else:
            unknown = True

    neighbourhood = data.get("buurt", "").strip().upper()
    if neighbourhood:
        if neighbourhood in valid_neighbourhoods:
            params.neighbourhood = neighbourhood
        else:
            unknown = True

    raw_postcode = data.get("postcode", "").strip()
    if raw_postcode:
        postcode = normalise_postcode(raw_postcode[:20])
        if postcode:
            params.postcode = postcode
        else:
            params.notices.append(
                _(
                    "%(value)s is geen postcode. "
                    "Een postcode is 4 cijfers en 2 letters, zoals 5701 AB."
                )
                % {"value": raw_postcode[:20]}
            )
    raw_distance = data.get("afstand", "")
    if raw_distance:
        try:
            distance = int(raw_distance)
        except ValueError:
            distance = -1
        if distance in DISTANCES_KM:
            params.distance_km = distance
        else:
            unknown = True

    for day in data.getlist("dag")[:7]:
        if day in DAYS and day not in params.days:
            params.days.append(day)
        elif day:
            unknown = True

    language = data.get("taal", "").strip().lower()
    if language:
        if language in valid_languages:
            params.language = language
        else:
            unknown = True

    sort = data.get("sort", "") or "relevantie"
    if sort in SORTS:
        params.sort = sort
    else:
        unknown = True
    if params.sort == "afstand" and not params.has_origin:
        params.sort = "relevantie"
        params.notices.append(_("Kies uw buurt of vul een postcode in om op afstand te sorteren."))

    raw_page = data.get("pagina", "1")
    try:
        params.page = max(1, min(int(raw_page), MAX_PAGE))
    except ValueError:
        params.page = 1
        unknown = True

    if unknown:
        params.notices.append(
            _("Een of meer filters in het adres kennen wij niet. Die hebben wij overgeslagen.")
        )
    return params
