"""What a person sees of a service at a glance: for whom, where, when, what it costs, whom to call.

Computed from prefetched relations (see selectors.card_prefetches), so a page of cards costs a
fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omzien.areas.models import District, Neighbourhood
from omzien.core.phones import tel_href
from omzien.directory.filters import SearchParams
from omzien.directory.models import Schedule, Service, ServiceScope

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # in the order of date.weekday()
_DAY_NAMES = {
    "MO": gettext_lazy("maandag"),
    "TU": gettext_lazy("dinsdag"),
    "WE": gettext_lazy("woensdag"),
    "TH": gettext_lazy("donderdag"),
    "FR": gettext_lazy("vrijdag"),
    "SA": gettext_lazy("zaterdag"),
    "SU": gettext_lazy("zondag"),
}
_ORDINALS = {
    1: gettext_lazy("eerste"),
    2: gettext_lazy("tweede"),
    3: gettext_lazy("derde"),
    4: gettext_lazy("vierde"),
    -1: gettext_lazy("laatste"),
}
# How far ahead "the next time" is looked for: a monthly rule always occurs within this.
_LOOK_AHEAD_DAYS = 70


@dataclass
class Card:
    service: Service
    for_whom: str
    where: str
    when: str
    cost: str
    distance_km: float | None
    # Vocabulary key -> the terms' labels for residents (`TaxonomyTerm.public_name`).
    terms: dict[str, list[str]] = field(default_factory=dict)
    phone: str = ""
    # Vocabulary key -> the terms' codes, for decisions that must not depend on a label.
    term_codes: dict[str, list[str]] = field(default_factory=dict)
    next_time: str = ""  # "vandaag 10:00–12:00", "morgen", "donderdag 12 maart"
    district: str = ""  # the wijk, when "where" does not already say it
    # One activity at several places or by several organisers shows as this one card
    # (`selectors.Family`, set on the services of a result page).
    places: int = 1
    others: list[Any] = field(default_factory=list)  # selectors.Alternative: name, slug
    more_others: int = 0

    @property
    def phone_href(self) -> str:
        return tel_href(self.phone)

    @property
    def characteristics(self) -> list[str]:
        """Group or one-to-one, how often, where: one list, shown as one line."""
        return [
            label for key in ("form", "frequency", "place") for label in self.terms.get(key, [])
        ]


def _terms(service: Service) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The service's terms per vocabulary: the labels residents read, and the codes."""
    labels: dict[str, list[str]] = {}
    codes: dict[str, list[str]] = {}
    for attribute in service.attributes.all():
        term = attribute.taxonomy_term
        key = term.taxonomy.key if term.taxonomy else ""
        labels.setdefault(key, []).append(term.public_name)
        codes.setdefault(key, []).append(term.code)
    return labels, codes


def _for_whom(service: Service, terms: dict[str, list[str]]) -> str:
    # Term names are stored in Dutch; shown in the reader's language (unchanged names only).
    parts = [_(name) for name in terms.get("target_group", [])]
    if service.minimum_age and service.maximum_age:
        parts.append(
            _("%(min)s tot %(max)s jaar") % {"min": service.minimum_age, "max": service.maximum_age}
        )
    elif service.minimum_age:
        parts.append(_("vanaf %(min)s jaar") % {"min": service.minimum_age})
    elif service.maximum_age:
        parts.append(_("tot %(max)s jaar") % {"max": service.maximum_age})
    return ", ".join(parts) or service.eligibility_description or _("Iedereen")


def _where(service: Service, codes: dict[str, list[str]]) -> str:
    places = []
    for sal in service.service_at_locations.all():
        location = sal.location
        addresses = list(location.addresses.all())
        city = addresses[0].city if addresses else ""
        label = location.name or (addresses[0].address_1 if addresses else "")
        places.append(f"{label}, {city}" if city and city not in label else label)
    if places:
        return "; ".join(p for p in places if p)
    if service.scope == ServiceScope.NATIONAL:
        return _("Landelijk: telefonisch of online")
    if "at_home" in codes.get("place", []):
        return _("Bij u thuis")
    areas = [area.name for area in service.service_areas.all() if area.name]
    return ", ".join(areas)


def _district(service: Service, where: str) -> str:
    """The wijk of the service's place (or the wijken it is for), unless `where` names it."""
    names: list[str] = []
    for sal in service.service_at_locations.all():
        neighbourhood = sal.location.neighbourhood
        if neighbourhood is not None and neighbourhood.district.name not in names:
            names.append(neighbourhood.district.name)
    if not names:
        names = [
            area.name
            for area in service.service_areas.all()
            if area.name and area.area_code.upper().startswith("WK")
        ]
    # CBS writes "Wijk 12 Helmond-Noord"; "Helmond-Noord" is what people say.
    short = [
        name.split(" ", 2)[2] if name.startswith("Wijk ") and name.count(" ") >= 2 else name
        for name in names
    ]
    return ", ".join(name for name in short if name.lower() not in where.lower())


def _join(words: list[str]) -> str:
    if len(words) < 2:
        return "".join(words)
    return _("%(some)s en %(last)s") % {"some": ", ".join(words[:-1]), "last": words[-1]}


def _weekdays(schedule: Schedule) -> list[tuple[int, str]]:
    """(ordinal or 0, day code) of BYDAY, e.g. "1MO" -> (1, "MO"); unknown parts left out."""
    days = []
    for part in schedule.byday.upper().replace(" ", "").split(","):
        code, number = part[-2:], part[:-2]
        if code not in _DAYS:
            continue
        try:
            ordinal = int(number) if number else 0
        except ValueError:
            continue
        days.append((ordinal, code))
    # "elke dinsdag en woensdag", whatever order BYDAY lists them in.
    return sorted(set(days), key=lambda day: (_DAYS.index(day[1]), day[0]))


def _hours(schedule: Schedule) -> str:
    if schedule.opens_at and schedule.closes_at:
        return f"{schedule.opens_at:%H:%M}\u2013{schedule.closes_at:%H:%M}"
    if schedule.opens_at:
        return _("vanaf %(time)s") % {"time": f"{schedule.opens_at:%H:%M}"}
    return ""


def _rule(schedule: Schedule) -> str:
    """The schedule in plain words: "elke dinsdag en donderdag 9:00–12:00"; "" when the rule
    is not one we can say plainly (its description is shown instead)."""
    days = _weekdays(schedule)
    if not days:
        return ""
    interval = schedule.interval or 1
    monthly = schedule.freq == Schedule.Freq.MONTHLY
    if monthly and interval == 1 and all(o in _ORDINALS for o, _code in days):
        text = _("elke %(days)s van de maand") % {
            "days": _join([f"{_ORDINALS[o]} {_DAY_NAMES[code]}" for o, code in days])
        }
    elif not monthly and all(o == 0 for o, _code in days):
        names = _join([str(_DAY_NAMES[code]) for _o, code in days])
        if interval == 1:
            text = _("elke %(days)s") % {"days": names}
        elif interval == 2:
            text = _("om de week op %(days)s") % {"days": names}
        else:
            text = _("elke %(n)s weken op %(days)s") % {"n": interval, "days": names}
    else:
        return ""
    hours = _hours(schedule)
    return f"{text} {hours}" if hours else text


def _in_force(schedule: Schedule, day: dt.date) -> bool:
    starts = [d for d in (schedule.valid_from, schedule.dtstart) if d]
    ends = [d for d in (schedule.valid_to, schedule.until) if d]
    return all(day >= d for d in starts) and all(day <= d for d in ends)


def _occurs(schedule: Schedule, day: dt.date) -> bool:
    code = _DAYS[day.weekday()]
    interval = schedule.interval or 1
    for ordinal, day_code in _weekdays(schedule):
        if day_code != code:
            continue
        if schedule.freq == Schedule.Freq.MONTHLY:
            nth = (day.day - 1) // 7 + 1
            last = (day + dt.timedelta(days=7)).month != day.month
            if ordinal == nth or (ordinal == -1 and last):
                return True
        elif ordinal == 0:
            if interval == 1:
                return True
            if schedule.dtstart:  # every n weeks, counted from the week it started
                start = schedule.dtstart - dt.timedelta(days=schedule.dtstart.weekday())
                if ((day - start).days // 7) % interval == 0:
                    return True
    return False


def next_occurrence(schedule: Schedule, now: dt.datetime) -> dt.date | None:
    """The next day the schedule happens, today included until it closes; None when the rule
    says no more, or cannot be read (every other week without a start date, say)."""
    today = now.date()
    for offset in range(_LOOK_AHEAD_DAYS):
        day = today + dt.timedelta(days=offset)
        if not _in_force(schedule, day) or not _occurs(schedule, day):
            continue
        if offset == 0 and schedule.closes_at and now.time() >= schedule.closes_at:
            continue
        return day
    return None


def _day_label(day: dt.date, today: dt.date) -> str:
    offset = (day - today).days
    if offset == 0:
        return _("vandaag")
    if offset == 1:
        return _("morgen")
    if offset < 7:
        return str(_DAY_NAMES[_DAYS[day.weekday()]])
    return formats.date_format(day, "l j F")


def _when(service: Service, now: dt.datetime) -> tuple[str, str]:
    """(the rule in plain words, the next time): ("elke dinsdag 10:00–12:00", "vandaag")."""
    texts = []
    upcoming: list[tuple[dt.date, Schedule]] = []
    for schedule in service.schedules.all():
        text = _rule(schedule) or schedule.description
        if text:
            texts.append(text[:1].upper() + text[1:])
        day = next_occurrence(schedule, now) if _weekdays(schedule) else None
        if day is not None:
            upcoming.append((day, schedule))
    if not upcoming:
        return "; ".join(texts), ""
    day, schedule = min(upcoming, key=lambda item: (item[0], item[1].opens_at or dt.time()))
    label = _day_label(day, now.date())
    hours = _hours(schedule)
    return "; ".join(texts), f"{label} {hours}" if hours and len(upcoming) > 1 else label


def _cost(service: Service, terms: dict[str, list[str]]) -> str:
    if service.fees_description:
        return service.fees_description
    amounts = [o.amount for o in service.cost_options.all() if o.amount is not None]
    if amounts:
        lowest = min(amounts)
        if lowest == Decimal("0"):
            return _("Gratis")
        return _("vanaf € %(amount)s") % {"amount": f"{lowest:.2f}".replace(".", ",")}
    return ", ".join(_(name) for name in terms.get("cost_category", []))


def card(
    service: Service,
    distances: dict[uuid.UUID, float] | None = None,
    now: dt.datetime | None = None,
) -> Card:
    terms, codes = _terms(service)
    phones = list(service.phones.all())
    where = _where(service, codes)
    when, next_time = _when(service, now or timezone.localtime())
    family = getattr(service, "card_family", None)
    return Card(
        service=service,
        for_whom=_for_whom(service, terms),
        where=where,
        when=when,
        cost=_cost(service, terms),
        distance_km=(distances or {}).get(service.id),
        terms=terms,
        phone=phones[0].number if phones else "",
        term_codes=codes,
        next_time=next_time,
        district=_district(service, where),
        places=family.places if family is not None else 1,
        others=family.others if family is not None else [],
        more_others=family.more if family is not None else 0,
    )


@dataclass(frozen=True)
class Cell:
    """One service's answer in a row of the comparison: text, or links (phone, e-mail)."""

    text: str = ""
    links: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CompareRow:
    label: str
    cells: list[Cell]


def _names(terms: list[str]) -> Cell:
    return Cell(", ".join(_(term) for term in terms))


def compare_rows(cards: list[Card]) -> list[CompareRow]:
    """The rows of the comparison, one cell per service: the table on a wide screen and the
    stacked cards on a phone read the same rows."""

    def row(label: str, cell: Callable[[Card], Cell]) -> CompareRow:
        return CompareRow(label, [cell(card) for card in cards])

    def when(card: Card) -> Cell:
        lines = [card.when] if card.when else []
        if card.next_time:
            lines.append(_("Volgende keer: %(next)s") % {"next": card.next_time})
        return Cell("\n".join(lines))

    def contact(card: Card) -> Cell:
        links = []
        if card.phone:
            links.append((card.phone, card.phone_href))
        if card.service.email:
            links.append((card.service.email, f"mailto:{card.service.email}"))
        return Cell(links=tuple(links))

    def checked(card: Card) -> Cell:
        date = card.service.assured_date
        return Cell(formats.date_format(date, "j M Y") if date else "")

    return [
        row(_("Wat is het?"), lambda c: Cell(Truncator(c.service.description).words(40))),
        row(_("Voor wie"), lambda c: Cell(c.for_whom)),
        row(_("Soort steun"), lambda c: _names(c.terms.get("support_kind", []))),
        row(_("Groep of één op één"), lambda c: _names(c.terms.get("form", []))),
        row(_("Eenmalig of vast"), lambda c: _names(c.terms.get("frequency", []))),
        row(_("Waar"), lambda c: Cell(c.where)),
        row(_("Wanneer"), when),
        row(_("Kosten"), lambda c: Cell(c.cost)),
        row(_("Voorwaarden"), lambda c: _names(c.terms.get("condition", []))),
        row(_("Contact"), contact),
        row(_("Gecontroleerd op"), checked),
    ]


def compare_cards(
    cards: list[Card], rows: list[CompareRow]
) -> list[tuple[Card, list[tuple[str, Cell]]]]:
    """The same rows turned a quarter: per service, (label, cell) in row order."""
    return [(card, [(r.label, r.cells[i]) for r in rows]) for i, card in enumerate(cards)]


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    param: str
    label: str
    options: list[FacetOption] = field(default_factory=list)


@dataclass(frozen=True)
class Chip:
    """A chosen filter above the results; its link is the same search without it."""

    label: str
    query: str


def filter_chips(
    params: SearchParams,
    facets: list[Facet],
    districts: list[District],
    neighbourhoods: list[tuple[District, list[Neighbourhood]]],
) -> list[Chip]:
    """The chosen filters in the order of the filter panel: place first, then the facets."""
    chips = []
    if params.district:
        name = next((d.name for d in districts if d.code == params.district), params.district)
        chips.append(Chip(name, params.without("wijk")))
    if params.neighbourhood:
        names = {n.code: n.name for _district, group in neighbourhoods for n in group}
        name = names.get(params.neighbourhood, params.neighbourhood)
        chips.append(Chip(_("Buurt %(name)s") % {"name": name}, params.without("buurt")))
    if params.postcode:
        postcode = f"{params.postcode[:4]} {params.postcode[4:]}"
        chips.append(
            Chip(_("Postcode %(postcode)s") % {"postcode": postcode}, params.without("postcode"))
        )
    if params.distance_km:
        chips.append(
            Chip(_("Binnen %(km)s km") % {"km": params.distance_km}, params.without("afstand"))
        )
    for facet in facets:
        for option in facet.options:
            if option.selected:
                chips.append(Chip(_(option.label), params.without(facet.param, option.value)))
    return chips
