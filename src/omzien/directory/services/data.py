"""The data a provider edits, read from the live kaart and described field by field.

`ServiceData` / `LocationData` are plain, JSON-safe values: what the edit forms produce, what a
`ChangeRequest` stores as its payload and what the writes apply. Flattened to readable text per
field they are the unit of the history and of the reviewer's diff.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omzien.areas.models import District, Municipality, Neighbourhood
from omzien.directory.models import (
    Attribute,
    ChangeRequest,
    Location,
    Service,
    ServiceStatus,
    TaxonomyTerm,
)
from omzien.directory.vocabularies import VOCABULARIES, Vocabulary

# The vocabularies a provider ticks for a service; partner domains describe organisations.
SERVICE_VOCABULARIES: tuple[Vocabulary, ...] = tuple(
    v for v in VOCABULARIES if v.link_type != "organization_domain"
)
_VOCABULARY_BY_KEY = {v.key: v for v in SERVICE_VOCABULARIES}

WEEKDAYS: tuple[tuple[str, Promise], ...] = (
    ("MO", gettext_lazy("maandag")),
    ("TU", gettext_lazy("dinsdag")),
    ("WE", gettext_lazy("woensdag")),
    ("TH", gettext_lazy("donderdag")),
    ("FR", gettext_lazy("vrijdag")),
    ("SA", gettext_lazy("zaterdag")),
    ("SU", gettext_lazy("zondag")),
)
_WEEKDAY_ORDER = {code: index for index, (code, _label) in enumerate(WEEKDAYS)}


def _weekday_index(code: str) -> int:
    return _WEEKDAY_ORDER.get(code, len(_WEEKDAY_ORDER))


# Languages a service can be offered in (ISO 639-1, or 639-3 where there is no short code).
# The names are data (HSDS language.name), so they are stored as written here.
SERVICE_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("nl", "Nederlands"),
    ("en", "Engels"),
    ("de", "Duits"),
    ("fr", "Frans"),
    ("es", "Spaans"),
    ("pl", "Pools"),
    ("ro", "Roemeens"),
    ("bg", "Bulgaars"),
    ("uk", "Oekraïens"),
    ("tr", "Turks"),
    ("ar", "Arabisch"),
    ("ber", "Berbers (Tamazight)"),
    ("fa", "Perzisch (Farsi)"),
    ("ti", "Tigrinya"),
    ("so", "Somalisch"),
    ("pap", "Papiaments"),
    ("fy", "Fries"),
    ("dse", "Nederlandse Gebarentaal"),
)
_LANGUAGE_NAMES = dict(SERVICE_LANGUAGES)

PROVINCES: tuple[str, ...] = (
    "Drenthe",
    "Flevoland",
    "Friesland",
    "Gelderland",
    "Groningen",
    "Limburg",
    "Noord-Brabant",
    "Noord-Holland",
    "Overijssel",
    "Utrecht",
    "Zeeland",
    "Zuid-Holland",
)

NATIONAL_AREA_CODE = "NL"


class AreaKind(StrEnum):
    NATIONAL = "national"
    MUNICIPALITY = "municipality"
    DISTRICTS = "districts"
    # Only kept when imported data names neighbourhoods; the form does not offer it anew.
    NEIGHBOURHOODS = "neighbourhoods"


# --- The data a provider edits ------------------------------------------------------------


@dataclass
class PhoneData:
    number: str
    description: str = ""


@dataclass
class ScheduleData:
    """A simple weekly rhythm: on these days, from opens_at to closes_at ("HH:MM" or "")."""

    days: list[str]
    opens_at: str = ""
    closes_at: str = ""
    description: str = ""


@dataclass
class CostData:
    option: str = ""
    amount: str | None = None  # a decimal as text, so the payload stays JSON
    amount_description: str = ""


@dataclass
class AreaData:
    kind: str = AreaKind.MUNICIPALITY.value
    codes: list[str] = field(default_factory=list)  # district (or neighbourhood) codes


@dataclass
class LocationData:
    name: str = ""
    address_1: str = ""
    postal_code: str = ""
    city: str = ""
    state_province: str = ""
    description: str = ""
    transportation: str = ""
    id: str | None = None  # an existing location, when syncing a service's locations

    def to_payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> LocationData:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in payload.items() if k in names})


@dataclass
class ServiceData:
    name: str
    alternate_name: str = ""
    description: str = ""
    eligibility_description: str = ""
    application_process: str = ""
    fees_description: str = ""
    url: str = ""
    email: str = ""
    status: str = ServiceStatus.ACTIVE.value
    alert: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    terms: dict[str, list[str]] = field(default_factory=dict)  # vocabulary key -> term codes
    languages: list[str] = field(default_factory=list)
    phones: list[PhoneData] = field(default_factory=list)
    schedules: list[ScheduleData] = field(default_factory=list)
    cost_options: list[CostData] = field(default_factory=list)
    area: AreaData = field(default_factory=AreaData)
    # None leaves a service's locations alone (the edit form handles them on their own page).
    locations: list[LocationData] | None = None

    def to_payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ServiceData:
        data = dict(payload)
        locations = data.pop("locations", None)
        return cls(
            name=data.get("name", ""),
            alternate_name=data.get("alternate_name", ""),
            description=data.get("description", ""),
            eligibility_description=data.get("eligibility_description", ""),
            application_process=data.get("application_process", ""),
            fees_description=data.get("fees_description", ""),
            url=data.get("url", ""),
            email=data.get("email", ""),
            status=data.get("status", ServiceStatus.ACTIVE.value),
            alert=data.get("alert", ""),
            minimum_age=data.get("minimum_age"),
            maximum_age=data.get("maximum_age"),
            terms={k: list(v) for k, v in (data.get("terms") or {}).items()},
            languages=list(data.get("languages") or []),
            phones=[PhoneData(**p) for p in data.get("phones") or []],
            schedules=[ScheduleData(**s) for s in data.get("schedules") or []],
            cost_options=[CostData(**c) for c in data.get("cost_options") or []],
            area=AreaData(**(data.get("area") or {})),
            locations=(
                None if locations is None else [LocationData.from_payload(x) for x in locations]
            ),
        )


@dataclass
class SaveResult:
    """What happened to an edit: live at once, or waiting in the review queue."""

    service: Service | None = None
    change_request: ChangeRequest | None = None

    @property
    def is_live(self) -> bool:
        return self.change_request is None


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


# --- Field labels (history page and review diff) -----------------------------------------

SERVICE_FIELD_LABELS: dict[str, Promise] = {
    "name": gettext_lazy("Naam"),
    "alternate_name": gettext_lazy("Andere naam"),
    "status": gettext_lazy("Status"),
    "description": gettext_lazy("Wat is het?"),
    "eligibility_description": gettext_lazy("Voor wie?"),
    "minimum_age": gettext_lazy("Vanaf leeftijd"),
    "maximum_age": gettext_lazy("Tot en met leeftijd"),
    "application_process": gettext_lazy("Hoe meldt iemand zich aan?"),
    "fees_description": gettext_lazy("Kosten (uitleg)"),
    "cost_options": gettext_lazy("Prijzen"),
    "url": gettext_lazy("Website"),
    "email": gettext_lazy("E-mailadres"),
    "phones": gettext_lazy("Telefoonnummers"),
    "languages": gettext_lazy("Talen"),
    "schedules": gettext_lazy("Wanneer"),
    "service_areas": gettext_lazy("Waar te gebruiken"),
    "alert": gettext_lazy("Let op"),
    "service_at_locations": gettext_lazy("Locaties"),
    "assured_date": gettext_lazy("Gecontroleerd op"),
    "assurer_email": gettext_lazy("Gecontroleerd door"),
}
for _vocabulary in SERVICE_VOCABULARIES:
    SERVICE_FIELD_LABELS[f"attributes.{_vocabulary.key}"] = gettext_lazy(_vocabulary.name)

LOCATION_FIELD_LABELS: dict[str, Promise] = {
    "name": gettext_lazy("Naam van de plek"),
    "address_1": gettext_lazy("Straat en huisnummer"),
    "postal_code": gettext_lazy("Postcode"),
    "city": gettext_lazy("Plaats"),
    "state_province": gettext_lazy("Provincie"),
    "description": gettext_lazy("Over deze plek"),
    "transportation": gettext_lazy("Hoe komt u er?"),
}

ORGANIZATION_FIELD_LABELS: dict[str, Promise] = {"is_trusted": gettext_lazy("Vertrouwd")}

ACTION_LABELS: dict[str, Promise] = {
    "create": gettext_lazy("toegevoegd"),
    "update": gettext_lazy("gewijzigd"),
    "delete": gettext_lazy("verwijderd"),
    "verify": gettext_lazy("gecontroleerd"),
}


def field_label(resource_type: str, field_name: str) -> str:
    labels = {
        "service": SERVICE_FIELD_LABELS,
        "location": LOCATION_FIELD_LABELS,
        "address": LOCATION_FIELD_LABELS,
        "organization": ORGANIZATION_FIELD_LABELS,
    }.get(resource_type, {})
    return str(labels.get(field_name, field_name))


# --- Reading a service into its editable form, and describing it ---------------------------


def _time_text(value: datetime.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def service_data(service: Service) -> ServiceData:
    """The live service as the editable value (locations left out: they have their own page)."""
    terms: dict[str, list[str]] = {}
    for key, code in (
        Attribute.objects.filter(
            service=service, taxonomy_term__taxonomy__key__in=_VOCABULARY_BY_KEY
        )
        .order_by("taxonomy_term__name")
        .values_list("taxonomy_term__taxonomy__key", "taxonomy_term__code")
    ):
        terms.setdefault(key, []).append(code)
    areas = list(service.service_areas.order_by("area_code"))
    codes = [a.area_code for a in areas]
    if NATIONAL_AREA_CODE in codes:
        area = AreaData(AreaKind.NATIONAL.value)
    elif any(c.startswith("WK") for c in codes):
        area = AreaData(AreaKind.DISTRICTS.value, [c for c in codes if c.startswith("WK")])
    elif any(c.startswith("BU") for c in codes):
        area = AreaData(AreaKind.NEIGHBOURHOODS.value, [c for c in codes if c.startswith("BU")])
    else:
        area = AreaData(AreaKind.MUNICIPALITY.value)
    return ServiceData(
        name=service.name,
        alternate_name=service.alternate_name,
        description=service.description,
        eligibility_description=service.eligibility_description,
        application_process=service.application_process,
        fees_description=service.fees_description,
        url=service.url,
        email=service.email,
        status=service.status,
        alert=service.alert,
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        terms=terms,
        languages=list(
            dict.fromkeys(service.languages.order_by("name").values_list("code", flat=True))
        ),
        phones=[
            PhoneData(p.number, p.description)
            for p in service.phones.filter(location__isnull=True).order_by("number")
        ],
        schedules=[
            ScheduleData(
                [d for d in s.byday.split(",") if d],
                _time_text(s.opens_at),
                _time_text(s.closes_at),
                s.description,
            )
            for s in service.schedules.order_by("byday", "opens_at")
        ],
        cost_options=[
            CostData(c.option, None if c.amount is None else str(c.amount), c.amount_description)
            for c in service.cost_options.order_by("option", "amount")
        ],
        area=area,
    )


def location_data(location: Location) -> LocationData:
    address = location.addresses.order_by("id").first()
    return LocationData(
        name=location.name,
        address_1=address.address_1 if address else "",
        postal_code=address.postal_code if address else "",
        city=address.city if address else "",
        state_province=address.state_province if address else "",
        description=location.description,
        transportation=location.transportation,
        id=str(location.id),
    )


def _schedule_text(s: ScheduleData) -> str:
    labels = dict(WEEKDAYS)
    days = ", ".join(str(labels.get(d, d)) for d in sorted(s.days, key=_weekday_index))
    hours = f"{s.opens_at}–{s.closes_at}" if s.opens_at or s.closes_at else ""
    text = " ".join(part for part in (days, hours) if part)
    return f"{text} ({s.description})" if s.description else text


def _amount_text(amount: str | None) -> str:
    if amount in (None, ""):
        return ""
    return "€ " + f"{Decimal(str(amount)):.2f}".replace(".", ",")


def _cost_text(c: CostData) -> str:
    text = ": ".join(part for part in (c.option, _amount_text(c.amount)) if part)
    return f"{text} ({c.amount_description})" if c.amount_description else text


def _area_text(area: AreaData) -> str:
    if area.kind == AreaKind.NATIONAL:
        return _("Heel Nederland")
    if area.kind == AreaKind.MUNICIPALITY:
        return _municipality_name()
    model: type[District] | type[Neighbourhood] = (
        District if area.kind == AreaKind.DISTRICTS else Neighbourhood
    )
    names = dict(
        model.objects.filter(code__in=area.codes).order_by("year").values_list("code", "name")
    )
    return ", ".join(f"{names.get(c, c)}" for c in sorted(area.codes))


def _municipality_name() -> str:
    found = (
        Municipality.objects.filter(code=settings.OMZIEN_MUNICIPALITY_CODE)
        .order_by("-year")
        .values_list("name", flat=True)
        .first()
    )
    return found or settings.OMZIEN_MUNICIPALITY_NAME


def flatten_service(data: ServiceData) -> dict[str, str]:
    """Every field as readable text, in form order: the unit of history and of review diffs."""
    status_labels = dict(ServiceStatus.choices)
    flat: dict[str, str] = {
        "name": data.name,
        "alternate_name": data.alternate_name,
        "status": str(status_labels.get(data.status, data.status)),
        "description": data.description,
        "eligibility_description": data.eligibility_description,
        "minimum_age": "" if data.minimum_age is None else str(data.minimum_age),
        "maximum_age": "" if data.maximum_age is None else str(data.maximum_age),
        "application_process": data.application_process,
        "fees_description": data.fees_description,
        "cost_options": "; ".join(_cost_text(c) for c in data.cost_options),
        "url": data.url,
        "email": data.email,
        "phones": "; ".join(
            f"{p.number} ({p.description})" if p.description else p.number for p in data.phones
        ),
        "languages": ", ".join(sorted(_LANGUAGE_NAMES.get(code, code) for code in data.languages)),
        "schedules": "; ".join(_schedule_text(s) for s in data.schedules),
        "service_areas": _area_text(data.area),
    }
    for vocabulary in SERVICE_VOCABULARIES:
        codes = data.terms.get(vocabulary.key, [])
        names = (
            TaxonomyTerm.objects.filter(taxonomy__key=vocabulary.key, code__in=codes)
            .order_by("name")
            .values_list("name", flat=True)
            if codes
            else []
        )
        flat[f"attributes.{vocabulary.key}"] = ", ".join(names)
    flat["alert"] = data.alert
    return flat


def flatten_location(data: LocationData) -> dict[str, str]:
    return {name: str(getattr(data, name) or "") for name in LOCATION_FIELD_LABELS}


def _diff(before: dict[str, str], after: dict[str, str]) -> dict[str, tuple[str, str]]:
    return {k: (before.get(k, ""), v) for k, v in after.items() if before.get(k, "") != v}


def location_label(location: Location) -> str:
    address = location.addresses.order_by("id").first()
    parts = [location.name, f"{address.address_1}, {address.city}" if address else ""]
    return " – ".join(p for p in parts if p) or str(location.id)


def _locations_text(service: Service) -> str:
    return "; ".join(
        sorted(
            location_label(sal.location)
            for sal in service.service_at_locations.select_related("location")
        )
    )
