"""The national services every installation has: loaded by `migrate`, updated in place, with
their own contact details, and the municipality's line only ever as "or call us"."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management import call_command
from django.core.validators import URLValidator
from django.test import Client

import pytest

from omzien.audit.models import AuditEvent
from omzien.core.phones import validate_phone
from omzien.directory import national
from omzien.directory.models import (
    Attribute,
    Language,
    Metadata,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceStatus,
)
from omzien.directory.national import NATIONAL_SERVICES, NationalService
from omzien.directory.search import get_backend
from omzien.directory.services import national as loader
from omzien.directory.services.national import (
    LOADER,
    load_national_services,
    national_service_id,
)
from tests.production_server import ROOT, production_environment

pytestmark = pytest.mark.django_db

MUNICIPALITY_NUMBER = "14 0492"  # OMZIEN_PHONE_NUMBER's default, the test settings' too


def entry(name: str) -> NationalService:
    return next(e for e in NATIONAL_SERVICES if e.name == name)


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Service, Phone, Schedule, ServiceArea, Language, Attribute, Metadata)
    }


def codes(service: Service, key: str) -> set[str]:
    return set(
        service.attributes.filter(taxonomy_term__taxonomy__key=key).values_list(
            "taxonomy_term__code", flat=True
        )
    )


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[NationalService]]:
    """The list the loader reads, to be changed by a test as an upgrade would change it."""
    entries = list(NATIONAL_SERVICES)
    monkeypatch.setattr(loader, "NATIONAL_SERVICES", entries)
    yield entries


# --- Loading -------------------------------------------------------------------------------


def test_every_national_service_is_loaded_with_its_stable_id() -> None:
    result = load_national_services()
    assert (result.created, result.updated, result.unchanged) == (len(NATIONAL_SERVICES), 0, 0)
    for item in NATIONAL_SERVICES:
        service = Service.objects.get(id=national_service_id(item))
        assert service.name == item.name and service.scope == "national"
        assert service.status == ServiceStatus.ACTIVE and service.is_published
    assert national_service_id(entry("De Luisterlijn")) == uuid.uuid5(
        uuid.UUID("5b0f6c1e-8c53-4d0a-9d6e-0a6f3e1c2b7d"), "national-service/De Luisterlijn"
    )


def test_loading_twice_changes_nothing() -> None:
    load_national_services()
    before = counts()
    events = AuditEvent.objects.count()
    result = load_national_services()
    assert (result.created, result.updated, result.deactivated) == (0, 0, 0)
    assert result.unchanged == len(NATIONAL_SERVICES)
    assert counts() == before
    assert AuditEvent.objects.count() == events  # nothing changed, nothing to record


def test_an_upgraded_service_changes_in_place(listed: list[NationalService]) -> None:
    load_national_services()
    service_id = national_service_id(entry("De Luisterlijn"))
    before = counts()
    at = listed.index(entry("De Luisterlijn"))
    listed[at] = dataclasses.replace(
        listed[at],
        essence="Dag en nacht iemand om mee te praten.",
        phone="088 0767 001",
        target_codes=("everyone", "living_alone"),
    )

    result = load_national_services()

    assert (result.created, result.updated, result.unchanged) == (0, 1, len(listed) - 1)
    service = Service.objects.get(id=service_id)
    assert service.description == "Dag en nacht iemand om mee te praten."
    assert list(service.phones.values_list("number", flat=True)) == ["088 0767 001"]
    assert codes(service, "target_group") == {"everyone", "living_alone"}
    after = counts()
    # In place: one tag more, the rest as many as before; the history says what changed.
    assert after["Service"] == before["Service"] and after["Phone"] == before["Phone"]
    assert after["Attribute"] == before["Attribute"] + 1
    history = {
        (row.field_name, row.previous_value, row.replacement_value)
        for row in Metadata.objects.filter(resource_id=service_id, updated_by=LOADER)
    }
    assert (
        "phones",
        "088 0767 000 Dag en nacht, het hele jaar door",
        "088 0767 001 Dag en nacht, het hele jaar door",
    ) in history
    assert ("attributes.target_group", "everyone", "everyone, living_alone") in history
    assert {name for name, *_ in history} == {"description", "phones", "attributes.target_group"}
    assert AuditEvent.objects.filter(action="national_services.load").count() == 2


def test_a_service_taken_off_the_list_is_set_inactive_not_deleted(
    client: Client, listed: list[NationalService]
) -> None:
    load_national_services()
    gone = entry("Vijftigplusdating")
    listed.remove(gone)

    result = load_national_services()

    assert result.deactivated == 1
    service = Service.objects.get(id=national_service_id(gone))
    assert service.status == ServiceStatus.INACTIVE
    get_backend().rebuild()
    assert client.get(f"/kaart/{service.slug}/").status_code == 404
    assert load_national_services().deactivated == 0  # and only once


def test_the_municipalitys_own_choices_stay() -> None:
    load_national_services()
    klup = Service.objects.get(id=national_service_id(entry("Klup")))
    klup.is_published = False
    klup.status = ServiceStatus.TEMPORARILY_CLOSED
    klup.save()
    load_national_services()
    klup.refresh_from_db()
    assert (klup.is_published, klup.status) == (False, ServiceStatus.TEMPORARILY_CLOSED)


def test_the_command_loads_them(settings) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("load_national_services", stdout=out)
    assert f"{len(NATIONAL_SERVICES)} created" in out.getvalue()
    out = StringIO()
    call_command("load_national_services", stdout=out)
    assert f"{len(NATIONAL_SERVICES)} unchanged" in out.getvalue()


def test_migrate_loads_them_unless_switched_off(settings) -> None:  # type: ignore[no-untyped-def]
    settings.OMZIEN_LOAD_NATIONAL_SERVICES = False
    call_command("migrate", verbosity=0)
    assert not Service.objects.exists()
    settings.OMZIEN_LOAD_NATIONAL_SERVICES = True
    call_command("migrate", verbosity=0)
    assert Service.objects.filter(scope="national").count() == len(NATIONAL_SERVICES)


# --- What the code says about them -----------------------------------------------------------


def test_target_groups_follow_seed_001() -> None:
    load_national_services()
    assert codes(Service.objects.get(name="Autthere"), "target_group") == {"autism"}
    assert codes(Service.objects.get(name="Vriendstap.nl"), "target_group") == {
        "psychiatric_background"
    }
    assert codes(Service.objects.get(name="Praten over verlies"), "target_group") == {"bereaved"}


def test_every_contact_detail_is_valid_and_has_its_source_beside_it() -> None:
    source = Path(national.__file__).read_text(encoding="utf-8")
    check_url = URLValidator(schemes=["http", "https"])
    for item in NATIONAL_SERVICES:
        if item.phone:
            validate_phone(item.phone)
        if item.website:
            check_url(item.website)
        # The number and the address are written down after a comment that names a source: a
        # page, or for an address that is the service's own name, the seed.
        for value in filter(None, (item.phone, item.website)):
            at = source.index(f'"{value}"')
            before = source[source.rindex("NationalService(", 0, at) : at]
            comments = " ".join(
                line for line in before.splitlines() if line.strip().startswith("#")
            )
            assert "http" in comments or "seed 001" in comments, (item.name, value)


def test_de_luisterlijn_has_its_own_number_day_and_night() -> None:
    luisterlijn = entry("De Luisterlijn")
    assert (luisterlijn.phone, luisterlijn.website) == (
        "088 0767 000",
        "https://www.deluisterlijn.nl",
    )
    assert "dag en nacht" in luisterlijn.hours.lower()


def test_the_hsds_api_serves_every_national_service_as_the_official_schema_says(
    client: Client,
) -> None:
    from django.core.validators import EmailValidator

    from omzien.interop.hsds_schemas import openapi_response_validator

    load_national_services()
    check = openapi_response_validator("/services/{id}")
    for item in NATIONAL_SERVICES:
        data = client.get(f"/api/v1/services/{national_service_id(item)}").json()
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in check.iter_errors(data)]
        assert not errors, (item.name, errors)
        for phone in data["phones"]:
            validate_phone(phone["number"])
        for address in filter(None, (data.get("email"), data.get("assurer_email"))):
            EmailValidator()(address)
    luisterlijn = client.get(f"/api/v1/services/{national_service_id(entry('De Luisterlijn'))}")
    assert [phone["number"] for phone in luisterlijn.json()["phones"]] == ["088 0767 000"]


# --- The service page --------------------------------------------------------------------------


def contact_and_call_us(html: str) -> tuple[str, str]:
    contact = html.split('<h2 class="utrecht-heading-2">Contact</h2>', 1)[1]
    own, rest = contact.split('<p class="utrecht-paragraph omzien-call-us">', 1)
    return own, rest.split("</p>", 1)[0]


def test_a_national_lines_page_shows_its_own_number_and_hours_and_ours_apart(
    client: Client,
) -> None:
    load_national_services()
    html = client.get("/kaart/de-luisterlijn/").content.decode()
    own, call_us = contact_and_call_us(html)
    assert 'href="tel:0880767000"' in own and "Bel 088 0767 000" in own
    assert "Dag en nacht, het hele jaar door" in own
    assert MUNICIPALITY_NUMBER not in own and "tel:140492" not in own
    assert "Of bel ons" in call_us and MUNICIPALITY_NUMBER in call_us
    assert "Telefoon: dag en nacht, het hele jaar door." in html  # under "Wanneer"


def test_a_service_without_a_known_number_shows_no_number_of_ours_as_its_own(
    client: Client,
) -> None:
    load_national_services()
    html = client.get("/kaart/klup/").content.decode()
    own, call_us = contact_and_call_us(html)
    assert "Van deze dienst kennen wij geen telefoonnummer, e-mailadres of website." in own
    assert "tel:" not in own and MUNICIPALITY_NUMBER not in own
    assert "Of bel ons" in call_us and MUNICIPALITY_NUMBER in call_us


def test_the_or_call_us_line_is_english_too(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    load_national_services()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/kaart/de-luisterlijn/").content.decode()
    assert "Or call us" in html and "Call 088 0767 000" in html


def test_the_characteristics_line_has_no_stray_separators(client: Client) -> None:
    load_national_services()
    html = client.get("/kaart/de-luisterlijn/").content.decode()
    assert "<dt>Kenmerken</dt><dd>Bij u thuis</dd>" in html
    assert "<dd>; " not in html and ";</dd>" not in html


def test_search_finds_de_luisterlijn_with_its_number(client: Client) -> None:
    load_national_services()
    get_backend().rebuild()
    response = client.get("/kaart/", {"q": "luisterlijn"})
    cards = response.context["cards"]
    assert [card.service.name for card in cards][:1] == ["De Luisterlijn"]
    assert cards[0].phone == "088 0767 000"


# --- A fresh production installation -------------------------------------------------------------


def _fresh_database(folder: Path) -> tuple[str, str | None]:
    """The URL of an empty database of the kind this suite runs on, and its name on
    PostgreSQL (to drop afterwards)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{folder / 'omzien.sqlite3'}", None
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'omzien'}_fresh_install"
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl(), name


def _admin(url: str, *statements: str) -> None:
    import psycopg

    admin = (
        urlsplit(url)._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    )
    with psycopg.connect(admin, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)  # type: ignore[arg-type]


def _run(env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-m", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_a_fresh_production_installation_finds_de_luisterlijn_with_its_own_number(
    tmp_path: Path,
) -> None:
    url, name = _fresh_database(tmp_path)
    try:
        env = production_environment(tmp_path, url)
        migrated = _run(env, "omzien", "migrate", "--no-input")
        assert f"National services: {len(NATIONAL_SERVICES)} created" in migrated.stdout
        seen = json.loads(_run(env, "tests.fresh_install_check").stdout.strip().splitlines()[-1])
    finally:
        if name:
            _admin(os.environ["DATABASE_URL"], f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert seen["national"] == seen["all"] == len(NATIONAL_SERVICES)  # and no demo data
    assert seen["search_status"] == 200 and seen["found"]
    assert seen["page_status"] == 200
    assert 'href="tel:0880767000"' in seen["contact"]
    assert MUNICIPALITY_NUMBER not in seen["contact"]
    assert "Of bel ons" in seen["call_us"]
