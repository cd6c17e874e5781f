"""Model -> HSDS JSON: `service_to_hsds()`, `organization_to_hsds()`, `location_to_hsds()`, ...

They read related objects through `.all()`, so callers prefetch (see `interop.selectors`).
Empty optional fields are left out: HSDS types them as plain strings or numbers, where `null`
is not allowed and `""` is not a valid e-mail address or date.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db import models

from omzien.directory import models as m
from omzien.interop.hsds.entities import (
    ENTITIES,
    Kind,
    attname,
    required_fields,
    schema_property_order,
)


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
