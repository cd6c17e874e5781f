"""Live writes to the kaart: services, their parts and their locations."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from omzien.accounts.models import User
from omzien.areas.models import District, Neighbourhood
from omzien.areas.services import neighbourhood_for_postcode
from omzien.directory import geocoding
from omzien.directory.models import (
    Address,
    Attribute,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceScope,
    TaxonomyTerm,
)
from omzien.directory.services.common import KaartWrite, kaart_write
from omzien.directory.services.data import (
    _LANGUAGE_NAMES,
    _VOCABULARY_BY_KEY,
    SERVICE_VOCABULARIES,
    AreaData,
    AreaKind,
    LocationData,
    ServiceData,
    _diff,
    _locations_text,
    _municipality_name,
    _weekday_index,
    flatten_location,
    flatten_service,
    location_data,
    service_data,
)

_SCOPE_FOR_AREA = {
    AreaKind.NATIONAL: ServiceScope.NATIONAL,
    AreaKind.MUNICIPALITY: ServiceScope.MUNICIPALITY,
    AreaKind.DISTRICTS: ServiceScope.DISTRICT,
    AreaKind.NEIGHBOURHOODS: ServiceScope.NEIGHBOURHOOD,
}


def unique_slug(name: str) -> str:
    """A slug from the name; on a collision a short random suffix keeps it unique and readable."""
    base = slugify(name)[:100].strip("-") or "dienst"
    slug = base
    while Service.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(2)}"
    return slug


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
    with kaart_write(
        "directory.service.create", actor=actor or author, author=author, request=request
    ) as write:
        service = Service(
            organization=organization,
            slug=unique_slug(data.name),
            created_at=write.now,
            last_modified=write.now,
        )
        _set_scalars(service, data)
        if assure:
            _assure(service, author, timezone.localdate())
        service.save()
        _write_children(service, data, _CHILD_GROUPS)
        write.log(
            "service",
            service.id,
            "create",
            {k: ("", v) for k, v in flatten_service(data).items() if v},
        )
        for location in data.locations or []:
            _add_location(write, service, location)
        write.about(service, organization)
        write.reindex(service)
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
    with kaart_write(
        "directory.service.update", actor=actor or author, author=author, request=request
    ) as write:
        # Lock the row so two editors saving at once are applied one after the other.
        locked = Service.objects.select_for_update().get(pk=service.pk)
        changes = _diff(flatten_service(service_data(locked)), flatten_service(data))
        if changes:
            _set_scalars(locked, data)
            locked.last_modified = write.now
            _write_children(locked, data, set(changes) & _CHILD_GROUPS)
            write.log("service", locked.id, "update", changes)
        if data.locations is not None:
            _sync_locations(write, locked, data.locations)
        assured = _assure(locked, author, timezone.localdate()) if assure else {}
        if assured:
            write.log("service", locked.id, "verify", assured)
        locked.save()
        write.about(locked, locked.organization, {"fields": sorted(changes)})
        write.reindex(locked)
    service.refresh_from_db()
    return sorted(changes)


def verify_service(service: Service, user: User, *, request: HttpRequest | None = None) -> Service:
    """ "Still correct": sets assured_date to today and the checker's e-mail address."""
    with kaart_write("directory.service.verify", actor=user, request=request) as write:
        locked = Service.objects.select_for_update().get(pk=service.pk)
        changes = _assure(locked, user, timezone.localdate())
        locked.save(update_fields=["assured_date", "assurer_email"])
        # A row even when it was checked earlier today: the history shows every confirmation.
        write.log(
            "service",
            locked.id,
            "verify",
            changes or {"assured_date": (str(locked.assured_date), str(locked.assured_date))},
        )
        write.about(locked, locked.organization)
        write.reindex(locked)
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


def _add_location(write: KaartWrite, service: Service, data: LocationData) -> Location:
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
    write.log(
        "location",
        location.id,
        "create",
        {k: ("", flat[k]) for k in ("name", "description", "transportation") if flat[k]},
    )
    write.log(
        "address",
        address.id,
        "create",
        {
            k: ("", flat[k])
            for k in ("address_1", "postal_code", "city", "state_province")
            if flat[k]
        },
    )
    write.log(
        "service",
        service.id,
        "update",
        {"service_at_locations": (before, _locations_text(service))},
    )
    return location


def _update_location(
    write: KaartWrite, service: Service, location: Location, data: LocationData
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
    write.log(
        "location",
        location.id,
        "update",
        {k: v for k, v in changes.items() if k in location_fields},
    )
    write.log(
        "address",
        address.id,
        "update",
        {k: v for k, v in changes.items() if k not in location_fields},
    )
    after_labels = _locations_text(service)
    if before_labels != after_labels:
        write.log(
            "service",
            service.id,
            "update",
            {"service_at_locations": (before_labels, after_labels)},
        )
    return sorted(changes)


def _remove_location(write: KaartWrite, service: Service, location: Location) -> None:
    before = _locations_text(service)
    ServiceAtLocation.objects.filter(service=service, location=location).delete()
    # A place other services still use stays; one that only this service used goes.
    if not location.service_at_locations.exists():
        flat = flatten_location(location_data(location))
        write.log("location", location.id, "delete", {k: (v, "") for k, v in flat.items() if v})
        location.delete()
    write.log(
        "service",
        service.id,
        "update",
        {"service_at_locations": (before, _locations_text(service))},
    )


def _sync_locations(write: KaartWrite, service: Service, wanted: list[LocationData]) -> None:
    current = {
        str(sal.location_id): sal.location
        for sal in service.service_at_locations.select_related("location")
    }
    keep = {item.id for item in wanted if item.id}
    for location_id, location in current.items():
        if location_id not in keep:
            _remove_location(write, service, location)
    for item in wanted:
        if item.id and item.id in current:
            _update_location(write, service, current[item.id], item)
        else:
            _add_location(write, service, item)


def add_location(
    service: Service,
    data: LocationData,
    author: User,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Location:
    with kaart_write(
        "directory.location.create", actor=actor or author, author=author, request=request
    ) as write:
        location = _add_location(write, service, data)
        write.touch(service)
        write.about(location, service.organization, {"service": str(service.id)})
        write.reindex(service)
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
    with kaart_write(
        "directory.location.update", actor=actor or author, author=author, request=request
    ) as write:
        changed = _update_location(write, service, location, data)
        if changed:
            write.touch(service)
        write.about(location, service.organization, {"service": str(service.id), "fields": changed})
        write.reindex(service)
    return changed


def remove_location(
    service: Service,
    location: Location,
    author: User,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> None:
    with kaart_write(
        "directory.location.remove", actor=actor or author, author=author, request=request
    ) as write:
        # Named before it goes: a place only this service used is deleted, and its id with it.
        write.about(location, service.organization, {"service": str(service.id)})
        _remove_location(write, service, location)
        write.touch(service)
        write.reindex(service)
