"""Open Referral HSDS 3.1 <-> our directory models: pure functions, both directions.

- `entities`: one table, `ENTITIES`, says for every HSDS object which model holds it, how each
  field is typed and which objects nest in it. Both directions read it, so what is exported can
  be imported again unchanged.
- `encode`: model -> HSDS, `service_to_hsds()`, `organization_to_hsds()`, ...
- `flatten`: a nested HSDS document -> flat records (one per object, with the links the
  nesting implies), the form of the tabular data package.
- `decode`: `to_model_values()` checks and converts one flat record into model field values,
  with the `problems` it found (see `interop.hsds_import` for the policy).

Everything other modules use is importable from here (`from omzien.interop import hsds`).
"""

from __future__ import annotations

from omzien.interop.hsds.decode import MAX_AGE, canonical_id, to_model_values
from omzien.interop.hsds.encode import (
    attach_attributes,
    attribute_to_hsds,
    capacity_to_hsds,
    contact_to_hsds,
    encode,
    language_to_hsds,
    linked_ids,
    location_to_hsds,
    organization_to_hsds,
    phone_to_hsds,
    program_to_hsds,
    scalars,
    schedule_to_hsds,
    service_area_to_hsds,
    service_at_location_to_hsds,
    service_minimal,
    service_to_hsds,
    taxonomy_term_to_hsds,
    taxonomy_to_hsds,
    url_to_hsds,
    walk,
)
from omzien.interop.hsds.entities import (
    BY_TABLE,
    ENTITIES,
    ENTITY_ORDER,
    HSDS_VERSION,
    Child,
    Entity,
    Field,
    Kind,
    Nested,
    attname,
    link_fields,
    required_fields,
    schema_property_order,
)
from omzien.interop.hsds.flatten import FlatRecord, Flattened, flatten
from omzien.interop.hsds.problems import Level, Problem

__all__ = [
    "BY_TABLE",
    "ENTITIES",
    "ENTITY_ORDER",
    "HSDS_VERSION",
    "MAX_AGE",
    "Child",
    "Entity",
    "Field",
    "FlatRecord",
    "Flattened",
    "Kind",
    "Level",
    "Nested",
    "Problem",
    "attach_attributes",
    "attname",
    "attribute_to_hsds",
    "canonical_id",
    "capacity_to_hsds",
    "contact_to_hsds",
    "encode",
    "flatten",
    "language_to_hsds",
    "link_fields",
    "linked_ids",
    "location_to_hsds",
    "organization_to_hsds",
    "phone_to_hsds",
    "program_to_hsds",
    "required_fields",
    "scalars",
    "schedule_to_hsds",
    "schema_property_order",
    "service_area_to_hsds",
    "service_at_location_to_hsds",
    "service_minimal",
    "service_to_hsds",
    "taxonomy_term_to_hsds",
    "taxonomy_to_hsds",
    "to_model_values",
    "url_to_hsds",
    "walk",
]
