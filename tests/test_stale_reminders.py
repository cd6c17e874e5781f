"""`omzien remind-stale-services`: one e-mail per provider, at most once a month, idempotent."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from typing import Any

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

import pytest
import time_machine
from django_tasks import TaskResultStatus

from omzien.accounts.models import Organisation, User
from omzien.directory.models import Organization, Service
from omzien.directory.tasks import remind_stale_services as remind_task
from tests.factories import DirectoryOrganizationFactory, ServiceFactory

# The command queues e-mail on commit; a transactional test lets those callbacks run as in
# production (cron runs the command outside any surrounding transaction).
pytestmark = pytest.mark.django_db(transaction=True)

START = datetime.datetime(2026, 3, 2, 6, 0, tzinfo=datetime.UTC)


@pytest.fixture
def traveller() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as coordinates:
        yield coordinates


@pytest.fixture
def directory_org(provider_org: Organisation, provider_editor: User) -> Organization:
    return DirectoryOrganizationFactory(
        name="Stichting Samen", owner=provider_org, email="info@samen.example"
    )


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def run() -> str:
    out = io.StringIO()
    call_command("remind_stale_services", stdout=out)
    return out.getvalue()


def test_it_reminds_a_provider_once_about_its_stale_services(
    traveller: time_machine.Traveller, directory_org: Organization
) -> None:
    stale = ServiceFactory(
        organization=directory_org, name="Wandelgroep", assured_date=days_ago(200)
    )
    never = ServiceFactory(organization=directory_org, name="Taalcafé", assured_date=None)
    ServiceFactory(organization=directory_org, name="Koffieochtend", assured_date=days_ago(20))
    assert "Reminded 1 provider(s) about 2 service(s)." in run()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["aanbieder@example.org", "info@samen.example"]
    assert "Wandelgroep" in message.body
    assert "Taalcafé" in message.body
    assert "Koffieochtend" not in message.body
    assert "/beheer/kaart/" in message.body
    for service in (stale, never):
        service.refresh_from_db()
        assert service.verification_reminder_sent_at == START


def test_running_it_twice_sends_nothing_the_second_time(
    traveller: time_machine.Traveller, directory_org: Organization
) -> None:
    ServiceFactory(organization=directory_org, assured_date=days_ago(200))
    run()
    traveller.shift(datetime.timedelta(hours=1))
    assert "Reminded 0 provider(s)" in run()
    assert len(mail.outbox) == 1


def test_it_reminds_again_after_thirty_days_if_still_not_checked(
    traveller: time_machine.Traveller, directory_org: Organization
) -> None:
    ServiceFactory(organization=directory_org, assured_date=days_ago(200))
    run()
    traveller.shift(datetime.timedelta(days=29))
    run()
    assert len(mail.outbox) == 1
    traveller.shift(datetime.timedelta(days=1))
    run()
    assert len(mail.outbox) == 2


def test_checking_the_service_stops_the_reminders(
    traveller: time_machine.Traveller, directory_org: Organization
) -> None:
    service = ServiceFactory(organization=directory_org, assured_date=days_ago(200))
    run()
    traveller.shift(datetime.timedelta(days=40))
    Service.objects.filter(pk=service.pk).update(assured_date=timezone.localdate())
    run()
    assert len(mail.outbox) == 1


def test_a_service_becomes_stale_after_the_configured_number_of_days(
    traveller: time_machine.Traveller, directory_org: Organization
) -> None:
    ServiceFactory(organization=directory_org, assured_date=days_ago(183))
    run()
    assert mail.outbox == []
    traveller.shift(datetime.timedelta(days=1))
    run()
    assert len(mail.outbox) == 1


def test_the_threshold_follows_the_setting(
    traveller: time_machine.Traveller,
    directory_org: Organization,
    settings: Any,
) -> None:
    settings.OMZIEN_STALE_AFTER_DAYS = 30
    ServiceFactory(organization=directory_org, assured_date=days_ago(45))
    run()
    assert len(mail.outbox) == 1


def test_each_provider_gets_its_own_e_mail(
    traveller: time_machine.Traveller, directory_org: Organization
) -> None:
    other = DirectoryOrganizationFactory(name="Sportclub", email="club@sport.example")
    ServiceFactory(organization=directory_org, name="Wandelgroep", assured_date=None)
    ServiceFactory(organization=other, name="Walking football", assured_date=None)
    run()
    by_recipient = {tuple(sorted(m.to)): m.body for m in mail.outbox}
    assert len(by_recipient) == 2
    assert "Walking football" in by_recipient[("club@sport.example",)]
    assert "Wandelgroep" not in by_recipient[("club@sport.example",)]


def test_defunct_and_unpublished_services_are_left_alone(
    traveller: time_machine.Traveller, directory_org: Organization
) -> None:
    ServiceFactory(organization=directory_org, assured_date=None, status="defunct")
    ServiceFactory(organization=directory_org, assured_date=None, is_published=False)
    run()
    assert mail.outbox == []


def test_a_provider_without_anyone_to_e_mail_is_reminded_once_someone_is_there(
    traveller: time_machine.Traveller,
) -> None:
    lonely = DirectoryOrganizationFactory(name="Zonder adres", email="")
    service = ServiceFactory(organization=lonely, assured_date=None)
    run()
    assert mail.outbox == []
    service.refresh_from_db()
    assert service.verification_reminder_sent_at is None
    lonely.email = "nu@wel.example"
    lonely.save()
    run()
    assert len(mail.outbox) == 1


def test_the_worker_can_run_it_as_a_task(
    traveller: time_machine.Traveller, directory_org: Organization
) -> None:
    ServiceFactory(organization=directory_org, assured_date=None)
    result = remind_task.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"organizations": 1, "services": 1}
    assert len(mail.outbox) == 1
    assert remind_task.enqueue().return_value == {"organizations": 0, "services": 0}
    assert len(mail.outbox) == 1
