"""When the database is down, the meldpunt says so kindly and keeps what was typed.

The public form answers its own 503 page (with the phone number and the input still in the
form), also when the rate limiter is the first to find out; the partner API answers its JSON
error. "Down" is simulated twice: by making the limiter and the service raise, and by making
every query of the connection fail, so the whole middleware stack is in the test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client

import pytest

from omzien.cases import services, views_public
from omzien.cases.models import Signal
from tests.cases.test_partner_api import body
from tests.cases.test_public_form import fresh_form_fields

pytestmark = pytest.mark.django_db

URL = "/melden/"
PERSON_NAME = "Hendrika Vogelzang"
DESCRIPTION = "Ik zie haar al weken niet meer bij de bakker."


def form_data(client: Client) -> dict[str, Any]:
    hidden = fresh_form_fields(client)
    return {
        "reporter_kind": "resident",
        "person_name": PERSON_NAME,
        "person_phone": "06 98765432",
        "indicators": ["rarely_goes_out", "curtains_closed"],
        "description": DESCRIPTION,
        "person_knows": "no",
        "website": "",
        **hidden,
    }


def _refuse(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError("could not connect to server: Connection refused")


@contextmanager
def database_down() -> Iterator[None]:
    """Every query of this connection fails, as when the server went away."""

    def fail(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(fail):
        yield


def assert_friendly_503(response: Any) -> None:
    html = response.content.decode()
    assert response.status_code == 503
    assert "nog niet ontvangen" in html
    assert settings.OMZIEN_PHONE_NUMBER in html
    assert f'value="{PERSON_NAME}"' in html and DESCRIPTION in html
    assert re.search(r'value="curtains_closed"[^>]*checked', html)


def test_the_form_answers_a_friendly_503_when_the_rate_limiter_cannot_reach_the_database(
    raw_client, meldpunt, monkeypatch
):
    data = form_data(raw_client)
    monkeypatch.setattr(views_public, "allow", _refuse)
    monkeypatch.setattr(services, "submit_report", _refuse)
    assert_friendly_503(raw_client.post(URL, data))
    monkeypatch.undo()
    assert not Signal.objects.exists()


def test_the_kept_form_can_be_sent_again_once_the_database_is_back(
    raw_client, meldpunt, monkeypatch
):
    data = form_data(raw_client)
    monkeypatch.setattr(views_public, "allow", _refuse)
    html = raw_client.post(URL, data).content.decode()
    monkeypatch.undo()
    token = re.search(r'name="form_token" value="([^"]+)"', html)
    started = re.search(r'name="started" value="([^"]+)"', html)
    assert token and started
    again = raw_client.post(
        URL, {**data, "form_token": token.group(1), "started": started.group(1)}
    )
    assert again.status_code == 303
    assert Signal.objects.count() == 1


@pytest.mark.parametrize("cache_backend", ["locmem", "database"])
def test_the_form_answers_a_friendly_503_through_the_whole_stack_when_no_query_works(
    raw_client, meldpunt, settings, cache_backend
):
    if cache_backend == "database":
        # As in production: the rate limiter counts in the database cache.
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "omzien_cache",
            }
        }
    data = form_data(raw_client)
    with database_down():
        response = raw_client.post(URL, data)
    assert_friendly_503(response)
    assert not Signal.objects.exists()


def test_a_signed_in_visitor_also_gets_the_friendly_503_when_no_query_works(
    raw_client, meldpunt, case_worker_a
):
    # With a session cookie, the session itself lives in the database.
    raw_client.force_login(case_worker_a)
    data = form_data(raw_client)
    with database_down():
        response = raw_client.post(URL, data)
    assert_friendly_503(response)


def assert_api_503(response: Any) -> None:
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    answer = json.loads(response.content)
    assert answer["status"] == 503 and answer["error"] == "unavailable"
    assert answer["nl"] and answer["en"]


def test_the_partner_api_answers_a_json_503_when_storing_fails(
    raw_client, meldpunt, partner_key, monkeypatch
):
    from omzien.cases import partners

    monkeypatch.setattr(partners, "submit_signal", _refuse)
    response = raw_client.post(
        "/api/v1/signals",
        json.dumps(body()),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {partner_key}",
    )
    assert_api_503(response)


def test_the_partner_api_answers_a_json_503_through_the_whole_stack_when_no_query_works(
    raw_client, meldpunt, partner_key
):
    with database_down():
        response = raw_client.post(
            "/api/v1/signals",
            json.dumps(body()),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {partner_key}",
        )
    assert_api_503(response)


@pytest.mark.parametrize("path", ["/melden/status/?code=ABCD-EFGH", "/melden/bedankt/ABCD-EFGH/"])
def test_the_status_pages_answer_a_friendly_503_when_no_query_works(raw_client, path):
    with database_down():
        response = raw_client.get(path)
    assert response.status_code == 503
    html = response.content.decode()
    assert "storing" in html and settings.OMZIEN_PHONE_NUMBER in html
