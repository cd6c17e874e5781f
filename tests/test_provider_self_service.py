"""Provider self-service for the sociale kaart (/beheer/kaart/): who may do what, and how edits,
checks, locations, history and error reports behave."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from omzien.accounts.models import Organisation, User
from omzien.accounts.roles import OrganisationType, Role
from omzien.areas.models import District, Municipality
from omzien.audit.models import AuditEvent
from omzien.directory import services
from omzien.directory.forms import validate_dutch_phone
from omzien.directory.models import (
    Address,
    Attribute,
    ChangeRequest,
    CostOption,
    ErrorReport,
    Language,
    Location,
    Metadata,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from tests.conftest import _person
from tests.factories import (
    DirectoryOrganizationFactory,
    LocationFactory,
    OrganisationFactory,
    ServiceFactory,
    tag,
)

pytestmark = pytest.mark.django_db

OnCommit = Callable[..., Any]


# --- The kaart of the named people -----------------------------------------------------------


@pytest.fixture
def directory_org(provider_org: Organisation) -> Organization:
    """The HSDS organization whose services provider_editor maintains; not trusted."""
    return DirectoryOrganizationFactory(
        name="Stichting Samen", owner=provider_org, email="info@samen.example", is_trusted=False
    )


@pytest.fixture
def trusted(directory_org: Organization) -> Organization:
    directory_org.is_trusted = True
    directory_org.save()
    return directory_org


@pytest.fixture
def service(directory_org: Organization) -> Service:
    return ServiceFactory(
        organization=directory_org,
        name="Koffieochtend",
        slug="koffieochtend",
        assured_date=timezone.localdate() - datetime.timedelta(days=10),
    )


@pytest.fixture
def other_provider_editor(db: None) -> User:
    organisation = OrganisationFactory(name="Aanbieder D", type=OrganisationType.PROVIDER)
    return _person("ander@example.org", organisation, Role.PROVIDER_EDITOR)


@pytest.fixture
def other_service(other_provider_editor: User) -> Service:
    organisation = other_provider_editor.memberships.get().organisation
    org = DirectoryOrganizationFactory(name="Sportclub", owner=organisation)
    return ServiceFactory(organization=org, name="Walking football", slug="walking-football")


def as_user(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def service_post(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Samen eten",
        "alternate_name": "",
        "description": "Eén keer per week samen een warme maaltijd.",
        "status": "active",
        "alert": "",
        "eligibility_description": "Voor iedereen die niet graag alleen eet.",
        "minimum_age": "18",
        "maximum_age": "",
        "application_process": "Bel ons.",
        "fees_description": "€ 5 per maaltijd.",
        "url": "https://samen.example/eten",
        "email": "eten@samen.example",
        "area_kind": "municipality",
        "terms_support_kind": ["meeting"],
        "terms_target_group": ["living_alone", "older_adults"],
        "terms_cost_category": ["subsidised"],
        "languages": ["nl", "en"],
        "phone_0_number": "040 123 45 67",
        "phone_0_description": "Op werkdagen",
        "schedule_0_days": ["TU", "TH"],
        "schedule_0_opens_at": "17:30",
        "schedule_0_closes_at": "19:30",
        "schedule_0_description": "",
        "cost_0_option": "per maaltijd",
        "cost_0_amount": "5,00",
        "cost_0_description": "",
    }
    data.update(overrides)
    return data


def url(name: str, *args: Any) -> str:
    return reverse(f"directory_manage:{name}", args=args)


# --- Who may reach which page ----------------------------------------------------------------

PAGES = ["dashboard", "service_create", "error_reports"]
SERVICE_PAGES = ["service_edit", "service_history", "location_create"]


@pytest.mark.parametrize("page", PAGES + SERVICE_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(
    client: Client, service: Service, page: str
) -> None:
    target = url(page, service.pk) if page in SERVICE_PAGES else url(page)
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("person", ["case_worker_a", "case_worker_b", "coordinator_a", "outsider"])
@pytest.mark.parametrize("page", PAGES + SERVICE_PAGES)
def test_people_without_directory_rights_get_403(
    client: Client, request: pytest.FixtureRequest, service: Service, person: str, page: str
) -> None:
    as_user(client, request.getfixturevalue(person))
    target = url(page, service.pk) if page in SERVICE_PAGES else url(page)
    assert client.get(target).status_code == 403


@pytest.mark.parametrize("person", ["case_worker_a", "outsider"])
def test_people_without_directory_rights_cannot_verify(
    client: Client, request: pytest.FixtureRequest, service: Service, person: str
) -> None:
    as_user(client, request.getfixturevalue(person))
    assert client.post(url("service_verify", service.pk)).status_code == 403
    service.refresh_from_db()
    assert service.assurer_email == ""


@pytest.mark.parametrize("page", PAGES + SERVICE_PAGES)
def test_provider_editor_reaches_every_page(
    client: Client, provider_editor: User, service: Service, page: str
) -> None:
    as_user(client, provider_editor)
    target = url(page, service.pk) if page in SERVICE_PAGES else url(page)
    assert client.get(target).status_code == 200


@pytest.mark.parametrize("page", PAGES + SERVICE_PAGES)
def test_administrator_reaches_every_page(
    client: Client, administrator: User, service: Service, page: str
) -> None:
    as_user(client, administrator)
    target = url(page, service.pk) if page in SERVICE_PAGES else url(page)
    assert client.get(target).status_code == 200


def test_policy_officer_is_sent_from_the_dashboard_to_the_review_queue(
    client: Client, policy_officer: User
) -> None:
    response = as_user(client, policy_officer).get(url("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == url("review_queue")


def test_policy_officer_cannot_edit_services(
    client: Client, policy_officer: User, service: Service
) -> None:
    assert as_user(client, policy_officer).get(url("service_edit", service.pk)).status_code == 403


@pytest.mark.parametrize("page", ["service_edit", "service_history", "location_create"])
def test_provider_editor_of_another_organisation_gets_404(
    client: Client, other_provider_editor: User, service: Service, page: str
) -> None:
    assert as_user(client, other_provider_editor).get(url(page, service.pk)).status_code == 404


def test_provider_editor_of_another_organisation_cannot_verify_or_post(
    client: Client, other_provider_editor: User, service: Service
) -> None:
    as_user(client, other_provider_editor)
    assert client.post(url("service_verify", service.pk)).status_code == 404
    assert client.post(url("service_edit", service.pk), service_post()).status_code == 404
    service.refresh_from_db()
    assert service.name == "Koffieochtend"


def test_a_location_of_another_service_answers_404(
    client: Client, provider_editor: User, service: Service, other_service: Service
) -> None:
    location = LocationFactory()
    ServiceAtLocation.objects.create(service=other_service, location=location)
    as_user(client, provider_editor)
    assert client.get(url("location_edit", service.pk, location.pk)).status_code == 404
    assert client.post(url("location_remove", service.pk, location.pk)).status_code == 404
    assert Location.objects.filter(pk=location.pk).exists()


# --- Dashboard and "still correct" --------------------------------------------------------------


def test_dashboard_lists_only_own_services_with_stale_ones_marked(
    client: Client, provider_editor: User, service: Service, other_service: Service
) -> None:
    stale = ServiceFactory(organization=service.organization, name="Wandelgroep", slug="wandel")
    response = as_user(client, provider_editor).get(url("dashboard"))
    content = response.content.decode()
    assert "Koffieochtend" in content
    assert "Wandelgroep" in content
    assert "Walking football" not in content
    assert "Nakijken" in content
    # Stale services come first, so they are seen.
    assert content.index("Wandelgroep") < content.index("Koffieochtend")
    assert stale.is_stale and not service.is_stale


def test_still_correct_sets_the_check_date_and_checker(
    client: Client, provider_editor: User, service: Service
) -> None:
    response = as_user(client, provider_editor).post(url("service_verify", service.pk))
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.assured_date == timezone.localdate()
    assert service.assurer_email == provider_editor.email
    row = Metadata.objects.get(
        resource_id=service.pk, last_action_type="verify", field_name="assured_date"
    )
    assert row.updated_by == provider_editor.email
    assert AuditEvent.objects.filter(action="directory.service.verify").exists()


def test_still_correct_goes_live_even_for_an_untrusted_provider(
    client: Client, provider_editor: User, service: Service
) -> None:
    as_user(client, provider_editor).post(url("service_verify", service.pk))
    assert not ChangeRequest.objects.exists()


def test_still_correct_refuses_get(client: Client, provider_editor: User, service: Service) -> None:
    assert (
        as_user(client, provider_editor).get(url("service_verify", service.pk)).status_code == 405
    )


def test_still_correct_returns_to_a_safe_page_only(
    client: Client, provider_editor: User, service: Service
) -> None:
    as_user(client, provider_editor)
    response = client.post(url("service_verify", service.pk), {"next": "https://evil.example/"})
    assert response["Location"] == url("dashboard")


# --- Creating and editing ---------------------------------------------------------------------


def test_trusted_provider_creates_a_service_that_is_live_at_once(
    client: Client,
    provider_editor: User,
    trusted: Organization,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    as_user(client, provider_editor)
    response = client.post(url("service_create"), service_post(organization=str(trusted.pk)))
    assert response.status_code == 302
    service = Service.objects.get(name="Samen eten")
    assert service.organization == trusted
    assert service.slug == "samen-eten"
    assert service.is_published
    assert service.minimum_age == 18
    assert service.scope == "municipality"
    assert service.assurer_email == provider_editor.email
    codes = set(service.attributes.values_list("taxonomy_term__code", flat=True))
    assert codes == {"meeting", "living_alone", "older_adults", "subsidised"}
    assert Attribute.objects.filter(service=service, link_entity="service").count() == 4
    assert list(Phone.objects.filter(service=service).values_list("number", flat=True)) == [
        "040 123 45 67"
    ]
    schedule = Schedule.objects.get(service=service)
    assert (schedule.byday, schedule.freq) == ("TU,TH", "WEEKLY")
    assert schedule.opens_at == datetime.time(17, 30)
    assert CostOption.objects.get(service=service).amount == 5
    assert set(Language.objects.filter(service=service).values_list("code", flat=True)) == {
        "nl",
        "en",
    }
    assert ServiceArea.objects.get(service=service).area_code == "GM0794"
    fields = set(
        Metadata.objects.filter(resource_id=service.pk, last_action_type="create").values_list(
            "field_name", flat=True
        )
    )
    assert {"name", "description", "phones", "schedules", "attributes.support_kind"} <= fields
    assert not ChangeRequest.objects.exists()


def test_untrusted_provider_creates_a_proposal_not_a_service(
    client: Client, provider_editor: User, directory_org: Organization
) -> None:
    as_user(client, provider_editor)
    response = client.post(
        url("service_create"), service_post(organization=str(directory_org.pk)), follow=True
    )
    assert "De gemeente bekijkt hem" in response.content.decode()
    assert not Service.objects.filter(name="Samen eten").exists()
    change_request = ChangeRequest.objects.get()
    assert change_request.service is None
    assert change_request.status == ChangeRequest.Status.PENDING
    assert change_request.payload["kind"] == "service"
    assert change_request.payload["data"]["name"] == "Samen eten"
    assert change_request.payload["data"]["terms"]["support_kind"] == ["meeting"]


def test_a_provider_cannot_create_for_an_organization_it_does_not_maintain(
    client: Client, provider_editor: User, directory_org: Organization, other_service: Service
) -> None:
    assert other_service.organization is not None
    as_user(client, provider_editor)
    response = client.post(
        url("service_create"), service_post(organization=str(other_service.organization.pk))
    )
    assert response.status_code == 400
    assert not ChangeRequest.objects.exists()


def test_untrusted_edit_waits_for_review_and_the_kaart_stays_the_same(
    client: Client, provider_editor: User, service: Service
) -> None:
    as_user(client, provider_editor)
    response = client.post(url("service_edit", service.pk), service_post(name="Koffie en taart"))
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.name == "Koffieochtend"
    change_request = ChangeRequest.objects.get(service=service)
    assert change_request.status == ChangeRequest.Status.PENDING
    assert change_request.submitted_by == provider_editor
    assert not Metadata.objects.filter(resource_id=service.pk, field_name="name").exists()
    # Editing again continues from the proposal, and the page says it waits.
    page = client.get(url("service_edit", service.pk)).content.decode()
    assert 'value="Koffie en taart"' in page
    assert "De gemeente bekijkt die nog" in page


def test_a_second_untrusted_edit_replaces_the_waiting_proposal(
    client: Client, provider_editor: User, service: Service
) -> None:
    as_user(client, provider_editor)
    client.post(url("service_edit", service.pk), service_post(name="Eerste versie"))
    client.post(url("service_edit", service.pk), service_post(name="Tweede versie"))
    change_request = ChangeRequest.objects.get(service=service)
    assert change_request.payload["data"]["name"] == "Tweede versie"


def test_trusted_edit_goes_live_and_every_changed_field_is_kept(
    client: Client,
    provider_editor: User,
    trusted: Organization,
    service: Service,
) -> None:
    tag(service, "support_kind", "personal_contact")
    as_user(client, provider_editor)
    response = client.post(
        url("service_edit", service.pk), service_post(name="Koffie en taart", minimum_age="")
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.name == "Koffie en taart"
    assert service.slug == "koffieochtend"  # public links keep working after a rename
    assert not ChangeRequest.objects.exists()
    name = Metadata.objects.get(resource_id=service.pk, field_name="name")
    assert (name.previous_value, name.replacement_value) == ("Koffieochtend", "Koffie en taart")
    assert name.last_action_type == "update"
    assert name.resource_type == "service"
    assert name.updated_by == provider_editor.email
    terms = Metadata.objects.get(resource_id=service.pk, field_name="attributes.support_kind")
    assert terms.previous_value == "Persoonlijk contact"
    assert terms.replacement_value == "Ontmoeting"
    event = AuditEvent.objects.get(action="directory.service.update")
    assert "name" in event.details["fields"]


def test_saving_without_changes_adds_no_update_rows(
    client: Client, provider_editor: User, trusted: Organization, service: Service
) -> None:
    as_user(client, provider_editor)
    client.post(url("service_edit", service.pk), service_post())
    count = Metadata.objects.filter(last_action_type="update").count()
    client.post(url("service_edit", service.pk), service_post())
    assert Metadata.objects.filter(last_action_type="update").count() == count


def test_administrator_edits_go_live_for_any_provider(
    client: Client, administrator: User, service: Service
) -> None:
    as_user(client, administrator).post(url("service_edit", service.pk), service_post())
    service.refresh_from_db()
    assert service.name == "Samen eten"
    assert not ChangeRequest.objects.exists()


def test_edits_ask_search_to_reindex(
    monkeypatch: pytest.MonkeyPatch,
    client: Client,
    provider_editor: User,
    trusted: Organization,
    service: Service,
) -> None:
    import omzien.directory.search

    calls: list[list[Any]] = []
    monkeypatch.setattr(omzien.directory.search, "schedule_reindex", calls.append, raising=False)
    as_user(client, provider_editor).post(url("service_edit", service.pk), service_post())
    assert [service.pk] in calls


def test_slugs_stay_unique_when_names_are_the_same(
    directory_org: Organization, provider_editor: User
) -> None:
    first = services.create_service(
        directory_org, services.ServiceData(name="Koffie"), provider_editor
    )
    second = services.create_service(
        directory_org, services.ServiceData(name="Koffie"), provider_editor
    )
    assert first.slug == "koffie"
    assert second.slug.startswith("koffie-") and second.slug != first.slug


def test_districts_become_service_areas_and_set_the_scope(
    client: Client, provider_editor: User, trusted: Organization, service: Service
) -> None:
    helmond = Municipality.objects.create(code="GM0794", name="Helmond", year=2023)
    District.objects.create(code="WK079410", name="Centrum", year=2023, municipality=helmond)
    District.objects.create(code="WK079411", name="Brandevoort", year=2023, municipality=helmond)
    as_user(client, provider_editor)
    response = client.post(
        url("service_edit", service.pk),
        service_post(area_kind="districts", districts=["WK079411"]),
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.scope == "district"
    area = ServiceArea.objects.get(service=service)
    assert (area.area_code, area.name) == ("WK079411", "Brandevoort")


def test_choosing_districts_without_ticking_one_is_explained(
    client: Client, provider_editor: User, service: Service
) -> None:
    helmond = Municipality.objects.create(code="GM0794", name="Helmond", year=2023)
    District.objects.create(code="WK079410", name="Centrum", year=2023, municipality=helmond)
    as_user(client, provider_editor)
    response = client.post(url("service_edit", service.pk), service_post(area_kind="districts"))
    assert response.status_code == 400
    assert "Kies minstens één wijk." in response.content.decode()


def test_national_services_get_the_national_scope(
    directory_org: Organization, provider_editor: User
) -> None:
    service = services.create_service(
        directory_org,
        services.ServiceData(name="Luisterlijn", area=services.AreaData("national")),
        provider_editor,
    )
    assert service.scope == "national"
    assert ServiceArea.objects.get(service=service).area_code == "NL"


# --- Validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Vul de naam van de dienst in."),
        ({"description": ""}, "description", "Vertel in een paar zinnen wat het is."),
        ({"minimum_age": "130"}, "minimum_age", "Vul een leeftijd in van 0 tot en met 120."),
        ({"minimum_age": "-1"}, "minimum_age", "Vul een leeftijd in van 0 tot en met 120."),
        ({"maximum_age": "tien"}, "maximum_age", "Vul een leeftijd in van 0 tot en met 120."),
        (
            {"minimum_age": "65", "maximum_age": "18"},
            "maximum_age",
            "De hoogste leeftijd mag niet lager zijn dan de laagste leeftijd.",
        ),
        ({"email": "geen-adres"}, "email", "Vul een e-mailadres in, zoals naam@voorbeeld.nl."),
        ({"url": "niet zomaar"}, "url", "Vul een webadres in, zoals https://www.voorbeeld.nl."),
        ({"phone_0_number": "12345"}, "phone_0_number", "Vul een Nederlands telefoonnummer in"),
        (
            {"phone_0_number": "", "phone_0_description": "Alleen ’s ochtends"},
            "phone_0_number",
            "Vul ook het telefoonnummer in.",
        ),
        (
            {"schedule_0_opens_at": "14:00", "schedule_0_closes_at": "10:00"},
            "schedule_0_closes_at",
            "De eindtijd moet later zijn dan de begintijd.",
        ),
        ({"schedule_0_opens_at": "half tien"}, "schedule_0_opens_at", "Vul een tijd in zoals"),
        ({"schedule_0_days": []}, "schedule_0_days", "Kies op welke dag of dagen."),
        ({"cost_0_amount": "gratis"}, "cost_0_amount", "Vul een bedrag in, zoals 2,50."),
        ({"cost_0_amount": "-3"}, "cost_0_amount", "Vul een bedrag in, zoals 2,50."),
    ],
)
def test_invalid_input_is_explained_next_to_the_field_and_in_the_summary(
    client: Client,
    provider_editor: User,
    service: Service,
    overrides: dict[str, Any],
    field: str,
    message: str,
) -> None:
    as_user(client, provider_editor)
    response = client.post(url("service_edit", service.pk), service_post(**overrides))
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    anchor = f"#id_{field}_0" if field.endswith("_days") else f"#id_{field}"
    assert f'href="{anchor}"' in content
    assert 'aria-invalid="true"' in content or field.endswith("_days")
    assert not ChangeRequest.objects.exists()
    service.refresh_from_db()
    assert service.name == "Koffieochtend"


def test_nothing_typed_is_lost_when_one_field_is_wrong(
    client: Client, provider_editor: User, service: Service
) -> None:
    as_user(client, provider_editor)
    response = client.post(
        url("service_edit", service.pk),
        service_post(name="Nieuwe naam die blijft", email="fout", minimum_age="7"),
    )
    content = response.content.decode()
    assert 'value="Nieuwe naam die blijft"' in content
    assert 'value="fout"' in content
    assert 'value="7"' in content
    assert "Eén keer per week samen een warme maaltijd." in content
    assert 'value="040 123 45 67"' in content
    assert 'value="17:30"' in content
    # Ticked boxes stay ticked.
    assert 'value="meeting" class="utrecht-checkbox utrecht-checkbox--html-input"' in content
    meeting = content.split('value="meeting"')[1].split(">")[0]
    assert "checked" in meeting


@pytest.mark.parametrize(
    "number",
    [
        "040 123 45 67",
        "040-1234567",
        "06 12 34 56 78",
        "+31 6 12345678",
        "0031 40 1234567",
        "14 0492",
        "14 040",
        "0800 1234",
        "0800-0113",
        "0900 123 4567",
    ],
)
def test_dutch_phone_numbers_are_accepted(number: str) -> None:
    validate_dutch_phone(number)


@pytest.mark.parametrize("number", ["12345", "040 123", "+44 20 7946 0958", "0800", "bel ons"])
def test_other_phone_numbers_are_refused(number: str) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_dutch_phone(number)


# --- Locations -----------------------------------------------------------------------------------

LOCATION = {
    "name": "Buurthuis De Brug",
    "address_1": "Markt 1",
    "postal_code": "5701 ab",
    "city": "Helmond",
    "state_province": "Noord-Brabant",
    "description": "",
    "transportation": "Bus 5 stopt voor de deur.",
}


def test_trusted_provider_adds_a_location_with_a_normalised_postcode(
    client: Client, provider_editor: User, trusted: Organization, service: Service
) -> None:
    as_user(client, provider_editor)
    response = client.post(url("location_create", service.pk), LOCATION)
    assert response.status_code == 302
    link = ServiceAtLocation.objects.get(service=service)
    address = Address.objects.get(location=link.location)
    assert address.postal_code == "5701AB"
    assert (address.address_1, address.city, address.country) == ("Markt 1", "Helmond", "NL")
    assert link.location.organization == trusted
    assert link.location.transportation == "Bus 5 stopt voor de deur."
    assert Metadata.objects.filter(resource_id=link.location.pk, resource_type="location").exists()
    assert Metadata.objects.filter(
        resource_id=service.pk, field_name="service_at_locations"
    ).exists()


def test_a_wrong_postcode_is_explained_and_kept(
    client: Client, provider_editor: User, trusted: Organization, service: Service
) -> None:
    as_user(client, provider_editor)
    response = client.post(url("location_create", service.pk), {**LOCATION, "postal_code": "57O1"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Vul een postcode in zoals 5701 AB." in content
    assert 'value="57O1"' in content
    assert 'value="Markt 1"' in content
    assert not Location.objects.exists()


def test_trusted_provider_edits_and_removes_a_location(
    client: Client, provider_editor: User, trusted: Organization, service: Service
) -> None:
    as_user(client, provider_editor)
    client.post(url("location_create", service.pk), LOCATION)
    location = Location.objects.get()
    page = client.get(url("location_edit", service.pk, location.pk)).content.decode()
    assert 'value="5701 AB"' in page
    client.post(url("location_edit", service.pk, location.pk), {**LOCATION, "city": "Mierlo"})
    assert Address.objects.get(location=location).city == "Mierlo"
    city = Metadata.objects.get(
        resource_type="address", field_name="city", last_action_type="update"
    )
    assert (city.previous_value, city.replacement_value) == ("Helmond", "Mierlo")
    assert client.get(url("location_remove", service.pk, location.pk)).status_code == 200
    response = client.post(url("location_remove", service.pk, location.pk))
    assert response.status_code == 302
    assert not ServiceAtLocation.objects.filter(service=service).exists()
    assert not Location.objects.filter(pk=location.pk).exists()
    assert Metadata.objects.filter(resource_id=location.pk, last_action_type="delete").exists()


def test_removing_a_shared_location_keeps_it_for_the_other_service(
    provider_editor: User, trusted: Organization, service: Service
) -> None:
    location = LocationFactory(organization=trusted)
    other = ServiceFactory(organization=trusted)
    ServiceAtLocation.objects.create(service=service, location=location)
    ServiceAtLocation.objects.create(service=other, location=location)
    services.remove_location(service, location, provider_editor)
    assert Location.objects.filter(pk=location.pk).exists()
    assert ServiceAtLocation.objects.filter(service=other).exists()


def test_untrusted_location_changes_wait_for_review(
    client: Client, provider_editor: User, service: Service
) -> None:
    location = LocationFactory(organization=service.organization)
    ServiceAtLocation.objects.create(service=service, location=location)
    as_user(client, provider_editor)
    client.post(url("location_create", service.pk), LOCATION)
    client.post(url("location_remove", service.pk, location.pk))
    assert Location.objects.count() == 1
    assert ServiceAtLocation.objects.filter(service=service, location=location).exists()
    kinds = sorted(ChangeRequest.objects.values_list("payload__kind", flat=True))
    assert kinds == ["location", "location_removal"]


# --- History --------------------------------------------------------------------------------------


def test_history_shows_every_change_with_who_and_what(
    client: Client, provider_editor: User, trusted: Organization, service: Service
) -> None:
    as_user(client, provider_editor)
    client.post(url("service_edit", service.pk), service_post(name="Koffie en taart"))
    client.post(url("location_create", service.pk), LOCATION)
    content = client.get(url("service_history", service.pk)).content.decode()
    assert "Koffieochtend" in content
    assert "Koffie en taart" in content
    assert provider_editor.email in content
    assert "Naam" in content
    assert "Markt 1" in content


# --- Error reports -------------------------------------------------------------------------------


@pytest.fixture
def report(service: Service) -> ErrorReport:
    return ErrorReport.objects.create(
        service=service,
        message="Het telefoonnummer klopt niet. Groet, Jan Jansen",
        reporter_email="jan@example.nl",
    )


def test_inbox_lists_the_reports_on_own_services_only(
    client: Client, provider_editor: User, report: ErrorReport, other_service: Service
) -> None:
    ErrorReport.objects.create(service=other_service, message="Verkeerde tijden bij de club")
    content = as_user(client, provider_editor).get(url("error_reports")).content.decode()
    assert "Het telefoonnummer klopt niet." in content
    assert "Verkeerde tijden" not in content


def test_reading_a_report_shows_the_reporter_address_and_is_audited(
    client: Client, provider_editor: User, report: ErrorReport
) -> None:
    response = as_user(client, provider_editor).get(url("error_report", report.pk))
    assert "jan@example.nl" in response.content.decode()
    event = AuditEvent.objects.get(action="directory.error_report.view")
    assert event.object_id == str(report.pk)
    assert "jan@example.nl" not in str(event.details)


def test_provider_of_another_organisation_cannot_read_or_resolve_a_report(
    client: Client, other_provider_editor: User, report: ErrorReport
) -> None:
    as_user(client, other_provider_editor)
    assert client.get(url("error_report", report.pk)).status_code == 404
    assert client.post(url("error_report_resolve", report.pk)).status_code == 404
    report.refresh_from_db()
    assert report.status == ErrorReport.Status.OPEN


@pytest.mark.parametrize("person", ["case_worker_b", "outsider", "policy_officer"])
def test_people_without_edit_rights_cannot_resolve_reports(
    client: Client, request: pytest.FixtureRequest, report: ErrorReport, person: str
) -> None:
    as_user(client, request.getfixturevalue(person))
    assert client.post(url("error_report_resolve", report.pk)).status_code == 403


def test_resolving_a_report_forgets_the_reporter_address(
    client: Client, provider_editor: User, report: ErrorReport
) -> None:
    response = as_user(client, provider_editor).post(url("error_report_resolve", report.pk))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ErrorReport.Status.RESOLVED
    assert report.resolved_at is not None
    assert report.reporter_email == ""
    assert AuditEvent.objects.filter(action="directory.error_report.resolve").exists()


def test_a_new_report_e_mails_the_provider_without_the_reporters_details(
    report: ErrorReport,
    provider_editor: User,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        recipients = services.notify_error_report(report)
    assert recipients == ["aanbieder@example.org", "info@samen.example"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == recipients
    assert "Koffieochtend" in message.subject
    assert "/beheer/kaart/meldingen/" in message.body
    assert "Jan Jansen" not in message.body
    assert "telefoonnummer klopt niet" not in message.body
    assert "jan@example.nl" not in message.body


def test_a_report_for_a_provider_nobody_maintains_sends_nothing(
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    orphan = ServiceFactory(organization=DirectoryOrganizationFactory(owner=None, email=""))
    report = ErrorReport.objects.create(service=orphan, message="Klopt niet")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_error_report(report) == []
    assert mail.outbox == []


def test_report_error_stores_and_notifies(
    service: Service, provider_editor: User, django_capture_on_commit_callbacks: OnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_error(service, "  Gesloten in de zomer  ", "")
    assert report.message == "Gesloten in de zomer"
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="directory.error_report.create").exists()


# --- Edges ---------------------------------------------------------------------------------------


def test_a_provider_not_yet_on_the_kaart_is_told_whom_to_ask(
    client: Client, provider_editor: User
) -> None:
    as_user(client, provider_editor)
    response = client.get(url("service_create"), follow=True)
    assert "Vraag de gemeente om haar toe te voegen." in response.content.decode()
    assert "Nieuwe dienst toevoegen" not in client.get(url("dashboard")).content.decode()


def test_administrator_edits_a_service_without_a_provider(
    client: Client, administrator: User
) -> None:
    orphan = ServiceFactory(organization=None, name="Gemeentelijk loket", slug="loket")
    as_user(client, administrator)
    response = client.post(url("service_edit", orphan.pk), service_post(name="Loket Wmo"))
    assert response.status_code == 302
    orphan.refresh_from_db()
    assert orphan.name == "Loket Wmo"


def test_provider_editors_never_reach_a_service_without_a_provider(
    client: Client, provider_editor: User, directory_org: Organization
) -> None:
    orphan = ServiceFactory(organization=None, slug="loket")
    assert as_user(client, provider_editor).get(url("service_edit", orphan.pk)).status_code == 404
