from __future__ import annotations

import json
import logging
from unittest import mock

from django.db import DatabaseError
from django.test import Client

import pytest

pytestmark = pytest.mark.django_db


def test_home_page_shows_the_municipality_and_the_phone_line(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OMZIEN_MUNICIPALITY_NAME = "Gemeente Voorbeeld"
    settings.OMZIEN_PHONE_NUMBER = "14 0123"
    response = client.get("/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Gemeente Voorbeeld" in content
    assert 'href="tel:140123"' in content
    assert 'class="utrecht-skip-link' in content
    assert '<html lang="nl"' in content


def test_home_page_links_only_to_parts_that_exist(client: Client) -> None:
    from omzien.core.home import home_tasks

    content = client.get("/").content.decode()
    for task in home_tasks():
        assert f'href="{task["url"]}"' in content
    assert "/kaart/" not in content or any(t["url"] == "/kaart/" for t in home_tasks())


def test_the_language_switch_turns_the_site_english(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    content = client.get("/").content.decode()
    assert '<html lang="en"' in content
    assert "Skip to content" in content
    assert "Nederlands" in content


def test_demo_banner_shows_when_mfa_is_relaxed(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OMZIEN_MFA_REQUIRED = False
    assert "tweestapsverificatie staat uit" in client.get("/").content.decode()
    settings.OMZIEN_MFA_REQUIRED = True
    assert "tweestapsverificatie staat uit" not in client.get("/").content.decode()


def test_csp_allows_no_inline_script_or_style(client: Client) -> None:
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_have_no_inline_scripts(client: Client) -> None:
    content = client.get("/").content.decode()
    for chunk in content.split("<script")[1:]:
        assert chunk.lstrip().startswith("src=") or ' src="' in chunk.split(">")[0]


def test_healthz_reports_a_reachable_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_down(client: Client) -> None:
    with mock.patch("omzien.core.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_theme_css_carries_the_municipality_colours(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OMZIEN_PRIMARY_COLOR = "#123abc"
    css = client.get("/theme.css").content.decode()
    assert "--omzien-primary: #123abc;" in css


def test_theme_css_ignores_a_colour_that_is_not_a_colour(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OMZIEN_PRIMARY_COLOR = "red;} body{display:none"
    css = client.get("/theme.css").content.decode()
    assert "display:none" not in css
    assert "--omzien-primary: #0b5394;" in css


def test_every_response_has_a_request_id(client: Client) -> None:
    generated = client.get("/healthz")["X-Request-ID"]
    assert len(generated) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="proxy-id-12345")["X-Request-ID"] == (
        "proxy-id-12345"
    )
    # Anything that does not look like an id is replaced, so logs cannot be injected into.
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nx")["X-Request-ID"] != "bad id\nx"


def test_unknown_page_gets_a_friendly_404(client: Client) -> None:
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()


def test_json_log_lines_carry_the_request_id_and_nothing_else_of_the_request() -> None:
    from omzien.core.logging import JsonFormatter, RequestIdFilter, request_id_var

    token = request_id_var.set("req-123456")
    try:
        record = logging.LogRecord("omzien", logging.INFO, __file__, 1, "hello %s", ("x",), None)
        record.email = "private@example.org"  # an attribute that must not be written out
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["message"] == "hello x"
    assert line["request_id"] == "req-123456"
    assert "private@example.org" not in json.dumps(line)


def test_print_stylesheet_is_linked_for_paper(client: Client) -> None:
    assert 'media="print"' in client.get("/").content.decode()


def test_every_page_names_its_icon_and_favicon_ico_leads_to_it(client):
    page = client.get("/toegankelijkheid/").content.decode()
    assert '<link rel="icon" href="/static/omzien/favicon.svg"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/omzien/favicon.svg"
