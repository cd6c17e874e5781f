"""Open Referral HSDS 3.1 <-> our directory models: pure functions, both directions.

One table, `ENTITIES`, says for every HSDS object which model holds it, how each field is typed
and which objects nest in it. Both directions read it, so what is exported can be imported
again unchanged:

- model -> HSDS: `service_to_hsds()`, `organization_to_hsds()`, `location_to_hsds()`, ...
  They read related objects through `.all()`, so callers prefetch (see `interop.selectors`).
  Empty optional fields are left out: HSDS types them as plain strings or numbers, where
  `null` is not allowed and `""` is not a valid e-mail address or date.
- HSDS -> model: `flatten()` turns a nested document into flat records (one per object, with
  the links the nesting implies), and `to_model_values()` checks and converts one record into
  model field values, with the problems it found (see hsds_import.py for the policy).

Internal fields (slug, scope, owner, is_published, is_trusted, area_code, created_at,
verification_reminder_sent_at, Attribute.service) never appear in HSDS output: they are not
in the table. Our own characteristics are ordinary HSDS attributes with taxonomy terms.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.translation import gettext as _

from omzien.core.weblinks import is_web_url
from omzien.directory import models as m
from omzien.interop.hsds_schemas import load_schema

HSDS_VERSION = "3.1"


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"  # a JSON number that must be a whole number
    DECIMAL = "decimal"
    FLOAT = "float"
    NUMBER_TEXT = "number_text"  # a JSON number we keep as text (phone extension)
    DATE = "date"
    TIME = "time"
    DATETIME = "datetime"
    LINK = "link"  # the id of another object ("service_id")


@dataclass(frozen=True)
class Field:
    name: str  # the HSDS field name
    kind: Kind = Kind.TEXT
    target: str = ""  # for links: the entity the id points to
    attr: str = ""  # the model attribute when it differs from the name

    @property
    def model_attr(self) -> str:
        return self.attr or self.name


@dataclass(frozen=True)
class Child:
    """An array of objects nested in this one, each linked back through `link`."""

    key: str
    entity: str
    link: str


@dataclass(frozen=True)
class Nested:
    """One object nested in this one, whose id this one holds in `link`."""

    key: str
    entity: str
    link: str


@dataclass(frozen=True)
class Entity:
    name: str
    model: type[models.Model]
    table: str  # the CSV file of the tabular format, without ".csv"
    fields: tuple[Field, ...]
    children: tuple[Child, ...] = ()
    nested: tuple[Nested, ...] = ()
    # Can carry HSDS attributes (taxonomy terms) linked by id.
    has_attributes: bool = True

    @property
    def links(self) -> tuple[Field, ...]:
        return _links(self.name)

    def field(self, name: str) -> Field | None:
        return _field_index(self.name).get(name)


def _link(name: str, target: str, attr: str = "") -> Field:
    return Field(name, Kind.LINK, target, attr)


_T = Kind.TEXT
ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in (
        Entity(
            "organization",
            m.Organization,
            "organizations",
            (
                _link("id", "organization"),
                Field("name"),
                Field("alternate_name"),
                Field("description"),
                Field("email"),
                Field("website"),
                Field("tax_status"),
                Field("tax_id"),
                Field("year_incorporated", Kind.INT),
                Field("legal_status"),
                Field("logo"),
                Field("uri"),
                _link("parent_organization_id", "organization"),
            ),
            children=(
                Child("additional_websites", "url", "organization_id"),
                Child("funding", "funding", "organization_id"),
                Child("contacts", "contact", "organization_id"),
                Child("phones", "phone", "organization_id"),
                Child("locations", "location", "organization_id"),
                Child("programs", "program", "organization_id"),
                Child("organization_identifiers", "organization_identifier", "organization_id"),
                Child("services", "service", "organization_id"),
            ),
        ),
        Entity(
            "organization_identifier",
            m.OrganizationIdentifier,
            "organization_identifiers",
            (
                _link("id", "organization_identifier"),
                _link("organization_id", "organization"),
                Field("identifier_scheme"),
                Field("identifier_type"),
                Field("identifier"),
            ),
        ),
        Entity(
            "program",
            m.Program,
            "programs",
            (
                _link("id", "program"),
                _link("organization_id", "organization"),
                Field("name"),
                Field("alternate_name"),
                Field("description"),
            ),
        ),
        Entity(
            "service",
            m.Service,
            "services",
            (
                _link("id", "service"),
                _link("organization_id", "organization"),
                _link("program_id", "program"),
                Field("name"),
                Field("alternate_name"),
                Field("description"),
                Field("url"),
                Field("email"),
                Field("status"),
                Field("interpretation_services"),
                Field("application_process"),
                Field("fees_description"),
                Field("wait_time"),
                Field("fees"),
                Field("accreditations"),
                Field("eligibility_description"),
                Field("minimum_age", Kind.INT),
                Field("maximum_age", Kind.INT),
                Field("assured_date", Kind.DATE),
                Field("assurer_email"),
                Field("licenses"),
                Field("alert"),
                Field("last_modified", Kind.DATETIME),
            ),
            children=(
                Child("additional_urls", "url", "service_id"),
                Child("phones", "phone", "service_id"),
                Child("schedules", "schedule", "service_id"),
                Child("service_areas", "service_area", "service_id"),
                Child("service_at_locations", "service_at_location", "service_id"),
                Child("languages", "language", "service_id"),
                Child("funding", "funding", "service_id"),
                Child("cost_options", "cost_option", "service_id"),
                Child("required_documents", "required_document", "service_id"),
                Child("contacts", "contact", "service_id"),
                Child("capacities", "service_capacity", "service_id"),
            ),
            nested=(
                Nested("organization", "organization", "organization_id"),
                Nested("program", "program", "program_id"),
            ),
        ),
        Entity(
            "service_at_location",
            m.ServiceAtLocation,
            "service_at_location",
            (
                _link("id", "service_at_location"),
                _link("service_id", "service"),
                _link("location_id", "location"),
                Field("description"),
            ),
            children=(
                Child("service_areas", "service_area", "service_at_location_id"),
                Child("contacts", "contact", "service_at_location_id"),
                Child("phones", "phone", "service_at_location_id"),
                Child("schedules", "schedule", "service_at_location_id"),
            ),
            nested=(
                Nested("location", "location", "location_id"),
                Nested("service", "service", "service_id"),
            ),
        ),
        Entity(
            "location",
            m.Location,
            "locations",
            (
                _link("id", "location"),
                Field("location_type"),
                Field("url"),
                _link("organization_id", "organization"),
                Field("name"),
                Field("alternate_name"),
                Field("description"),
                Field("transportation"),
                Field("latitude", Kind.FLOAT),
                Field("longitude", Kind.FLOAT),
                Field("external_identifier"),
                Field("external_identifier_type"),
            ),
            children=(
                Child("languages", "language", "location_id"),
                Child("addresses", "address", "location_id"),
                Child("contacts", "contact", "location_id"),
                Child("accessibility", "accessibility", "location_id"),
                Child("phones", "phone", "location_id"),
                Child("schedules", "schedule", "location_id"),
            ),
        ),
        Entity(
            "address",
            m.Address,
            "addresses",
            (
                _link("id", "address"),
                _link("location_id", "location"),
                Field("attention"),
                Field("address_1"),
                Field("address_2"),
                Field("city"),
                Field("region"),
                Field("state_province"),
                Field("postal_code"),
                Field("country"),
                Field("address_type"),
            ),
        ),
        Entity(
            "contact",
            m.Contact,
            "contacts",
            (
                _link("id", "contact"),
                _link("organization_id", "organization"),
                _link("service_id", "service"),
                _link("service_at_location_id", "service_at_location"),
                _link("location_id", "location"),
                Field("name"),
                Field("title"),
                Field("department"),
                Field("email"),
            ),
            children=(Child("phones", "phone", "contact_id"),),
        ),
        Entity(
            "phone",
            m.Phone,
            "phones",
            (
                _link("id", "phone"),
                _link("location_id", "location"),
                _link("service_id", "service"),
                _link("organization_id", "organization"),
                _link("contact_id", "contact"),
                _link("service_at_location_id", "service_at_location"),
                Field("number"),
                Field("extension", Kind.NUMBER_TEXT),
                Field("type"),
                Field("description"),
            ),
            children=(Child("languages", "language", "phone_id"),),
        ),
        Entity(
            "schedule",
            m.Schedule,
            "schedules",
            (
                _link("id", "schedule"),
                _link("service_id", "service"),
                _link("location_id", "location"),
                _link("service_at_location_id", "service_at_location"),
                Field("valid_from", Kind.DATE),
                Field("valid_to", Kind.DATE),
                Field("dtstart", Kind.DATE),
                Field("timezone", Kind.INT),
                Field("until", Kind.DATE),
                Field("count", Kind.INT),
                Field("wkst"),
                Field("freq"),
                Field("interval", Kind.INT),
                Field("byday"),
                Field("byweekno"),
                Field("bymonthday"),
                Field("byyearday"),
                Field("description"),
                Field("opens_at", Kind.TIME),
                Field("closes_at", Kind.TIME),
                Field("schedule_link"),
                Field("attending_type"),
                Field("notes"),
            ),
        ),
        Entity(
            "service_area",
            m.ServiceArea,
            "service_areas",
            (
                _link("id", "service_area"),
                _link("service_id", "service"),
                _link("service_at_location_id", "service_at_location"),
                Field("name"),
                Field("description"),
                Field("extent"),
                Field("extent_type"),
                Field("uri"),
            ),
        ),
        Entity(
            "language",
            m.Language,
            "languages",
            (
                _link("id", "language"),
                _link("service_id", "service"),
                _link("location_id", "location"),
                _link("phone_id", "phone"),
                Field("name"),
                Field("code"),
                Field("note"),
            ),
        ),
        Entity(
            "accessibility",
            m.Accessibility,
            "accessibility",
            (
                _link("id", "accessibility"),
                _link("location_id", "location"),
                Field("description"),
                Field("details"),
                Field("url"),
            ),
        ),
        Entity(
            "cost_option",
            m.CostOption,
            "cost_options",
            (
                _link("id", "cost_option"),
                _link("service_id", "service"),
                Field("valid_from", Kind.DATE),
                Field("valid_to", Kind.DATE),
                Field("option"),
                Field("currency"),
                Field("amount", Kind.DECIMAL),
                Field("amount_description"),
            ),
        ),
        Entity(
            "required_document",
            m.RequiredDocument,
            "required_documents",
            (
                _link("id", "required_document"),
                _link("service_id", "service"),
                Field("document"),
                Field("uri"),
            ),
        ),
        Entity(
            "funding",
            m.Funding,
            "funding",
            (
                _link("id", "funding"),
                _link("organization_id", "organization"),
                _link("service_id", "service"),
                Field("source"),
            ),
        ),
        Entity(
            "url",
            m.Url,
            "url",
            (
                _link("id", "url"),
                Field("label"),
                Field("url"),
                _link("organization_id", "organization"),
                _link("service_id", "service"),
            ),
        ),
        Entity(
            "unit",
            m.Unit,
            "units",
            (
                _link("id", "unit"),
                Field("name"),
                Field("scheme"),
                Field("identifier"),
                Field("uri"),
            ),
        ),
        Entity(
            "service_capacity",
            m.ServiceCapacity,
            "service_capacity",
            (
                _link("id", "service_capacity"),
                _link("service_id", "service"),
                _link("unit_id", "unit"),
                Field("available", Kind.DECIMAL),
                Field("maximum", Kind.DECIMAL),
                Field("description"),
                Field("updated", Kind.DATETIME),
            ),
            nested=(Nested("unit", "unit", "unit_id"),),
        ),
        Entity(
            "taxonomy",
            m.Taxonomy,
            "taxonomies",
            (
                _link("id", "taxonomy"),
                Field("name"),
                Field("description"),
                Field("uri"),
                Field("version"),
            ),
            has_attributes=False,
        ),
        Entity(
            "taxonomy_term",
            m.TaxonomyTerm,
            "taxonomy_terms",
            (
                _link("id", "taxonomy_term"),
                Field("code"),
                Field("name"),
                Field("description"),
                _link("parent_id", "taxonomy_term"),
                _link("taxonomy_id", "taxonomy"),
                Field("language"),
                Field("term_uri"),
            ),
            nested=(Nested("taxonomy_detail", "taxonomy", "taxonomy_id"),),
            has_attributes=False,
        ),
        Entity(
            "attribute",
            m.Attribute,
            "attributes",
            (
                _link("id", "attribute"),
                _link("link_id", "*"),
                _link("taxonomy_term_id", "taxonomy_term"),
                Field("link_type"),
                Field("link_entity"),
                Field("value"),
                Field("label"),
            ),
            nested=(Nested("taxonomy_term", "taxonomy_term", "taxonomy_term_id"),),
            has_attributes=False,
        ),
    )
}

# The order in which tables are written and links checked: everything an object points to
# comes before it (self-references and attribute.link_id are settled at the end).
ENTITY_ORDER: tuple[str, ...] = (
    "taxonomy",
    "taxonomy_term",
    "organization",
    "organization_identifier",
    "program",
    "location",
    "address",
    "accessibility",
    "service",
    "service_at_location",
    "contact",
    "phone",
    "language",
    "schedule",
    "service_area",
    "funding",
    "cost_option",
    "required_document",
    "url",
    "unit",
    "service_capacity",
    "attribute",
)
assert set(ENTITY_ORDER) == set(ENTITIES)

BY_TABLE = {entity.table: entity for entity in ENTITIES.values()}


@cache
def _links(entity: str) -> tuple[Field, ...]:
    return tuple(f for f in ENTITIES[entity].fields if f.kind is Kind.LINK)


@cache
def _field_index(entity: str) -> dict[str, Field]:
    return {f.name: f for f in ENTITIES[entity].fields}


@cache
def schema_property_order(entity: str) -> tuple[str, ...]:
    return tuple(load_schema(f"{entity}.json")["properties"])


@cache
def required_fields(entity: str) -> frozenset[str]:
    return frozenset(load_schema(f"{entity}.json").get("required", ()))


@cache
def _model_field(entity: str, attr: str) -> models.Field[Any, Any]:
    model_field = ENTITIES[entity].model._meta.get_field(attr)
    assert isinstance(model_field, models.Field)
    return model_field


# --- model -> HSDS ---------------------------------------------------------------------------


def encode(value: Any, kind: Kind) -> Any:
    """A model value as HSDS JSON; None for "leave it out"."""
    if value is None or value == "":
        return None
    if kind is Kind.LINK:
        return str(value)
    if kind is Kind.DECIMAL:
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() else float(number)
    if kind is Kind.NUMBER_TEXT:
        text = str(value).strip()
        if re.fullmatch(r"-?\d+", text):
            return int(text)
        try:
            return float(text)
        except ValueError:
            return None  # HSDS wants a number; text such as "ext. 12" cannot be expressed
    if kind is Kind.DATETIME:
        assert isinstance(value, dt.datetime)
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if kind in (Kind.DATE, Kind.TIME):
        return value.isoformat()
    return value


def scalars(obj: models.Model, entity: str) -> dict[str, Any]:
    """The direct (non-array) HSDS fields of one object."""
    required = required_fields(entity)
    out: dict[str, Any] = {}
    for spec in ENTITIES[entity].fields:
        value = encode(getattr(obj, attname(spec)), spec.kind)
        if value is None:
            if spec.name in required:
                out[spec.name] = ""
            continue
        out[spec.name] = value
    return out


def _sorted(objects: Iterable[models.Model]) -> list[Any]:
    return sorted(objects, key=lambda obj: obj.pk)


def _order(entity: str, data: dict[str, Any]) -> dict[str, Any]:
    """Keys in the order of the HSDS schema, so documents read like the specification."""
    order = schema_property_order(entity)
    ordered = {key: data[key] for key in order if key in data}
    ordered.update((key, value) for key, value in data.items() if key not in ordered)
    return ordered


def language_to_hsds(language: m.Language) -> dict[str, Any]:
    return scalars(language, "language")


def phone_to_hsds(phone: m.Phone) -> dict[str, Any]:
    out = scalars(phone, "phone")
    out["languages"] = [language_to_hsds(x) for x in _sorted(phone.languages.all())]
    return _order("phone", out)


def contact_to_hsds(contact: m.Contact) -> dict[str, Any]:
    out = scalars(contact, "contact")
    out["phones"] = [phone_to_hsds(x) for x in _sorted(contact.phones.all())]
    return _order("contact", out)


def schedule_to_hsds(schedule: m.Schedule) -> dict[str, Any]:
    return scalars(schedule, "schedule")


def service_area_to_hsds(area: m.ServiceArea) -> dict[str, Any]:
    return scalars(area, "service_area")


def url_to_hsds(url: m.Url) -> dict[str, Any]:
    return scalars(url, "url")


def taxonomy_to_hsds(taxonomy: m.Taxonomy) -> dict[str, Any]:
    return scalars(taxonomy, "taxonomy")


def taxonomy_term_to_hsds(term: m.TaxonomyTerm) -> dict[str, Any]:
    out = scalars(term, "taxonomy_term")
    if term.taxonomy is not None:
        # `taxonomy` is the free-text name HSDS 3.0 kept; taxonomy_detail is the object.
        out["taxonomy"] = term.taxonomy.name
        out["taxonomy_detail"] = taxonomy_to_hsds(term.taxonomy)
    return _order("taxonomy_term", out)


def attribute_to_hsds(attribute: m.Attribute) -> dict[str, Any]:
    out = scalars(attribute, "attribute")
    out["taxonomy_term"] = taxonomy_term_to_hsds(attribute.taxonomy_term)
    return _order("attribute", out)


def location_to_hsds(location: m.Location, *, full: bool = True) -> dict[str, Any]:
    out = scalars(location, "location")
    if full:
        out["languages"] = [language_to_hsds(x) for x in _sorted(location.languages.all())]
        out["addresses"] = [scalars(x, "address") for x in _sorted(location.addresses.all())]
        out["contacts"] = [contact_to_hsds(x) for x in _sorted(location.contacts.all())]
        out["accessibility"] = [
            scalars(x, "accessibility") for x in _sorted(location.accessibility.all())
        ]
        out["phones"] = [phone_to_hsds(x) for x in _sorted(location.phones.all())]
        out["schedules"] = [schedule_to_hsds(x) for x in _sorted(location.schedules.all())]
    return _order("location", out)


def service_at_location_to_hsds(
    sal: m.ServiceAtLocation, *, full: bool = True, service: dict[str, Any] | None = None
) -> dict[str, Any]:
    out = scalars(sal, "service_at_location")
    if full:
        out["service_areas"] = [service_area_to_hsds(x) for x in _sorted(sal.service_areas.all())]
        out["contacts"] = [contact_to_hsds(x) for x in _sorted(sal.contacts.all())]
        out["phones"] = [phone_to_hsds(x) for x in _sorted(sal.phones.all())]
        out["schedules"] = [schedule_to_hsds(x) for x in _sorted(sal.schedules.all())]
    out["location"] = location_to_hsds(sal.location, full=full)
    if service is not None:
        out["service"] = service
    return _order("service_at_location", out)


def program_to_hsds(program: m.Program) -> dict[str, Any]:
    return scalars(program, "program")


def organization_to_hsds(
    organization: m.Organization,
    *,
    full: bool = True,
    services: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An organization; `full` adds its nested objects, `services` its (prepared) services."""
    out = scalars(organization, "organization")
    if full:
        out["additional_websites"] = [
            url_to_hsds(x) for x in _sorted(organization.additional_websites.all())
        ]
        out["funding"] = [scalars(x, "funding") for x in _sorted(organization.funding.all())]
        out["contacts"] = [contact_to_hsds(x) for x in _sorted(organization.contacts.all())]
        out["phones"] = [phone_to_hsds(x) for x in _sorted(organization.phones.all())]
        out["locations"] = [location_to_hsds(x) for x in _sorted(organization.locations.all())]
        out["programs"] = [program_to_hsds(x) for x in _sorted(organization.programs.all())]
        out["organization_identifiers"] = [
            scalars(x, "organization_identifier")
            for x in _sorted(organization.organization_identifiers.all())
        ]
    if services is not None:
        out["services"] = services
    return _order("organization", out)


def service_to_hsds(service: m.Service, *, full: bool = True) -> dict[str, Any]:
    """A service: fully nested (`full`), or a list item with its organization and program."""
    out = scalars(service, "service")
    if full:
        out["additional_urls"] = [url_to_hsds(x) for x in _sorted(service.additional_urls.all())]
        out["phones"] = [phone_to_hsds(x) for x in _sorted(service.phones.all())]
        out["schedules"] = [schedule_to_hsds(x) for x in _sorted(service.schedules.all())]
        out["service_areas"] = [
            service_area_to_hsds(x) for x in _sorted(service.service_areas.all())
        ]
        out["service_at_locations"] = [
            service_at_location_to_hsds(x) for x in _sorted(service.service_at_locations.all())
        ]
        out["languages"] = [language_to_hsds(x) for x in _sorted(service.languages.all())]
        out["funding"] = [scalars(x, "funding") for x in _sorted(service.funding.all())]
        out["cost_options"] = [
            scalars(x, "cost_option") for x in _sorted(service.cost_options.all())
        ]
        out["required_documents"] = [
            scalars(x, "required_document") for x in _sorted(service.required_documents.all())
        ]
        out["contacts"] = [contact_to_hsds(x) for x in _sorted(service.contacts.all())]
        out["capacities"] = [capacity_to_hsds(x) for x in _sorted(service.capacities.all())]
        out["attributes"] = [attribute_to_hsds(x) for x in _sorted(service.attributes.all())]
    if service.organization is not None:
        out["organization"] = organization_to_hsds(service.organization, full=full)
    if service.program is not None:
        out["program"] = program_to_hsds(service.program)
    return _order("service", out)


def service_minimal(service: m.Service) -> dict[str, Any]:
    """`minimal=true`: only the id and when the service last changed."""
    return {"id": str(service.pk), "last_modified": encode(service.last_modified, Kind.DATETIME)}


def capacity_to_hsds(capacity: m.ServiceCapacity) -> dict[str, Any]:
    out = scalars(capacity, "service_capacity")
    out["unit"] = scalars(capacity.unit, "unit")
    return _order("service_capacity", out)


def walk(document: dict[str, Any], entity: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Every object in a nested HSDS document with its entity name, the document first."""
    yield document, entity
    spec = ENTITIES[entity]
    for child in spec.children:
        for item in document.get(child.key) or ():
            if isinstance(item, dict):
                yield from walk(item, child.entity)
    for nested in spec.nested:
        value = document.get(nested.key)
        if isinstance(value, dict):
            yield from walk(value, nested.entity)
    if spec.has_attributes:
        for item in document.get("attributes") or ():
            if isinstance(item, dict):
                yield from walk(item, "attribute")


def attach_attributes(
    documents: list[dict[str, Any]], entity: str, attributes: Iterable[m.Attribute]
) -> None:
    """Add attributes linked by id to the nested objects (not services: they have their own)."""
    by_link: dict[str, list[dict[str, Any]]] = {}
    for attribute in _sorted(attributes):
        by_link.setdefault(str(attribute.link_id), []).append(attribute_to_hsds(attribute))
    if not by_link:
        return
    for document in documents:
        for obj, kind in list(walk(document, entity)):
            if kind == "service" or not ENTITIES[kind].has_attributes:
                continue
            found = by_link.get(str(obj.get("id")))
            if found:
                obj["attributes"] = found


def linked_ids(documents: list[dict[str, Any]], entity: str) -> set[uuid.UUID]:
    """Ids of the nested objects that can carry attributes linked by id."""
    ids: set[uuid.UUID] = set()
    for document in documents:
        for obj, kind in walk(document, entity):
            if kind != "service" and ENTITIES[kind].has_attributes and obj.get("id"):
                ids.add(uuid.UUID(str(obj["id"])))
    return ids


# --- HSDS -> flat records ----------------------------------------------------------------------


_NESTING = (dict, list)


@dataclass(slots=True)
class FlatRecord:
    """One HSDS object without its arrays: its own fields plus the links its nesting implies."""

    entity: str
    data: dict[str, Any]
    path: tuple[str | int, ...] = ()  # where it sits in the document it came from

    @property
    def id(self) -> str:
        return str(self.data.get("id", ""))


@dataclass
class Flattened:
    records: list[FlatRecord] = field(default_factory=list)
    # (parent entity, parent id, array key) -> ids of the children the document lists; an array
    # present in a document replaces what the parent had of that kind.
    arrays: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    metadata_skipped: int = 0


def flatten(
    document: dict[str, Any],
    entity: str,
    *,
    skip: frozenset[int] | set[int] = frozenset(),
    out: Flattened | None = None,
    known: Callable[[str, Any], bool] | None = None,
) -> Flattened:
    """Flat records for `document` and everything nested in it.

    `skip` holds the `id()`s of nested dicts that failed validation: they and what they hold
    are left out. `known(entity, id)` says a nested object was read before: only the link to
    it is kept (a file of 100 000 services repeats each organization many times).
    """
    out = out if out is not None else Flattened()
    _flatten(document, entity, skip, out, (), None, known)
    return out


def _flatten(
    document: dict[str, Any],
    entity: str,
    skip: frozenset[int] | set[int],
    out: Flattened,
    path: tuple[str | int, ...],
    links: dict[str, Any] | None,
    known: Callable[[str, Any], bool] | None = None,
) -> FlatRecord | None:
    if id(document) in skip:
        return None
    if path and known is not None and known(entity, document.get("id")):
        return None
    spec = ENTITIES[entity]
    data = {key: value for key, value in document.items() if not isinstance(value, _NESTING)}
    if links:
        data.update(links)
    record = FlatRecord(entity, data, path)
    for nested in spec.nested:
        value = document.get(nested.key)
        if not isinstance(value, dict) or id(value) in skip:
            continue
        data[nested.link] = value.get("id")
        inner = _flatten(value, nested.entity, skip, out, (*path, nested.key), None, known)
        if inner is None:
            continue
        if nested.entity == "program" and data.get("organization_id"):
            # A program always belongs to an organization; nested in a service without saying
            # which, it is the service's own.
            inner.data.setdefault("organization_id", data["organization_id"])
    out.records.append(record)
    for child in spec.children:
        _flatten_array(
            document, entity, child.key, child.entity, child.link, skip, out, path, known
        )
    if spec.has_attributes:
        _flatten_array(
            document, entity, "attributes", "attribute", "link_id", skip, out, path, known
        )
    if isinstance(document.get("metadata"), list):
        out.metadata_skipped += len(document["metadata"])
    return record


def _flatten_array(
    document: dict[str, Any],
    entity: str,
    key: str,
    child_entity: str,
    link: str,
    skip: frozenset[int] | set[int],
    out: Flattened,
    path: tuple[str | int, ...],
    known: Callable[[str, Any], bool] | None = None,
) -> None:
    items = document.get(key)
    own_id = document.get("id")
    if not isinstance(items, list) or own_id is None:
        return
    out.arrays[(entity, str(own_id), key)] = {
        str(item.get("id")) for item in items if isinstance(item, dict) and id(item) not in skip
    }
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        links: dict[str, Any] = {link: own_id}
        if child_entity == "attribute" and not item.get("link_entity"):
            links["link_entity"] = entity
        _flatten(item, child_entity, skip, out, (*path, key, index), links, known)


# --- one flat record -> model values -------------------------------------------------------------


class Level(StrEnum):
    ERROR = "error"  # the record is skipped
    WARNING = "warning"  # the record is imported, changed as the message says
    NOTE = "note"  # for information


@dataclass(frozen=True)
class Problem:
    level: Level
    field: str
    message: str


_WEEKDAY = re.compile(r"^([+-]?(?:[1-9]|[1-4][0-9]|5[0-3]))?(MO|TU|WE|TH|FR|SA|SU)$")
_INT_RANGES = {
    "PositiveSmallIntegerField": (0, 32767),
    "PositiveIntegerField": (0, 2147483647),
    "IntegerField": (-2147483648, 2147483647),
}
MAX_AGE = 120


def to_model_values(record: FlatRecord) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Check and convert one flat record; None when it must be skipped (see the problems)."""
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    entity = record.entity
    plan = _plan(entity)
    for name, raw in record.data.items():
        step = plan.get(name)
        if step is None or raw is None or raw == "":
            # Unknown fields (HSDS extensions, "taxonomy" text) are not stored; an empty value
            # is the same as no value.
            continue
        spec, target, plain_text, max_length = step
        # Most values are plain text or ids already in canonical form: take them as they are.
        if plain_text and raw.__class__ is str and (max_length is None or len(raw) <= max_length):
            values[target] = raw
            continue
        if spec.kind is Kind.LINK and raw.__class__ is str and _UUID_TEXT.match(raw):
            values[target] = raw
            continue
        try:
            values[target] = _convert(entity, spec, raw, problems)
        except _Invalid as exc:
            problems.append(Problem(Level.ERROR, name, str(exc)))
    _check_web_addresses(entity, values, problems)
    _check_record(entity, values, problems)
    if problems and any(p.level is Level.ERROR for p in problems):
        return None, problems
    return values, problems


_CHECKED_TEXT = frozenset({("phone", "number"), ("schedule", "byday"), ("schedule", "wkst")})


@cache
def _plan(entity: str) -> dict[str, tuple[Field, str, bool, int | None]]:
    plan = {}
    for spec in ENTITIES[entity].fields:
        plain = spec.kind is Kind.TEXT and (entity, spec.name) not in _CHECKED_TEXT
        max_length = (
            getattr(_model_field(entity, spec.model_attr), "max_length", None) if plain else None
        )
        plan[spec.name] = (spec, attname(spec), plain, max_length)
    return plan


@cache
def link_fields(entity: str) -> tuple[Field, ...]:
    """The links of an entity, without its own id."""
    return tuple(f for f in ENTITIES[entity].links if f.name != "id")


def attname(spec: Field) -> str:
    """The model attribute holding this HSDS field (links hold ids: "organization_id")."""
    if spec.kind is Kind.LINK:
        return spec.name
    return spec.model_attr


_UUID_TEXT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def canonical_id(value: Any) -> str | None:
    """An HSDS id as lower-case text with dashes (the form the schema's uuid format allows)."""
    if value.__class__ is str:
        if _UUID_TEXT.match(value):
            return str(value)  # nearly always: already canonical
        text = value.strip().lower()
        return text if _UUID_TEXT.match(text) else None
    if isinstance(value, uuid.UUID):
        return str(value)
    return None


class _Invalid(ValueError):
    pass


def _convert(entity: str, spec: Field, raw: Any, problems: list[Problem]) -> Any:  # noqa: C901
    kind = spec.kind
    if kind is Kind.LINK:
        # Ids stay text (lower case, with dashes): parsing a million UUIDs costs seconds.
        text = canonical_id(raw)
        if text is None:
            raise _Invalid(_("“%(value)s” is geen geldige id (UUID).") % {"value": raw})
        return text
    if kind is Kind.TEXT:
        text = str(raw)
        if entity == "phone" and spec.name == "number":
            text = _clean_phone_number(text, problems)
        if entity == "schedule" and spec.name in ("byday", "wkst"):
            text = _check_weekdays(spec.name, text, problems)
        max_length = getattr(_model_field(entity, spec.model_attr), "max_length", None)
        if max_length and len(text) > max_length:
            raise _Invalid(
                _("Te lang: %(length)s tekens, hier mogen er %(max)s.")
                % {"length": len(text), "max": max_length}
            )
        return text
    if kind is Kind.NUMBER_TEXT:
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        return str(raw)
    if kind is Kind.INT:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise _Invalid(_("“%(value)s” is geen getal.") % {"value": raw})
        if isinstance(raw, float) and not raw.is_integer():
            raise _Invalid(_("%(value)s is geen heel getal.") % {"value": raw})
        number = int(raw)
        if entity == "service" and spec.name == "maximum_age" and number > MAX_AGE:
            problems.append(
                Problem(
                    Level.WARNING,
                    spec.name,
                    _("Maximumleeftijd %(age)s is hoger dan %(max)s; opgeslagen als: geen maximum.")
                    % {"age": number, "max": MAX_AGE},
                )
            )
            return None
        if entity == "service" and spec.name == "minimum_age" and number > MAX_AGE:
            raise _Invalid(
                _("Minimumleeftijd %(age)s is hoger dan %(max)s.") % {"age": number, "max": MAX_AGE}
            )
        low, high = _INT_RANGES.get(
            _model_field(entity, spec.model_attr).get_internal_type(), (-(2**31), 2**31 - 1)
        )
        if not low <= number <= high:
            raise _Invalid(
                _("%(value)s ligt buiten %(low)s tot en met %(high)s.")
                % {"value": number, "low": low, "high": high}
            )
        return number
    if kind is Kind.DECIMAL:
        return _decimal(entity, spec, raw, problems)
    if kind is Kind.FLOAT:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise _Invalid(_("“%(value)s” is geen getal.") % {"value": raw})
        return float(raw)
    if kind is Kind.DATE:
        parsed_date = _parse(parse_date, raw)
        if parsed_date is None:
            raise _Invalid(_("“%(value)s” is geen geldige datum (JJJJ-MM-DD).") % {"value": raw})
        return parsed_date
    if kind is Kind.TIME:
        parsed_time = _parse(parse_time, raw)
        if parsed_time is None:
            raise _Invalid(_("“%(value)s” is geen geldige tijd (UU:MM:SS).") % {"value": raw})
        if parsed_time.tzinfo is not None:
            problems.append(
                Problem(
                    Level.WARNING,
                    spec.name,
                    _("De tijdzone bij “%(value)s” is weggelaten; alleen de tijd is bewaard.")
                    % {"value": raw},
                )
            )
            parsed_time = parsed_time.replace(tzinfo=None)
        return parsed_time
    if kind is Kind.DATETIME:
        parsed = _parse(parse_datetime, raw)
        if parsed is None:
            only_date = _parse(parse_date, raw)
            if only_date is None:
                raise _Invalid(
                    _("“%(value)s” is geen geldig tijdstip (ISO 8601).") % {"value": raw}
                )
            parsed = dt.datetime.combine(only_date, dt.time())
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        return parsed
    raise AssertionError(kind)  # pragma: no cover


def _parse(parser: Any, raw: Any) -> Any:
    if not isinstance(raw, str):
        return None
    try:
        return parser(raw.strip())
    except ValueError:
        return None


def _decimal(entity: str, spec: Field, raw: Any, problems: list[Problem]) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise _Invalid(_("“%(value)s” is geen getal.") % {"value": raw})
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        raise _Invalid(_("“%(value)s” is geen getal.") % {"value": raw}) from None
    if not number.is_finite():
        raise _Invalid(_("“%(value)s” is geen getal.") % {"value": raw})
    model_field = _model_field(entity, spec.model_attr)
    assert isinstance(model_field, models.DecimalField)
    places = model_field.decimal_places or 0
    digits = model_field.max_digits or 10
    rounded = number.quantize(Decimal(1).scaleb(-places))
    if abs(rounded) >= Decimal(10) ** (digits - places):
        raise _Invalid(_("%(value)s is te groot.") % {"value": raw})
    if rounded != number:
        problems.append(
            Problem(
                Level.WARNING,
                spec.name,
                _("%(value)s is afgerond op %(rounded)s.") % {"value": raw, "rounded": rounded},
            )
        )
    return rounded


def _clean_phone_number(text: str, problems: list[Problem]) -> str:
    """Quotes inside a number (a CSV export quoted twice) are removed: the fix is unambiguous.

    A number that is not valid by the one rule of `core.phones` (Dutch, or with a country code)
    is imported as it is, with a warning: the source may know better, and nobody is refused.
    """
    from omzien.core.phones import is_valid_phone

    cleaned = text
    if '"' in text or "'" in text:
        cleaned = text.replace('"', "").replace("'", "").strip()
        if not cleaned:
            raise _Invalid(_("Het telefoonnummer bestaat alleen uit aanhalingstekens."))
        problems.append(
            Problem(
                Level.WARNING,
                "number",
                _("Het telefoonnummer stond tussen aanhalingstekens: %(raw)s. Die zijn weggehaald.")
                % {"raw": text},
            )
        )
    if cleaned.strip() and not is_valid_phone(cleaned, foreign=True):
        problems.append(
            Problem(
                Level.WARNING,
                "number",
                _("%(number)s is geen geldig telefoonnummer. Het is toch overgenomen.")
                % {"number": cleaned},
            )
        )
    return cleaned


def _check_weekdays(name: str, text: str, problems: list[Problem]) -> str:
    """RFC 5545 weekday codes: MO..SU, in byday optionally with a position (1MO, -1FR)."""
    if not text:
        return text
    parts = [part.strip() for part in text.split(",")] if name == "byday" else [text.strip()]
    wrong = [
        part
        for part in parts
        if not (_WEEKDAY.match(part) if name == "byday" else part in _WEEKDAYS)
    ]
    if wrong:
        upper = [part.upper() for part in parts]
        still_wrong = [
            part
            for part in upper
            if not (_WEEKDAY.match(part) if name == "byday" else part in _WEEKDAYS)
        ]
        if still_wrong:
            raise _Invalid(
                _(
                    "“%(value)s” is geen geldige weekdag volgens RFC 5545. Gebruik MO, TU, WE, "
                    "TH, FR, SA of SU, in byday eventueel met een getal ervoor (1MO, -1FR)."
                )
                % {"value": ", ".join(still_wrong)}
            )
        problems.append(
            Problem(
                Level.WARNING,
                name,
                _("Weekdagen in hoofdletters gezet: %(value)s.") % {"value": text},
            )
        )
        return ",".join(upper)
    return text


_WEEKDAYS = frozenset({"MO", "TU", "WE", "TH", "FR", "SA", "SU"})


@cache
def _web_address_fields(entity: str) -> tuple[tuple[str, str, bool], ...]:
    """(HSDS name, model attribute, required) of the fields that hold a web address."""
    found = []
    for spec in ENTITIES[entity].fields:
        field = _model_field(entity, spec.model_attr)
        if isinstance(field, models.URLField):
            found.append((spec.name, attname(spec), not field.blank))
    return tuple(found)


def _check_web_addresses(entity: str, values: dict[str, Any], problems: list[Problem]) -> None:
    """Only http(s) addresses: a javascript: or data: link would run in a visitor's browser.

    An unsafe address is left out and the rest of the record kept; a record that is nothing
    but the address (an additional website) is skipped.
    """
    for name, target, required in _web_address_fields(entity):
        value = values.get(target)
        if not value or is_web_url(value):
            continue
        shown = str(value)[:80]
        if required:
            problems.append(
                Problem(
                    Level.ERROR,
                    name,
                    _(
                        "“%(value)s” is geen webadres. Alleen adressen die beginnen met "
                        "http:// of https:// kunnen."
                    )
                    % {"value": shown},
                )
            )
            continue
        values.pop(target)
        problems.append(
            Problem(
                Level.WARNING,
                name,
                _(
                    "“%(value)s” is geen webadres en is weggelaten. Alleen adressen die "
                    "beginnen met http:// of https:// kunnen."
                )
                % {"value": shown},
            )
        )


def _check_record(entity: str, values: dict[str, Any], problems: list[Problem]) -> None:
    """Checks that look at more than one field."""
    if entity == "service":
        low, high = values.get("minimum_age"), values.get("maximum_age")
        if low is not None and high is not None and low > high:
            problems.append(
                Problem(
                    Level.ERROR,
                    "minimum_age",
                    _("De minimumleeftijd (%(low)s) is hoger dan de maximumleeftijd (%(high)s).")
                    % {"low": low, "high": high},
                )
            )
    elif entity == "service_capacity":
        available, maximum = values.get("available"), values.get("maximum")
        if available is not None and available < 0:
            problems.append(
                Problem(Level.ERROR, "available", _("Het aantal beschikbare plaatsen is negatief."))
            )
        if available is not None and maximum is not None and available > maximum:
            problems.append(
                Problem(
                    Level.ERROR,
                    "available",
                    _(
                        "Er zijn meer plaatsen beschikbaar (%(available)s) dan het maximum "
                        "(%(maximum)s)."
                    )
                    % {
                        "available": encode(available, Kind.DECIMAL),
                        "maximum": encode(maximum, Kind.DECIMAL),
                    },
                )
            )
    elif entity == "location":
        latitude, longitude = values.get("latitude"), values.get("longitude")
        wrong = []
        if latitude is not None and not -90 <= latitude <= 90:
            wrong.append(_("breedtegraad %(value)s valt buiten -90 tot 90") % {"value": latitude})
        if longitude is not None and not -180 <= longitude <= 180:
            wrong.append(_("lengtegraad %(value)s valt buiten -180 tot 180") % {"value": longitude})
        if wrong:
            values["latitude"] = values["longitude"] = None
            problems.append(
                Problem(
                    Level.WARNING,
                    "latitude",
                    _("De coördinaten kloppen niet (%(what)s). Ze zijn weggelaten.")
                    % {"what": "; ".join(wrong)},
                )
            )
    elif entity == "schedule":
        opens, closes = values.get("valid_from"), values.get("valid_to")
        if opens is not None and closes is not None and opens > closes:
            problems.append(
                Problem(
                    Level.ERROR,
                    "valid_from",
                    _("valid_from (%(start)s) ligt na valid_to (%(end)s).")
                    % {"start": opens, "end": closes},
                )
            )
