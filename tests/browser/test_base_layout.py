"""The journeys every later page builds on: arrive, switch language, use the keyboard."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_loads_with_the_municipality_and_phone_line(page: Any) -> None:
    page.goto("/")
    assert page.locator("h1").inner_text() == "Samen omzien naar elkaar"
    assert page.locator(".omzien-phone-line a[href^='tel:']").is_visible()
    assert page.locator("html").get_attribute("lang") == "nl"


def test_the_language_switch_turns_the_page_english_and_back(page: Any) -> None:
    page.goto("/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Looking out for each other, together"
    page.get_by_role("button", name="Nederlands").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nl"


def test_the_keyboard_reaches_every_link_and_button_in_order(page: Any) -> None:
    page.goto("/")
    expected = page.evaluate(
        """() => Array.from(document.querySelectorAll('a[href], button'))
                 .filter(e => !e.disabled)
                 .map(e => e.outerHTML)"""
    )
    reached = []
    for _ in range(len(expected) + 3):
        page.keyboard.press("Tab")
        html = page.evaluate("() => document.activeElement.outerHTML")
        if html in reached:
            break
        if html in expected:
            reached.append(html)
    assert reached == expected


def test_the_skip_link_comes_first_and_moves_focus_to_the_content(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Naar de inhoud"
    assert page.locator(".omzien-skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_no_serious_accessibility_violations_on_the_home_page(page: Any) -> None:
    page.goto("/")
    assert axe_violations(page) == []


def test_no_serious_accessibility_violations_on_the_login_page(page: Any) -> None:
    page.goto("/accounts/login/")
    assert axe_violations(page) == []


def test_the_home_page_fits_a_small_phone_without_sideways_scrolling(phone_page: Any) -> None:
    phone_page.goto("/")
    overflow = phone_page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert axe_violations(phone_page) == []


def test_the_page_works_without_javascript(browser: Any, live_server: Any) -> None:
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="nl-NL"
    )
    page = context.new_page()
    page.goto("/")
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    context.close()


def test_the_browser_reports_no_csp_violations(page: Any) -> None:
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert not [m for m in messages if "Content Security Policy" in m]
