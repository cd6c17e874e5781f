"""Writes to the sociale kaart: providers keep their services current, the municipality reviews.

Every write to the kaart goes through one envelope, `common.kaart_write`: one transaction, a row
per changed field in HSDS `Metadata` (the history providers and reviewers read), one `AuditEvent`
and a request to reindex the service for search. E-mail goes through the task queue once the
transaction has committed.

The data a provider edits travels as `ServiceData` / `LocationData`: plain, JSON-safe values.
The same value is what a `ChangeRequest` stores as its payload, so an approved proposal is
applied by exactly the function a trusted provider's edit goes through.

One job per module, each importing only those above it in this list:

- `common`: the write envelope, e-mail, and who hears about a provider;
- `data`: the values a provider edits, read from the kaart and described field by field;
- `writes`: live writes of services and their locations;
- `trust`: who publishes at once, and marking a provider trusted;
- `review`: proposals of providers that are not (yet) trusted, approved or rejected;
- `error_reports`: a resident's "report an error on this page";
- `reminders`: e-mails about services nobody has checked for a long time;
- `vocabularies`: administrators' edits of the vocabularies and the search synonyms (called as
  `services.vocabularies.add_term(...)`: its names are not re-exported here).
- `national`: the national services every installation has, loaded by `migrate` (called as
  `services.national.load_national_services()`: not re-exported here either).

Callers import from here (`from omzien.directory import services`); the modules are the
package's own layout. A name with a leading underscore may be shared between these modules but is
never used outside the package.
"""

from __future__ import annotations

from omzien.directory.services.common import provider_recipients
from omzien.directory.services.data import (
    ACTION_LABELS,
    LOCATION_FIELD_LABELS,
    NATIONAL_AREA_CODE,
    ORGANIZATION_FIELD_LABELS,
    PROVINCES,
    SERVICE_FIELD_LABELS,
    SERVICE_LANGUAGES,
    SERVICE_VOCABULARIES,
    WEEKDAYS,
    AreaData,
    AreaKind,
    CostData,
    FieldChange,
    LocationData,
    PhoneData,
    SaveResult,
    ScheduleData,
    ServiceData,
    field_label,
    flatten_location,
    flatten_service,
    location_data,
    location_label,
    service_data,
)
from omzien.directory.services.error_reports import (
    notify_error_report,
    report_error,
    resolve_error_report,
)
from omzien.directory.services.reminders import (
    REMINDER_INTERVAL,
    ReminderResult,
    remind_stale_services,
    stale_services_due_for_reminder,
)
from omzien.directory.services.review import (
    ChangeKind,
    ChangeRequestClosed,
    approve_change_request,
    change_request_kind,
    change_request_title,
    describe_change_request,
    pending_change,
    reject_change_request,
    save_location,
    save_service,
    submit_change,
    unlink_location,
)
from omzien.directory.services.trust import changes_go_live, set_organization_trust
from omzien.directory.services.writes import (
    add_location,
    create_service,
    remove_location,
    unique_slug,
    update_location,
    update_service,
    verify_service,
)

__all__ = [
    "ACTION_LABELS",
    "LOCATION_FIELD_LABELS",
    "NATIONAL_AREA_CODE",
    "ORGANIZATION_FIELD_LABELS",
    "PROVINCES",
    "REMINDER_INTERVAL",
    "SERVICE_FIELD_LABELS",
    "SERVICE_LANGUAGES",
    "SERVICE_VOCABULARIES",
    "WEEKDAYS",
    "AreaData",
    "AreaKind",
    "ChangeKind",
    "ChangeRequestClosed",
    "CostData",
    "FieldChange",
    "LocationData",
    "PhoneData",
    "ReminderResult",
    "SaveResult",
    "ScheduleData",
    "ServiceData",
    "add_location",
    "approve_change_request",
    "change_request_kind",
    "change_request_title",
    "changes_go_live",
    "create_service",
    "describe_change_request",
    "field_label",
    "flatten_location",
    "flatten_service",
    "location_data",
    "location_label",
    "notify_error_report",
    "pending_change",
    "provider_recipients",
    "reject_change_request",
    "remind_stale_services",
    "remove_location",
    "report_error",
    "resolve_error_report",
    "save_location",
    "save_service",
    "service_data",
    "set_organization_trust",
    "stale_services_due_for_reminder",
    "submit_change",
    "unique_slug",
    "unlink_location",
    "update_location",
    "update_service",
    "verify_service",
]
