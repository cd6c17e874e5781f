"""Closed-loop referral: consent first, the provider's inbox or secure link, answers, expiry,
the provider's record, and who may do what."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from omzien.accounts.models import Organisation, User
from omzien.accounts.roles import OrganisationType, Role
from omzien.audit.models import AuditEvent
from omzien.cases import norms, referrals, services
from omzien.cases.models import (
    Case,
    CaseState,
    Referral,
    ReferralOutcome,
    ReferralStatus,
)
from omzien.cases.referrals import ReferralError
from tests.factories import (
    DirectoryOrganizationFactory,
    MembershipFactory,
    OrganisationFactory,
    ServiceFactory,
    UserFactory,
    make_case,
)

pytestmark = pytest.mark.django_db

PERSON = "Fictieve Persoon"
PHONE = "0612345678"
NOTE = "Vertrouwelijk verslag: mevrouw mist haar overleden man"
ADDRESS = "Voorbeeldstraat 1"


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()  # rate-limit counters must not leak between tests
    yield
    cache.clear()


def ready_case(
    organisation: Organisation, worker: User, *, consent: bool = True, **fields: Any
) -> Case:
    """A case after the conversation, with consent to share with providers (unless told)."""
    case = services.transition(make_case(organisation, **fields), CaseState.INTAKE, worker)
    now = timezone.now()
    services.record_contact_attempt(case, worker, at=now, channel="phone", outcome="reached")
    case.refresh_from_db()
    services.record_conversation(case, worker, held_at=now, text=NOTE, person_informed=True)
    case.refresh_from_db()
    if consent:
        services.record_consent(
            case,
            worker,
            given_at=now,
            method="verbal",
            scope="Mijn gegevens mogen naar de aanbieder",
            share_with_providers=True,
        )
    case.refresh_from_db()
    assert case.state == CaseState.CONVERSATION_HELD
    return case


@pytest.fixture
def inbox_service(provider_org: Organisation, provider_editor: User) -> Any:
    organization = DirectoryOrganizationFactory(name="Sportclub C", owner=provider_org)
    return ServiceFactory(organization=organization, name="Samen Wandelen")


@pytest.fixture
def email_service() -> Any:
    organization = DirectoryOrganizationFactory(name="Stichting Zonder Account")
    return ServiceFactory(
        organization=organization, name="Koffie-ochtend", email="info@koffie.example"
    )


@pytest.fixture
def other_provider() -> User:
    organisation = OrganisationFactory(name="Aanbieder D", type=OrganisationType.PROVIDER)
    user = UserFactory(email="andere-aanbieder@example.org")
    MembershipFactory(user=user, organisation=organisation, role=Role.PROVIDER_EDITOR)
    DirectoryOrganizationFactory(name="Club D", owner=organisation)
    return user


@pytest.fixture
def send(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Run a call and the e-mails it queues after commit."""

    def run(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def refer(
    send: Callable[..., Any], case: Case, service: Any, actor: User, message: str = ""
) -> Referral:
    (referral,) = send(referrals.create_referrals, case, [service], actor, message)
    return referral


def token_from(body: str) -> str:
    match = re.search(r"/verwijzing/([A-Za-z0-9_-]+)/", body)
    assert match, body
    return match.group(1)


# --- consent and preconditions ------------------------------------------------------------------


def test_no_referral_without_consent(welfare_a, case_worker_a, inbox_service):
    case = ready_case(welfare_a, case_worker_a, consent=False)
    with pytest.raises(ReferralError, match="toestemming"):
        referrals.create_referrals(case, [inbox_service], case_worker_a, "")
    assert not Referral.objects.exists()


def test_consent_without_sharing_or_withdrawn_is_not_enough(
    welfare_a, case_worker_a, inbox_service
):
    case = ready_case(welfare_a, case_worker_a, consent=False)
    services.record_consent(
        case,
        case_worker_a,
        given_at=timezone.now(),
        method="written",
        scope="Alleen contact met de consulent",
        share_with_providers=False,
    )
    with pytest.raises(ReferralError, match="toestemming"):
        referrals.create_referrals(case, [inbox_service], case_worker_a, "")
    consent = services.record_consent(
        case,
        case_worker_a,
        given_at=timezone.now(),
        method="verbal",
        scope="Delen mag",
        share_with_providers=True,
    )
    services.withdraw_consent(consent, case_worker_a)
    with pytest.raises(ReferralError, match="toestemming"):
        referrals.create_referrals(case, [inbox_service], case_worker_a, "")
    assert not Referral.objects.exists()


def test_the_refer_page_explains_that_consent_is_missing(
    client, welfare_a, case_worker_a, inbox_service
):
    case = ready_case(welfare_a, case_worker_a, consent=False)
    client.force_login(case_worker_a)
    url = reverse("cases:refer", args=[case.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Geen verwijzing zonder vastgelegde toestemming" in response.content.decode()
    response = client.post(
        url, {"services": [str(inbox_service.pk)], "confirm_consent": "on", "q": ""}
    )
    assert response.status_code == 200
    assert not Referral.objects.exists()


def test_referral_only_after_the_conversation(welfare_a, case_worker_a, inbox_service):
    case = make_case(welfare_a)
    services.transition(case, CaseState.INTAKE, case_worker_a)
    with pytest.raises(ReferralError, match="na het gesprek"):
        referrals.create_referrals(case, [inbox_service], case_worker_a, "")


def test_a_provider_without_account_and_email_cannot_be_referred_to(welfare_a, case_worker_a):
    case = ready_case(welfare_a, case_worker_a)
    unreachable = ServiceFactory(organization=DirectoryOrganizationFactory(), email="")
    assert referrals.delivery(unreachable) == ""
    with pytest.raises(ReferralError, match="geen account en geen e-mailadres"):
        referrals.create_referrals(case, [unreachable], case_worker_a, "")
    assert not Referral.objects.exists()


def test_no_second_open_referral_to_the_same_service(send, welfare_a, case_worker_a, inbox_service):
    case = ready_case(welfare_a, case_worker_a)
    refer(send, case, inbox_service, case_worker_a)
    with pytest.raises(ReferralError, match="al een verwijzing"):
        referrals.create_referrals(case, [inbox_service], case_worker_a, "")


def test_without_phone_or_email_the_message_must_say_how_to_reach(
    send, welfare_a, case_worker_a, inbox_service
):
    case = ready_case(welfare_a, case_worker_a, person_phone="", person_email="")
    with pytest.raises(ReferralError, match="bericht"):
        referrals.create_referrals(case, [inbox_service], case_worker_a, "")
    referral = refer(send, case, inbox_service, case_worker_a, "Bel mij, dan regel ik het.")
    assert referral.shared_phone == "" and referral.shared_email == ""


# --- to a provider with an account -------------------------------------------------------------


def test_referral_lands_in_the_providers_inbox_and_not_in_another(
    client,
    send,
    welfare_a,
    case_worker_a,
    provider_org,
    provider_editor,
    other_provider,
    inbox_service,
):
    case = ready_case(welfare_a, case_worker_a, person_email="persoon@example.org")
    referral = refer(send, case, inbox_service, case_worker_a, "Zij wandelt graag.")
    referral.refresh_from_db()
    case.refresh_from_db()
    assert referral.provider == provider_org and referral.token_hash == ""
    assert referral.status == ReferralStatus.SENT
    assert referral.expires_at == norms.referral_expires(referral.sent_at)
    assert referral.expires_at - referral.sent_at == dt.timedelta(days=14)
    assert (referral.shared_name, referral.shared_phone, referral.shared_email) == (
        PERSON,
        PHONE,
        "persoon@example.org",
    )
    assert case.state == CaseState.REFERRED

    (message,) = [m for m in mail.outbox if provider_editor.email in m.to]
    assert PERSON not in message.body and PHONE not in message.body
    assert reverse("cases:inbox_detail", args=[referral.pk]) in message.body
    assert not [m for m in mail.outbox if other_provider.email in m.to]

    client.force_login(provider_editor)
    assert "Samen Wandelen" in client.get(reverse("cases:inbox")).content.decode()
    client.force_login(other_provider)
    inbox = client.get(reverse("cases:inbox"))
    assert inbox.status_code == 200 and "Samen Wandelen" not in inbox.content.decode()
    assert client.get(reverse("cases:inbox_detail", args=[referral.pk])).status_code == 404
    response = client.post(reverse("cases:inbox_detail", args=[referral.pk]), {"action": "accept"})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT and referral.opened_at is None


def test_the_inbox_filters_by_status(
    client, send, welfare_a, case_worker_a, provider_org, provider_editor
):
    case = ready_case(welfare_a, case_worker_a)
    owner = DirectoryOrganizationFactory(owner=provider_org)
    first = ServiceFactory(organization=owner, name="Eerste Aanbod")
    second = ServiceFactory(organization=owner, name="Tweede Aanbod")
    send(referrals.create_referrals, case, [first, second], case_worker_a, "")
    referrals.accept(Referral.objects.get(service=first), provider_editor)
    client.force_login(provider_editor)
    page = client.get(reverse("cases:inbox"), {"status": "accepted"}).content.decode()
    assert "Eerste Aanbod" in page and "Tweede Aanbod" not in page
    page = client.get(reverse("cases:inbox"), {"status": "sent"}).content.decode()
    assert "Eerste Aanbod" not in page and "Tweede Aanbod" in page
    response = client.get(reverse("cases:inbox"), {"status": "nonsense"})  # ignored, no error
    page = response.content.decode()
    assert response.status_code == 200 and "Eerste Aanbod" in page and "Tweede Aanbod" in page


def test_provider_sees_only_the_shared_fields(
    client, send, welfare_a, case_worker_a, provider_editor, inbox_service
):
    case = ready_case(welfare_a, case_worker_a)
    referral = refer(send, case, inbox_service, case_worker_a, "Zij wandelt graag.")
    client.force_login(provider_editor)
    response = client.get(reverse("cases:inbox_detail", args=[referral.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert PERSON in html and PHONE in html and "Zij wandelt graag." in html
    for secret in (ADDRESS, "5701", NOTE, "kapper", "Kapper Knip", "somber", "Mijn gegevens mogen"):
        assert secret not in html, secret
    referral.refresh_from_db()
    opened = referral.opened_at
    assert opened is not None
    client.get(reverse("cases:inbox_detail", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.opened_at == opened  # set once
    views = AuditEvent.objects.filter(action="referral.view", object_id=str(referral.pk))
    assert views.count() == 2
    assert views.first().actor == provider_editor
    assert views.first().organisation == welfare_a


# --- the provider's answers ----------------------------------------------------------------------


def test_provider_accepts_and_the_case_worker_hears_it(
    client,
    send,
    welfare_a,
    case_worker_a,
    provider_editor,
    inbox_service,
    django_capture_on_commit_callbacks,
):
    case = ready_case(welfare_a, case_worker_a)
    referral = refer(send, case, inbox_service, case_worker_a)
    mail.outbox.clear()
    client.force_login(provider_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cases:inbox_detail", args=[referral.pk]), {"action": "accept"}
        )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.answered_at is not None
    assert referral.checkup_due == norms.checkup_due(referral.answered_at)
    (message,) = mail.outbox
    assert message.to == [case_worker_a.email]
    assert PERSON not in message.body and PHONE not in message.body
    assert reverse("cases:detail", args=[case.pk]) in message.body


def test_decline_needs_a_reason(
    client, send, welfare_a, case_worker_a, provider_editor, inbox_service
):
    case = ready_case(welfare_a, case_worker_a)
    referral = refer(send, case, inbox_service, case_worker_a)
    url = reverse("cases:inbox_detail", args=[referral.pk])
    client.force_login(provider_editor)
    response = client.post(url, {"action": "decline", "decline-reason": ""})
    assert response.status_code == 200 and "Kies een reden." in response.content.decode()
    response = client.post(
        url, {"action": "decline", "decline-reason": "other", "decline-note": ""}
    )
    assert "Schrijf kort op wat de andere reden is." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    with pytest.raises(ReferralError):
        referrals.decline(referral, provider_editor, "")
    with pytest.raises(ReferralError):
        referrals.decline(referral, provider_editor, "made_up")

    response = client.post(url, {"action": "decline", "decline-reason": "no_capacity"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert referral.decline_reason == "no_capacity" and referral.answered_at is not None
    # A finished referral keeps no copy of the person's details.
    assert referral.shared_name == "" and referral.shared_phone == ""
    html = client.get(url).content.decode()
    assert PERSON not in html and "Geen plek" in html
    with pytest.raises(ReferralError):  # no way back
        referrals.accept(referral, provider_editor)


def test_start_and_outcome(client, send, welfare_a, case_worker_a, provider_editor, inbox_service):
    case = ready_case(welfare_a, case_worker_a)
    referral = refer(send, case, inbox_service, case_worker_a)
    url = reverse("cases:inbox_detail", args=[referral.pk])
    client.force_login(provider_editor)
    with pytest.raises(ReferralError):  # start before accepting
        referrals.record_start(referral, provider_editor, timezone.localdate())
    client.post(url, {"action": "accept"})
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(url, {"action": "start", "start-started_on": tomorrow.isoformat()})
    assert "toekomst" in response.content.decode()
    with pytest.raises(ReferralError):
        referrals.record_start(referral, provider_editor, tomorrow)
    with pytest.raises(ReferralError):
        referrals.record_start(
            referral, provider_editor, timezone.localdate() - dt.timedelta(days=30)
        )
    today = timezone.localdate()
    client.post(url, {"action": "start", "start-started_on": today.isoformat()})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.STARTED and referral.started_on == today
    response = client.post(url, {"action": "complete", "complete-outcome": ""})
    assert "Kies hoe het is afgelopen." in response.content.decode()
    client.post(url, {"action": "complete", "complete-outcome": "helped"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    assert referral.outcome == ReferralOutcome.HELPED and referral.completed_at is not None


# --- the case worker's side ---------------------------------------------------------------------


def _case_list(case: Case, user: Any) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "cases/referrals/_case_referrals.html", {"case": case, "user": user}, request=request
    )


def test_case_worker_sees_the_statuses(
    send, welfare_a, case_worker_a, case_worker_b, provider_org, provider_editor, email_service
):
    case = ready_case(welfare_a, case_worker_a)
    owner = DirectoryOrganizationFactory(owner=provider_org)
    declined = ServiceFactory(organization=owner, name="Wordt Afgewezen")
    accepted = ServiceFactory(organization=owner, name="Wordt Geaccepteerd")
    send(referrals.create_referrals, case, [declined, accepted, email_service], case_worker_a, "")
    referrals.decline(Referral.objects.get(service=declined), provider_editor, "outside_area")
    referrals.accept(Referral.objects.get(service=accepted), provider_editor)
    case.refresh_from_db()

    html = _case_list(case, case_worker_a)
    for text in (
        "Wordt Afgewezen",
        "Afgewezen",
        "Buiten ons werkgebied",
        "Geaccepteerd",
        "Koffie-ochtend",
        "Verstuurd",
        "per e-mail",
        "postvak op Omzien",
    ):
        assert text in html, text
    pending = Referral.objects.get(service=email_service)
    assert reverse("cases:referral_withdraw", args=[pending.pk]) in html
    done = Referral.objects.get(service=accepted)
    assert reverse("cases:referral_complete", args=[done.pk]) in html
    assert reverse("cases:refer", args=[case.pk]) in html

    other = _case_list(case, case_worker_b)
    assert reverse("cases:referral_withdraw", args=[pending.pk]) not in other
    assert reverse("cases:refer", args=[case.pk]) not in other


def test_case_worker_withdraws_and_completes(
    client,
    send,
    welfare_a,
    case_worker_a,
    provider_editor,
    inbox_service,
    email_service,
    django_capture_on_commit_callbacks,
):
    case = ready_case(welfare_a, case_worker_a)
    send(referrals.create_referrals, case, [inbox_service, email_service], case_worker_a, "")
    to_inbox = Referral.objects.get(service=inbox_service)
    by_email = Referral.objects.get(service=email_service)
    mail.outbox.clear()
    client.force_login(case_worker_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cases:referral_withdraw", args=[by_email.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cases:detail", args=[case.pk]))
    by_email.refresh_from_db()
    assert by_email.status == ReferralStatus.WITHDRAWN and by_email.shared_name == ""
    (notice,) = mail.outbox
    assert notice.to == ["info@koffie.example"] and "ingetrokken" in notice.body
    assert PERSON not in notice.body

    # Completing is possible once the provider accepted, not before.
    client.post(
        reverse("cases:referral_complete", args=[to_inbox.pk]), {"complete-outcome": "helped"}
    )
    to_inbox.refresh_from_db()
    assert to_inbox.status == ReferralStatus.SENT
    referrals.accept(to_inbox, provider_editor)
    client.post(
        reverse("cases:referral_complete", args=[to_inbox.pk]), {"complete-outcome": "stopped"}
    )
    to_inbox.refresh_from_db()
    assert to_inbox.status == ReferralStatus.COMPLETED and to_inbox.outcome == "stopped"
    with pytest.raises(ReferralError):  # withdraw after the provider acted
        referrals.withdraw(to_inbox, case_worker_a)


def test_refer_page_searches_the_kaart_and_creates_referrals(
    client, welfare_a, case_worker_a, provider_editor, inbox_service, email_service
):
    from omzien.directory.search import get_backend

    get_backend().rebuild()
    case = ready_case(welfare_a, case_worker_a)
    client.force_login(case_worker_a)
    url = reverse("cases:refer", args=[case.pk])
    page = client.get(url, {"q": "wandelen"}).content.decode()
    assert "Samen Wandelen" in page and "Koffie-ochtend" not in page
    assert "In het postvak van de aanbieder" in page
    assert "Nog te weinig verwijzingen" in page
    assert "Mondeling" in page  # the consent's method is shown
    page = client.get(url, {"q": "koffie"}).content.decode()
    assert "Koffie-ochtend" in page and "Per e-mail, met een beveiligde link" in page

    response = client.post(url, {"services": [str(inbox_service.pk)], "q": "wandelen"})
    assert response.status_code == 200
    assert "Bevestig dat de persoon toestemming heeft gegeven." in response.content.decode()
    assert "Samen Wandelen" in response.content.decode()  # the choice stays on screen
    assert not Referral.objects.exists()

    response = client.post(
        url,
        {
            "services": [str(inbox_service.pk), str(email_service.pk)],
            "message": "Houdt van buiten zijn.",
            "confirm_consent": "on",
        },
    )
    assert response.status_code == 302
    assert Referral.objects.filter(case=case).count() == 2
    case.refresh_from_db()
    assert case.state == CaseState.REFERRED
    assert AuditEvent.objects.filter(action="referral.create").count() == 2


# --- e-mail with a secure link -------------------------------------------------------------------


def test_emailed_secure_link(client, send, welfare_a, case_worker_a, email_service):
    case = ready_case(welfare_a, case_worker_a)
    referral = refer(send, case, email_service, case_worker_a, "Zij drinkt graag koffie.")
    referral.refresh_from_db()
    assert referral.provider is None and referral.recipient_email == "info@koffie.example"
    (message,) = [m for m in mail.outbox if m.to == ["info@koffie.example"]]
    for secret in (PERSON, PHONE, ADDRESS, "drinkt graag"):
        assert secret not in message.body, secret
    token = token_from(message.body)
    assert referral.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(
        list(Referral.objects.values_list("token_hash", "recipient_email"))
    )

    url = reverse("cases:referral_link", args=[token])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and PERSON in html and "Zij drinkt graag koffie." in html
    assert NOTE not in html and ADDRESS not in html
    assert response["Referrer-Policy"] == "no-referrer"
    view = AuditEvent.objects.get(action="referral.view", object_id=str(referral.pk))
    assert view.actor is None and view.details["via"] == "link"

    assert (
        client.get(reverse("cases:referral_link", args=["verkeerd" + token[7:]])).status_code == 404
    )
    assert (
        client.post(
            reverse("cases:referral_link", args=["x" * 43]), {"action": "accept"}
        ).status_code
        == 404
    )

    client.post(url, {"action": "accept"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    # After acceptance the link keeps working until the check-up date.
    with time_machine.travel(referral.expires_at + dt.timedelta(days=1), tick=False):
        assert client.get(url).status_code == 200
        client.post(url, {"action": "start", "start-started_on": timezone.localdate().isoformat()})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.STARTED
    client.post(url, {"action": "complete", "complete-outcome": "helped"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    gone = client.get(url)
    assert gone.status_code == 410 and PERSON not in gone.content.decode()


def test_expired_link_is_refused(client, send, welfare_a, case_worker_a, email_service):
    case = ready_case(welfare_a, case_worker_a)
    referral = refer(send, case, email_service, case_worker_a)
    token = token_from(mail.outbox[-1].body)
    url = reverse("cases:referral_link", args=[token])
    with time_machine.travel(referral.expires_at + dt.timedelta(minutes=1), tick=False):
        response = client.get(url)
        assert response.status_code == 410 and PERSON not in response.content.decode()
        assert client.post(url, {"action": "accept"}).status_code == 410
        with pytest.raises(PermissionDenied):
            referrals.accept(referral, None, token=token)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT and referral.opened_at is None


def test_the_link_is_rate_limited(client, welfare_a):
    url = reverse("cases:referral_link", args=["x" * 43])
    statuses = [client.get(url).status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429


# --- expiry ---------------------------------------------------------------------------------------


def test_unanswered_referrals_expire_after_14_days(
    send,
    welfare_a,
    case_worker_a,
    provider_editor,
    inbox_service,
    email_service,
    capsys,
    django_capture_on_commit_callbacks,
):
    case = ready_case(welfare_a, case_worker_a)
    send(referrals.create_referrals, case, [inbox_service, email_service], case_worker_a, "")
    answered = Referral.objects.get(service=inbox_service)
    referrals.accept(answered, provider_editor)
    pending = Referral.objects.get(service=email_service)
    mail.outbox.clear()

    with time_machine.travel(timezone.now() + dt.timedelta(days=13), tick=False):
        assert referrals.expire_referrals() == 0
    with time_machine.travel(timezone.now() + dt.timedelta(days=15), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("expire_referrals")
        assert capsys.readouterr().out.strip() == "1 verwijzing(en) verlopen."
        call_command("expire_referrals")
        assert capsys.readouterr().out.strip() == "0 verwijzing(en) verlopen."
    pending.refresh_from_db()
    answered.refresh_from_db()
    assert pending.status == ReferralStatus.EXPIRED and pending.shared_name == ""
    assert answered.status == ReferralStatus.ACCEPTED
    (notice,) = mail.outbox
    assert notice.to == [case_worker_a.email] and PERSON not in notice.body


def test_expiry_notifies_coordinators_when_nobody_is_assigned(
    send, welfare_a, case_worker_a, coordinator_a, email_service, django_capture_on_commit_callbacks
):
    case = ready_case(welfare_a, case_worker_a)
    refer(send, case, email_service, case_worker_a)
    services.assign(case, None, coordinator_a)
    mail.outbox.clear()
    later = timezone.now() + dt.timedelta(days=15)
    with (
        time_machine.travel(later, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert referrals.expire_referrals() == 1
    assert [m.to for m in mail.outbox] == [[coordinator_a.email]]


def test_provider_cannot_answer_an_expired_referral(
    send, welfare_a, case_worker_a, provider_editor, inbox_service
):
    case = ready_case(welfare_a, case_worker_a)
    referral = refer(send, case, inbox_service, case_worker_a)
    with time_machine.travel(referral.expires_at + dt.timedelta(minutes=1), tick=False):
        with pytest.raises(ReferralError, match="verlopen"):
            referrals.accept(referral, provider_editor)
        referrals.expire_referrals()
        with pytest.raises(ReferralError):
            referrals.decline(referral, provider_editor, "no_capacity")


# --- the provider's record ------------------------------------------------------------


def test_provider_record_on_fixed_data(welfare_a, case_worker_a, provider_org, inbox_service):
    case = ready_case(welfare_a, case_worker_a)
    consent = services.active_consent(case)
    now = timezone.now()

    def made(days_ago: int, answer_days: float | None, status: str) -> Referral:
        sent = now - dt.timedelta(days=days_ago)
        return Referral.objects.create(
            case=case,
            service=inbox_service,
            service_name=inbox_service.name,
            provider=provider_org,
            consent=consent,
            status=status,
            sent_at=sent,
            expires_at=sent + dt.timedelta(days=14),
            answered_at=sent + dt.timedelta(days=answer_days) if answer_days is not None else None,
        )

    made(100, 1, ReferralStatus.ACCEPTED)
    made(90, 2, ReferralStatus.DECLINED)
    assert referrals.provider_record(inbox_service.organization) is None  # two answered
    made(80, 4, ReferralStatus.COMPLETED)
    odd = referrals.provider_record(inbox_service.organization)
    assert odd is not None and odd.median_answer_days == 2.0  # median of 1, 2, 4
    made(70, 10, ReferralStatus.STARTED)
    made(60, None, ReferralStatus.EXPIRED)
    made(400, 30, ReferralStatus.DECLINED)  # older than twelve months: not counted

    record = referrals.provider_record(inbox_service.organization)
    assert record is not None
    assert record.referrals == 5 and record.answered == 4 and record.accepted == 3
    assert record.median_answer_days == 3.0  # median of 1, 2, 4, 10
    assert record.accepted_share == 0.75 and record.accepted_percentage == 75
    assert referrals.provider_record(provider_org) == record
    by_org = referrals.provider_records([inbox_service.organization])
    assert by_org[inbox_service.organization.pk] == record


# --- who may -----------------------------------------------------------------------------


@pytest.fixture
def open_referrals(send, welfare_a, case_worker_a, provider_editor, inbox_service, email_service):
    case = ready_case(welfare_a, case_worker_a)
    send(referrals.create_referrals, case, [inbox_service, email_service], case_worker_a, "")
    to_inbox = Referral.objects.get(service=inbox_service)
    referrals.accept(to_inbox, provider_editor)
    return case, to_inbox, Referral.objects.get(service=email_service)


@pytest.mark.parametrize(
    "who", ["case_worker_b", "policy_officer", "outsider", "anonymous", "provider_editor"]
)
def test_others_cannot_use_the_case_worker_pages(
    client, request, who, open_referrals, inbox_service
):
    case, accepted, pending = open_referrals
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    expected = {"case_worker_b": 404, "anonymous": 302}.get(who, 403)
    attempts = [
        client.get(reverse("cases:refer", args=[case.pk])),
        client.post(
            reverse("cases:refer", args=[case.pk]),
            {"services": [str(inbox_service.pk)], "confirm_consent": "on"},
        ),
        client.post(reverse("cases:referral_withdraw", args=[pending.pk])),
        client.post(
            reverse("cases:referral_complete", args=[accepted.pk]), {"complete-outcome": "helped"}
        ),
    ]
    for response in attempts:
        assert response.status_code == expected
        if expected == 302:
            assert "/login/" in response["Location"]
    accepted.refresh_from_db()
    pending.refresh_from_db()
    assert accepted.status == ReferralStatus.ACCEPTED and pending.status == ReferralStatus.SENT
    assert Referral.objects.count() == 2


@pytest.mark.parametrize(
    "who",
    ["case_worker_a", "case_worker_b", "policy_officer", "outsider", "anonymous", "other_provider"],
)
def test_others_cannot_use_the_provider_pages(client, request, who, open_referrals):
    _case, accepted, _pending = open_referrals
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    detail = reverse("cases:inbox_detail", args=[accepted.pk])
    inbox = client.get(reverse("cases:inbox"))
    view = client.get(detail)
    change = client.post(detail, {"action": "complete", "complete-outcome": "helped"})
    if who == "anonymous":
        assert {inbox.status_code, view.status_code, change.status_code} == {302}
    elif who == "other_provider":
        assert inbox.status_code == 200 and PERSON not in inbox.content.decode()
        assert view.status_code == 404 and change.status_code == 404
    else:
        assert {inbox.status_code, view.status_code, change.status_code} == {403}
    accepted.refresh_from_db()
    assert accepted.status == ReferralStatus.ACCEPTED and accepted.opened_at is not None
    assert not AuditEvent.objects.filter(action="referral.view").exists()


def test_services_refuse_the_wrong_party(
    open_referrals,
    case_worker_a,
    case_worker_b,
    provider_editor,
    other_provider,
    policy_officer,
    inbox_service,
):
    case, accepted, pending = open_referrals
    for user in (case_worker_b, policy_officer, provider_editor):
        with pytest.raises(PermissionDenied):
            referrals.create_referrals(case, [inbox_service], user, "")
        with pytest.raises(PermissionDenied):
            referrals.withdraw(pending, user)
    for user in (case_worker_a, other_provider, policy_officer):
        with pytest.raises(PermissionDenied):
            referrals.record_start(accepted, user, timezone.localdate())
        with pytest.raises(PermissionDenied):
            referrals.open_referral(accepted, user)
    with pytest.raises(PermissionDenied):  # e-mailed referral: no account can answer it
        referrals.accept(pending, provider_editor)
    with pytest.raises(PermissionDenied):
        referrals.accept(pending, None, token="raden")
    with pytest.raises(PermissionDenied):  # a token does not open an inbox referral
        referrals.complete(accepted, None, "helped", token="raden")


# --- audit -------------------------------------------------------------------------------


def test_audit_events_without_personal_data(
    client, send, welfare_a, case_worker_a, provider_editor, inbox_service
):
    case = ready_case(welfare_a, case_worker_a)
    referral = refer(send, case, inbox_service, case_worker_a, "Vertelt over " + PERSON)
    client.force_login(provider_editor)
    url = reverse("cases:inbox_detail", args=[referral.pk])
    client.get(url)
    client.post(url, {"action": "accept"})
    events = AuditEvent.objects.filter(object_type="cases.referral", object_id=str(referral.pk))
    actions = sorted(events.values_list("action", flat=True))
    assert actions == ["referral.create", "referral.update", "referral.view"]
    update = events.get(action="referral.update")
    assert update.details["step"] == "accept" and update.actor == provider_editor
    assert update.organisation == welfare_a and update.details["case"] == case.pk
    dumped = json.dumps(list(AuditEvent.objects.values_list("details", flat=True)))
    for secret in (PERSON, PHONE, ADDRESS):
        assert secret not in dumped


def test_a_new_search_keeps_the_services_already_ticked(
    client, case_worker_a, provider_org, provider_editor, welfare_a
):  # type: ignore[no-untyped-def]
    from omzien.directory.search import get_backend

    case = ready_case(welfare_a, case_worker_a)
    organization = DirectoryOrganizationFactory(owner=provider_org, email="info@example.org")
    coffee = ServiceFactory(organization=organization, name="Koffieochtend De Brug")
    walk = ServiceFactory(organization=organization, name="Wandelgroep Samen")
    get_backend().rebuild()
    client.force_login(case_worker_a)
    url = reverse("cases:refer", args=[case.pk])
    response = client.post(url, {"q": "wandel", "zoek": "1", "services": [str(coffee.pk)]})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Koffieochtend De Brug" in content and "Wandelgroep Samen" in content
    assert f'value="{coffee.pk}" id="service-{coffee.pk}" checked' in content
    assert not Referral.objects.exists()
    assert walk.pk


# --- rules that mutation testing showed unguarded ---------------------------------------------


def test_who_may_refer_now(welfare_a, case_worker_a, case_worker_b, policy_officer):
    from django.contrib.auth.models import AnonymousUser

    ready = ready_case(welfare_a, case_worker_a)
    assert referrals.can_refer(ready, case_worker_a) is True
    assert referrals.can_refer(ready, case_worker_b) is False  # another organisation
    assert referrals.can_refer(ready, policy_officer) is False
    assert referrals.can_refer(ready, AnonymousUser()) is False
    assert referrals.can_refer(ready, None) is False
    without_consent = ready_case(welfare_a, case_worker_a, consent=False)
    assert referrals.can_refer(without_consent, case_worker_a) is False
    assert referrals.can_refer(make_case(welfare_a), case_worker_a) is False  # not yet talked
    ready.anonymised_at = timezone.now()
    assert referrals.can_refer(ready, case_worker_a) is False


def test_an_inbox_referral_cannot_be_opened_with_a_token(
    send, welfare_a, case_worker_a, inbox_service
):
    referral = refer(send, ready_case(welfare_a, case_worker_a), inbox_service, case_worker_a)
    token = "een-geraden-token-voor-de-inbox"
    Referral.objects.filter(pk=referral.pk).update(token_hash=referrals.hash_token(token))
    assert referrals.referral_for_token(token) is None


def test_a_token_is_looked_up_only_when_it_could_be_one(
    send, welfare_a, case_worker_a, email_service
):
    refer(send, ready_case(welfare_a, case_worker_a), email_service, case_worker_a)
    token = token_from(mail.outbox[-1].body)
    assert referrals.referral_for_token(token) is not None
    assert referrals.referral_for_token("") is None
    assert referrals.referral_for_token(token + "x" * 100) is None


def test_the_link_stops_working_at_the_deadline_itself(
    send, welfare_a, case_worker_a, email_service
):
    referral = refer(send, ready_case(welfare_a, case_worker_a), email_service, case_worker_a)
    until = referrals.link_valid_until(referral)
    assert until is not None
    assert referrals.link_is_valid(referral, until - dt.timedelta(seconds=1))
    assert not referrals.link_is_valid(referral, until)


def test_expiry_is_audited_without_personal_data(
    send, welfare_a, case_worker_a, email_service, django_capture_on_commit_callbacks
):
    referral = refer(send, ready_case(welfare_a, case_worker_a), email_service, case_worker_a)
    with time_machine.travel(timezone.now() + dt.timedelta(days=15), tick=False):
        assert referrals.expire_referrals() == 1
    event = AuditEvent.objects.get(action="referral.update", details__step="expire")
    assert event.object_id == str(referral.pk)
    assert event.organisation == welfare_a
    assert event.details == {"case": referral.case_id, "step": "expire", "status": "expired"}
