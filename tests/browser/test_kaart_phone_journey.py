"""A resident on a small phone: a tile, its topic, the filters at the top, a list and a
comparison, without losing sight of what changed."""

from __future__ import annotations

import re
from typing import Any

from django.core.management import call_command

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(live_server: Any) -> None:
    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115


def no_sideways_scrolling(page: Any) -> bool:
    return bool(
        page.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


def test_a_tile_filters_a_list_and_a_comparison_on_a_phone(phone_page: Any, demo: None) -> None:
    page = phone_page
    page.goto("/kaart/")
    page.get_by_role("link", name=re.compile("^Ik voel me eenzaam")).tap()
    page.wait_for_url(re.compile(r"onderwerp=eenzaam"))

    # The topic names the page; its filters show as chips beside the count.
    expect(page.get_by_role("heading", level=1)).to_have_text("Ik voel me eenzaam")
    chips = page.locator(".omzien-chip")
    expect(chips).to_have_count(2)
    expect(chips.filter(has_text="Te weinig contacten")).to_be_visible()
    expect(page.get_by_role("link", name="Wis alle filters")).to_be_visible()

    # The filters: one button at the top, above the results, closed until tapped.
    toggle = page.locator("#kaart-filter-panel > summary")
    expect(toggle).to_contain_text("Filters")
    count = page.locator("#kaart-count")
    assert toggle.bounding_box()["y"] < count.bounding_box()["y"]
    district = page.get_by_label("Wijk", exact=True)
    expect(district).to_be_hidden()
    toggle.tap()
    expect(district).to_be_visible()
    assert axe_violations(page) == []

    # Tick a district: the results change and come into view, the panel stays open.
    before = count.inner_text()
    district.select_option(label="Wijk 14 Brouwhuis")
    page.wait_for_url(re.compile(r"wijk=WK079414"))
    expect(count).not_to_have_text(before)
    expect(count).to_be_in_viewport()
    expect(count).to_be_focused()
    expect(chips.filter(has_text="Wijk 14 Brouwhuis")).to_be_in_viewport()
    expect(page.locator(".omzien-card").first).to_be_in_viewport()
    expect(page.locator("#kaart-filter-panel")).to_have_attribute("open", "")
    assert no_sideways_scrolling(page)

    # Two on my list; the bar at the top counts them, wherever the page is scrolled to.
    add = page.locator(".omzien-card__actions button", has_text="Op mijn lijst")
    add.first.tap()
    add.first.tap()
    bar = page.locator("#kaart-nav")
    my_list = bar.get_by_role("link", name="Mijn lijst (2)")
    expect(my_list).to_be_in_viewport()

    # Pick three to compare; the bar counts them too.
    boxes = page.locator("input[name=ids]")
    for i in range(3):
        boxes.nth(i).check()
    compare = bar.get_by_role("link", name="Vergelijk (3)")
    expect(compare).to_be_in_viewport()
    compare.tap()
    page.wait_for_url(re.compile(r"/kaart/vergelijk/$"))

    # On a phone: three stacked cards with the same rows, no table to scroll sideways.
    cards = page.locator(".omzien-compare-cards .omzien-card")
    expect(cards).to_have_count(3)
    expect(page.locator("table.omzien-compare")).to_be_hidden()
    rows = page.locator("table.omzien-compare tbody th[scope=row]").all_inner_texts()
    for i in range(3):
        assert cards.nth(i).locator("dt").all_inner_texts() == rows
    assert no_sideways_scrolling(page)
    assert axe_violations(page) == []

    # The list is found from the bar at the top.
    bar.get_by_role("link", name="Mijn lijst (2)").tap()
    page.wait_for_url(re.compile(r"/kaart/lijst/$"))
    expect(page.locator(".omzien-handout .omzien-card")).to_have_count(2)
    assert axe_violations(page) == []


def test_a_neighbourhood_sorts_by_distance_without_a_postcode(phone_page: Any, demo: None) -> None:
    page = phone_page
    page.goto("/kaart/")
    page.locator("#kaart-filter-panel > summary").tap()
    page.get_by_label("Uw buurt").select_option(label="Centrum")
    page.wait_for_url(re.compile(r"buurt=BU07941000"))
    expect(page.locator(".omzien-chip", has_text="Buurt Centrum")).to_be_visible()
    page.get_by_label("Sorteren op").select_option(label="Dichtstbij")
    page.wait_for_url(re.compile(r"sort=afstand"))
    expect(page.get_by_text("De afstand is gemeten vanaf het midden van")).to_be_visible()
    distances = [
        float(text.strip("() km").replace(",", "."))
        for text in page.locator(".omzien-card .omzien-distance").all_inner_texts()
    ]
    assert len(distances) >= 10
    assert distances == sorted(distances)
    assert axe_violations(page) == []
