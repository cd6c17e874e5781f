"""Two web servers, one PostgreSQL database and one Redis (CACHE_URL), as in a deployment with
more than one server (docs/deployment.md, "More than one server").

Two gunicorn processes with the production settings serve the same installation on two ports.
A provider's edit committed elsewhere is found in search on the other server within a second
(the catalogue's change log in Redis), reports sent to both at once are all stored once, and a
lock-out made on one server holds on the other.

Runs when PostgreSQL (127.0.0.1:5432, user postgres) and Redis (127.0.0.1:6379) answer, and is
skipped with a plain message otherwise. It uses its own database, OMZIEN_TWO_SERVERS_DATABASE
(dropped and made again; by default omzien_test_two_servers_ and a hash of this checkout's path,
so that two checkouts testing at once do not drop each other's), and the Redis database of
CACHE_URL (default redis://127.0.0.1:6379/1). It does not empty that Redis
database: its people have new addresses every run, so an earlier run's lock-outs do not count.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.cookies import SimpleCookie
from typing import Any

import pytest
from benchmarks.meldpunt_load import Load, http_request

from tests.production_server import (
    ROOT,
    free_port,
    production_environment,
    start_gunicorn,
    stop,
)

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = os.environ.get(
    "OMZIEN_TWO_SERVERS_DATABASE",
    "omzien_test_two_servers_" + hashlib.sha256(str(ROOT).encode()).hexdigest()[:8],
)
REDIS_URL = os.environ.get("CACHE_URL") or "redis://127.0.0.1:6379/1"


def _missing() -> str:
    """What is not there to run against, or "" when PostgreSQL and Redis both answer."""
    try:
        import psycopg

        psycopg.connect(PG_ADMIN, connect_timeout=2).close()
    except Exception:  # noqa: BLE001 - any failure means: no PostgreSQL to use
        return "PostgreSQL does not answer on 127.0.0.1:5432"
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception:  # noqa: BLE001 - any failure means: no Redis to use
        return f"Redis does not answer at {REDIS_URL}"
    return ""


MISSING = _missing()
pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=f"{MISSING}: the two-server tests need PostgreSQL and Redis, and were skipped.",
)


def _admin(*statements: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)  # type: ignore[arg-type]


def _run(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-m", "tests.two_servers_setup", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("two_servers")
    _admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)', f'CREATE DATABASE "{DATABASE}"')
    env = production_environment(
        folder,
        f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        DATABASE_CONN_MAX_AGE="60",
        CACHE_URL=REDIS_URL,
        OMZIEN_FORM_MIN_SECONDS="0",
        OMZIEN_REPORT_RATE_LIMIT="1000000",
    )
    data = _run(env, "setup")
    processes = []
    ports = [free_port(), free_port()]
    try:
        for port in ports:
            processes.append(start_gunicorn(env, port, folder / "gunicorn.log"))
        yield {"ports": ports, "env": env, **data}
    finally:
        stop(*processes)
        _admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def _shows(port: int, path: str, name: str) -> bool:
    answer = http_request(port, "GET", path)
    assert answer.status == 200
    return name.encode() in answer.body


def test_an_edit_committed_elsewhere_is_found_on_the_other_server_within_a_second(
    servers: dict[str, Any],
) -> None:
    _first, other = servers["ports"]
    # "koffie" finds the service either way; only the catalogue knows its new kind of support.
    path = "/kaart/?" + urllib.parse.urlencode({"q": "koffie", "steun": "occupation"})
    for _ in range(8):  # every worker has built its catalogue before the edit
        assert not _shows(other, path, "Koffieochtend")

    editing = subprocess.Popen(  # noqa: S603 - a fixed command line
        [
            sys.executable,
            "-m",
            "tests.two_servers_setup",
            "edit",
            servers["service"],
            servers["editor_id"],
        ],
        cwd=ROOT,
        env=servers["env"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert editing.stdout is not None
    # Read the moment of the commit as soon as it is printed, not when the process has ended.
    committed = json.loads(editing.stdout.readline())["committed"]
    first_seen = None
    late_answers: list[bool] = []  # requests sent a second or more after the commit
    while len(late_answers) < 6 and time.time() - committed < 10:
        sent = time.time() - committed
        shown = _shows(other, path, "Koffieochtend")
        if shown and first_seen is None:
            # When the search was sent, not when its answer came: the answer itself takes a
            # few hundred milliseconds on a busy machine.
            first_seen = sent
        if sent >= 1.0:
            late_answers.append(shown)
        time.sleep(0.02)
    assert editing.wait(timeout=60) == 0
    assert first_seen is not None and first_seen < 1.0, f"first seen after {first_seen} s"
    # Whichever worker answers (each reads the log at most every half second): it shows it.
    assert late_answers == [True] * 6


def test_reports_sent_to_both_servers_at_once_are_each_stored_once(
    servers: dict[str, Any],
) -> None:
    import psycopg

    loads = []
    for number, port in enumerate(servers["ports"]):
        load = Load(port, 0, retry=False)
        for index in range(number * 20, number * 20 + 20):
            load.jobs.put(index)
        loads.append(load)
    threads = [
        threading.Thread(target=load.run_client, daemon=True) for load in loads for _ in range(5)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    outcomes = [outcome for load in loads for outcome in load.outcomes]
    assert [o.error for o in outcomes if o.error] == []
    receipts = [outcome.receipt for outcome in outcomes]
    assert len(receipts) == 40
    assert len(set(receipts)) == 40
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{DATABASE}") as connection:
        stored = [row[0] for row in connection.execute("SELECT receipt FROM cases_signal")]
    assert sorted(stored) == sorted(receipts)


_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _log_in(port: int, email: str, password: str) -> int:
    # Both servers see the site's one host name, as behind a proxy that passes it on: allauth
    # counts failed logins per host name and address (and would count per port here otherwise).
    form = http_request(port, "GET", "/accounts/login/", headers={"Host": "127.0.0.1"})
    cookie = SimpleCookie()
    for header in form.headers.get_all("Set-Cookie") or []:
        cookie.load(header)
    token = _CSRF.search(form.body)
    assert token is not None
    body = urllib.parse.urlencode(
        {"login": email, "password": password, "csrfmiddlewaretoken": token.group(1).decode()}
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookie['csrftoken'].value}",
        "Host": "127.0.0.1",
    }
    return http_request(port, "POST", "/accounts/login/", body=body, headers=headers).status


def test_a_lock_out_made_on_one_server_holds_on_the_other(servers: dict[str, Any]) -> None:
    first, other = servers["ports"]
    assert _log_in(other, servers["other"], servers["password"]) == 302  # the right password
    for _ in range(5):
        assert _log_in(first, servers["editor"], "wrong password") == 200
    assert _log_in(other, servers["editor"], servers["password"]) == 200  # still locked
