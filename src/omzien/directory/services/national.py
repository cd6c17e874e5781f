"""The national services of every installation (`directory.national`), kept as the code says.

`load_national_services()` creates them, or updates them in place: their ids are stable (made
from the name), so a second load changes nothing and an upgrade changes only what the code
changed. A service taken out of the list is set inactive, never deleted (referrals and
measurements may point at it). `migrate` runs the loader (the post_migrate receiver below,
connected in `DirectoryConfig.ready()`), so a fresh production database has the national lines
too; `omzien load-national-services` runs it by hand, and `omzien demo-data` runs it as well.

What comes from the code is written on every load: the texts, the website, the phone numbers,
the hours, the areas, the language and the tags of our vocabularies. Whether a service is
published or temporarily closed is the municipality's to decide and is left alone once the
service exists. Every changed field gets an HSDS metadata row in the name of `LOADER`, and a
load that changed anything one audit event.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from omzien.audit.services import record_event
from omzien.directory import search
from omzien.directory.models import (
    Attribute,
    Language,
    Metadata,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceScope,
    ServiceStatus,
)
from omzien.directory.national import CHECKED_ON, NATIONAL_SERVICES, NationalService
from omzien.directory.services.writes import unique_slug
from omzien.directory.vocabularies import BY_KEY, stable_id, term_id

LOADER = "omzien load-national-services"
ORGANIZATION_ID = stable_id("organization", "national-services")
ORGANIZATION_NAME = "Landelijk aanbod"
ORGANIZATION_DESCRIPTION = "Diensten die in heel Nederland beschikbaar zijn (uit seed 001)."


@dataclass
class NationalLoad:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deactivated)

    def __str__(self) -> str:
        return (
            f"National services: {self.created} created, {self.updated} updated, "
            f"{self.deactivated} set inactive, {self.unchanged} unchanged."
        )


def national_service_id(entry: NationalService) -> uuid.UUID:
    return stable_id("national-service", entry.name)


def load_national_services() -> NationalLoad:
    """Create or update the national services in place; set the ones no longer listed inactive."""
    result = NationalLoad()
    now = timezone.now()
    with transaction.atomic():
        _ensure_organization()
        changed_ids: list[uuid.UUID] = []
        for entry in NATIONAL_SERVICES:
            service_id = national_service_id(entry)
            service = Service.objects.filter(id=service_id).first()
            if service is None:
                service = _create(service_id, entry, now)
                result.created += 1
                changed_ids.append(service_id)
                continue
            changes = _update(service, entry)
            if changes:
                _log(service_id, "update", changes, now)
                result.updated += 1
                changed_ids.append(service_id)
            else:
                result.unchanged += 1
        listed = [national_service_id(entry) for entry in NATIONAL_SERVICES]
        for service in (
            Service.objects.filter(organization_id=ORGANIZATION_ID)
            .exclude(id__in=listed)
            .exclude(status=ServiceStatus.INACTIVE)
        ):
            _log(service.id, "update", {"status": (service.status, ServiceStatus.INACTIVE)}, now)
            service.status = ServiceStatus.INACTIVE
            service.last_modified = now
            service.save(update_fields=["status", "last_modified"])
            result.deactivated += 1
            changed_ids.append(service.id)
        if result.changed:
            record_event(
                "national_services.load",
                object_type="directory.organization",
                object_id=str(ORGANIZATION_ID),
                details={
                    "created": result.created,
                    "updated": result.updated,
                    "deactivated": result.deactivated,
                },
            )
            search.schedule_reindex(changed_ids)
    return result


def load_after_migrate(
    sender: Any, using: str = DEFAULT_DB_ALIAS, verbosity: int = 1, **kwargs: Any
) -> None:
    """post_migrate receiver: load the national services once the database is fully migrated.

    Skipped when OMZIEN_LOAD_NATIONAL_SERVICES is off (the test settings: tests start from an
    empty kaart) and after a migration to an older state, when the current models may not fit
    the tables.
    """
    if not settings.OMZIEN_LOAD_NATIONAL_SERVICES or using != DEFAULT_DB_ALIAS:
        return
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    result = load_national_services()
    stdout = kwargs.get("stdout")
    if verbosity >= 1 and stdout is not None and result.changed:
        stdout.write(f"  {result}\n")


# --- One service --------------------------------------------------------------------------


def _ensure_organization() -> None:
    organization, created = Organization.objects.get_or_create(
        id=ORGANIZATION_ID,
        defaults={
            "name": ORGANIZATION_NAME,
            "description": ORGANIZATION_DESCRIPTION,
            "is_trusted": True,
        },
    )
    if not created and (organization.name, organization.description) != (
        ORGANIZATION_NAME,
        ORGANIZATION_DESCRIPTION,
    ):
        organization.name = ORGANIZATION_NAME
        organization.description = ORGANIZATION_DESCRIPTION
        organization.save(update_fields=["name", "description"])


def _scalars(entry: NationalService) -> dict[str, Any]:
    return {
        "organization_id": ORGANIZATION_ID,
        "name": entry.name,
        "description": entry.essence,
        "eligibility_description": f"Doelgroep: {entry.target_group}.",
        "minimum_age": entry.min_age,
        "fees_description": entry.cost_text,
        "url": entry.website,
        "scope": ServiceScope.NATIONAL,
    }


def _create(service_id: uuid.UUID, entry: NationalService, now: Any) -> Service:
    service = Service.objects.create(
        id=service_id,
        slug=unique_slug(entry.name),
        status=ServiceStatus.ACTIVE,
        is_published=True,
        assured_date=CHECKED_ON,
        last_modified=now,
        created_at=now,
        **_scalars(entry),
    )
    _sync_children(service, entry)
    return service


def _update(service: Service, entry: NationalService) -> dict[str, tuple[str, str]]:
    """Bring the service in line with the code; the changed fields, as (old, new) texts."""
    changes: dict[str, tuple[str, str]] = {}
    for field, wanted in _scalars(entry).items():
        current = getattr(service, field)
        if current != wanted:
            changes[field.removesuffix("_id")] = (_text(current), _text(wanted))
            setattr(service, field, wanted)
    # Checked again with the code's sources; a later check by the municipality stays.
    if service.assured_date is None or service.assured_date < CHECKED_ON:
        changes["assured_date"] = (_text(service.assured_date), _text(CHECKED_ON))
        service.assured_date = CHECKED_ON
    changes.update(_sync_children(service, entry))
    if changes:
        service.last_modified = timezone.now()
        service.save()
    return changes


def _sync_children(service: Service, entry: NationalService) -> dict[str, tuple[str, str]]:
    """Phones, hours, area, language and tags as the code says; the changed ones as texts."""
    changes: dict[str, tuple[str, str]] = {}

    phones = [(entry.phone, entry.phone_text)] if entry.phone else []
    current_phones = list(service.phones.order_by("number").values_list("number", "description"))
    if current_phones != phones:
        service.phones.all().delete()
        Phone.objects.bulk_create(
            Phone(service=service, number=number, description=text, type="voice")
            for number, text in phones
        )
        changes["phones"] = (_join(current_phones), _join(phones))

    hours = [entry.hours] if entry.hours else []
    current_hours = list(service.schedules.values_list("description", flat=True))
    if current_hours != hours:
        service.schedules.all().delete()
        Schedule.objects.bulk_create(Schedule(service=service, description=h) for h in hours)
        changes["schedules"] = (_join(current_hours), _join(hours))

    areas = [("Nederland", "NL")]
    current_areas = list(service.service_areas.values_list("name", "area_code"))
    if current_areas != areas:
        service.service_areas.all().delete()
        ServiceArea.objects.bulk_create(
            ServiceArea(service=service, name=name, area_code=code, extent_type="text")
            for name, code in areas
        )
        changes["service_areas"] = (_join(current_areas), _join(areas))

    languages = [("Nederlands", "nl")]
    current_languages = list(service.languages.values_list("name", "code"))
    if current_languages != languages:
        service.languages.all().delete()
        Language.objects.bulk_create(
            Language(service=service, name=name, code=code) for name, code in languages
        )
        changes["languages"] = (_join(current_languages), _join(languages))

    for key, codes in _tags(entry).items():
        wanted = {term_id(key, code) for code in codes}
        attributes = service.attributes.filter(taxonomy_term__taxonomy__key=key)
        current = set(attributes.values_list("taxonomy_term_id", flat=True))
        if current == wanted:
            continue
        attributes.exclude(taxonomy_term_id__in=wanted).delete()
        Attribute.objects.bulk_create(
            Attribute(
                link_id=service.id,
                link_entity="service",
                link_type=BY_KEY[key].link_type,
                taxonomy_term_id=term,
                service=service,
            )
            for term in sorted(wanted - current)
        )
        changes[f"attributes.{key}"] = (_codes(key, current), ", ".join(sorted(codes)))
    return changes


def _tags(entry: NationalService) -> dict[str, list[str]]:
    """The tags of our vocabularies that come from the code (others are left alone)."""
    return {
        "target_group": list(entry.target_codes),
        "support_kind": list(entry.support_codes),
        "place": ["at_home"],  # by phone or online
        "cost_category": [entry.cost] if entry.cost else [],
    }


def _codes(key: str, ids: Iterable[uuid.UUID]) -> str:
    by_id = {term_id(key, code): code for code, *_ in BY_KEY[key].terms}
    return ", ".join(sorted(by_id.get(pk, str(pk)) for pk in ids))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _join(rows: Iterable[Any]) -> str:
    return "; ".join(
        " ".join(part for part in row if part) if isinstance(row, tuple) else str(row)
        for row in rows
    )


def _log(
    service_id: uuid.UUID, action: str, changes: dict[str, tuple[str, str]], when: Any
) -> None:
    Metadata.objects.bulk_create(
        Metadata(
            resource_id=service_id,
            resource_type="service",
            last_action_date=when,
            last_action_type=action,
            field_name=name,
            previous_value=old,
            replacement_value=new,
            updated_by=LOADER,
        )
        for name, (old, new) in changes.items()
    )
