"""Demo content for the sociale kaart: the national services of seed 001, the demo provider's
own services, and about 180 fictional local services spread over Helmond's districts."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from omzien.accounts.demo import PROVIDER
from omzien.accounts.models import Organisation
from omzien.directory import models as m
from omzien.directory.generator import generate
from omzien.directory.national import NATIONAL_SERVICES
from omzien.directory.search import get_backend
from omzien.directory.vocabularies import BY_KEY, ensure_vocabularies, stable_id, term_id

LOCAL_COUNT = 180
SYNONYMS = (
    "maatje, buddy, vriend, vriendin",
    "eenzaam, alleen, eenzaamheid, geïsoleerd",
    "koffie, thee, koffieochtend",
    "ouderen, senioren, 65-plussers",
    "mantelzorger, mantelzorg, zorgen voor",
    "wandelen, lopen",
    "praten, gesprek, kletsen, babbelen",
)


def _tag(service: m.Service, key: str, code: str) -> m.Attribute:
    return m.Attribute(
        link_id=service.id,
        link_entity="service",
        link_type=BY_KEY[key].link_type,
        taxonomy_term_id=term_id(key, code),
        service=service,
    )


def load_national() -> int:
    national_org, _ = m.Organization.objects.get_or_create(
        id=stable_id("organization", "national-services"),
        defaults={
            "name": "Landelijk aanbod",
            "description": "Diensten die in heel Nederland beschikbaar zijn (uit seed 001).",
            "is_trusted": True,
        },
    )
    today = timezone.localdate()
    for entry in NATIONAL_SERVICES:
        service, created = m.Service.objects.update_or_create(
            id=stable_id("national-service", entry.name),
            defaults={
                "organization": national_org,
                "name": entry.name,
                "slug": slugify(entry.name),
                "description": entry.essence,
                "eligibility_description": f"Doelgroep: {entry.target_group}.",
                "minimum_age": entry.min_age,
                "fees_description": entry.cost_text,
                "scope": m.ServiceScope.NATIONAL,
                "assured_date": today - timedelta(days=30),
                "assurer_email": "redactie@demo.omzien.nl",
            },
        )
        if not created:
            continue
        m.ServiceArea.objects.create(
            service=service, name="Nederland", area_code="NL", extent_type="text"
        )
        m.Language.objects.create(service=service, name="Nederlands", code="nl")
        tags = [("target_group", c) for c in entry.target_codes]
        tags += [("support_kind", c) for c in entry.support_codes]
        tags += [("place", "at_home")]
        if entry.cost:
            tags.append(("cost_category", entry.cost))
        m.Attribute.objects.bulk_create([_tag(service, k, c) for k, c in tags])
    return len(NATIONAL_SERVICES)


def load_provider_services() -> int:
    """The demo provider account's own organisation, so its editor has something to maintain."""
    owner = Organisation.objects.get(name=PROVIDER)
    organization, _ = m.Organization.objects.get_or_create(
        id=stable_id("organization", "samen-actief"),
        defaults={
            "name": PROVIDER,
            "description": "Organiseert ontmoeting en maatjescontact in Helmond. Fictief: demo.",
            "email": "info@samenactief.demo.omzien.nl",
            "owner": owner,
            "is_trusted": False,
        },
    )
    before = m.Service.objects.filter(organization=organization).count()
    if before == 0:
        generate(6, seed=7, slug_prefix="samen-actief-")
        # Move the six fresh services under the provider's own organisation.
        fresh = m.Service.objects.filter(slug__startswith="samen-actief-")
        old_orgs = set(fresh.values_list("organization_id", flat=True))
        fresh.update(organization=organization)
        m.Location.objects.filter(organization_id__in=old_orgs).update(organization=organization)
        m.Organization.objects.filter(id__in=old_orgs).delete()
    return m.Service.objects.filter(organization=organization).count()


@transaction.atomic
def load() -> list[str]:
    # The vocabularies come with a migration, but an emptied database (a test's flush) has none.
    ensure_vocabularies(m.Taxonomy, m.TaxonomyTerm)
    national = load_national()
    provider = load_provider_services()
    local = m.Service.objects.exclude(scope=m.ServiceScope.NATIONAL).count() - provider
    if local < LOCAL_COUNT:
        local += generate(LOCAL_COUNT - local, seed=794 + local)
    for words in SYNONYMS:
        m.Synonym.objects.get_or_create(words=words)
    transaction.on_commit(get_backend().rebuild)
    return [
        f"Sociale kaart: {national} national services, {provider} of the demo provider, "
        f"{local} fictional local services."
    ]
