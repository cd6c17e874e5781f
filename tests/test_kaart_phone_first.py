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
from tests import test_kaart_pages
from tests.factories import LocationFactory, ServiceFactory
from tests.test_kaart_pages import get

pytestmark = pytest.mark.django_db


# Koffieochtend Brandevoort, Maatjesproject Stiphout, Buurtkoor and a hidden one.
kaart = test_kaart_pages.kaart


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


# --- the list ---------------------------------------------------------------------------------


def test_adding_to_the_list_returns_to_the_card(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
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
        (  # the days in the order of the week, whatever order BYDAY has
            {"freq": "WEEKLY", "byday": "FR,WE"},
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


# --- the filters, one tap away at the top --------------------------------------------------------


def test_the_filters_are_a_button_at_the_top_that_opens_in_place(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(client, "/kaart/", steun="meeting", kosten="free")
    panel = re.search(r"<details [^>]*>", content)
    assert panel and 'id="kaart-filter-panel"' in panel.group(0)
    assert " open" not in panel.group(0)  # closed on a phone; CSS opens it on a wide screen
    summary = re.search(r"<summary[^>]*>(.*?)</summary>", content, re.S)
    assert summary and "Filters" in summary.group(1) and "(2)" in summary.group(1)
    # The form is inside the panel, and the panel comes before the results.
    assert (
        content.index("<details")
        < content.index('<form id="kaart-filters"')
        < content.index("</details>")
    )
    assert content.index("</details>") < content.index('id="kaart-count"')


def test_a_filter_change_swaps_the_results_and_the_count_can_take_the_focus(  # type: ignore[no-untyped-def]
    client: Client, kaart
) -> None:
    content = get(client, "/kaart/")
    assert 'hx-target="#kaart-results" hx-swap="outerHTML" hx-push-url="true"' in content
    assert '<h2 class="utrecht-heading-2" id="kaart-count" aria-live="polite" tabindex="-1">' in (
        content
    )


def test_sorting_applies_at_once_with_htmx_and_by_a_button_without(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(client, "/kaart/")
    select = re.search(r'<select [^>]*id="kaart-sort"[^>]*>', content, re.S)
    assert select and 'hx-include="#kaart-filters"' in select.group(0)
    noscript = re.search(r"<noscript>(.*?)</noscript>", content)
    assert noscript and 'type="submit" form="kaart-filters">Sorteer</button>' in noscript.group(1)


# --- chips: the chosen filters, each one tap to remove ------------------------------------------


def chips(content: str) -> dict[str, str]:
    """Chip label -> its link."""
    found = re.findall(
        r'<a class="omzien-chip" href="([^"]*)">([^<]*)<span class="visually-hidden">', content
    )
    return {label: href.replace("&amp;", "&") for href, label in found}


def test_chosen_filters_show_as_chips_that_each_remove_their_filter(  # type: ignore[no-untyped-def]
    client: Client, kaart
) -> None:
    content = get(client, "/kaart/", steun=["meeting", "personal_contact"], kosten="free")
    assert "3 resultaten" not in content
    shown = chips(content)
    assert set(shown) == {"Ontmoeting", "Iemand om mee te praten", "Gratis"}
    without_free = get(client, shown["Gratis"])
    assert set(chips(without_free)) == {"Ontmoeting", "Iemand om mee te praten"}
    assert "3 resultaten" in without_free
    without_meeting = get(client, shown["Ontmoeting"])
    assert set(chips(without_meeting)) == {"Iemand om mee te praten", "Gratis"}


def test_a_chip_link_starts_again_at_the_first_page_and_keeps_the_query(  # type: ignore[no-untyped-def]
    client: Client, kaart
) -> None:
    content = get(client, "/kaart/", q="koffie", kosten="free", sort="naam", pagina="1")
    link = chips(content)["Gratis"]
    assert link == "/kaart/?q=koffie&sort=naam"


def test_place_day_and_language_filters_have_chips_too(client: Client, kaart, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from omzien.areas import demo

    demo.load()
    monkeypatch.setattr(
        "omzien.directory.selectors.locate_postcode", lambda value, **kwargs: (51.4710, 5.6890)
    )
    content = get(
        client,
        "/kaart/",
        wijk="WK079417",
        buurt="BU07941000",
        postcode="5701AB",
        afstand="5",
        dag="MO",
        taal="ar",
    )
    assert set(chips(content)) == {
        "Wijk 17 Stiphout",
        "Buurt Centrum",
        "Postcode 5701 AB",
        "Binnen 5 km",
        "maandag",
        "Arabisch",
    }


def test_clear_all_filters_sits_beside_the_count(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(client, "/kaart/", q="koffie", kosten="free")
    bar = content.split('<div class="omzien-kaart__bar">')[1].split("</div>")[0]
    assert bar.index('id="kaart-count"') < bar.index("Wis alle filters")
    link = re.search(r'<a class="[^"]*omzien-kaart__clear[^"]*" href="([^"]*)">', bar)
    assert link and link.group(1) == "/kaart/?q=koffie"
    assert chips(get(client, link.group(1))) == {}


def test_without_filters_there_are_no_chips_and_nothing_to_clear(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(client, "/kaart/", q="koffie")
    assert 'class="omzien-chips"' not in content and "Wis alle filters" not in content


# --- entry tiles open topic pages --------------------------------------------------------------


def test_the_tiles_open_topic_pages(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(client, "/kaart/")
    assert (
        'href="/kaart/?onderwerp=eenzaam&amp;probleem=emotional_loneliness'
        '&amp;probleem=social_loneliness"' in content
    )


def test_a_topic_page_names_its_topic_and_shows_its_chips(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(
        client,
        "/kaart/",
        onderwerp="eenzaam",
        probleem=["emotional_loneliness", "social_loneliness"],
    )
    assert '<h1 class="utrecht-heading-1">Ik voel me eenzaam</h1>' in content
    assert "<title>Ik voel me eenzaam" in content
    assert "Waar bent u naar op zoek?" not in content  # the tiles make way for the topic
    assert set(chips(content)) == {"Iemand missen", "Te weinig contacten"}
    # Changing a filter keeps the topic.
    assert '<input type="hidden" name="onderwerp" value="eenzaam">' in content
    assert all("onderwerp=eenzaam" in link for link in chips(content).values())


def test_an_unknown_topic_is_skipped_with_a_notice(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(client, "/kaart/", onderwerp="bestaat-niet")
    assert "Hulp en activiteiten in de buurt</h1>" in content
    assert "Een of meer filters in het adres kennen wij niet" in content


def names_in_order(content: str) -> list[str]:
    return re.findall(
        r'<h3 class="utrecht-heading-3 omzien-card__title"[^>]*><a[^>]*>([^<]+)</a>', content
    )


def test_a_topic_page_starts_with_what_fits_the_topic_best(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    from omzien.directory.entry_points import BY_SLUG
    from omzien.directory.filters import FACET_PARAMS
    from omzien.directory.search import get_backend
    from tests.factories import tag

    fits: dict[str, int] = {}
    for name, codes in [
        ("Aa koffie", [("problem", "social_loneliness")]),
        (
            "Bb maatje",
            [
                ("problem", "social_loneliness"),
                ("problem", "emotional_loneliness"),
                ("support_kind", "personal_contact"),
                ("target_group", "living_alone"),
            ],
        ),
        ("Cc telefoon", [("problem", "social_loneliness"), ("support_kind", "personal_contact")]),
        ("Dd wandelen", [("problem", "social_loneliness")]),
    ]:
        service = ServiceFactory(name=name, slug=name.lower().replace(" ", "-"))
        for key, code in codes:
            tag(service, key, code)
    get_backend().rebuild()
    topic = BY_SLUG["eenzaam"]
    wanted = {(FACET_PARAMS[param], code) for param, code in topic.ranking_terms}
    for service in Service.objects.prefetch_related("attributes__taxonomy_term__taxonomy"):
        fits[service.name] = sum(
            (a.taxonomy_term.taxonomy.key, a.taxonomy_term.code) in wanted
            for a in service.attributes.all()
            if a.taxonomy_term.taxonomy
        )
    filters = {"probleem": ["emotional_loneliness", "social_loneliness"]}
    plain = names_in_order(get(client, "/kaart/", **filters))
    on_topic = names_in_order(get(client, "/kaart/", onderwerp="eenzaam", **filters))
    # More of the topic's terms first; the order the page had within the same number.
    assert on_topic == sorted(plain, key=lambda name: -fits[name])
    assert on_topic[:2] == ["Bb maatje", "Cc telefoon"]
    # A sort the resident chose wins over the topic.
    by_name = names_in_order(get(client, "/kaart/", onderwerp="eenzaam", sort="naam", **filters))
    assert by_name == sorted(by_name)


# --- distance from a chosen neighbourhood, offline ------------------------------------------------


@pytest.fixture
def helmond(db: None) -> None:
    from omzien.areas import demo

    demo.load()


def test_a_resident_can_pick_a_neighbourhood_of_the_municipality(  # type: ignore[no-untyped-def]
    client: Client, kaart, helmond
) -> None:
    content = get(client, "/kaart/")
    field = content.split('<select class="utrecht-select" id="kaart-buurt"')[1].split("</select>")[
        0
    ]
    assert field.count("<optgroup") == 12 and field.count('<option value="BU') == 44
    assert '<optgroup label="Wijk 10 Binnenstad">' in field
    assert '<option value="BU07941000">Centrum</option>' in field


def test_distance_from_a_neighbourhood_sorts_and_filters_without_asking_anyone(  # type: ignore[no-untyped-def]
    client: Client, kaart, helmond, monkeypatch
) -> None:
    from omzien.areas import pdok
    from omzien.directory.search import get_backend
    from omzien.directory.selectors import neighbourhood_centre

    def offline(*args: object, **kwargs: object) -> None:
        raise AssertionError("PDOK was asked")

    monkeypatch.setattr(pdok, "lookup_postcode", offline)
    found = neighbourhood_centre("BU07941000")
    assert found is not None
    centre = found.point
    near = ServiceFactory(name="Zz dichtbij", slug="zz-dichtbij")
    ServiceAtLocation.objects.create(
        service=near,
        location=LocationFactory(
            name="Om de hoek", latitude=centre[0] + 0.001, longitude=centre[1]
        ),
    )
    get_backend().rebuild()

    by_distance = names_in_order(get(client, "/kaart/", buurt="BU07941000", sort="afstand"))
    assert by_distance[0] == "Zz dichtbij"
    assert by_distance.index("Koffieochtend Brandevoort") < by_distance.index("Buurtkoor")
    content = get(client, "/kaart/", buurt="BU07941000", sort="afstand")
    assert "(0.1 km)" in content or "(0,1 km)" in content
    # The demo has no boundaries of its buurten: the middle of their wijk, and it says so.
    assert (
        "De afstand is gemeten vanaf het midden van Wijk 10 Binnenstad, de wijk van uw buurt."
        in content
    )
    within = names_in_order(get(client, "/kaart/", buurt="BU07941000", afstand="1"))
    assert within == ["Zz dichtbij"]


def test_a_postcode_still_wins_over_the_neighbourhood(
    client: Client, kaart, helmond, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        "omzien.directory.selectors.locate_postcode", lambda value, **kwargs: (51.60, 5.90)
    )
    names = names_in_order(
        get(client, "/kaart/", buurt="BU07941000", postcode="5701AB", sort="afstand")
    )
    assert names[0] == "Buurtkoor"  # at Zaal Ver Weg, beside the postcode's point


def test_sorting_by_distance_without_a_place_says_what_to_do(client: Client, kaart) -> None:  # type: ignore[no-untyped-def]
    content = get(client, "/kaart/", sort="afstand")
    assert "Kies uw buurt of vul een postcode in om op afstand te sorteren." in content


def test_an_unknown_neighbourhood_is_skipped(client: Client, kaart, helmond) -> None:  # type: ignore[no-untyped-def]
    content = get(client, "/kaart/", buurt="BU99999999", sort="afstand")
    assert "Een of meer filters in het adres kennen wij niet" in content


def test_a_neighbourhood_with_its_own_boundary_is_measured_from_its_own_middle(  # type: ignore[no-untyped-def]
    client: Client, kaart, helmond
) -> None:
    from omzien.areas.models import Neighbourhood
    from omzien.directory.selectors import neighbourhood_centre

    square = [[5.60, 51.40], [5.62, 51.40], [5.62, 51.42], [5.60, 51.42], [5.60, 51.40]]
    Neighbourhood.objects.filter(code="BU07941000").update(
        geometry={"type": "Polygon", "coordinates": [square]}
    )
    found = neighbourhood_centre("BU07941000")
    assert found is not None
    assert found.point == pytest.approx((51.41, 5.61))
    content = get(client, "/kaart/", buurt="BU07941000")
    assert "De afstand is gemeten vanaf het midden van buurt Centrum." in content
