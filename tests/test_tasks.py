from __future__ import annotations

from django.core import mail
from django.core.management import call_command

import pytest
from django_tasks import TaskResultStatus

from omzien.core.tasks import send_email


@pytest.mark.django_db
def test_email_goes_out_through_the_task_queue() -> None:
    result = send_email.enqueue("Nieuwe melding", "Er staat een melding voor u klaar.", ["a@b.nl"])
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert mail.outbox[0].subject == "Nieuwe melding"


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_queued_tasks_from_the_database(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # Changing TASKS through the settings fixture makes django-tasks load the new backend.
    result = send_email.enqueue("Herinnering", "Tekst", ["c@d.nl"])
    assert result.status == TaskResultStatus.READY
    assert mail.outbox == []
    call_command("worker", "--max-tasks", "1", "--interval", "0.1")
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert mail.outbox[0].subject == "Herinnering"
