"""Writes to the sociale kaart: providers keep their services current, the municipality reviews.

Every write here runs in one transaction, appends an `AuditEvent`, keeps a row per changed field
in HSDS `Metadata` (the history providers and reviewers read) and asks search to reindex.
E-mail goes through the task queue once the transaction has committed.

The data a provider edits travels as `ServiceData` / `LocationData`: plain, JSON-safe values.
The same value is what a `ChangeRequest` stores as its payload, so an approved proposal is
applied by exactly the function a trusted provider's edit goes through.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omzien.accounts.models import Membership, User
from omzien.accounts.permissions import has_capability
from omzien.accounts.roles import Capability, Role
from omzien.areas.models import District, Municipality, Neighbourhood
from omzien.areas.services import neighbourhood_for_postcode
from omzien.audit.services import record_event
from omzien.core.links import absolute_url
from omzien.core.tasks import send_email
from omzien.directory import geocoding, search
from omzien.directory.models import (
    Address,
    Attribute,
    ChangeRequest,
    CostOption,
    ErrorReport,
    Language,
    Location,
    Metadata,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceScope,
    ServiceStatus,
    TaxonomyTerm,
)
from omzien.directory.vocabularies import VOCABULARIES, Vocabulary

logger = logging.getLogger(__name__)

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


_SCOPE_FOR_AREA = {
    AreaKind.NATIONAL: ServiceScope.NATIONAL,
    AreaKind.MUNICIPALITY: ServiceScope.MUNICIPALITY,
    AreaKind.DISTRICTS: ServiceScope.DISTRICT,
    AreaKind.NEIGHBOURHOODS: ServiceScope.NEIGHBOURHOOD,
}


class ChangeKind(StrEnum):
    SERVICE = "service"
    LOCATION = "location"
    LOCATION_REMOVAL = "location_removal"


class ChangeRequestClosed(Exception):
    """The proposal was already approved or rejected (for instance by another reviewer)."""


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


# --- Small helpers ------------------------------------------------------------------------


def _reindex(ids: Sequence[Any]) -> None:
    """Ask search to reindex these services once the transaction commits."""
    search.schedule_reindex(list(ids))


def _log_changes(
    resource_type: str,
    resource_id: Any,
    action: str,
    changes: dict[str, tuple[str, str]],
    author: User,
    when: datetime.datetime,
) -> None:
    """One HSDS metadata row per changed field: the history is appended, never edited."""
    Metadata.objects.bulk_create(
        Metadata(
            resource_id=resource_id,
            resource_type=resource_type,
            last_action_date=when,
            last_action_type=action,
            field_name=name,
            previous_value=old,
            replacement_value=new,
            updated_by=author.email,
        )
        for name, (old, new) in changes.items()
    )


def _audit(
    action: str,
    *,
    actor: User,
    obj: Any,
    request: HttpRequest | None,
    organization: Organization | None,
    details: dict[str, Any] | None = None,
) -> None:
    record_event(
        action,
        request=request,
        actor=actor,
        obj=obj,
        organisation=organization.owner if organization is not None else None,
        details=details,
    )


def _queue_email(subject: str, body: str, recipients: Iterable[str]) -> None:
    to = sorted({r.strip().lower() for r in recipients if r and r.strip()})
    if not to:
        return
    subject, body = str(subject), str(body)
    transaction.on_commit(lambda: send_email.enqueue(subject, body, to))


def provider_recipients(organization: Organization | None) -> list[str]:
    """Who hears about a provider's services: its editors and its general e-mail address."""
    if organization is None:
        return []
    recipients: set[str] = set()
    if organization.owner_id is not None:
        recipients.update(
            Membership.objects.filter(
                organisation_id=organization.owner_id,
                organisation__is_active=True,
                role=Role.PROVIDER_EDITOR,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    if organization.email:
        recipients.add(organization.email)
    return sorted(r.lower() for r in recipients if r)


def unique_slug(name: str) -> str:
    """A slug from the name; on a collision a short random suffix keeps it unique and readable."""
    base = slugify(name)[:100].strip("-") or "dienst"
    slug = base
    while Service.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(2)}"
    return slug


def changes_go_live(user: User, organization: Organization | None) -> bool:
    """Trusted providers and the municipality's own editors publish at once; others are reviewed.

    A service without a provider is the municipality's own: only its editors reach it.
    """
    if organization is None:
        return True
    return organization.is_trusted or has_capability(user, Capability.REVIEW_DIRECTORY)


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


# --- Writing a service's parts --------------------------------------------------------------


def _set_scalars(service: Service, data: ServiceData) -> None:
    service.name = data.name
    service.alternate_name = data.alternate_name
    service.description = data.description
    service.eligibility_description = data.eligibility_description
    service.application_process = data.application_process
    service.fees_description = data.fees_description
    service.url = data.url
    service.email = data.email
    service.status = data.status
    service.alert = data.alert
    service.minimum_age = data.minimum_age
    service.maximum_age = data.maximum_age
    service.scope = _SCOPE_FOR_AREA.get(AreaKind(data.area.kind), ServiceScope.MUNICIPALITY)


def _write_terms(service: Service, key: str, codes: list[str]) -> None:
    vocabulary = _VOCABULARY_BY_KEY[key]
    Attribute.objects.filter(service=service, taxonomy_term__taxonomy__key=key).delete()
    terms = TaxonomyTerm.objects.filter(taxonomy__key=key, code__in=codes)
    Attribute.objects.bulk_create(
        Attribute(
            link_id=service.id,
            link_entity="service",
            link_type=vocabulary.link_type,
            taxonomy_term=term,
            service=service,
        )
        for term in terms
    )


def _parse_time(value: str) -> datetime.time | None:
    return datetime.time.fromisoformat(value) if value else None


def _parse_amount(value: str | None) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _write_areas(service: Service, area: AreaData) -> None:
    service.service_areas.all().delete()
    rows: list[ServiceArea] = []
    if area.kind == AreaKind.NATIONAL:
        rows.append(ServiceArea(service=service, name=_("Heel Nederland"), area_code="NL"))
    elif area.kind == AreaKind.MUNICIPALITY:
        rows.append(
            ServiceArea(
                service=service,
                name=_municipality_name(),
                area_code=settings.OMZIEN_MUNICIPALITY_CODE,
            )
        )
    else:
        model: type[District] | type[Neighbourhood] = (
            District if area.kind == AreaKind.DISTRICTS else Neighbourhood
        )
        names = dict(
            model.objects.filter(code__in=area.codes).order_by("year").values_list("code", "name")
        )
        rows.extend(
            ServiceArea(service=service, name=names.get(code, code), area_code=code)
            for code in sorted(set(area.codes))
        )
    ServiceArea.objects.bulk_create(rows)


def _write_children(service: Service, data: ServiceData, groups: set[str]) -> None:
    """Replace the child rows of the groups that changed; the others keep their ids."""
    if "phones" in groups:
        Phone.objects.filter(service=service, location__isnull=True).delete()
        Phone.objects.bulk_create(
            Phone(service=service, number=p.number, description=p.description, type="voice")
            for p in data.phones
        )
    if "languages" in groups:
        Language.objects.filter(service=service).delete()
        Language.objects.bulk_create(
            Language(service=service, code=code, name=_LANGUAGE_NAMES.get(code, code))
            for code in data.languages
        )
    if "schedules" in groups:
        Schedule.objects.filter(service=service).delete()
        Schedule.objects.bulk_create(
            Schedule(
                service=service,
                freq=Schedule.Freq.WEEKLY,
                wkst="MO",
                byday=",".join(sorted(s.days, key=_weekday_index)),
                opens_at=_parse_time(s.opens_at),
                closes_at=_parse_time(s.closes_at),
                description=s.description,
            )
            for s in data.schedules
        )
    if "cost_options" in groups:
        CostOption.objects.filter(service=service).delete()
        CostOption.objects.bulk_create(
            CostOption(
                service=service,
                option=c.option,
                amount=_parse_amount(c.amount),
                amount_description=c.amount_description,
            )
            for c in data.cost_options
        )
    if "service_areas" in groups:
        _write_areas(service, data.area)
    for vocabulary in SERVICE_VOCABULARIES:
        if f"attributes.{vocabulary.key}" in groups:
            _write_terms(service, vocabulary.key, data.terms.get(vocabulary.key, []))


_CHILD_GROUPS = {"phones", "languages", "schedules", "cost_options", "service_areas"} | {
    f"attributes.{v.key}" for v in SERVICE_VOCABULARIES
}


def _assure(service: Service, author: User, today: datetime.date) -> dict[str, tuple[str, str]]:
    before = (str(service.assured_date or ""), service.assurer_email)
    service.assured_date = today
    service.assurer_email = author.email
    changes = {}
    if before[0] != str(today):
        changes["assured_date"] = (before[0], str(today))
    if before[1] != author.email:
        changes["assurer_email"] = (before[1], author.email)
    return changes


# --- Services: live writes -------------------------------------------------------------------


def create_service(
    organization: Organization,
    data: ServiceData,
    author: User,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
    assure: bool = True,
) -> Service:
    """Put a new service on the kaart at once. `author` wrote it; `actor` (default the author)
    is who made it go live, e.g. the reviewer who approved it."""
    now = timezone.now()
    with transaction.atomic():
        service = Service(
            organization=organization,
            slug=unique_slug(data.name),
            created_at=now,
            last_modified=now,
        )
        _set_scalars(service, data)
        if assure:
            _assure(service, author, timezone.localdate())
        service.save()
        _write_children(service, data, _CHILD_GROUPS)
        _log_changes(
            "service",
            service.id,
            "create",
            {k: ("", v) for k, v in flatten_service(data).items() if v},
            author,
            now,
        )
        for location in data.locations or []:
            _add_location(service, location, author, now)
        _audit(
            "directory.service.create",
            actor=actor or author,
            obj=service,
            request=request,
            organization=organization,
        )
        _reindex([service.id])
    return service


def update_service(
    service: Service,
    data: ServiceData,
    author: User,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
    assure: bool = True,
) -> list[str]:
    """Apply an edit live; returns the names of the fields that changed.

    Saving counts as checking the service (`assure`): the provider has just looked at all of it.
    """
    now = timezone.now()
    with transaction.atomic():
        # Lock the row so two editors saving at once are applied one after the other.
        locked = Service.objects.select_for_update().get(pk=service.pk)
        changes = _diff(flatten_service(service_data(locked)), flatten_service(data))
        if changes:
            _set_scalars(locked, data)
            locked.last_modified = now
            _write_children(locked, data, set(changes) & _CHILD_GROUPS)
            _log_changes("service", locked.id, "update", changes, author, now)
        if data.locations is not None:
            _sync_locations(locked, data.locations, author, now)
        assured = _assure(locked, author, timezone.localdate()) if assure else {}
        if assured:
            _log_changes("service", locked.id, "verify", assured, author, now)
        locked.save()
        _audit(
            "directory.service.update",
            actor=actor or author,
            obj=locked,
            request=request,
            organization=locked.organization,
            details={"fields": sorted(changes)},
        )
        _reindex([locked.id])
    service.refresh_from_db()
    return sorted(changes)


def verify_service(service: Service, user: User, *, request: HttpRequest | None = None) -> Service:
    """ "Still correct": sets assured_date to today and the checker's e-mail address."""
    now = timezone.now()
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        changes = _assure(locked, user, timezone.localdate())
        locked.save(update_fields=["assured_date", "assurer_email"])
        # A row even when it was checked earlier today: the history shows every confirmation.
        _log_changes(
            "service",
            locked.id,
            "verify",
            changes or {"assured_date": (str(locked.assured_date), str(locked.assured_date))},
            user,
            now,
        )
        _audit(
            "directory.service.verify",
            actor=user,
            obj=locked,
            request=request,
            organization=locked.organization,
        )
        _reindex([locked.id])
    service.refresh_from_db()
    return service


# --- Locations: live writes ----------------------------------------------------------------


def _write_address(location: Location, data: LocationData) -> Address:
    address = location.addresses.order_by("id").first() or Address(location=location)
    address.address_1 = data.address_1
    address.postal_code = data.postal_code
    address.city = data.city
    address.state_province = data.state_province
    address.country = "NL"
    address.address_type = Address.AddressType.PHYSICAL
    address.save()
    return address


def _add_location(
    service: Service, data: LocationData, author: User, now: datetime.datetime
) -> Location:
    before = _locations_text(service)
    location = Location.objects.create(
        organization=service.organization,
        location_type=Location.LocationType.PHYSICAL,
        name=data.name,
        description=data.description,
        transportation=data.transportation,
        # The CBS neighbourhood, so district filters find the service; coordinates come later.
        neighbourhood=neighbourhood_for_postcode(data.postal_code) if data.postal_code else None,
    )
    address = _write_address(location, data)
    ServiceAtLocation.objects.create(service=service, location=location)
    geocoding.geocode_later(location)
    flat = flatten_location(data)
    _log_changes(
        "location",
        location.id,
        "create",
        {k: ("", flat[k]) for k in ("name", "description", "transportation") if flat[k]},
        author,
        now,
    )
    _log_changes(
        "address",
        address.id,
        "create",
        {
            k: ("", flat[k])
            for k in ("address_1", "postal_code", "city", "state_province")
            if flat[k]
        },
        author,
        now,
    )
    _log_changes(
        "service",
        service.id,
        "update",
        {"service_at_locations": (before, _locations_text(service))},
        author,
        now,
    )
    return location


def _update_location(
    service: Service, location: Location, data: LocationData, author: User, now: datetime.datetime
) -> list[str]:
    changes = _diff(flatten_location(location_data(location)), flatten_location(data))
    if not changes:
        return []
    before_labels = _locations_text(service)
    location.name = data.name
    location.description = data.description
    location.transportation = data.transportation
    if "postal_code" in changes:
        location.neighbourhood = (
            neighbourhood_for_postcode(data.postal_code) if data.postal_code else None
        )
    location.save()
    address = _write_address(location, data)
    if "postal_code" in changes or location.latitude is None:
        geocoding.geocode_later(location)
    location_fields = {"name", "description", "transportation"}
    _log_changes(
        "location",
        location.id,
        "update",
        {k: v for k, v in changes.items() if k in location_fields},
        author,
        now,
    )
    _log_changes(
        "address",
        address.id,
        "update",
        {k: v for k, v in changes.items() if k not in location_fields},
        author,
        now,
    )
    after_labels = _locations_text(service)
    if before_labels != after_labels:
        _log_changes(
            "service",
            service.id,
            "update",
            {"service_at_locations": (before_labels, after_labels)},
            author,
            now,
        )
    return sorted(changes)


def _remove_location(
    service: Service, location: Location, author: User, now: datetime.datetime
) -> None:
    before = _locations_text(service)
    ServiceAtLocation.objects.filter(service=service, location=location).delete()
    # A place other services still use stays; one that only this service used goes.
    if not location.service_at_locations.exists():
        flat = flatten_location(location_data(location))
        _log_changes(
            "location",
            location.id,
            "delete",
            {k: (v, "") for k, v in flat.items() if v},
            author,
            now,
        )
        location.delete()
    _log_changes(
        "service",
        service.id,
        "update",
        {"service_at_locations": (before, _locations_text(service))},
        author,
        now,
    )


def _sync_locations(
    service: Service, wanted: list[LocationData], author: User, now: datetime.datetime
) -> None:
    current = {
        str(sal.location_id): sal.location
        for sal in service.service_at_locations.select_related("location")
    }
    keep = {item.id for item in wanted if item.id}
    for location_id, location in current.items():
        if location_id not in keep:
            _remove_location(service, location, author, now)
    for item in wanted:
        if item.id and item.id in current:
            _update_location(service, current[item.id], item, author, now)
        else:
            _add_location(service, item, author, now)


def _linked_location(service: Service, location_id: str | None) -> Location | None:
    if not location_id:
        return None
    return Location.objects.filter(id=location_id, service_at_locations__service=service).first()


def add_location(
    service: Service,
    data: LocationData,
    author: User,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Location:
    with transaction.atomic():
        location = _add_location(service, data, author, timezone.now())
        _touch(service)
        _audit(
            "directory.location.create",
            actor=actor or author,
            obj=location,
            request=request,
            organization=service.organization,
            details={"service": str(service.id)},
        )
        _reindex([service.id])
    return location


def update_location(
    service: Service,
    location: Location,
    data: LocationData,
    author: User,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> list[str]:
    with transaction.atomic():
        changed = _update_location(service, location, data, author, timezone.now())
        if changed:
            _touch(service)
        _audit(
            "directory.location.update",
            actor=actor or author,
            obj=location,
            request=request,
            organization=service.organization,
            details={"service": str(service.id), "fields": changed},
        )
        _reindex([service.id])
    return changed


def remove_location(
    service: Service,
    location: Location,
    author: User,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> None:
    location_id = str(location.id)
    with transaction.atomic():
        _remove_location(service, location, author, timezone.now())
        _touch(service)
        record_event(
            "directory.location.remove",
            request=request,
            actor=actor or author,
            object_type="directory.location",
            object_id=location_id,
            organisation=service.organization.owner if service.organization else None,
            details={"service": str(service.id)},
        )
        _reindex([service.id])


def _touch(service: Service) -> None:
    service.last_modified = timezone.now()
    service.save(update_fields=["last_modified"])


# --- Review: proposals by providers that are not (yet) trusted ------------------------------


def submit_change(
    user: User,
    organization: Organization,
    kind: ChangeKind,
    data: dict[str, Any],
    *,
    service: Service | None = None,
    location_id: str | None = None,
    request: HttpRequest | None = None,
) -> ChangeRequest:
    """Put a proposal in the review queue; nothing changes on the kaart until it is approved.

    A second proposal for the same thing before review replaces the first, so reviewers judge
    one up-to-date version.
    """
    payload = {"kind": kind.value, "location_id": location_id, "data": data}
    with transaction.atomic():
        pending = None
        if service is not None:
            pending = (
                ChangeRequest.objects.select_for_update()
                .filter(
                    service=service,
                    status=ChangeRequest.Status.PENDING,
                    payload__kind=kind.value,
                    payload__location_id=location_id,
                )
                .first()
            )
        if pending is not None:
            pending.payload = payload
            pending.submitted_by = user
            pending.submitted_at = timezone.now()
            pending.save(update_fields=["payload", "submitted_by", "submitted_at"])
            change_request = pending
        else:
            change_request = ChangeRequest.objects.create(
                service=service, organization=organization, payload=payload, submitted_by=user
            )
        _audit(
            "directory.change_request.submit",
            actor=user,
            obj=change_request,
            request=request,
            organization=organization,
            details={"kind": kind.value, "service": str(service.id) if service else ""},
        )
    return change_request


def pending_change(
    service: Service, kind: ChangeKind, location_id: str | None = None
) -> ChangeRequest | None:
    return (
        ChangeRequest.objects.filter(
            service=service,
            status=ChangeRequest.Status.PENDING,
            payload__kind=kind.value,
            payload__location_id=location_id,
        )
        .order_by("-submitted_at")
        .first()
    )


def save_service(
    *,
    user: User,
    organization: Organization | None,
    data: ServiceData,
    service: Service | None = None,
    request: HttpRequest | None = None,
) -> SaveResult:
    """A provider's edit: live at once for trusted providers, otherwise into the review queue."""
    if changes_go_live(user, organization):
        if service is None:
            if organization is None:
                raise ValueError("a new service needs an organization")
            return SaveResult(service=create_service(organization, data, user, request=request))
        update_service(service, data, user, request=request)
        return SaveResult(service=service)
    assert organization is not None  # changes_go_live is True without one
    change_request = submit_change(
        user, organization, ChangeKind.SERVICE, data.to_payload(), service=service, request=request
    )
    return SaveResult(service=service, change_request=change_request)


def save_location(
    *,
    user: User,
    service: Service,
    data: LocationData,
    location: Location | None = None,
    request: HttpRequest | None = None,
) -> SaveResult:
    organization = service.organization
    if changes_go_live(user, organization):
        if location is None:
            add_location(service, data, user, request=request)
        else:
            update_location(service, location, data, user, request=request)
        return SaveResult(service=service)
    assert organization is not None  # changes_go_live is True without one
    payload = dataclasses.replace(data, id=str(location.id) if location else None).to_payload()
    change_request = submit_change(
        user,
        organization,
        ChangeKind.LOCATION,
        payload,
        service=service,
        location_id=str(location.id) if location else None,
        request=request,
    )
    return SaveResult(service=service, change_request=change_request)


def unlink_location(
    *,
    user: User,
    service: Service,
    location: Location,
    request: HttpRequest | None = None,
) -> SaveResult:
    organization = service.organization
    if changes_go_live(user, organization):
        remove_location(service, location, user, request=request)
        return SaveResult(service=service)
    assert organization is not None  # changes_go_live is True without one
    change_request = submit_change(
        user,
        organization,
        ChangeKind.LOCATION_REMOVAL,
        {"name": location_label(location)},
        service=service,
        location_id=str(location.id),
        request=request,
    )
    return SaveResult(service=service, change_request=change_request)


def change_request_kind(change_request: ChangeRequest) -> ChangeKind:
    return ChangeKind(change_request.payload.get("kind", ChangeKind.SERVICE.value))


def describe_change_request(change_request: ChangeRequest) -> list[FieldChange]:
    """Field by field, what the kaart says now and what the provider proposes."""
    kind = change_request_kind(change_request)
    data = change_request.payload.get("data", {})
    service = change_request.service
    if kind == ChangeKind.SERVICE:
        before = flatten_service(service_data(service)) if service else {}
        after = flatten_service(ServiceData.from_payload(data))
        labels: dict[str, Promise] = SERVICE_FIELD_LABELS
    else:
        location = (
            _linked_location(service, change_request.payload.get("location_id"))
            if service
            else None
        )
        before = flatten_location(location_data(location)) if location else {}
        if kind == ChangeKind.LOCATION_REMOVAL:
            after = {k: "" for k in before}
        else:
            after = flatten_location(LocationData.from_payload(data))
        labels = LOCATION_FIELD_LABELS
    return [
        FieldChange(name, str(labels.get(name, name)), old, new)
        for name, (old, new) in _diff(before, after).items()
    ]


def _lock_pending(change_request: ChangeRequest) -> ChangeRequest:
    locked = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if locked.status != ChangeRequest.Status.PENDING:
        raise ChangeRequestClosed
    return locked


def approve_change_request(
    change_request: ChangeRequest, reviewer: User, *, request: HttpRequest | None = None
) -> ChangeRequest:
    """Apply the proposal through the same functions as a trusted edit, and record the review.

    The history names the provider who wrote the change; the review names who approved it.
    """
    with transaction.atomic():
        locked = _lock_pending(change_request)
        author = locked.submitted_by
        kind = change_request_kind(locked)
        data = locked.payload.get("data", {})
        service = locked.service
        if kind == ChangeKind.SERVICE:
            service_value = ServiceData.from_payload(data)
            if service is None:
                locked.service = create_service(
                    locked.organization, service_value, author, actor=reviewer, request=request
                )
            else:
                update_service(service, service_value, author, actor=reviewer, request=request)
        elif service is not None:
            location = _linked_location(service, locked.payload.get("location_id"))
            if kind == ChangeKind.LOCATION_REMOVAL:
                if location is not None:
                    remove_location(service, location, author, actor=reviewer, request=request)
            elif location is None:
                add_location(
                    service,
                    LocationData.from_payload(data),
                    author,
                    actor=reviewer,
                    request=request,
                )
            else:
                update_location(
                    service,
                    location,
                    LocationData.from_payload(data),
                    author,
                    actor=reviewer,
                    request=request,
                )
        locked.status = ChangeRequest.Status.APPROVED
        locked.reviewed_by = reviewer
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["service", "status", "reviewed_by", "reviewed_at"])
        _audit(
            "directory.change_request.approve",
            actor=reviewer,
            obj=locked,
            request=request,
            organization=locked.organization,
            details={"kind": kind.value},
        )
        _notify_outcome(locked)
    change_request.refresh_from_db()
    return change_request


def reject_change_request(
    change_request: ChangeRequest,
    reviewer: User,
    reason: str,
    *,
    request: HttpRequest | None = None,
) -> ChangeRequest:
    """Decline the proposal with a reason the provider reads; the kaart stays as it was."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a rejection needs a reason")
    with transaction.atomic():
        locked = _lock_pending(change_request)
        locked.status = ChangeRequest.Status.REJECTED
        locked.reviewed_by = reviewer
        locked.reviewed_at = timezone.now()
        locked.review_note = reason
        locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        _audit(
            "directory.change_request.reject",
            actor=reviewer,
            obj=locked,
            request=request,
            organization=locked.organization,
            details={"kind": change_request_kind(locked).value},
        )
        _notify_outcome(locked)
    change_request.refresh_from_db()
    return change_request


def change_request_title(change_request: ChangeRequest) -> str:
    kind = change_request_kind(change_request)
    data = change_request.payload.get("data", {})
    service_name = change_request.service.name if change_request.service else data.get("name", "")
    if kind == ChangeKind.SERVICE:
        if change_request.service is None:
            return _("Nieuwe dienst: %(name)s") % {"name": service_name}
        return _("Wijziging van %(name)s") % {"name": service_name}
    if kind == ChangeKind.LOCATION_REMOVAL:
        return _("Locatie weghalen bij %(name)s") % {"name": service_name}
    if change_request.payload.get("location_id"):
        return _("Locatie wijzigen bij %(name)s") % {"name": service_name}
    return _("Nieuwe locatie bij %(name)s") % {"name": service_name}


def _notify_outcome(change_request: ChangeRequest) -> None:
    """Tell the provider's editor who proposed the change how it was judged."""
    body = render_to_string(
        "directory/manage/email/change_request_outcome.txt",
        {
            "title": change_request_title(change_request),
            "approved": change_request.status == ChangeRequest.Status.APPROVED,
            "note": change_request.review_note,
            "dashboard_url": absolute_url(reverse("directory_manage:dashboard")),
        },
    )
    if change_request.status == ChangeRequest.Status.APPROVED:
        subject = _("Uw wijziging staat op de sociale kaart")
    else:
        subject = _("Uw wijziging is niet overgenomen")
    _queue_email(subject, body, [change_request.submitted_by.email])


# --- Trust ------------------------------------------------------------------------------------


def set_organization_trust(
    organization: Organization,
    trusted: bool,
    user: User,
    *,
    request: HttpRequest | None = None,
) -> Organization:
    """Trusted providers' edits go live without review; administrators decide."""
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        if locked.is_trusted != trusted:
            _log_changes(
                "organization",
                locked.id,
                "update",
                {"is_trusted": (str(locked.is_trusted), str(trusted))},
                user,
                timezone.now(),
            )
            locked.is_trusted = trusted
            locked.save(update_fields=["is_trusted"])
        _audit(
            "directory.organization.trust",
            actor=user,
            obj=locked,
            request=request,
            organization=locked,
            details={"trusted": trusted},
        )
    organization.refresh_from_db()
    return organization


# --- Error reports ("report an error on this page") -----------------------------------------


def notify_error_report(report: ErrorReport) -> list[str]:
    """Queue an e-mail to the provider's editors and address about a new error report.

    The e-mail names the service and links to the inbox; it carries nothing of the reporter
    (not the message, which may hold personal details, nor their e-mail address).
    Returns the recipients (empty when the provider has no one to tell).
    """
    service = report.service
    recipients = provider_recipients(service.organization)
    body = render_to_string(
        "directory/manage/email/error_report.txt",
        {
            "service_name": service.name,
            "inbox_url": absolute_url(reverse("directory_manage:error_reports")),
        },
    )
    _queue_email(_("Iemand meldt een fout bij %(name)s") % {"name": service.name}, body, recipients)
    return recipients


def report_error(
    service: Service,
    message: str,
    reporter_email: str = "",
    *,
    request: HttpRequest | None = None,
) -> ErrorReport:
    """Store a resident's error report and tell the provider (for the public form)."""
    with transaction.atomic():
        report = ErrorReport.objects.create(
            service=service, message=message.strip(), reporter_email=reporter_email.strip()
        )
        record_event(
            "directory.error_report.create",
            request=request,
            obj=report,
            organisation=service.organization.owner if service.organization else None,
            details={"service": str(service.id)},
        )
        notify_error_report(report)
    return report


def resolve_error_report(
    report: ErrorReport, user: User, *, request: HttpRequest | None = None
) -> ErrorReport:
    """Mark the report handled and forget the reporter's e-mail address: it was only for asking
    back."""
    with transaction.atomic():
        locked = ErrorReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != ErrorReport.Status.RESOLVED:
            locked.status = ErrorReport.Status.RESOLVED
            locked.resolved_at = timezone.now()
        locked.reporter_email = ""
        locked.save(update_fields=["status", "resolved_at", "reporter_email"])
        record_event(
            "directory.error_report.resolve",
            request=request,
            actor=user,
            obj=locked,
            organisation=(
                locked.service.organization.owner if locked.service.organization else None
            ),
            details={"service": str(locked.service_id)},
        )
    report.refresh_from_db()
    return report


# --- Reminders for services nobody has checked for a long time -----------------------------

REMINDER_INTERVAL = datetime.timedelta(days=30)


@dataclass(frozen=True)
class ReminderResult:
    organizations: int
    services: int


def stale_services_due_for_reminder(now: datetime.datetime | None = None) -> QuerySet[Service]:
    """Live services not checked for OMZIEN_STALE_AFTER_DAYS whose last reminder is 30+ days old."""
    now = now or timezone.now()
    cutoff = timezone.localdate(now) - datetime.timedelta(days=settings.OMZIEN_STALE_AFTER_DAYS)
    return (
        Service.objects.filter(organization__isnull=False, is_published=True)
        .exclude(status=ServiceStatus.DEFUNCT)
        .filter(Q(assured_date__isnull=True) | Q(assured_date__lt=cutoff))
        .filter(
            Q(verification_reminder_sent_at__isnull=True)
            | Q(verification_reminder_sent_at__lte=now - REMINDER_INTERVAL)
        )
    )


def remind_stale_services(now: datetime.datetime | None = None) -> ReminderResult:
    """One e-mail per provider listing its services to check; safe to run as often as wanted.

    Marking `verification_reminder_sent_at` in the same transaction as queueing the e-mail is
    what makes a second run send nothing. Providers without anyone to e-mail are left unmarked,
    so they are reminded once someone is added.
    """
    now = now or timezone.now()
    organizations = services = 0
    with transaction.atomic():
        due = list(
            stale_services_due_for_reminder(now)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("organization_id", "name")
        )
        by_organization: dict[Any, list[Service]] = {}
        for service in due:
            by_organization.setdefault(service.organization_id, []).append(service)
        for organization in Organization.objects.filter(id__in=by_organization):
            recipients = provider_recipients(organization)
            if not recipients:
                continue
            listed = by_organization[organization.id]
            body = render_to_string(
                "directory/manage/email/stale_reminder.txt",
                {
                    "organization": organization.name,
                    "services": [s.name for s in listed],
                    "days": settings.OMZIEN_STALE_AFTER_DAYS,
                    "dashboard_url": absolute_url(reverse("directory_manage:dashboard")),
                },
            )
            _queue_email(_("Klopt uw aanbod op de sociale kaart nog?"), body, recipients)
            Service.objects.filter(id__in=[s.id for s in listed]).update(
                verification_reminder_sent_at=now
            )
            record_event(
                "directory.service.remind",
                object_type="directory.organization",
                object_id=str(organization.id),
                organisation=organization.owner,
                details={"services": len(listed)},
            )
            organizations += 1
            services += len(listed)
    return ReminderResult(organizations=organizations, services=services)
