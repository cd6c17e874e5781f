"""Demo content for the sociale kaart: the national services of seed 001, the demo provider's
own services, and about 180 fictional local services spread over Helmond's districts."""

from __future__ import annotations

from django.db import transaction

from omzien.accounts.demo import PROVIDER
from omzien.accounts.models import Organisation
from omzien.directory import models as m
from omzien.directory.generator import generate
from omzien.directory.national import NATIONAL_SERVICES
from omzien.directory.search import get_backend
from omzien.directory.services.national import load_national_services
from omzien.directory.vocabularies import ensure_vocabularies, stable_id

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


def load_national() -> int:
    """The national services, as every installation has them (`migrate` loads them too)."""
    load_national_services()
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
