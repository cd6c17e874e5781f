"""The kaart's result page as a resident on a phone uses it: what a card says at a glance, the
list and the services to compare always in reach, the filters one tap away at the top, topic
pages from the entry tiles, and distance from a chosen neighbourhood."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client

import pytest
import time_machine

from omzien.directory import presenters
from omzien.directory.models import Phone, Schedule, Service, ServiceAtLocation
from tests.factories import LocationFactory, ServiceFactory
from tests.test_kaart_pages import get

from tests.test_kaart_pages import kaart as _kaart  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def kaart(_kaart: dict[str, Service]) -> dict[str, Service]:
    """Koffieochtend Brandevoort, Maatjesproject Stiphout, Buurtkoor and a hidden one."""
    return _kaart


AMSTERDAM = dt.timezone(dt.timedelta(hours=1))  # winter time, as in the dates below


def nav(content: str) -> str:
    """The bar with "Mijn lijst (n)" and "Vergelijk (n)" at the top of the page."""
    match = re.search(r'<nav id="kaart-nav".*?</nav>', content, re.S)
    assert match, "no kaart bar on this page"
    return match.group(0)


# --- "Mijn lijst (n)" and "Vergelijk (n)" at the top of every kaart page ------------------------


@pytest.mark.parametrize(
    "path", ["/kaart/", "/kaart/lijst/", "/kaart/vergelijk/", "/kaart/koffieochtend-brandevoort/"]
)
def test_every_kaart_page_shows_the_list_and_compare_counts_at_the_top(  # type: ignore[no-untyped-def]
    client: Client, kaart, path: str
) -> None:
    bar = nav(get(client, path))
    assert 'href="/kaart/lijst/"' in bar and "Mijn lijst (0)" in bar
    assert 'href="/kaart/vergelijk/"' in bar and "Vergelijk (0)" in bar
    assert content_before(get(client, path), '<nav id="kaart-nav"', '<main id="main"')


def content_before(content: str, first: str, second: str) -> bool:
    return content.index(first) < content.index(second)


def test_the_counts_follow_the_list_and_the_picks(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    client.post("/kaart/lijst/toevoegen/", {"service": str(kaart["coffee"].id)})
    client.post("/kaart/lijst/toevoegen/", {"service": str(kaart["buddy"].id)})
    client.post("/kaart/vergelijk/kiezen/", {"service": "buurtkoor", "ids": "buurtkoor"})
    bar = nav(get(client, "/kaart/"))
    assert "Mijn lijst (2)" in bar and "Vergelijk (1)" in bar


def test_the_list_page_marks_its_own_link_as_current(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    bar = nav(get(client, "/kaart/lijst/"))
    assert 'href="/kaart/lijst/" aria-current="page"' in bar


def test_the_bar_is_left_off_paper(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    assert "omzien-no-print" in nav(get(client, "/kaart/")).split(">", 1)[0]


# --- picking services to compare ---------------------------------------------------------------


def test_a_ticked_box_picks_a_service_and_an_unticked_one_drops_it(  # type: ignore[no-untyped-def]
    client: Client, kaart
) -> None:
    response = client.post(
        "/kaart/vergelijk/kiezen/", {"service": "buurtkoor", "ids": ["buurtkoor", "other"]}
    )
    assert response.status_code == 302 and response["Location"] == "/kaart/vergelijk/"
    content = get(client, "/kaart/")
    assert (
        f'id="cmp-{kaart["choir"].id}" name="ids" value="buurtkoor" form="compare-form" checked'
        in (content)
    )
    client.post("/kaart/vergelijk/kiezen/", {"service": "buurtkoor"})
    assert "Vergelijk (0)" in nav(get(client, "/kaart/"))


def test_the_bar_link_compares_the_picked_services(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    for slug in ("buurtkoor", "maatjesproject-stiphout"):
        client.post("/kaart/vergelijk/kiezen/", {"service": slug, "ids": slug})
    content = get(client, "/kaart/vergelijk/")
    assert content.count('<th scope="col"><a') == 2
    assert "Vergelijking leegmaken" in content
    client.post("/kaart/vergelijk/leegmaken/")
    assert "Vergelijk (0)" in nav(get(client, "/kaart/vergelijk/"))


def test_a_fifth_pick_is_refused_with_a_reason(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    for n in range(4):
        service = ServiceFactory(name=f"Dienst {n}", slug=f"dienst-{n}")
        client.post("/kaart/vergelijk/kiezen/", {"service": service.slug, "ids": service.slug})
    response = client.post(
        "/kaart/vergelijk/kiezen/",
        {"service": "buurtkoor", "ids": "buurtkoor"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert "Vergelijk (4)" in content and 'hx-swap-oob="true"' in content
    assert "U kunt vier diensten tegelijk vergelijken" in content
    # The refused box comes back unticked.
    box = re.search(r'<input[^>]*id="cmp-[^"]*"[^>]*>', content, re.S)
    assert box and "checked" not in box.group(0) and 'hx-swap-oob="true"' in box.group(0)


def test_with_htmx_a_pick_answers_with_the_bar_only(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/kaart/vergelijk/kiezen/",
        {"service": "buurtkoor", "ids": "buurtkoor"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content
    assert 'id="kaart-nav-links" class="omzien-kaart-nav__links" hx-swap-oob="true"' in content
    assert "Vergelijk (1)" in content
    assert 'id="cmp-' not in content  # the ticked box is right as it is


def test_picks_on_other_pages_are_sent_along_with_this_pages_form(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    client.post("/kaart/vergelijk/kiezen/", {"service": "buurtkoor", "ids": "buurtkoor"})
    content = get(client, "/kaart/", q="koffie")
    assert f'<input type="hidden" name="ids" value="{kaart["choir"].id}">' in content


def test_result_cards_post_picks_with_the_csrf_token_one_at_a_time(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(client, "/kaart/")
    assert re.search(
        r'<ol class="omzien-cards"[^>]*hx-headers=\'\{"X-CSRFToken": "\w+"\}\'', content
    )
    assert 'hx-sync="this:queue all"' in content
    assert 'hx-post="/kaart/vergelijk/kiezen/"' in content


def test_compare_has_the_same_rows_as_stacked_cards_for_a_phone(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(
        client,
        "/kaart/vergelijk/",
        ids="koffieochtend-brandevoort,maatjesproject-stiphout,buurtkoor",
    )
    assert content.count('<th scope="col"><a') == 3  # the table, for wide screens
    stacked = content.split('<ol class="omzien-cards omzien-compare-cards">')[1].split("</ol>")[0]
    cards = stacked.split('<article class="omzien-card"')[1:]
    assert len(cards) == 3
    rows = re.findall(r'<th scope="row">([^<]+)</th>', content)
    assert "Kosten" in rows and "Wanneer" in rows
    for card in cards:
        assert re.findall(r"<dt>([^<]+)</dt>", card) == rows
    assert "Koffieochtend Brandevoort" in cards[0] and "Buurtkoor" in cards[2]


# --- the list with htmx ------------------------------------------------------------------------


def test_with_htmx_adding_to_the_list_changes_the_button_and_the_bar(  # type: ignore[no-untyped-def]
    client: Client, kaart
) -> None:
    response = client.post(
        "/kaart/lijst/toevoegen/",
        {"service": str(kaart["coffee"].id), "next": "/kaart/"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content
    assert content.lstrip().startswith(f'<span class="omzien-hint" id="list-{kaart["coffee"].id}">')
    assert "Mijn lijst (1)" in content
    assert "Koffieochtend Brandevoort staat op uw lijst." in content
    # No message waits for the next page: the bar said it already.
    assert (
        "staat op uw lijst"
        not in get(client, "/kaart/lijst/").split('<main id="main"')[1].split("<h1")[0]
    )


def test_without_javascript_adding_returns_to_the_card(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(client, "/kaart/")
    coffee = kaart["coffee"].id
    assert f'name="next" value="/kaart/#card-{coffee}"' in content
    response = client.post(
        "/kaart/lijst/toevoegen/", {"service": str(coffee), "next": f"/kaart/#card-{coffee}"}
    )
    assert response["Location"] == f"/kaart/#card-{coffee}"


# --- what a result card says at a glance -------------------------------------------------------


def test_a_card_shows_phone_when_where_and_cost(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    Phone.objects.create(service=kaart["coffee"], number="0492 123 456")
    # Tuesday 3 March 2026, 09:00: the coffee morning is on Tuesdays.
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=AMSTERDAM), tick=False):
        content = get(client, "/kaart/", q="koffie")
    card = content.split('class="omzien-card"')[1]
    assert '<a class="utrecht-link omzien-tel" href="tel:0492123456">0492 123 456</a>' in card
    assert "Elke dinsdag" in card and "Volgende keer: vandaag" in card
    assert "Buurthuis De Brug" in card
    assert "Gratis" in card


def test_a_card_names_the_district_when_the_place_does_not(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(client, "/kaart/", q="maatjesproject")
    assert "(wijk Stiphout)" not in content  # no place of its own: its area is the where
    buddy = kaart["buddy"]
    ServiceAtLocation.objects.create(service=buddy, location=LocationFactory(name="Het Trefpunt"))
    content = get(client, "/kaart/", q="maatjesproject")
    assert "Het Trefpunt" in content and "(wijk Stiphout)" in content


def schedule(**fields: object) -> Schedule:
    return Schedule(**fields)


def at(day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A moment in March 2026 (Sunday 1 March; Tuesday 3 March)."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("fields", "now", "rule", "next_time"),
    [
        (
            {"freq": "WEEKLY", "byday": "TU", "opens_at": dt.time(10), "closes_at": dt.time(12)},
            at(3, 9),
            "Elke dinsdag 10:00\u201312:00",
            "vandaag",
        ),
        (  # closed for today: next week
            {"freq": "WEEKLY", "byday": "TU", "opens_at": dt.time(10), "closes_at": dt.time(12)},
            at(3, 12, 30),
            "Elke dinsdag 10:00\u201312:00",
            "dinsdag 10 maart",
        ),
        (
            {"freq": "WEEKLY", "byday": "WE,FR"},
            at(3),
            "Elke woensdag en vrijdag",
            "morgen",
        ),
        (
            {"freq": "WEEKLY", "byday": "MO,WE,FR", "opens_at": dt.time(9, 30)},
            at(3),
            "Elke maandag, woensdag en vrijdag vanaf 09:30",
            "morgen",
        ),
        (
            {"freq": "WEEKLY", "byday": "SA"},
            at(3),
            "Elke zaterdag",
            "zaterdag",
        ),
        (
            {"freq": "MONTHLY", "byday": "1MO"},
            at(3),
            "Elke eerste maandag van de maand",
            "maandag 6 april",
        ),
        (
            {"freq": "MONTHLY", "byday": "-1FR"},
            at(3),
            "Elke laatste vrijdag van de maand",
            "vrijdag 27 maart",
        ),
        (  # every other week, counted from the week it started
            {"freq": "WEEKLY", "interval": 2, "byday": "TU", "dtstart": dt.date(2026, 2, 24)},
            at(3),
            "Om de week op dinsdag",
            "dinsdag 10 maart",
        ),
        (  # every other week without a start: we cannot say which week
            {"freq": "WEEKLY", "interval": 2, "byday": "TU"},
            at(3),
            "Om de week op dinsdag",
            "",
        ),
        (  # ended
            {"freq": "WEEKLY", "byday": "TU", "valid_to": dt.date(2026, 2, 28)},
            at(3),
            "Elke dinsdag",
            "",
        ),
        (  # not started yet
            {"freq": "WEEKLY", "byday": "TU", "valid_from": dt.date(2026, 3, 16)},
            at(3),
            "Elke dinsdag",
            "dinsdag 17 maart",
        ),
        (  # a rule we cannot say plainly: its description
            {"freq": "MONTHLY", "byday": "TU", "description": "Op afspraak."},
            at(3),
            "Op afspraak.",
            "",
        ),
    ],
)
def test_when_in_plain_dutch_with_the_next_time(
    fields: dict[str, object], now: dt.datetime, rule: str, next_time: str
) -> None:
    service = ServiceFactory(name="Inloop", slug="inloop")
    assert isinstance(service, Service)
    Schedule.objects.create(service=service, **fields)
    card = presenters.card(
        Service.objects.prefetch_related("schedules").get(pk=service.pk), now=now
    )
    assert (card.when, card.next_time) == (rule, next_time)


def test_the_next_time_is_in_the_readers_language(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=AMSTERDAM), tick=False):
        content = get(client, "/kaart/", q="koffie")
    assert "Every Tuesday" in content and "Next time: tomorrow" in content
