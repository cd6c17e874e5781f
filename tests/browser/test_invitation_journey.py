"""With the production settings, under gunicorn: an administrator invites a case worker, who sets
a password and a second factor through the real pages and reaches a case; the same worker never
reaches a case with the password alone, by any login URL; the admin login demands the code.

The server is a separate process with `omzien.conf.production` (plain http on the loopback, the
one switch production.py offers for that), on a fresh SQLite database made by
tests/browser/production_setup.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import hotp_value

from tests.browser.conftest import axe_violations
from tests.production_server import ROOT, free_port, production_environment, start_gunicorn, stop

WORKER_EMAIL = "nieuwe.consulent@proef.example"
WORKER_PASSWORD = "mijn eigen wachtwoord 2026"  # noqa: S105 - a throw-away installation


def current_code(secret: str) -> str:
    """The code of this 30-second window; waits for the next one when this one is ending."""
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.5)
    return f"{hotp_value(secret, int(time.time()) // 30):06d}"


@pytest.fixture(scope="module")
def production_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("production")
    env = production_environment(folder, f"sqlite:///{folder / 'omzien.sqlite3'}")
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
    port = free_port()
    server = start_gunicorn(env, port, folder / "gunicorn.log")
    try:
        yield {"url": f"http://127.0.0.1:{port}", **data}
    finally:
        stop(server)


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
