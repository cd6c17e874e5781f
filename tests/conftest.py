"""Named people with roles, so that every access rule reads as a sentence.

- `municipality`, `welfare_a`, `welfare_b`, `provider_org`: organisations
- `administrator`, `policy_officer` (municipality), `coordinator_a`, `case_worker_a`
  (welfare A), `case_worker_b` (welfare B), `provider_editor` (provider), `outsider` (no role)
"""

from __future__ import annotations

from collections.abc import Iterator

from django.test import Client

import pytest

from omzien.accounts.models import Organisation, User
from omzien.accounts.roles import OrganisationType, PartnerDomain, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

PASSWORD = "correct horse battery staple"


def _person(email: str, organisation: Organisation | None, *roles: Role) -> User:
    user = UserFactory(email=email, password=PASSWORD)
    for role in roles:
        MembershipFactory(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def municipality(db: None) -> Organisation:
    return OrganisationFactory(
        name="Gemeente Test", type=OrganisationType.MUNICIPALITY, domain=PartnerDomain.MUNICIPALITY
    )


@pytest.fixture
def welfare_a(db: None) -> Organisation:
    return OrganisationFactory(name="Welzijn A", type=OrganisationType.WELFARE)


@pytest.fixture
def welfare_b(db: None) -> Organisation:
    return OrganisationFactory(name="Welzijn B", type=OrganisationType.WELFARE)


@pytest.fixture
def provider_org(db: None) -> Organisation:
    return OrganisationFactory(
        name="Aanbieder C", type=OrganisationType.PROVIDER, domain=PartnerDomain.SPORT
    )


@pytest.fixture
def administrator(municipality: Organisation) -> User:
    return _person("beheerder@example.org", municipality, Role.ADMINISTRATOR)


@pytest.fixture
def policy_officer(municipality: Organisation) -> User:
    return _person("beleid@example.org", municipality, Role.POLICY_OFFICER)


@pytest.fixture
def coordinator_a(welfare_a: Organisation) -> User:
    return _person("coordinator@example.org", welfare_a, Role.CASE_COORDINATOR)


@pytest.fixture
def case_worker_a(welfare_a: Organisation) -> User:
    return _person("consulent-a@example.org", welfare_a, Role.CASE_WORKER)


@pytest.fixture
def case_worker_b(welfare_b: Organisation) -> User:
    return _person("consulent-b@example.org", welfare_b, Role.CASE_WORKER)


@pytest.fixture
def provider_editor(provider_org: Organisation) -> User:
    return _person("aanbieder@example.org", provider_org, Role.PROVIDER_EDITOR)


@pytest.fixture
def outsider(db: None) -> User:
    return _person("buitenstaander@example.org", None)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say plainly when the browser tests did not run."""
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if "browser" in getattr(report, "keywords", {})
    ]
    if skipped:
        from tests.browser.conftest import SKIP_MESSAGE

        terminalreporter.write_line("")
        terminalreporter.write_line(f"NOTE: {len(skipped)} {SKIP_MESSAGE}", yellow=True, bold=True)


@pytest.fixture(autouse=True)
def _audit_triggers_allow_test_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """Let a transactional test's clean-up empty the audit table on SQLite.

    Django empties the database after such a test with DELETE on SQLite (TRUNCATE on PostgreSQL,
    which row triggers do not see), and the append-only trigger rightly refuses that. The trigger
    is dropped just before the clean-up and put back before the next test.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    )
    if not transactional:
        yield
        return
    # Set up after pytest-django's database fixture, so this clean-up runs before its flush.
    request.getfixturevalue("_django_db_helper")
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_delete BEFORE DELETE ON "
            "audit_auditevent BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_delete")


@pytest.fixture(autouse=True)
def _empty_shared_cache() -> Iterator[None]:
    """Each test starts and ends with an empty default cache: allauth's lock-outs and used codes
    live there, and with CACHE_URL it is a Redis database that outlives a test."""
    from django.core.cache import caches

    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in Dutch: a request with the English cookie activates English for the
    thread (LocaleMiddleware), which would otherwise carry over into the next test's texts."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def meldpunt(welfare_a: Organisation) -> Organisation:
    """The welfare organisation that runs the meldpunt and receives the public's reports."""
    return welfare_a


@pytest.fixture
def raw_client() -> Client:
    """A browser's view: a server error comes back as a response, not as an exception."""
    return Client(raise_request_exception=False)


@pytest.fixture(autouse=True)
def _every_post_that_writes_is_audited(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test when one of its POSTs through the test client changes data without writing
    an audit event (see tests/audit_guard.py)."""
    from django.test import Client

    from tests.audit_guard import unaudited_write, watching

    if request.node.get_closest_marker("unaudited_writes_allowed"):
        yield
        return
    original = Client.post
    problems: list[str] = []

    def post(self: Client, path: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        with watching() as watch:
            response = original(self, path, *args, **kwargs)  # type: ignore[arg-type]
        if response.status_code < 400 and (tables := unaudited_write(watch)):
            problems.append(f"POST {path} wrote {tables} without an audit event")
        return response

    Client.post = post  # type: ignore[method-assign]
    try:
        yield
    finally:
        Client.post = original  # type: ignore[method-assign]
    assert not problems, "\n".join(problems)
