"""The rate limits of the public report form `/melden/`.

Only stored reports count against the limit of reports (10 an hour per client), so a library or
a care home on shared wifi is not locked out by forms sent back for a typing mistake. Every POST
counts against a higher limit against floods (60 an hour per client).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

import pytest
import time_machine

from omzien.audit.models import AuditEvent
from omzien.cases import views_public
from omzien.cases.models import Signal
from tests.cases.test_public_form import URL, html_of, report_data

pytestmark = pytest.mark.django_db


def with_a_typing_mistake(client: Client) -> dict[str, Any]:
    return report_data(client, reporter_email="buurman-at-example.org")


def assert_friendly_429(response: Any, person_name: str) -> None:
    html = html_of(response)
    assert response.status_code == 429
    assert "nog niet verstuurd" in html
    assert settings.OMZIEN_PHONE_NUMBER in html
    assert f'value="{person_name}"' in html
    assert re.search(r'value="curtains_closed"[^>]*checked', html)


def test_the_defaults_are_ten_stored_reports_and_sixty_attempts_an_hour() -> None:
    assert settings.OMZIEN_REPORT_RATE_LIMIT == 10
    assert settings.OMZIEN_REPORT_FLOOD_LIMIT == 60


def test_forms_sent_back_for_a_mistake_do_not_count_against_the_limit(client, meldpunt):
    for _ in range(11):
        response = client.post(URL, with_a_typing_mistake(client))
        assert response.status_code == 200
        assert "Dit is geen e-mailadres" in html_of(response)
    assert not Signal.objects.exists()

    assert client.post(URL, report_data(client)).status_code == 303
    assert Signal.objects.count() == 1


def test_the_eleventh_stored_report_in_an_hour_gets_a_friendly_429_that_keeps_the_input(
    client, meldpunt
):
    for _ in range(10):
        assert client.post(URL, report_data(client)).status_code == 303

    eleventh = report_data(client, person_name="Elfde Persoon")
    assert_friendly_429(client.post(URL, eleventh), "Elfde Persoon")
    assert Signal.objects.count() == 10
    assert AuditEvent.objects.filter(action="signal.create").count() == 10

    # Nothing of the eleventh was kept, not even its token: after the hour the same form is
    # stored.
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1, seconds=1)):
        assert client.post(URL, eleventh).status_code == 303
    assert Signal.objects.count() == 11


def test_a_flood_of_attempts_gets_the_429_even_for_a_good_report(client, meldpunt):
    junk = {"person_name": "Hendrika Vogelzang", "indicators": ["curtains_closed"]}
    for _ in range(60):
        assert client.post(URL, junk).status_code == 200

    assert_friendly_429(client.post(URL, junk), "Hendrika Vogelzang")
    assert_friendly_429(client.post(URL, report_data(client)), "Hendrika Vogelzang")
    assert not Signal.objects.exists()


def test_stored_reports_count_against_the_flood_limit_too(client, meldpunt, settings):
    settings.OMZIEN_REPORT_FLOOD_LIMIT = 3
    settings.OMZIEN_REPORT_RATE_LIMIT = 100
    for _ in range(3):
        assert client.post(URL, report_data(client)).status_code == 303
    assert client.post(URL, report_data(client)).status_code == 429
    assert Signal.objects.count() == 3


def test_a_report_sent_again_is_not_counted_again(client, meldpunt, settings):
    settings.OMZIEN_REPORT_RATE_LIMIT = 2
    first = report_data(client)
    receipts = set()
    for _ in range(4):  # a double click, the back button, a retry after a timeout
        response = client.post(URL, first)
        assert response.status_code == 303
        receipts.add(response["Location"])
    assert len(receipts) == 1
    assert Signal.objects.count() == 1

    assert client.post(URL, report_data(client)).status_code == 303
    assert Signal.objects.count() == 2
    third = client.post(URL, report_data(client, person_name="Derde Persoon"))
    assert_friendly_429(third, "Derde Persoon")
    # Sending the first again still shows its receipt: it stores nothing.
    assert client.post(URL, first)["Location"] in receipts
    assert Signal.objects.count() == 2


def test_another_client_on_the_same_hour_has_its_own_limits(client, meldpunt, settings):
    settings.OMZIEN_REPORT_RATE_LIMIT = 1
    assert client.post(URL, report_data(client)).status_code == 303
    assert client.post(URL, report_data(client)).status_code == 429
    other = Client(REMOTE_ADDR="192.0.2.44")
    assert other.post(URL, report_data(other)).status_code == 303
    assert Signal.objects.count() == 2


def test_a_report_whose_count_cannot_be_stored_gets_the_friendly_503_and_is_not_stored(
    client, meldpunt, monkeypatch
):
    calls: list[str] = []

    def flood_passes_then_the_database_goes(request: Any, scope: str, *args: Any) -> bool:
        calls.append(scope)
        if scope == "report":
            raise OperationalError("server closed the connection unexpectedly")
        return True

    monkeypatch.setattr(views_public, "allow", flood_passes_then_the_database_goes)
    response = client.post(URL, report_data(client))
    html = html_of(response)
    assert response.status_code == 503
    assert "nog niet ontvangen" in html and settings.OMZIEN_PHONE_NUMBER in html
    assert 'value="Hendrika Vogelzang"' in html
    assert calls == ["report-flood", "report"]
    assert not Signal.objects.exists()
