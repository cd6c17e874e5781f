"""`omzien rotate-encryption-keys`: every stored token moves to the newest key."""

from __future__ import annotations

from io import StringIO

from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

import pytest
from cryptography.fernet import Fernet

from omzien.audit.models import AuditEvent
from omzien.cases.models import Case, CaseNote, Consent, Referral, Signal
from omzien.core import crypto
from omzien.core.management.commands import rotate_encryption_keys as rotation
from omzien.measurement.models import Story
from tests.factories import ServiceFactory, make_case

pytestmark = pytest.mark.django_db

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def raw_person(case_id: int) -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT person_name, person_phone, person_email FROM cases_case WHERE id = %s",
            [case_id],
        )
        return cursor.fetchone()


def raw_description(case_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM cases_signal WHERE case_id = %s", [case_id])
        return cursor.fetchone()[0]


def rotate(*args: str) -> str:
    out = StringIO()
    call_command("rotate_encryption_keys", *args, stdout=out)
    return out.getvalue()


def test_every_encrypted_field_of_the_project_is_found():
    found = {
        (model._meta.label, field.name)
        for model, fields in rotation.encrypted_models()
        for field in fields
    }
    assert ("cases.Case", "person_name") in found
    assert ("cases.Signal", "reporter_email") in found
    assert ("cases.Signal", "description") in found
    assert ("cases.CaseNote", "text") in found
    assert ("cases.ContactAttempt", "note") in found
    assert ("cases.Consent", "scope") in found
    assert ("cases.Referral", "shared_name") in found
    assert ("cases.Referral", "decline_note") in found
    assert ("measurement.Story", "text") in found
    assert ("directory.ErrorReport", "message") in found
    assert ("directory.ErrorReport", "reporter_email") in found
    assert ("cases.Case", "person_lookup") not in found  # a hash, not a token


def test_rotation_moves_old_values_to_the_new_key(settings, welfare_a, case_worker_a):
    settings.OMZIEN_FIELD_ENCRYPTION_KEYS = [KEY_A]
    cases = [make_case(welfare_a, person_name=f"Persoon {n}") for n in range(5)]
    CaseNote.objects.create(case=cases[0], kind="note", text="Een aantekening")
    before = {case.pk: raw_person(case.pk) for case in cases}
    description_before = raw_description(cases[0].pk)
    assert before[cases[0].pk][2] == ""  # no e-mail given: stays empty

    settings.OMZIEN_FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    output = rotate("--batch-size", "2")  # several batches
    assert "cases.Case (person_name, person_phone, person_email, person_address, " in output
    # name, phone, address and postcode of 5 cases; the empty e-mail is left alone
    assert "person_postcode): 20 re-encrypted, 0 already on the newest key" in output

    after = {case.pk: raw_person(case.pk) for case in cases}
    for case in cases:
        name_before, phone_before, email_before = before[case.pk]
        name_after, phone_after, email_after = after[case.pk]
        assert name_after != name_before and phone_after != phone_before
        assert email_after == "" and "Persoon" not in name_after
    assert raw_description(cases[0].pk) != description_before

    # Only the new key left: everything still reads.
    settings.OMZIEN_FIELD_ENCRYPTION_KEYS = [KEY_B]
    for n, case in enumerate(cases):
        assert Case.objects.get(pk=case.pk).person_name == f"Persoon {n}"
        assert Case.objects.get(pk=case.pk).person_phone == "0612345678"
    assert Signal.objects.get(case=cases[0]).reporter_email == "kapper@example.org"
    assert CaseNote.objects.get(case=cases[0]).text == "Een aantekening"

    # And the old key alone can no longer read them: they really moved.
    settings.OMZIEN_FIELD_ENCRYPTION_KEYS = [KEY_A]
    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt(after[cases[0].pk][0])

    event = AuditEvent.objects.get(action="crypto.rotate_keys")
    assert event.details["cases.Case"]["rotated"] == 20
    assert "Persoon" not in str(event.details)


def test_rotation_moves_a_decline_note_and_a_story_to_the_new_key(settings, welfare_a):
    settings.OMZIEN_FIELD_ENCRYPTION_KEYS = [KEY_A]
    case = make_case(welfare_a)
    consent = Consent.objects.create(case=case, method="verbal", scope="Delen")
    referral = Referral.objects.create(
        case=case,
        service_name="Koffieochtend",
        consent=consent,
        expires_at=timezone.now(),
        decline_note="Geen plek tot na de zomer",
    )
    story = Story.objects.create(
        service=ServiceFactory(), organisation=welfare_a, author="participant", text="Mijn verhaal"
    )

    settings.OMZIEN_FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    output = rotate()
    assert "cases.Referral (" in output and "decline_note" in output
    assert "measurement.Story (text): 1 re-encrypted" in output

    settings.OMZIEN_FIELD_ENCRYPTION_KEYS = [KEY_B]
    assert Referral.objects.get(pk=referral.pk).decline_note == "Geen plek tot na de zomer"
    assert Story.objects.get(pk=story.pk).text == "Mijn verhaal"


def test_a_second_run_changes_nothing(settings, welfare_a):
    settings.OMZIEN_FIELD_ENCRYPTION_KEYS = [KEY_A]
    case = make_case(welfare_a)
    settings.OMZIEN_FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    rotate()
    once = raw_person(case.pk)
    output = rotate()
    assert raw_person(case.pk) == once
    assert "Done: 0 value(s) re-encrypted." in output
    assert "person_postcode): 0 re-encrypted, 4 already on the newest key" in output


def test_a_value_changed_during_rotation_is_not_overwritten(settings, welfare_a):
    settings.OMZIEN_FIELD_ENCRYPTION_KEYS = [KEY_A]
    case = make_case(welfare_a)
    stale_token = raw_person(case.pk)[0]
    settings.OMZIEN_FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    # The application saves a new name after the command read the old token.
    Case.objects.filter(pk=case.pk).update(person_name="Nieuwe Naam")
    counts = rotation.TableCounts(label="cases.Case", columns=["person_name"])
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        rotation._rotate_value(
            cursor,
            counts,
            Fernet(KEY_B.encode()),
            quote("cases_case"),
            quote("id"),
            "person_name",
            case.pk,
            stale_token,
        )
    assert counts.changed_meanwhile == 1 and counts.rotated == 0
    assert Case.objects.get(pk=case.pk).person_name == "Nieuwe Naam"


def test_a_value_no_key_can_read_stops_the_command_with_its_place(settings, welfare_a):
    settings.OMZIEN_FIELD_ENCRYPTION_KEYS = [KEY_A]
    case = make_case(welfare_a)
    settings.OMZIEN_FIELD_ENCRYPTION_KEYS = [KEY_B]  # key A forgotten
    with pytest.raises(CommandError) as error:
        rotate()
    assert f"cases.Case.person_name:{case.pk}" in str(error.value)
    assert "Fictieve" not in str(error.value)
