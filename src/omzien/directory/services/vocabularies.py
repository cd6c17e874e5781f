"""Writes to the vocabularies (HSDS taxonomies), the search synonyms and the search concepts,
for administrators.

Each function checks the permission layer, writes in one transaction with its audit event, and
queues the rebuild of the search index after the commit where the change reaches search.
Synonyms and concepts need no rebuild: they are applied to the query, and their cached copy is
dropped when they change (`directory/apps.py`).
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils.text import slugify

from omzien.accounts.models import User
from omzien.accounts.permissions import require
from omzien.accounts.roles import Capability
from omzien.audit.services import record_event
from omzien.directory.models import SearchConcept, Synonym, Taxonomy, TaxonomyTerm
from omzien.directory.search_tasks import rebuild_search_index

MANAGE = Capability.MANAGE_VOCABULARIES


def _queue_rebuild() -> None:
    transaction.on_commit(lambda: rebuild_search_index.enqueue())


def update_term(
    term: TaxonomyTerm,
    user: User,
    *,
    name: str,
    description: str,
    resident_name: str | None = None,
    request: HttpRequest | None = None,
) -> TaxonomyTerm:
    """Rename a term, change its plain name for residents (None: keep it) or its explanation;
    its code, the stable key, stays."""
    require(user, MANAGE)
    with transaction.atomic():
        locked = TaxonomyTerm.objects.select_for_update().get(pk=term.pk)
        wanted = {"name": name, "description": description}
        if resident_name is not None:
            wanted["resident_name"] = resident_name
        changed = [field for field, value in wanted.items() if getattr(locked, field) != value]
        for field, value in wanted.items():
            setattr(locked, field, value)
        locked.save(update_fields=list(wanted))
        record_event(
            "taxonomy_term.update",
            request=request,
            actor=user,
            obj=locked,
            details={"fields": changed},
        )
        # Term names are part of the searchable text of every service that has them.
        _queue_rebuild()
    return locked


def _free_code(taxonomy: Taxonomy, name: str) -> str:
    base = slugify(name).replace("-", "_")[:80] or "term"
    code, n = base, 1
    while TaxonomyTerm.objects.filter(taxonomy=taxonomy, code=code).exists():
        n += 1
        code = f"{base}_{n}"
    return code


def add_term(
    taxonomy: Taxonomy,
    user: User,
    *,
    name: str,
    description: str,
    resident_name: str = "",
    request: HttpRequest | None = None,
) -> TaxonomyTerm:
    """A new Dutch term in the vocabulary, with a code made from its name and not yet taken."""
    require(user, MANAGE)
    with transaction.atomic():
        term = TaxonomyTerm.objects.create(
            taxonomy=taxonomy,
            language="nl",
            code=_free_code(taxonomy, name),
            name=name,
            resident_name=resident_name,
            description=description,
        )
        record_event("taxonomy_term.create", request=request, actor=user, obj=term)
    return term


def replace_synonyms(
    groups: list[str], user: User, *, request: HttpRequest | None = None
) -> list[Synonym]:
    """The search synonyms become these groups (one "word, word, ..." line each)."""
    require(user, MANAGE)
    with transaction.atomic():
        Synonym.objects.all().delete()
        synonyms = Synonym.objects.bulk_create([Synonym(words=line) for line in groups])
        record_event(
            "synonyms.update", request=request, actor=user, details={"groups": len(groups)}
        )
    return synonyms


def save_concept(
    concept: SearchConcept | None,
    user: User,
    *,
    name: str,
    phrases: str,
    words: str,
    terms: list[TaxonomyTerm],
    request: HttpRequest | None = None,
) -> SearchConcept:
    """Create a search concept (`concept` None) or change one: its name, the phrases people
    type for it, the words and the taxonomy terms it stands for."""
    require(user, MANAGE)
    with transaction.atomic():
        if concept is None:
            concept = SearchConcept(name=name, phrases=phrases, words=words)
            concept.save()
            action, changed = "search_concept.create", ["name", "phrases", "words", "terms"]
        else:
            concept = SearchConcept.objects.select_for_update().get(pk=concept.pk)
            wanted = {"name": name, "phrases": phrases, "words": words}
            changed = [field for field, value in wanted.items() if getattr(concept, field) != value]
            for field, value in wanted.items():
                setattr(concept, field, value)
            concept.save(update_fields=list(wanted))
            if {term.pk for term in terms} != set(concept.terms.values_list("pk", flat=True)):
                changed.append("terms")
            action = "search_concept.update"
        concept.terms.set(terms)
        record_event(action, request=request, actor=user, obj=concept, details={"fields": changed})
    return concept


def delete_concept(
    concept: SearchConcept, user: User, *, request: HttpRequest | None = None
) -> None:
    require(user, MANAGE)
    with transaction.atomic():
        object_id = concept.pk
        SearchConcept.objects.filter(pk=object_id).delete()
        record_event(
            "search_concept.delete",
            request=request,
            actor=user,
            object_type=SearchConcept._meta.label_lower,
            object_id=object_id,
        )


def rebuild_index(user: User, *, request: HttpRequest | None = None) -> None:
    """Ask the worker to rebuild the search index from scratch."""
    require(user, MANAGE)
    with transaction.atomic():
        rebuild_search_index.enqueue()
        record_event("search.rebuild", request=request, actor=user)
