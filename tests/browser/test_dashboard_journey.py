"""A policy officer looks at the figures, filters by district and downloads the council report."""

from __future__ import annotations

import re
from typing import Any

from django.core.management import call_command
from django.urls import include, path

import pytest

from omzien.areas.models import District
from omzien.urls import urlpatterns as site_urlpatterns
from tests.browser.conftest import axe_violations
from tests.conftest import PASSWORD

# Until the dashboard is included in omzien.urls, this module mounts it itself.
urlpatterns = [
    path("dashboard/", include("omzien.insight.urls_dashboard")),
    *site_urlpatterns,
]
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls(__name__)]


@pytest.fixture
def demo(live_server: Any) -> None:
    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115


def log_in(page: Any, email: str) -> None:
    page.goto("/accounts/login/?next=/dashboard/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(re.compile(r"/dashboard/"))


def test_a_policy_officer_filters_by_district_and_downloads_the_council_report(
    page: Any, demo: None, policy_officer: Any
) -> None:
    log_in(page, policy_officer.email)
    assert page.locator("h1").inner_text() == "Dashboard eenzaamheid"
    assert page.locator("svg[role=img]").count() >= 5
    assert page.locator("table caption").count() >= 8

    district = District.objects.order_by("-year", "name").first()
    assert district is not None
    page.get_by_role("combobox", name=re.compile(r"^Wijk")).select_option(district.code)
    page.get_by_role("button", name="Filters toepassen").click()
    page.wait_for_url(re.compile(rf"wijk={district.code}"))
    selection = page.locator(".omzien-dashboard-selection").inner_text()
    assert district.name in selection
    # The reach table now has only that district and the total.
    rows = page.locator("#bereik table tbody th[scope=row]")
    assert rows.all_inner_texts() == [district.name, "Totaal"]

    with page.expect_download() as info:
        page.get_by_role("link", name="Raadsrapportage downloaden (pdf)").click()
    download = info.value
    assert download.suggested_filename.startswith("raadsrapportage-")
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    with page.expect_download() as info:
        page.locator("#bereik a", has_text="Download als CSV").click()
    with open(info.value.path(), "rb") as csv:
        assert csv.read(3) == "\ufeff".encode()


def test_a_bad_month_gives_a_message_not_an_error(
    page: Any, demo: None, policy_officer: Any
) -> None:
    log_in(page, policy_officer.email)
    page.goto("/dashboard/?van=1800-01")
    assert page.locator("#foutmeldingen").is_visible()
    assert "te ver terug" in page.locator("#foutmeldingen").inner_text()
    assert page.locator("#meldingen table").count() == 2


def test_no_serious_accessibility_violations_on_the_dashboard(
    page: Any, demo: None, policy_officer: Any
) -> None:
    log_in(page, policy_officer.email)
    assert axe_violations(page) == []
    page.goto("/dashboard/?van=1800-01&leeftijd=75%2B")
    assert axe_violations(page) == []
