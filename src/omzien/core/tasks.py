"""Background tasks shared by every part: e-mail goes out through the task queue."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from django_tasks import task


@task()
def send_email(subject: str, body: str, recipients: list[str]) -> int:
    """Send a plain-text e-mail. Callers keep personal details of residents out of `body`."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
