"""Every field holding free text about a person is encrypted at rest.

`ENCRYPTED` lists them. A new CharField or TextField in the meldpunt (cases) or the measurement
app must be added either there (and be an `EncryptedTextField`) or to `NOT_PERSONAL`, with the
reason it says nothing about a person; otherwise `test_every_text_field_is_either_encrypted_or_
known_not_to_be_personal` fails. Fields with choices hold a code, not free text.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython
from django.utils import timezone

import pytest

from omzien.accounts.models import Organisation, User
from omzien.cases.models import CaseNote, Consent, ContactAttempt, Referral
from omzien.core import crypto
from omzien.core.fields import EncryptedTextField
from omzien.core.management.commands.rotate_encryption_keys import encrypted_models
from omzien.directory.models import ErrorReport
from omzien.measurement.models import Story
from tests.factories import ServiceFactory, make_case

# (model, field): free text about a person (the person concerned, a reporter, a participant).
ENCRYPTED: list[tuple[str, str]] = [
    ("cases.Case", "person_name"),
    ("cases.Case", "person_phone"),
    ("cases.Case", "person_email"),
    ("cases.Case", "person_address"),
    ("cases.Case", "person_postcode"),
    ("cases.Signal", "reporter_name"),
    ("cases.Signal", "reporter_phone"),
    ("cases.Signal", "reporter_email"),
    ("cases.Signal", "description"),
    ("cases.ContactAttempt", "note"),
    ("cases.CaseNote", "text"),
    ("cases.Consent", "scope"),
    ("cases.Referral", "recipient_email"),
    ("cases.Referral", "shared_name"),
    ("cases.Referral", "shared_phone"),
    ("cases.Referral", "shared_email"),
    ("cases.Referral", "message"),
    ("cases.Referral", "decline_note"),
    ("measurement.Story", "text"),
    # Outside the two apps walked below, but written by members of the public.
    ("directory.ErrorReport", "message"),
    ("directory.ErrorReport", "reporter_email"),
]

# (model, field): text fields that say nothing about a person, and why.
NOT_PERSONAL: dict[tuple[str, str], str] = {
    ("cases.Case", "person_lookup"): "keyed hash (blind index), not reversible",
    ("cases.Signal", "receipt"): "random receipt code given to the reporter",
    ("cases.Signal", "source_reference"): (
        "the partner's reference number, looked up for idempotency (so it cannot be a "
        "non-deterministic token); cleared by retention"
    ),
    ("cases.Signal", "submission_key"): "hash of the form's one-time token",
    ("cases.Signal", "reporter_notified_status"): "status code last told to the reporter",
    ("cases.CaseTransition", "reason"): "closing-reason code",
    ("cases.Referral", "service_name"): "name of a service of the public sociale kaart",
    ("cases.Referral", "token_hash"): "hash of the provider's secure link",
    ("cases.PartnerKey", "prefix"): "public prefix of an API key",
    ("cases.PartnerKey", "key_hash"): "hash of an API key",
    ("measurement.Participant", "code"): (
        "pseudonymous participant code, unique per organisation (so looked up in SQL)"
    ),
    ("measurement.Participant", "age_group"): "age band code",
    ("measurement.Measurement", "category"): "score category code from the scale's rules",
    ("measurement.Measurement", "reason"): "fixed sentence from the scoring rules, not typed",
    ("measurement.Invitation", "token_hash"): "hash of a one-time link",
    ("insight.Persona", "name"): "a described group of residents, not a person",
    ("insight.Persona", "description"): "a described group of residents, not a person",
    ("insight.Persona", "size_indicator"): "name of an area figure",
    ("insight.AreaFigure", "source"): "published statistics",
    ("insight.AreaFigure", "indicator"): "published statistics",
    ("insight.AreaFigure", "area_code"): "published statistics",
    ("insight.AreaFigure", "unit"): "published statistics",
}

WALKED_APPS = ("cases", "measurement", "insight")


def text_fields(app_label: str) -> list[tuple[str, str, models.Field[Any, Any]]]:
    found = []
    for model in apps.get_app_config(app_label).get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                found.append((model._meta.label, field.name, field))
    return found


def test_every_text_field_is_either_encrypted_or_known_not_to_be_personal() -> None:
    unknown = [
        f"{label}.{name}"
        for app_label in WALKED_APPS
        for label, name, _field in text_fields(app_label)
        if (label, name) not in ENCRYPTED and (label, name) not in NOT_PERSONAL
    ]
    assert unknown == [], f"Encrypt these, or say in NOT_PERSONAL why they are not: {unknown}"


def test_the_lists_name_only_fields_that_exist() -> None:
    for label, name in [*ENCRYPTED, *NOT_PERSONAL]:
        apps.get_model(label)._meta.get_field(name)


@pytest.mark.parametrize(("label", "name"), ENCRYPTED)
def test_each_personal_text_field_is_an_encrypted_field_that_key_rotation_covers(
    label: str, name: str
) -> None:
    field = apps.get_model(label)._meta.get_field(name)
    assert isinstance(field, EncryptedTextField)
    rotated = {(m._meta.label, f.name) for m, fields in encrypted_models() for f in fields}
    assert (label, name) in rotated


# --- at rest: the raw column never holds the text --------------------------------------------


@pytest.fixture
def rows(welfare_a: Organisation, case_worker_a: User) -> dict[str, models.Model]:
    now = timezone.now()
    case = make_case(welfare_a)
    consent = Consent.objects.create(case=case, method="verbal", scope="Delen met het buurthuis")
    service = ServiceFactory()
    referral = Referral.objects.create(
        case=case,
        service_name="Koffieochtend",
        consent=consent,
        expires_at=now + dt.timedelta(days=14),
    )
    return {
        "cases.Case": case,
        "cases.Signal": case.signals.get(),
        "cases.ContactAttempt": ContactAttempt.objects.create(
            case=case, channel="phone", outcome="no_answer"
        ),
        "cases.CaseNote": CaseNote.objects.create(case=case, kind="note", text="x"),
        "cases.Consent": consent,
        "cases.Referral": referral,
        "measurement.Story": Story.objects.create(
            service=service, organisation=welfare_a, author="participant", text="x"
        ),
        "directory.ErrorReport": ErrorReport.objects.create(service=service, message="x"),
    }


def raw_value(obj: models.Model, name: str) -> str:
    meta = obj._meta
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(meta.get_field(name).column)} FROM {quote(meta.db_table)} "  # noqa: S608
            f"WHERE {quote(meta.pk.column)} = %s",  # type: ignore[union-attr]
            [obj.pk],
        )
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "name"), ENCRYPTED)
def test_a_saved_personal_text_is_not_in_the_database_in_plain_text(
    rows: dict[str, models.Model], label: str, name: str
) -> None:
    obj = rows[label]
    secret = f"Mevrouw Jansen, Dorpsstraat 12, belt over {label}.{name}"
    setattr(obj, name, secret)
    obj.save(update_fields=[name])

    stored = raw_value(obj, name)
    assert secret not in stored
    assert "Jansen" not in stored
    assert crypto.decrypt(stored) == secret
    assert getattr(type(obj).objects.get(pk=obj.pk), name) == secret


# --- the data migrations encrypt what was stored before ------------------------------------------


MIGRATIONS = [
    ("cases", "0005_encrypt_referral_decline_note", "cases.Referral", ["decline_note"]),
    ("measurement", "0003_encrypt_story_text", "measurement.Story", ["text"]),
    (
        "directory",
        "0005_encrypt_error_report",
        "directory.ErrorReport",
        ["message", "reporter_email"],
    ),
]


def run_data_step(app_label: str, migration_name: str, *, backwards: bool = False) -> None:
    migration = MigrationLoader(connection).get_migration(app_label, migration_name)
    [step] = [op for op in migration.operations if isinstance(op, RunPython)]
    code = step.reverse_code if backwards else step.code
    assert code is not None
    # The step needs only the schema editor's connection (and SQLite refuses a real schema
    # editor inside the test's transaction).
    code(apps, SimpleNamespace(connection=connection))  # type: ignore[arg-type]


def write_raw(obj: models.Model, name: str, value: str) -> None:
    meta = obj._meta
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} SET {quote(meta.get_field(name).column)} = %s "  # noqa: S608
            f"WHERE {quote(meta.pk.column)} = %s",  # type: ignore[union-attr]
            [value, obj.pk],
        )


@pytest.mark.django_db
@pytest.mark.parametrize(("app_label", "migration", "label", "names"), MIGRATIONS)
def test_the_data_migration_encrypts_values_stored_in_plain_text_and_can_go_back(
    rows: dict[str, models.Model], app_label: str, migration: str, label: str, names: list[str]
) -> None:
    obj = rows[label]
    plain = {name: f"Geen plek voor meneer De Vries ({name})" for name in names}
    for name, value in plain.items():
        write_raw(obj, name, value)  # as the column held it before the migration

    run_data_step(app_label, migration)
    for name, value in plain.items():
        stored = raw_value(obj, name)
        assert "De Vries" not in stored
        assert crypto.decrypt(stored) == value
        assert getattr(type(obj).objects.get(pk=obj.pk), name) == value

    tokens = {name: raw_value(obj, name) for name in names}
    run_data_step(app_label, migration)  # a second run leaves tokens alone
    assert {name: raw_value(obj, name) for name in names} == tokens

    run_data_step(app_label, migration, backwards=True)
    assert {name: raw_value(obj, name) for name in names} == plain
