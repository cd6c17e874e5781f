"""Background work of the meldpunt, for the worker (`omzien worker`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from django_tasks import task

from omzien.core import crypto


@task()
def send_to_encrypted_address(subject: str, body: str, encrypted_recipient: str) -> int:
    """Send an e-mail to an address that is kept encrypted, also in the task queue's table.

    Used for reporters and providers without an account: their address is personal data and the
    queue stores task arguments in plain JSON.
    """
    recipient = crypto.decrypt(encrypted_recipient)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient], fail_silently=False)
