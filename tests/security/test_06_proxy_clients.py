"""Behind the reverse proxy every client counts on its own: one setting,
OMZIEN_TRUSTED_PROXY_COUNT, tells Omzien's limiter and allauth's login limits where the client's
address is, and `check --deploy` warns when TLS comes from a proxy that is not counted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.core import checks
from django.core.cache import caches
from django.test import Client, RequestFactory

import pytest

from omzien.accounts.models import User
from omzien.core import ratelimit
from tests.conftest import PASSWORD

PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    caches["default"].clear()


def _login(client: Client, email: str, password: str, forwarded_for: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/accounts/login/",
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def _is_logged_in(client: Client) -> bool:
    return client.get("/account/").status_code == 200


@pytest.mark.django_db
def test_behind_one_proxy_the_login_limit_counts_per_client(
    settings,  # type: ignore[no-untyped-def]
    case_worker_a: User,
) -> None:
    settings.OMZIEN_TRUSTED_PROXY_COUNT = 1  # the one setting an operator sets
    for number in range(20):  # "20/m/ip": one client guessing at twenty addresses
        _login(Client(), f"iemand-{number}@example.org", "wrong password", "203.0.113.5")

    guesser = Client()
    _login(guesser, case_worker_a.email, PASSWORD, "203.0.113.5")
    assert not _is_logged_in(guesser)  # that client is paused ...

    colleague = Client()
    _login(colleague, case_worker_a.email, PASSWORD, "203.0.113.9")
    assert _is_logged_in(colleague)  # ... and nobody else is


@pytest.mark.django_db
def test_behind_one_proxy_our_limiter_counts_per_client(settings) -> None:  # type: ignore[no-untyped-def]
    settings.OMZIEN_TRUSTED_PROXY_COUNT = 1

    def report(forwarded_for: str) -> bool:
        request = RequestFactory().post(
            "/melden/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for
        )
        return ratelimit.allow(request, "report", 10, 3600)

    assert all(report(f"203.0.113.{number}") for number in range(1, 12))  # eleven residents
    assert [report("203.0.113.99") for _ in range(11)] == [True] * 10 + [False]


@pytest.mark.django_db
def test_a_shorter_forwarded_for_than_the_proxy_count_is_no_server_error(
    settings,  # type: ignore[no-untyped-def]
    case_worker_a: User,
) -> None:
    settings.OMZIEN_TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    client = Client()
    response = _login(client, case_worker_a.email, PASSWORD, "203.0.113.5")
    assert response.status_code == 302
    assert _is_logged_in(client)


def test_allauth_trusts_as_many_proxies_as_omzien() -> None:
    environment = {**os.environ, "OMZIEN_TRUSTED_PROXY_COUNT": "2"}
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parents[2] / "src"), environment.get("PYTHONPATH", "")]
    )
    found = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "from django.conf import settings; "
            "print(settings.OMZIEN_TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_PROXY_COUNT)",
        ],
        env={**environment, "DJANGO_SETTINGS_MODULE": "omzien.conf.test"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.split() == ["2", "2"]


def _deploy_warnings() -> list[str]:
    return [m.id for m in checks.run_checks(include_deployment_checks=True) if m.id]


def test_check_deploy_warns_when_tls_comes_from_a_proxy_that_is_not_trusted(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.OMZIEN_TRUSTED_PROXY_COUNT = 0
    assert "omzien.W001" in _deploy_warnings()


def test_check_deploy_is_quiet_when_the_proxy_is_counted_or_there_is_none(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.OMZIEN_TRUSTED_PROXY_COUNT = 1
    assert "omzien.W001" not in _deploy_warnings()
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.OMZIEN_TRUSTED_PROXY_COUNT = 0
    assert "omzien.W001" not in _deploy_warnings()
