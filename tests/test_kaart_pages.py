"""The public sociale kaart: search, filters with counts, service page, compare, list, errors."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core import mail
from django.test import Client
from django.utils import timezone

import pytest

from omzien.audit.models import AuditEvent
from omzien.directory.models import (
    CostOption,
    ErrorReport,
    Language,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from tests.factories import LocationFactory, ServiceFactory, tag

pytestmark = pytest.mark.django_db


def reindex() -> None:
    from omzien.directory.search import get_backend

    get_backend().rebuild()


@pytest.fixture
def kaart(db: None) -> dict[str, Service]:
    today = timezone.localdate()
    coffee = ServiceFactory(
        name="Koffieochtend Brandevoort",
        slug="koffieochtend-brandevoort",
        description="Elke dinsdag koffie drinken met buren.",
        assured_date=today - timedelta(days=10),
    )
    tag(coffee, "support_kind", "meeting")
    tag(coffee, "target_group", "older_adults")
    tag(coffee, "cost_category", "free")
    Schedule.objects.create(service=coffee, byday="TU", description="Elke dinsdag 10-12 uur.")
    CostOption.objects.create(service=coffee, amount=Decimal("0"))
    Language.objects.create(service=coffee, code="nl", name="Nederlands")
    location = LocationFactory(name="Buurthuis De Brug", latitude=51.4700, longitude=5.6900)
    ServiceAtLocation.objects.create(service=coffee, location=location)

    buddy = ServiceFactory(
        name="Maatjesproject Stiphout",
        slug="maatjesproject-stiphout",
        description="Een vrijwilliger komt bij u op bezoek.",
        assured_date=today - timedelta(days=400),
    )
    tag(buddy, "support_kind", "personal_contact")
    tag(buddy, "target_group", "age_75_plus")
    tag(buddy, "cost_category", "subsidised")
    Schedule.objects.create(service=buddy, byday="MO,WE")
    CostOption.objects.create(service=buddy, amount=Decimal("2.50"))
    Language.objects.create(service=buddy, code="nl", name="Nederlands")
    Language.objects.create(service=buddy, code="ar", name="Arabisch")
    ServiceArea.objects.create(service=buddy, name="Stiphout", area_code="WK079417")

    choir = ServiceFactory(
        name="Buurtkoor",
        slug="buurtkoor",
        description="Samen zingen, elke donderdag.",
        assured_date=today,
    )
    tag(choir, "support_kind", "meeting")
    tag(choir, "support_kind", "occupation")
    tag(choir, "cost_category", "commercial")
    CostOption.objects.create(service=choir, amount=Decimal("7.50"))
    far = LocationFactory(name="Zaal Ver Weg", latitude=51.60, longitude=5.90)
    ServiceAtLocation.objects.create(service=choir, location=far)

    hidden = ServiceFactory(name="Verborgen koffie", slug="verborgen", is_published=False)
    reindex()
    return {"coffee": coffee, "buddy": buddy, "choir": choir, "hidden": hidden}


def get(client: Client, path: str, **params: object):  # type: ignore[no-untyped-def]
    response = client.get(path, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_search_page_lists_published_services_only(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(client, "/kaart/")
    assert "Koffieochtend Brandevoort" in content
    assert "Verborgen koffie" not in content
    assert "3 resultaten" in content


def test_entry_points_show_when_nothing_is_searched_yet(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(client, "/kaart/")
    assert "Ik voel me eenzaam" in content
    assert "Iemand om mee te praten" in content
    assert "Ik voel me eenzaam" not in get(client, "/kaart/", q="koffie")


def test_a_query_finds_by_name_and_keeps_the_rest_out(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(client, "/kaart/", q="koffie")
    assert "Koffieochtend Brandevoort" in content
    assert "Buurtkoor" not in content


def test_facets_show_counts_and_filter_with_or_inside_and_across(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(client, "/kaart/")
    assert 'Ontmoeting <span class="omzien-count">(2)</span>' in content
    one = get(client, "/kaart/", steun="personal_contact")
    assert "1 resultaat" in one and "Maatjesproject Stiphout" in one
    # The other option of the chosen facet still counts as if not chosen (OR within a facet).
    assert 'Ontmoeting <span class="omzien-count">(2)</span>' in one
    both = get(client, "/kaart/?steun=personal_contact&steun=meeting")
    assert "3 resultaten" in both
    narrowed = get(client, "/kaart/?steun=meeting&kosten=free")
    assert "1 resultaat" in narrowed and "Koffieochtend Brandevoort" in narrowed


def test_filter_by_day_and_language(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    monday = get(client, "/kaart/", dag="MO")
    assert "Maatjesproject Stiphout" in monday and "Koffieochtend Brandevoort" not in monday
    arabic = get(client, "/kaart/", taal="ar")
    assert "1 resultaat" in arabic


def test_district_filter_keeps_services_for_the_whole_municipality(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    from omzien.areas import demo

    demo.load()
    content = get(client, "/kaart/", wijk="WK079417")
    assert "Maatjesproject Stiphout" in content
    # Services without a district of their own serve the whole municipality.
    assert "Buurtkoor" in content


def test_distance_from_a_postcode_sorts_and_filters(client: Client, kaart, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        "omzien.directory.selectors.locate_postcode", lambda value, **kwargs: (51.4710, 5.6890)
    )
    near = get(client, "/kaart/", postcode="5701 AB", afstand="2")
    assert "Koffieochtend Brandevoort" in near and "Buurtkoor" not in near
    assert "(0.1 km)" in near or "(0,1 km)" in near
    everything = get(client, "/kaart/", postcode="5701AB", sort="afstand")
    assert everything.index("Koffieochtend Brandevoort") < everything.index("Buurtkoor")


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("naam", "Buurtkoor", "Maatjesproject Stiphout"),
        ("kosten", "Koffieochtend Brandevoort", "Buurtkoor"),
        ("gecontroleerd", "Buurtkoor", "Maatjesproject Stiphout"),
    ],
)
def test_sorting(client: Client, kaart, sort: str, first: str, last: str) -> None:  # type: ignore[no-untyped-def]
    content = get(client, "/kaart/", sort=sort)
    assert content.index(f">{first}</a>") < content.index(f">{last}</a>")


def test_pagination_keeps_the_filters_in_the_url(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    for n in range(25):
        service = ServiceFactory(name=f"Ontmoeting {n:02d}", slug=f"ontmoeting-{n}")
        tag(service, "support_kind", "meeting")
    reindex()
    content = get(client, "/kaart/", steun="meeting", sort="naam")
    assert "steun=meeting" in content and "pagina=2" in content
    second = get(client, "/kaart/", steun="meeting", sort="naam", pagina="2")
    assert "Pagina 2 van 2" in second


@pytest.mark.parametrize(
    "params",
    [
        {"pagina": "999999999"},
        {"pagina": "-3"},
        {"pagina": "twee"},
        {"steun": "onbekend"},
        {"wijk": "WK999999"},
        {"afstand": "1000"},
        {"dag": "XX"},
        {"taal": "klingon"},
        {"sort": "DROP TABLE"},
        {"postcode": "nergens"},
        {"q": "koffie " * 800},
        {"q": '"koffie* NEAR( OR -"'},
    ],
)
def test_bad_input_gets_a_clear_page_never_an_error(client: Client, kaart, params) -> None:  # type: ignore[no-untyped-def]
    content = get(client, "/kaart/", **params)
    assert "utrecht-alert" in content or "resultaten" in content


def test_an_absurd_page_number_shows_the_last_page_with_a_notice(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(client, "/kaart/", pagina="500")
    assert "Deze pagina bestaat niet" in content
    assert "Koffieochtend Brandevoort" in content


def test_nothing_found_offers_help_and_the_phone_line(client: Client, kaart, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OMZIEN_PHONE_NUMBER = "14 0492"
    content = get(client, "/kaart/", q="paardrijden")
    assert "Wij hebben niets gevonden" in content
    assert 'href="tel:140492"' in content


def test_htmx_requests_get_only_the_results(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    response = client.get(
        "/kaart/", {"steun": "meeting"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="kaart-results"
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="kaart-results"')
    assert "<html" not in content


def test_suggestions_complete_the_last_word(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(client, "/kaart/suggesties/", q="samen koff")
    assert 'value="samen koffieochtend"' in content.lower()


def test_the_service_page_shows_everything_with_tap_to_call(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    from omzien.directory.models import Phone

    coffee = kaart["coffee"]
    Phone.objects.create(service=coffee, number="0492 123 456")
    content = get(client, f"/kaart/{coffee.slug}/")
    assert "<h1" in content and "Koffieochtend Brandevoort" in content
    assert 'href="tel:0492123456"' in content
    assert "Ontmoeting" in content and "Ouderen" in content
    assert "Gecontroleerd op" in content
    assert "Klopt er iets niet?" in content


def test_the_service_page_by_id_redirects_to_the_slug(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/kaart/{kaart['coffee'].id}/")
    assert response.status_code == 301
    assert response["Location"] == "/kaart/koffieochtend-brandevoort/"


def test_a_stale_service_says_so(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(client, f"/kaart/{kaart['buddy'].slug}/")
    assert "al een tijd niet gecontroleerd" in content


def test_unpublished_and_unknown_services_are_not_found(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/kaart/verborgen/").status_code == 404
    assert client.get("/kaart/bestaat-niet/").status_code == 404


def test_compare_shows_up_to_four_side_by_side(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(
        client,
        "/kaart/vergelijk/",
        ids="koffieochtend-brandevoort,maatjesproject-stiphout,buurtkoor",
    )
    assert content.count('<th scope="col"><a') == 3
    assert "Kosten" in content and "Voor wie" in content


def test_compare_with_too_many_or_unknown_ids_explains(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    many = ",".join(
        ["buurtkoor", "koffieochtend-brandevoort", "maatjesproject-stiphout"]
        + [f"x{i}" for i in range(5)]
    )
    content = get(client, "/kaart/vergelijk/", ids=many)
    assert "vier diensten tegelijk" in content
    content = get(client, "/kaart/vergelijk/", ids="buurtkoor,onbekend,verborgen")
    assert "Niet alle gekozen diensten" in content
    assert content.count('<th scope="col"><a') == 1


def test_my_list_keeps_chosen_services_for_a_printable_handout(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    client.post("/kaart/lijst/toevoegen/", {"service": str(kaart["coffee"].id)})
    client.post("/kaart/lijst/toevoegen/", {"service": str(kaart["buddy"].id)})
    client.post("/kaart/lijst/toevoegen/", {"service": str(kaart["coffee"].id)})
    content = get(client, "/kaart/lijst/")
    assert content.count('class="omzien-card"') == 2
    assert "omzien-print-only" in content
    client.post("/kaart/lijst/verwijderen/", {"service": str(kaart["coffee"].id)})
    assert get(client, "/kaart/lijst/").count('class="omzien-card"') == 1


def test_adding_an_unknown_service_to_the_list_says_so(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/kaart/lijst/toevoegen/", {"service": "onzin"}, follow=True)
    assert "bestaat niet" in response.content.decode()


def test_list_redirects_back_only_to_this_site(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/kaart/lijst/toevoegen/",
        {"service": str(kaart["coffee"].id), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/kaart/lijst/"


def test_reporting_an_error_reaches_the_provider(  # type: ignore[no-untyped-def]
    client: Client, kaart, django_capture_on_commit_callbacks
) -> None:
    coffee = kaart["coffee"]
    coffee.organization.email = "Info@Koffie.example"
    coffee.organization.save(update_fields=["email"])
    form_page = get(client, f"/kaart/{coffee.slug}/fout-melden/")
    started = form_page.split('name="started" value="')[1].split('"')[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/kaart/{coffee.slug}/fout-melden/",
            {
                "message": "Het is op woensdag, niet op dinsdag. Groet, Jan Jansen 06-12345678",
                "reporter_email": "jan@example.nl",
                "started": started,
            },
        )
    assert response.status_code == 200
    assert "Bedankt voor uw melding" in response.content.decode()
    report = ErrorReport.objects.get()
    assert report.service == coffee and report.status == "open"
    assert report.reporter_email == "jan@example.nl"
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["info@koffie.example"]
    assert "Koffieochtend Brandevoort" in sent.subject
    assert "Koffieochtend Brandevoort" in sent.body
    for personal in ("Jan Jansen", "06-12345678", "jan@example.nl", "woensdag"):
        assert personal not in sent.subject and personal not in sent.body
    event = AuditEvent.objects.get(action="directory.error_report.create")
    assert event.details == {"service": str(coffee.id)}


def test_an_error_report_without_text_keeps_what_was_typed(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    coffee = kaart["coffee"]
    response = client.post(
        f"/kaart/{coffee.slug}/fout-melden/", {"message": "", "reporter_email": "geen-adres"}
    )
    content = response.content.decode()
    assert "Schrijf kort wat er niet klopt." in content
    assert "Dit is geen e-mailadres" in content
    assert 'value="geen-adres"' in content
    assert not ErrorReport.objects.exists()


def test_a_bot_filling_the_honeypot_is_thanked_but_not_stored(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    coffee = kaart["coffee"]
    response = client.post(
        f"/kaart/{coffee.slug}/fout-melden/",
        {"message": "Koop nu!", "website": "http://spam.example", "started": ""},
    )
    assert "Bedankt" in response.content.decode()
    assert not ErrorReport.objects.exists()
    assert mail.outbox == []


def test_error_reports_are_rate_limited(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    cache.clear()
    coffee = kaart["coffee"]
    statuses = [
        client.post(f"/kaart/{coffee.slug}/fout-melden/", {"message": ""}).status_code
        for _ in range(12)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429, 429]
