"""What is indexed for a service: its text in three fields of falling weight, as stems.

- name: the service's name;
- description: what it is;
- other: alternate name, for whom, how to apply, the organization's name, the taxonomy terms
  attached through `Attribute` (their names, and a token per term, `term_token`, that search
  concepts use to find the services tagged with a term whatever its name), and the names and
  cities of its locations.

Only published services that are active or temporarily closed are indexed.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet

from omzien.directory.models import Attribute, Service, ServiceAtLocation
from omzien.search.text import MIN_VOCABULARY_CHARS, stem, words

# Bounds on what one service contributes, so a pasted manual cannot bloat the index.
MAX_FIELD_WORDS = 2_000

_SERVICE_FIELDS = (
    "id",
    "name",
    "description",
    "alternate_name",
    "eligibility_description",
    "application_process",
    "organization__name",
)


def indexable_services() -> QuerySet[Service]:
    return Service.objects.visible()


def term_token(term_id: uuid.UUID | str) -> str:
    """The word that stands for a taxonomy term in the index: "t" and the term id's 32 hex
    digits. Letters and digits only, so both databases keep it whole; never in the vocabulary,
    so it is not offered as a completion, a part or a correction."""
    value = term_id if isinstance(term_id, uuid.UUID) else uuid.UUID(str(term_id))
    return f"t{value.hex}"


@dataclass
class IndexedDocument:
    service_id: uuid.UUID
    name: list[str] = field(default_factory=list)  # stems, in order
    description: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    words: dict[str, str] = field(default_factory=dict)  # distinct normalised word -> stem

    def add(self, target: list[str], text: str | None) -> None:
        if not text:
            return
        for word in words(text)[: max(0, MAX_FIELD_WORDS - len(target))]:
            word_stem = stem(word)
            target.append(word_stem)
            if len(word) >= MIN_VOCABULARY_CHARS:
                self.words[word] = word_stem


def build_documents(ids: Sequence[uuid.UUID]) -> list[IndexedDocument]:
    """Documents for those of `ids` that should be indexed, ordered by service id."""
    rows = list(
        indexable_services().filter(id__in=ids).order_by("id").values_list(*_SERVICE_FIELDS)
    )
    if not rows:
        return []
    found = [row[0] for row in rows]
    extra: dict[uuid.UUID, list[str]] = defaultdict(list)
    tokens: dict[uuid.UUID, list[str]] = defaultdict(list)
    for service_id, term, term_name in Attribute.objects.filter(
        service_id__in=found, taxonomy_term__isnull=False
    ).values_list("service_id", "taxonomy_term_id", "taxonomy_term__name"):
        extra[service_id].append(term_name)
        tokens[service_id].append(term_token(term))
    for service_id, location, city in ServiceAtLocation.objects.filter(
        service_id__in=found
    ).values_list("service_id", "location__name", "location__addresses__city"):
        extra[service_id].extend(text for text in (location, city) if text)

    documents = []
    for service_id, name, description, alternate, eligibility, application, org in rows:
        document = IndexedDocument(service_id)
        document.add(document.name, name)
        document.add(document.description, description)
        for text in (alternate, eligibility, application, org, *dict.fromkeys(extra[service_id])):
            document.add(document.other, text)
        # After the words, so the field's word limit never drops them.
        document.other.extend(dict.fromkeys(tokens[service_id]))
        documents.append(document)
    return documents


def all_documents(batch_size: int = 1000) -> Iterator[list[IndexedDocument]]:
    """Every indexable service's document, in batches, ordered by service id."""
    queryset = indexable_services().order_by("id").values_list("id", flat=True)
    last: uuid.UUID | None = None
    while True:
        page = queryset if last is None else queryset.filter(id__gt=last)
        ids = list(page[:batch_size])
        if not ids:
            return
        yield build_documents(ids)
        last = ids[-1]
