"""A resident (or the phone-line volunteer helping one) uses the sociale kaart."""

from __future__ import annotations

import re
from typing import Any

from django.core.management import call_command

import pytest

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(live_server: Any) -> None:
    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_search_filter_open_compare_and_print_a_list(page: Any, demo: None) -> None:
    page.goto("/kaart/")
    page.get_by_label("Wat zoekt u?").fill("koffie")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    page.wait_for_url(re.compile(r"q=koffie"))
    assert "resultaten" in page.locator("#kaart-count").inner_text()

    # Filter: only free offers (htmx swaps the results; the URL keeps the filter).
    page.get_by_label(re.compile(r"^Gratis")).check()
    page.wait_for_url(re.compile(r"kosten=free"))
    page.wait_for_selector("#kaart-results input[value=free]:checked")

    # Open a service and come back.
    first = page.locator(".omzien-card__title a").first
    name = first.inner_text()
    first.click()
    assert page.locator("h1").inner_text() == name
    page.go_back()

    # Compare three.
    boxes = page.locator("input[name=ids]")
    for i in range(3):
        boxes.nth(i).check()
    page.get_by_role("button", name="Vergelijk gekozen diensten").click()
    page.wait_for_url(re.compile(r"/kaart/vergelijk/"))
    assert page.locator("table.omzien-compare thead th[scope=col] a").count() == 3

    # Two on my list, then print it.
    page.goto("/kaart/?q=maatje")
    page.locator(".omzien-card__actions button", has_text="Op mijn lijst").first.click()
    page.locator(".omzien-card__actions button", has_text="Op mijn lijst").first.click()
    page.goto("/kaart/lijst/")
    assert page.locator(".omzien-handout .omzien-card").count() == 2
    assert page.get_by_role("button", name="Printen").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".omzien-print-only").first.is_visible()
    assert not page.locator(".omzien-header__nav").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_the_kaart_works_on_a_small_phone(phone_page: Any, demo: None) -> None:
    phone_page.goto("/kaart/?q=wandelen")
    overflow = phone_page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    phone_page.locator(".omzien-card__title a").first.click()
    assert phone_page.locator("h1").is_visible()
    assert axe_violations(phone_page) == []


def test_keyboard_only_search_and_open_a_result(page: Any, demo: None) -> None:
    page.goto("/kaart/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "kaart-q":
            break
    page.keyboard.type("maatje")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=maatje"))
    # Tab to the first result's link and open it with Enter.
    target = page.locator(".omzien-card__title a").first.get_attribute("href")
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('href')") == target:
            break
    else:
        pytest.fail("The keyboard never reached the first result")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(target)))
    assert page.locator("h1").is_visible()


@pytest.mark.parametrize(
    "path",
    ["/kaart/", "/kaart/?q=koffie&steun=meeting", "/kaart/de-luisterlijn/", "/kaart/lijst/"],
)
def test_no_serious_accessibility_violations(page: Any, demo: None, path: str) -> None:
    page.goto(path)
    assert axe_violations(page) == []


def test_no_serious_accessibility_violations_on_compare(page: Any, demo: None) -> None:
    page.goto("/kaart/vergelijk/?ids=de-luisterlijn,de-zilverlijn,korrelatie")
    assert page.locator("table.omzien-compare thead th[scope=col] a").count() == 3
    assert axe_violations(page) == []
