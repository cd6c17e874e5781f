"""Links in e-mails are absolute, built from OMZIEN_BASE_URL, which production requires (https).

Without it a provider without an account got a referral link without a host, which cannot be
opened, and the referral expired unanswered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import timezone

import pytest

from omzien.accounts.models import Organisation, User
from omzien.cases import referrals, services
from omzien.cases.models import Case, CaseState, Referral
from tests.factories import DirectoryOrganizationFactory, ServiceFactory, make_case
from tests.test_settings import production_env, run_omzien

LINK = re.compile(r"https?://\S+")
# Anything that looks like a path on its own: "/aanbieder/..." at the start of a word.
RELATIVE = re.compile(r"(?:^|(?<=[\s(\"'<]))/[\w.~%-]+\S*")


# --- production refuses to start without it ---------------------------------------------------


def test_production_refuses_to_start_without_omzien_base_url() -> None:
    env = production_env()
    del env["OMZIEN_BASE_URL"]
    result = run_omzien("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Production needs the environment variable OMZIEN_BASE_URL" in result.stderr


def test_production_refuses_a_plain_http_base_url() -> None:
    result = run_omzien("check", env=production_env(OMZIEN_BASE_URL="http://omzien.example.nl"))
    assert result.returncode != 0
    assert "OMZIEN_BASE_URL must be the https address" in result.stderr


@pytest.mark.parametrize("value", ["omzien.example.nl", "ftp://omzien.example.nl", "https://"])
def test_a_base_url_that_is_not_a_web_address_is_refused(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    from omzien.conf.env import env_base_url

    monkeypatch.setenv("OMZIEN_BASE_URL", value)
    with pytest.raises(ImproperlyConfigured, match="OMZIEN_BASE_URL must be a web address"):
        env_base_url("OMZIEN_BASE_URL", "")


def test_no_link_is_built_without_a_base_url(settings: Any) -> None:
    from omzien.core.links import absolute_url

    settings.OMZIEN_BASE_URL = ""
    with pytest.raises(ImproperlyConfigured, match="OMZIEN_BASE_URL"):
        absolute_url("/aanbieder/verwijzingen/")


# --- every e-mail of the referral flow holds only absolute links -----------------------------


def ready_case(organisation: Organisation, worker: User) -> Case:
    case = services.transition(make_case(organisation), CaseState.INTAKE, worker)
    now = timezone.now()
    services.record_contact_attempt(case, worker, at=now, channel="phone", outcome="reached")
    case.refresh_from_db()
    services.record_conversation(case, worker, held_at=now, text="Gesprek", person_informed=True)
    case.refresh_from_db()
    services.record_consent(
        case, worker, given_at=now, method="verbal", scope="Delen mag", share_with_providers=True
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def send(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    def run(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def run_referral_flow(
    send: Callable[..., Any],
    welfare_a: Organisation,
    case_worker_a: User,
    provider_org: Organisation,
    provider_editor: User,
) -> list[mail.EmailMessage]:
    """Refer to a provider with an inbox and to one reached by e-mail; answer, withdraw."""
    inbox_service = ServiceFactory(
        organization=DirectoryOrganizationFactory(name="Sportclub C", owner=provider_org)
    )
    email_service = ServiceFactory(
        organization=DirectoryOrganizationFactory(name="Zonder account"),
        email="info@koffie.example",
    )
    other_email_service = ServiceFactory(
        organization=DirectoryOrganizationFactory(name="Ook zonder account"),
        email="info@buurthuis.example",
    )
    case = ready_case(welfare_a, case_worker_a)
    send(
        referrals.create_referrals,
        case,
        [inbox_service, email_service, other_email_service],
        case_worker_a,
        "",
    )
    to_inbox = Referral.objects.get(service=inbox_service)
    send(referrals.accept, to_inbox, provider_editor)
    by_email = Referral.objects.get(service=email_service)
    [to_address] = [m for m in mail.outbox if m.to == ["info@koffie.example"]]
    token = re.search(r"/verwijzing/([A-Za-z0-9_-]+)/", to_address.body)
    assert token is not None
    send(referrals.decline, by_email, None, "no_capacity", token=token.group(1))
    send(referrals.withdraw, Referral.objects.get(service=other_email_service), case_worker_a)
    return list(mail.outbox)


def links_in(messages: list[mail.EmailMessage]) -> tuple[list[str], list[str]]:
    absolute: list[str] = []
    relative: list[str] = []
    for message in messages:
        absolute += LINK.findall(message.body)
        relative += RELATIVE.findall(LINK.sub("", message.body))
    return absolute, relative


@pytest.mark.django_db
def test_every_email_the_referral_flow_sends_holds_only_absolute_links(
    send: Callable[..., Any],
    welfare_a: Organisation,
    case_worker_a: User,
    provider_org: Organisation,
    provider_editor: User,
) -> None:
    messages = run_referral_flow(send, welfare_a, case_worker_a, provider_org, provider_editor)
    recipients = {address for m in messages for address in m.to}
    # The provider's editors, the address without an account, the case worker (answers), and
    # the withdrawn provider.
    assert {"aanbieder@example.org", "info@koffie.example", "info@buurthuis.example"} <= recipients
    assert "consulent-a@example.org" in recipients or "coordinator@example.org" in recipients
    absolute, relative = links_in(messages)
    assert relative == []
    assert len(absolute) >= 3
    assert all(link.startswith("http://testserver/") for link in absolute)


@pytest.mark.django_db
def test_a_provider_without_an_account_can_open_the_link_it_was_sent(
    client: Client, send: Callable[..., Any], welfare_a: Organisation, case_worker_a: User
) -> None:
    service = ServiceFactory(
        organization=DirectoryOrganizationFactory(name="Zonder account"),
        email="info@koffie.example",
    )
    send(referrals.create_referrals, ready_case(welfare_a, case_worker_a), [service], case_worker_a)
    [message] = mail.outbox
    [secure_link] = LINK.findall(message.body)
    assert secure_link.startswith("http://testserver/verwijzing/")
    response = client.get(secure_link)  # the test client accepts the absolute address
    assert response.status_code == 200


@pytest.mark.django_db
def test_links_in_referral_emails_use_the_configured_public_address(
    settings: Any,
    send: Callable[..., Any],
    welfare_a: Organisation,
    case_worker_a: User,
    provider_org: Organisation,
    provider_editor: User,
) -> None:
    settings.OMZIEN_BASE_URL = "https://omzien.example.nl"
    messages = run_referral_flow(send, welfare_a, case_worker_a, provider_org, provider_editor)
    absolute, relative = links_in(messages)
    assert relative == []
    assert absolute
    assert all(link.startswith("https://omzien.example.nl/") for link in absolute)
