"""Import and export of Open Referral HSDS 3.1: the official examples, every kind of faulty file
and record, idempotence, all-or-nothing, and the round trip. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import io
import json
import random
import shutil
import zipfile
from pathlib import Path
from typing import Any
from unittest import mock

from django.core.management import CommandError, call_command

import pytest

from omzien.audit.models import AuditEvent
from omzien.directory import models as m
from omzien.directory.search import get_backend
from omzien.directory.vocabularies import taxonomy_id, term_id
from omzien.interop import hsds_schemas
from omzien.interop.hsds import Level
from omzien.interop.hsds_export import export_csv, export_json
from omzien.interop.hsds_import import ImportFailed, ImportReport, import_hsds
from tests.factories import DirectoryOrganizationFactory, LocationFactory, ServiceFactory, tag

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "hsds"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
PHONE_ID = "1554f2e2-a373-45db-a3fa-9fc48a61c15e"
CAPACITY_ID = "8896b788-7b3e-11ef-8db9-7f3d040352b3"
LOCATION_ID = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"
ORGANIZATION_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
TERM_ID = "3f7b145d-84af-42d7-8fae-eaca714b02b2"


def example(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def write(tmp_path: Path, data: Any, name: str = "data.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def found(report: ImportReport) -> set[tuple[str, str, str, str]]:
    """(level, file, the record's last part, field) of every issue."""
    return {
        (issue.level.value, issue.file, issue.record.split(" › ")[-1], issue.field)
        for issue in report.issues
    }


def directory_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            m.Organization,
            m.Service,
            m.Location,
            m.Address,
            m.ServiceAtLocation,
            m.Phone,
            m.Contact,
            m.Schedule,
            m.Language,
            m.Attribute,
            m.TaxonomyTerm,
            m.Taxonomy,
            m.ServiceCapacity,
            m.Unit,
            m.Url,
            m.CostOption,
        )
    }


def wipe() -> None:
    """An empty sociale kaart: everything but our own seeded vocabularies."""
    m.Attribute.objects.all().delete()
    m.Service.objects.all().delete()
    m.Location.objects.all().delete()
    m.Organization.objects.all().delete()
    for model in (m.Phone, m.Contact, m.Schedule, m.Language, m.Url, m.Funding, m.ServiceArea):
        model.objects.all().delete()
    m.Unit.objects.all().delete()
    m.TaxonomyTerm.objects.exclude(taxonomy__key__gt="").delete()
    m.Taxonomy.objects.filter(key="").delete()


# -- the official examples -------------------------------------------------------------------------


def test_the_official_service_imports_with_exactly_its_known_faults_reported() -> None:
    report = import_hsds(FIXTURES / "service_full.json")
    assert found(report) == {
        # Quotes inside the phone number: removed, so the phone is imported (in six places).
        ("warning", "service_full.json", f"phone {PHONE_ID}", "phones[0].number"),
        # 12 places available, 10 at most: that capacity is skipped.
        (
            "error",
            "service_full.json",
            f"service_capacity {CAPACITY_ID}",
            "capacities[0].available",
        ),
        # Latitude 100 and longitude 101 do not exist: the coordinates are left out.
        (
            "warning",
            "service_full.json",
            f"location {LOCATION_ID}",
            "organization.locations[0].latitude",
        ),
        # Links to a parent organization and a parent term that are in no file.
        (
            "warning",
            "service_full.json",
            f"organization {ORGANIZATION_ID}",
            "organization.parent_organization_id",
        ),
        (
            "warning",
            "service_full.json",
            f"taxonomy_term {TERM_ID}",
            "attributes[0].taxonomy_term.parent_id",
        ),
        # The change history is not imported (Omzien keeps its own).
        ("note", "service_full.json", "", "metadata"),
    }
    service = m.Service.objects.get(id=SERVICE_ID)
    assert service.phones.get().number == "+44 1234 234567"
    assert not service.capacities.exists()
    location = m.Location.objects.get(id=LOCATION_ID)
    assert location.latitude is None and location.longitude is None
    # The shared phone, contact and schedule are one row each, linked everywhere they appear.
    phone = m.Phone.objects.get(id=PHONE_ID)
    assert phone.location_id and phone.organization_id and phone.contact_id
    assert phone.service_at_location_id
    assert service.attributes.get().taxonomy_term.taxonomy.name == "name"
    assert report.created["service"] == 1


def test_the_official_tabular_package_imports_with_its_known_faults_reported() -> None:
    report = import_hsds(FIXTURES / "csv")
    assert found(report) == {
        ("warning", "phones.csv", f"regel 2 (id {PHONE_ID})", "number"),
        ("error", "service_capacity.csv", f"regel 2 (id {CAPACITY_ID})", "available"),
        ("error", "service_capacity.csv", f"regel 2 (id {CAPACITY_ID})", "service_id"),
        ("error", "service_capacity.csv", f"regel 2 (id {CAPACITY_ID})", "unit_id"),
        ("warning", "locations.csv", f"regel 2 (id {LOCATION_ID})", "latitude"),
        # Foreign keys to rows that are in no file of the package.
        ("warning", "locations.csv", f"regel 2 (id {LOCATION_ID})", "organization_id"),
        (
            "warning",
            "organizations.csv",
            f"regel 2 (id {ORGANIZATION_ID})",
            "parent_organization_id",
        ),
        (
            "warning",
            "contacts.csv",
            "regel 2 (id 1e7efce3-639b-4880-940c-b95cd30cdb50)",
            "organization_id",
        ),
        (
            "warning",
            "contacts.csv",
            "regel 2 (id 1e7efce3-639b-4880-940c-b95cd30cdb50)",
            "service_at_location_id",
        ),
        (
            "warning",
            "service_areas.csv",
            "regel 2 (id 381c64f1-a724-4884-9c21-ac96c21cca3e)",
            "service_at_location_id",
        ),
        ("warning", "taxonomy_terms.csv", f"regel 2 (id {TERM_ID})", "taxonomy_id"),
        ("warning", "taxonomy_terms.csv", f"regel 2 (id {TERM_ID})", "parent_id"),
        ("error", "attributes.csv", "regel 2 (id ae58cc39-8b70-4ab1-8aea-786882e5ac8e)", "link_id"),
        # url.csv has no organization_id or service_id column: its one row belongs to nothing.
        ("error", "url.csv", "regel 2 (id 30951f94-7b24-11ef-ba1b-a79405d4dcaa)", "id"),
        ("note", "metadata.csv", "", ""),
        ("note", "meta_table_descriptions.csv", "", ""),
    }
    service = m.Service.objects.get(id=SERVICE_ID)
    assert service.organization_id is not None
    assert service.phones.get().number == "+44 1234 234567"
    assert service.schedules.get().byday == "TH,FR"


@pytest.mark.parametrize(
    "name",
    [
        "service_list.json",
        "organization_full.json",
        "organization_list.json",
        "service_at_location_full.json",
        "service_at_location_list.json",
        "location.json",
        "taxonomy.json",
        "taxonomy_list.json",
        "taxonomy_term.json",
        "taxonomy_term_list.json",
    ],
)
def test_every_official_json_example_imports(name: str) -> None:
    report = import_hsds(FIXTURES / name)
    assert report.records_read == 1
    assert sum(report.created.values()) > 0


def test_the_official_examples_validate_against_the_vendored_schemas() -> None:
    for name, schema in [
        ("service_full.json", "compiled/service.json"),
        ("organization_full.json", "compiled/organization.json"),
        ("service_at_location_full.json", "compiled/service_at_location.json"),
        ("location.json", "location.json"),
        ("taxonomy_term.json", "taxonomy_term.json"),
    ]:
        assert hsds_schemas.validate(schema, example(name)) == [], name


def test_schema_references_resolve_locally_without_network() -> None:
    with mock.patch("urllib.request.urlopen", side_effect=AssertionError("no network")):
        validator = hsds_schemas.openapi_response_validator("/services")
        assert validator.is_valid(example("service_list.json"))
        assert hsds_schemas.validator("service.json").is_valid(example("service_full.json"))


def test_the_fast_check_agrees_with_jsonschema_on_damaged_documents() -> None:
    document = example("service_full.json")
    paths: list[tuple[Any, ...]] = []

    def walk(value: Any, path: tuple[Any, ...]) -> None:
        paths.append(path)
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))

    walk(document, ())
    values = [None, 1, 2.5, True, "x", "", [], {}, "not-a-uuid", SERVICE_ID, "a@b", "WEEKLY"]
    rng = random.Random(7)
    for _ in range(600):
        damaged = copy.deepcopy(document)
        path = rng.choice(paths[1:])
        parent = damaged
        for key in path[:-1]:
            parent = parent[key]
        if rng.random() < 0.8:
            parent[path[-1]] = rng.choice(values)
        elif isinstance(parent, dict):
            del parent[path[-1]]
        for schema in ("compiled/service.json", "service.json"):
            fast = hsds_schemas.fast_checker(schema)(damaged)
            assert fast == hsds_schemas.validator(schema).is_valid(damaged), (schema, path)


# -- faulty records --------------------------------------------------------------------------------


def minimal_service(**fields: Any) -> dict[str, Any]:
    return {
        "id": "11111111-1111-4111-8111-111111111111",
        "name": "Koffie",
        "status": "active",
        **fields,
    }


def test_a_schema_error_skips_only_the_faulty_record(tmp_path: Path) -> None:
    good_phone = {"id": "22222222-2222-4222-8222-222222222222", "number": "0492 111111"}
    bad_phone = {"id": "33333333-3333-4333-8333-333333333333", "number": 12345}
    document = minimal_service(phones=[good_phone, bad_phone])
    report = import_hsds(
        write(tmp_path, [document, {"id": "nope", "name": "X", "status": "active"}])
    )
    assert m.Service.objects.filter(name="Koffie").exists()
    assert list(m.Phone.objects.values_list("number", flat=True)) == ["0492 111111"]
    errors = [(i.record, i.field) for i in report.errors]
    assert ("record 1 › phone 33333333-3333-4333-8333-333333333333", "phones[1].number") in errors
    assert any(record == "record 2" and field == "id" for record, field in errors)
    assert all(issue.file == "data.json" for issue in report.issues)


def test_a_number_that_is_no_phone_number_is_imported_with_a_warning(tmp_path: Path) -> None:
    phones = [
        {"id": "22222222-2222-4222-8222-222222222222", "number": "0492 111111"},
        {"id": "33333333-3333-4333-8333-333333333333", "number": "+44 20 7946 0958"},
        {"id": "44444444-4444-4444-8444-444444444444", "number": "bel de receptie"},
    ]
    report = import_hsds(write(tmp_path, minimal_service(phones=phones)))
    assert sorted(m.Phone.objects.values_list("number", flat=True)) == [
        "+44 20 7946 0958",
        "0492 111111",
        "bel de receptie",
    ]
    assert [(i.level, i.record.split(" › ")[-1], i.field) for i in report.issues] == [
        (Level.WARNING, "phone 44444444-4444-4444-8444-444444444444", "phones[2].number")
    ]
    assert "bel de receptie is geen geldig telefoonnummer" in report.issues[0].message


@pytest.mark.parametrize(
    "schedule, level, field",
    [
        ({"byday": "MO,XX"}, "error", "schedules[0].byday"),
        ({"byday": "1MO,-1FR"}, None, None),
        ({"byday": "mo,we"}, "warning", "schedules[0].byday"),
        ({"wkst": "XX"}, "error", "schedules[0].wkst"),
        ({"opens_at": "25:00"}, "error", "schedules[0].opens_at"),
        (
            {"valid_from": "2025-02-01", "valid_to": "2025-01-01"},
            "error",
            "schedules[0].valid_from",
        ),
    ],
)
def test_weekday_codes_and_times_are_checked(
    tmp_path: Path, schedule: dict[str, str], level: str | None, field: str | None
) -> None:
    schedule = {"id": "44444444-4444-4444-8444-444444444444", "freq": "WEEKLY", **schedule}
    report = import_hsds(write(tmp_path, minimal_service(schedules=[schedule])))
    assert [(i.level.value, i.field) for i in report.issues] == ([(level, field)] if level else [])
    imported = m.Schedule.objects.first()
    assert (imported is None) == (level == "error")
    if level == "warning":
        assert imported is not None and imported.byday == "MO,WE"


def test_minimum_age_above_maximum_age_skips_the_service(tmp_path: Path) -> None:
    phone = {"id": "22222222-2222-4222-8222-222222222222", "number": "0492 111111"}
    report = import_hsds(
        write(tmp_path, minimal_service(minimum_age=60, maximum_age=18, phones=[phone]))
    )
    assert not m.Service.objects.exists() and not m.Phone.objects.exists()
    assert [(i.level, i.field) for i in report.issues] == [(Level.ERROR, "minimum_age")]


def test_capacity_above_its_maximum_is_skipped(tmp_path: Path) -> None:
    unit = {"id": "55555555-5555-4555-8555-555555555555", "name": "plaatsen"}
    capacities = [
        {
            "id": "66666666-6666-4666-8666-666666666666",
            "unit": unit,
            "available": 3,
            "maximum": 10,
            "updated": "2025-01-01T10:00:00Z",
        },
        {
            "id": "77777777-7777-4777-8777-777777777777",
            "unit": unit,
            "available": 11,
            "maximum": 10,
            "updated": "2025-01-01T10:00:00Z",
        },
    ]
    report = import_hsds(write(tmp_path, minimal_service(capacities=capacities)))
    assert list(m.ServiceCapacity.objects.values_list("available", flat=True)) == [3]
    assert [i.field for i in report.errors] == ["capacities[1].available"]


def test_empty_strings_and_nulls_count_as_absent(tmp_path: Path) -> None:
    document = minimal_service(email="", url=None, assured_date="", organization_id="")
    report = import_hsds(write(tmp_path, document))
    service = m.Service.objects.get()
    assert service.email == "" and service.assured_date is None
    assert report.issues == []


def test_a_too_long_value_is_an_error_not_a_crash(tmp_path: Path) -> None:
    report = import_hsds(write(tmp_path, minimal_service(name="x" * 300)))
    assert not m.Service.objects.exists()
    assert [i.field for i in report.errors] == ["name"]


# -- idempotence and updates -----------------------------------------------------------------------


def test_importing_the_same_data_again_updates_and_never_duplicates() -> None:
    first = import_hsds(FIXTURES / "service_full.json")
    counts = directory_counts()
    slug = m.Service.objects.get(id=SERVICE_ID).slug
    second = import_hsds(FIXTURES / "service_full.json")
    assert directory_counts() == counts
    assert second.created["service"] == 0 and second.updated["service"] == 1
    assert sum(second.created.values()) == 0
    assert m.Service.objects.get(id=SERVICE_ID).slug == slug  # the public address stays
    assert first.created["service"] == 1
    import_hsds(FIXTURES / "csv")
    import_hsds(FIXTURES / "csv")
    assert m.Service.objects.count() == 1


def test_a_changed_document_replaces_what_it_lists(tmp_path: Path) -> None:
    import_hsds(FIXTURES / "service_full.json")
    document = example("service_full.json")
    document["name"] = "Nieuwe naam"
    document["phones"] = []
    document["languages"] = []
    document["attributes"] = []
    import_hsds(write(tmp_path, document))
    service = m.Service.objects.get(id=SERVICE_ID)
    assert service.name == "Nieuwe naam"
    assert not service.phones.exists() and not service.attributes.exists()
    # The phone still belongs to the location, organization and contact that list it.
    phone = m.Phone.objects.get(id=PHONE_ID)
    assert phone.service_id is None and phone.location_id is not None
    assert not service.languages.exists()
    assert m.Language.objects.filter(location_id=LOCATION_ID).exists()


def test_internal_fields_survive_a_reimport(tmp_path: Path) -> None:
    import_hsds(FIXTURES / "service_full.json")
    m.Service.objects.filter(id=SERVICE_ID).update(is_published=False, slug="mijn-adres")
    m.Organization.objects.filter(id=ORGANIZATION_ID).update(is_trusted=True)
    import_hsds(FIXTURES / "service_full.json")
    service = m.Service.objects.select_related("organization").get(id=SERVICE_ID)
    assert not service.is_published and service.slug == "mijn-adres"
    assert service.organization is not None and service.organization.is_trusted


def test_our_own_vocabularies_are_linked_not_renamed(tmp_path: Path) -> None:
    term = m.TaxonomyTerm.objects.get(id=term_id("support_kind", "meeting"))
    document = minimal_service(
        attributes=[
            {
                "id": "88888888-8888-4888-8888-888888888888",
                "taxonomy_term": {
                    "id": str(term.id),
                    "name": "Hijacked",
                    "description": "-",
                    "taxonomy_detail": {
                        "id": str(taxonomy_id("support_kind")),
                        "name": "Hijacked",
                        "description": "-",
                    },
                },
            }
        ]
    )
    import_hsds(write(tmp_path, document))
    term.refresh_from_db()
    assert term.name == "Ontmoeting" and term.taxonomy.name == "Soort steun"
    assert m.Service.objects.get().attributes.get().taxonomy_term_id == term.id


def test_scope_and_slug_come_from_the_data(tmp_path: Path) -> None:
    national = minimal_service(
        service_areas=[{"id": "99999999-9999-4999-8999-999999999999", "name": "Nederland"}]
    )
    local = {
        "id": "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa",
        "name": "Koffie",
        "status": "active",
        "service_areas": [
            {
                "id": "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb",
                "name": "Wijk",
                "uri": "https://cbs.nl/WK079410",
            }
        ],
    }
    import_hsds(write(tmp_path, [national, local]))
    first, second = m.Service.objects.order_by("id")
    assert first.scope == m.ServiceScope.NATIONAL and second.scope == m.ServiceScope.DISTRICT
    assert first.slug == "koffie-11111111" and second.slug == "koffie-aaaaaaaa"
    assert m.ServiceArea.objects.get(name="Nederland").area_code == "NL"


def test_the_search_index_is_rebuilt_and_an_audit_event_written() -> None:
    import_hsds(FIXTURES / "service_full.json")
    found_services, _info = get_backend().apply(m.Service.objects.all(), "counselling")
    assert [s.id for s in found_services] == [m.Service.objects.get().id]
    event = AuditEvent.objects.get(action="directory.import_hsds")
    assert event.details["created"]["service"] == 1


# -- all or nothing, and malformed files -----------------------------------------------------------


def test_a_failed_import_changes_nothing(tmp_path: Path) -> None:
    import_hsds(FIXTURES / "service_full.json")
    before = directory_counts()
    good = minimal_service()
    text = json.dumps([good, good | {"id": "cccccccc-cccc-4ccc-8ccc-cccccccccccc"}])
    broken = tmp_path / "broken.json"
    broken.write_text(text[:-20] + "}}", encoding="utf-8")
    with pytest.raises(ImportFailed, match="geen geldige JSON"):
        import_hsds(broken)
    assert directory_counts() == before


def test_an_unexpected_error_rolls_everything_back(tmp_path: Path) -> None:
    before = directory_counts()
    with (
        mock.patch(
            "omzien.interop.hsds_import.rebuild_search_index", side_effect=RuntimeError("kapot")
        ),
        pytest.raises(RuntimeError),
    ):
        import_hsds(FIXTURES / "service_full.json")
    assert directory_counts() == before
    assert not AuditEvent.objects.filter(action="directory.import_hsds").exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "leeg"),
        (b"   \n", "leeg"),
        (b'[{"id": ', "geen geldige JSON"),
        (b"{\"name\": 'x'}", "geen geldige JSON"),
        (b"nonsense", "geen geldige JSON"),
        (b"[1, 2] extra", "geen geldige JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binair"),
        (bytes(range(256)) * 4, "binair"),
    ],
)
def test_unreadable_json_is_refused_clearly(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "file.json"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=message) as failure:
        import_hsds(path)
    assert failure.value.file == "file.json"
    assert not m.Service.objects.exists()


def test_the_tabular_form_in_json_is_pointed_to_the_data_package() -> None:
    with pytest.raises(ImportFailed, match="datapakket"):
        import_hsds(FIXTURES / "tabular.json")


def copy_package(tmp_path: Path) -> Path:
    target = tmp_path / "package"
    shutil.copytree(FIXTURES / "csv", target)
    return target


def test_a_package_without_datapackage_json_is_refused(tmp_path: Path) -> None:
    package = copy_package(tmp_path)
    (package / "datapackage.json").unlink()
    with pytest.raises(ImportFailed, match="datapackage.json ontbreekt"):
        import_hsds(package)


def test_a_datapackage_json_that_is_not_json_is_refused(tmp_path: Path) -> None:
    package = copy_package(tmp_path)
    # What a git symlink looks like when copied as a file.
    (package / "datapackage.json").write_text("../../datapackage.json", encoding="utf-8")
    with pytest.raises(ImportFailed, match="geen geldige JSON"):
        import_hsds(package)


def test_wrong_csv_headers_are_refused_and_change_nothing(tmp_path: Path) -> None:
    package = copy_package(tmp_path)
    (package / "services.csv").write_text("naam,omschrijving\nKoffie,Samen\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="id, name, status") as failure:
        import_hsds(package)
    assert failure.value.file == "services.csv"
    assert not m.Organization.objects.exists()


def test_a_listed_csv_that_is_missing_is_refused(tmp_path: Path) -> None:
    package = copy_package(tmp_path)
    (package / "phones.csv").unlink()
    with pytest.raises(ImportFailed, match="ontbreekt") as failure:
        import_hsds(package)
    assert failure.value.file == "phones.csv"


@pytest.mark.parametrize(
    "content, message",
    [(b"", "leeg"), (b"\xff\xfe\x00binary\x00\x01", "UTF-8")],
)
def test_an_empty_or_binary_csv_is_refused(tmp_path: Path, content: bytes, message: str) -> None:
    package = copy_package(tmp_path)
    (package / "phones.csv").write_bytes(content)
    with pytest.raises(ImportFailed, match=message):
        import_hsds(package)


def test_a_package_can_be_a_zip(tmp_path: Path) -> None:
    archive = tmp_path / "hsds.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in (FIXTURES / "csv").iterdir():
            zipped.write(file, f"export/{file.name}")
    report = import_hsds(archive)
    assert report.created["service"] == 1


def test_a_zip_without_a_package_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "hsds.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("readme.txt", "niets")
    with pytest.raises(ImportFailed, match="datapackage.json"):
        import_hsds(archive)


def test_a_csv_row_with_an_unknown_required_link_is_skipped(tmp_path: Path) -> None:
    package = copy_package(tmp_path)
    rows = (package / "cost_options.csv").read_text(encoding="utf-8").splitlines()
    rows.append(
        "dddddddd-dddd-4ddd-8ddd-dddddddddddd,eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee,,,Gratis,EUR,0,"
    )
    (package / "cost_options.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = import_hsds(package)
    assert (
        "error",
        "cost_options.csv",
        "regel 3 (id dddddddd-dddd-4ddd-8ddd-dddddddddddd)",
        "service_id",
    ) in found(report)
    assert m.CostOption.objects.count() == 1


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="bestaat niet"):
        import_hsds(tmp_path / "nergens.json")


# -- export and the round trip ---------------------------------------------------------------------


@pytest.fixture
def rich_kaart() -> None:
    """The official example plus our own data: tags, an address, a location without service."""
    import_hsds(FIXTURES / "organization_full.json")
    organization = DirectoryOrganizationFactory(name="Buurtwerk")
    service = ServiceFactory(organization=organization, name="Wandelclub", minimum_age=55)
    tag(service, "support_kind", "meeting")
    tag(service, "form", "group")
    location = LocationFactory(organization=organization)
    m.Address.objects.create(
        location=location,
        address_1="Markt 1",
        city="Helmond",
        state_province="Noord-Brabant",
        postal_code="5701 AB",
    )
    m.ServiceAtLocation.objects.create(service=service, location=location)
    m.Phone.objects.create(service=service, location=location, number="0492 222222", extension="7")
    m.CostOption.objects.create(service=service, amount="2.50", option="Per keer")
    m.Attribute.objects.create(
        link_id=organization.id,
        link_entity="organization",
        taxonomy_term=m.TaxonomyTerm.objects.get(id=term_id("partner_domain", "sport")),
    )
    m.Service.objects.update(is_published=True)


@pytest.mark.usefixtures("rich_kaart")
def test_json_round_trip_gives_the_same_data(tmp_path: Path) -> None:
    assert export_json(tmp_path / "first.json") == 2
    wipe()
    report = import_hsds(tmp_path / "first.json")
    assert not report.errors
    export_json(tmp_path / "second.json")
    first = (tmp_path / "first.json").read_text(encoding="utf-8")
    assert first == (tmp_path / "second.json").read_text(encoding="utf-8")
    exported = json.loads(first)
    for document in exported:
        assert hsds_schemas.validate("compiled/service.json", document) == []
    walk = next(document for document in exported if document["name"] == "Wandelclub")
    assert [a["taxonomy_term"]["code"] for a in walk["organization"]["attributes"]] == ["sport"]


@pytest.mark.usefixtures("rich_kaart")
def test_csv_round_trip_gives_the_same_data(tmp_path: Path) -> None:
    export_json(tmp_path / "before.json")
    rows = export_csv(tmp_path / "package")
    assert rows["service"] == 2 and rows["attribute"] == 4
    descriptor = json.loads((tmp_path / "package" / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in descriptor["resources"]} >= {"services.csv", "phones.csv"}
    wipe()
    report = import_hsds(tmp_path / "package")
    assert not report.errors, report.errors
    export_json(tmp_path / "after.json")
    assert (tmp_path / "before.json").read_text() == (tmp_path / "after.json").read_text()


@pytest.mark.usefixtures("rich_kaart")
def test_csv_export_as_zip_imports_again(tmp_path: Path) -> None:
    export_csv(tmp_path / "hsds.zip")
    wipe()
    assert import_hsds(tmp_path / "hsds.zip").created["service"] == 2


def test_export_leaves_out_what_is_not_public(tmp_path: Path) -> None:
    ServiceFactory(name="Open")
    ServiceFactory(name="Verborgen", is_published=False)
    ServiceFactory(name="Gestopt", status="defunct")
    assert export_json(tmp_path / "public.json") == 1
    assert [s["name"] for s in json.loads((tmp_path / "public.json").read_text())] == ["Open"]
    assert export_json(tmp_path / "all.json", include_all=True) == 3


# -- the commands ----------------------------------------------------------------------------------


def test_the_import_command_reports_and_fails_clearly(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("import_hsds", str(FIXTURES / "service_full.json"), stdout=out)
    text = out.getvalue()
    assert "FOUT: service_full.json · record 1 › service_capacity" in text
    assert "LET OP:" in text and "1 nieuw" in text
    bad = tmp_path / "bad.json"
    bad.write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match="er is niets veranderd"):
        call_command("import_hsds", str(bad), stdout=io.StringIO())


def test_the_export_command_writes_json_and_csv(tmp_path: Path) -> None:
    ServiceFactory(name="Koffie")
    call_command("export_hsds", str(tmp_path / "out.json"), stdout=io.StringIO())
    assert json.loads((tmp_path / "out.json").read_text())[0]["name"] == "Koffie"
    call_command("export_hsds", str(tmp_path / "out"), "--format", "csv", stdout=io.StringIO())
    assert (tmp_path / "out" / "services.csv").read_text().count("\n") == 2
    assert AuditEvent.objects.filter(action="directory.export_hsds").count() == 2


def test_a_broken_zip_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "hsds.zip"
    archive.write_bytes(b"PK\x03\x04 dit is geen zip")
    with pytest.raises(ImportFailed, match="geen geldig zip-bestand"):
        import_hsds(archive)
