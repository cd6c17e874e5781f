"""What a person sees of a service at a glance: for whom, where, when, what it costs.

Computed from prefetched relations (see selectors.card_prefetches), so a page of cards costs a
fixed number of queries.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from omzien.core.phones import tel_href
from omzien.directory.models import Service, ServiceScope

_DAY_NAMES = {
    "MO": "maandag",
    "TU": "dinsdag",
    "WE": "woensdag",
    "TH": "donderdag",
    "FR": "vrijdag",
    "SA": "zaterdag",
    "SU": "zondag",
}


@dataclass
class Card:
    service: Service
    for_whom: str
    where: str
    when: str
    cost: str
    distance_km: float | None
    terms: dict[str, list[str]] = field(default_factory=dict)
    phone: str = ""
    # One activity at several places or by several organisers shows as this one card
    # (`selectors.Family`, set on the services of a result page).
    places: int = 1
    others: list[Any] = field(default_factory=list)  # selectors.Alternative: name, slug
    more_others: int = 0

    @property
    def phone_href(self) -> str:
        return tel_href(self.phone)


def _terms(service: Service) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for attribute in service.attributes.all():
        term = attribute.taxonomy_term
        key = term.taxonomy.key if term.taxonomy else ""
        groups.setdefault(key, []).append(term.name)
    return groups


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


def _where(service: Service, terms: dict[str, list[str]]) -> str:
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
    if "Bij u thuis" in terms.get("place", []):
        return _("Bij u thuis")
    areas = [area.name for area in service.service_areas.all() if area.name]
    return ", ".join(areas)


def _when(service: Service) -> str:
    texts = []
    for schedule in service.schedules.all():
        if schedule.description:
            texts.append(schedule.description)
        elif schedule.byday:
            days = [_DAY_NAMES.get(d[-2:], d) for d in schedule.byday.split(",")]
            text = ", ".join(days)
            if schedule.opens_at and schedule.closes_at:
                text += f" {schedule.opens_at:%H.%M}-{schedule.closes_at:%H.%M}"
            texts.append(text)
    return "; ".join(texts)


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


def card(service: Service, distances: dict[uuid.UUID, float] | None = None) -> Card:
    terms = _terms(service)
    phones = list(service.phones.all())
    family = getattr(service, "card_family", None)
    return Card(
        service=service,
        for_whom=_for_whom(service, terms),
        where=_where(service, terms),
        when=_when(service),
        cost=_cost(service, terms),
        distance_km=(distances or {}).get(service.id),
        terms=terms,
        phone=phones[0].number if phones else "",
        places=family.places if family is not None else 1,
        others=family.others if family is not None else [],
        more_others=family.more if family is not None else 0,
    )
