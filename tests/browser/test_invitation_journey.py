"""With the production settings, under gunicorn: an administrator invites a case worker, who sets
a password and a second factor through the real pages and reaches a case; the same worker never
reaches a case with the password alone, by any login URL; the admin login demands the code.

The server is a separate process with `omzien.conf.production` (plain http on the loopback, the
one switch production.py offers for that), on a fresh SQLite database made by
tests/browser/production_setup.py.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import hotp_value

from tests.browser.conftest import axe_violations

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
WORKER_EMAIL = "nieuwe.consulent@proef.example"
WORKER_PASSWORD = "mijn eigen wachtwoord 2026"  # noqa: S105 - a throw-away installation


def current_code(secret: str) -> str:
    """The code of this 30-second window; waits for the next one when this one is ending."""
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.5)
    return f"{hotp_value(secret, int(time.time()) // 30):06d}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def production_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from cryptography.fernet import Fernet

    folder = tmp_path_factory.mktemp("production")
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "OMZIEN_", "DATABASE_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "omzien.conf.production",
            "PYTHONPATH": str(ROOT),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{folder / 'omzien.sqlite3'}",
            "OMZIEN_FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "OMZIEN_BASE_URL": "https://omzien.proef.example",
            "OMZIEN_VAR_DIR": str(folder),
            "OMZIEN_STATIC_ROOT": str(folder / "static"),
            # Plain http on the loopback interface: the one switch production.py offers.
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "EMAIL_URL": "dummy://",
            "OMZIEN_LOG_LEVEL": "WARNING",
        }
    )
    setup = subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-m", "tests.browser.production_setup"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    data = json.loads(setup.stdout.strip().splitlines()[-1])
    log = open(folder / "gunicorn.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603 - a fixed command line
        [
            str(GUNICORN),
            "omzien.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((folder / "gunicorn.log").read_text()[-3000:])
            time.sleep(0.2)
        yield {"url": url, **data}
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def _context(browser: Any, server: dict[str, Any], **options: Any) -> Any:
    context = browser.new_context(base_url=server["url"], locale="nl-NL", **options)
    context.set_default_timeout(15_000)
    return context


def test_an_invited_case_worker_enrols_and_reaches_a_case_but_never_with_the_password_alone(
    browser: Any, production_server: dict[str, Any]
) -> None:
    server = production_server
    case_path = f"/meldpunt/casussen/{server['case']}/"

    # 1. The admin login demands the second factor.
    admin = _context(browser, server).new_page()
    admin.goto("/admin/")
    admin.wait_for_url(re.compile(r"/accounts/login/"))
    admin.get_by_label("E-mailadres").fill(server["email"])
    admin.get_by_label("Wachtwoord").fill(server["password"])
    admin.get_by_role("button", name="Inloggen").click()
    admin.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    admin.get_by_label(re.compile(r"^Code")).fill(current_code(server["secret"]))
    admin.get_by_role("button", name="Inloggen", exact=True).click()
    admin.wait_for_url(re.compile(r"/admin/$"))

    # 2. The administrator invites a case worker and gets a one-time link.
    admin.goto("/account/leden/")
    admin.get_by_role("link", name="Nieuwe medewerker uitnodigen").click()
    assert axe_violations(admin) == []
    admin.get_by_label("Naam").fill("Nina Nieuw")
    admin.get_by_label("E-mailadres").fill(WORKER_EMAIL)
    admin.get_by_label("Organisatie").select_option(label="Welzijn Proef")
    admin.get_by_label("Rol").select_option(label="Consulent")
    admin.get_by_role("button", name="Link maken").click()
    link = admin.locator("#invitation-link").inner_text().strip()
    assert link.startswith("https://omzien.proef.example/uitnodiging/")
    invitation_path = link.removeprefix("https://omzien.proef.example")

    # 3. The worker, on a phone, sets a password and the second factor through the real pages.
    worker_context = _context(
        browser, server, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    worker = worker_context.new_page()
    worker.goto(invitation_path)
    assert axe_violations(worker) == []
    worker.get_by_label("Kies een wachtwoord").fill(WORKER_PASSWORD)
    worker.get_by_label("Typ het wachtwoord nog een keer").fill(WORKER_PASSWORD)
    worker.get_by_role("button", name="Wachtwoord opslaan").click()
    worker.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    secret = worker.locator("#authenticator_secret").input_value()
    assert len(secret) >= 16
    worker.locator("input[name=code]").fill(current_code(secret))
    worker.locator("form[action='/accounts/2fa/totp/activate/'] button[type=submit]").click()
    worker.wait_for_url(re.compile(r"/accounts/2fa/"))
    worker.goto(case_path)
    assert worker.url.endswith(case_path)
    assert "Proef Persoon" in worker.content()
    # The link worked once.
    worker_context.close()
    again = _context(browser, server).new_page()
    response = again.goto(invitation_path)
    assert response is not None and response.status == 410

    # 4. The same worker with the password alone reaches no case, by any login URL.
    thief_context = _context(browser, server)
    thief = thief_context.new_page()
    thief.goto(f"/accounts/login/?next={case_path}")
    thief.get_by_label("E-mailadres").fill(WORKER_EMAIL)
    thief.get_by_label("Wachtwoord").fill(WORKER_PASSWORD)
    thief.get_by_role("button", name="Inloggen").click()
    thief.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    thief.goto(case_path)
    # Sent back to the login, which still waits for the code.
    thief.wait_for_url(re.compile(r"/accounts/(login|2fa/authenticate)/"))
    assert "Proef Persoon" not in thief.content()
    # The admin's own form is gone: it sends everyone to the one login.
    thief.goto("/admin/login/?next=/admin/")
    thief.wait_for_url(re.compile(r"/accounts/(login|2fa/authenticate)/"))
    # Posting the old admin form directly (with a valid CSRF token) logs nobody in either.
    token = next(c["value"] for c in thief_context.cookies() if c["name"] == "csrftoken")
    thief.request.post(
        "/admin/login/",
        form={
            "username": WORKER_EMAIL,
            "password": WORKER_PASSWORD,
            "csrfmiddlewaretoken": token,
            "next": case_path,
        },
        headers={"Referer": f"{server['url']}/admin/login/"},
    )
    thief.goto(case_path)
    thief.wait_for_url(re.compile(r"/accounts/(login|2fa/authenticate)/"))
    assert "Proef Persoon" not in thief.content()
    thief_context.close()
