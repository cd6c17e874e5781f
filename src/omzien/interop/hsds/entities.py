"""The HSDS 3.1 entities and how each is held by our models: one table, `ENTITIES`.

For every HSDS object it says which model holds it, how each field is typed and which objects
nest in it. Both directions read it (`encode` for model -> HSDS, `flatten` and `decode` for
HSDS -> model), so what is exported can be imported again unchanged.

Internal fields (slug, scope, owner, is_published, is_trusted, area_code, created_at,
verification_reminder_sent_at, Attribute.service) never appear in HSDS output: they are not
in the table. Our own characteristics are ordinary HSDS attributes with taxonomy terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from django.db import models

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
def model_field_for(entity: str, attr: str) -> models.Field[Any, Any]:
    """The Django field that holds `attr` of this entity (for its type and length)."""
    model_field = ENTITIES[entity].model._meta.get_field(attr)
    assert isinstance(model_field, models.Field)
    return model_field


@cache
def link_fields(entity: str) -> tuple[Field, ...]:
    """The links of an entity, without its own id."""
    return tuple(f for f in ENTITIES[entity].links if f.name != "id")


def attname(spec: Field) -> str:
    """The model attribute holding this HSDS field (links hold ids: "organization_id")."""
    if spec.kind is Kind.LINK:
        return spec.name
    return spec.model_attr
