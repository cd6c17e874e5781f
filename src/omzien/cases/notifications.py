"""E-mails of the meldpunt, all through the task queue and none with a personal detail in it.

Each message says only that there is something to look at and where (after logging in).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from omzien.accounts.models import User
from omzien.accounts.permissions import users_with_capability
from omzien.accounts.roles import Capability
from omzien.cases.models import Case, Signal
from omzien.cases.tasks import send_to_encrypted_address
from omzien.core import crypto
from omzien.core.links import absolute_url
from omzien.core.tasks import send_email


def absolute(path: str) -> str:
    return absolute_url(path)


def send_to_users(users: Iterable[User], subject: str, body: str) -> int:
    recipients = sorted({u.email for u in users if u.email and u.is_active})
    if recipients:
        transaction.on_commit(lambda: send_email.enqueue(subject, body, recipients))
    return len(recipients)


def send_to_address(address: str, subject: str, body: str) -> None:
    """For someone without an account; the address travels encrypted through the queue."""
    token = crypto.encrypt(address)
    transaction.on_commit(lambda: send_to_encrypted_address.enqueue(subject, body, token))


def new_signal(case_id: int) -> None:
    # Only the organisation is needed: loading the whole case would decrypt its personal fields
    # for nothing, once for every report sent through the public form.
    organisation_id = Case.objects.values_list("organisation_id", flat=True).get(pk=case_id)
    coordinators = users_with_capability(Capability.ASSIGN_CASES, organisation_id)
    send_to_users(
        coordinators,
        _("Nieuwe melding bij het meldpunt"),
        _("Er is een nieuwe melding binnengekomen. Bekijk de wachtrij na inloggen:\n%(url)s")
        % {"url": absolute(reverse("cases:queue"))},
    )


def case_assigned(case_id: int) -> None:
    case = Case.objects.select_related("assigned_to").get(pk=case_id)
    if case.assigned_to is None:
        return
    send_to_users(
        [case.assigned_to],
        _("Er is een casus aan u toegewezen"),
        _("Er is een casus aan u toegewezen. Bekijk hem na inloggen:\n%(url)s")
        % {"url": absolute(reverse("cases:detail", args=[case.pk]))},
    )


def cases_overdue(user: User, cases: list[Case]) -> int:
    """One reminder per person per run, however many cases are overdue."""
    if len(cases) == 1:
        body = _(
            "Een casus heeft de afgesproken termijn overschreden. Bekijk hem na inloggen:\n%(url)s"
        ) % {"url": absolute(reverse("cases:detail", args=[cases[0].pk]))}
    else:
        body = _(
            "%(count)s casussen hebben de afgesproken termijn overschreden. "
            "Bekijk ze na inloggen:\n%(url)s"
        ) % {"count": len(cases), "url": absolute(reverse("cases:queue") + "?weergave=te-laat")}
    return send_to_users([user], _("Casussen over de termijn"), body)


STATUS_MESSAGES = {
    "picked_up": _("Uw melding is opgepakt door het meldpunt."),
    "completed": _("Uw melding is afgehandeld."),
}


def reporter_status_changed(case: Case, status: str) -> int:
    """Tell reporters who left an e-mail address that the status changed; nothing else."""
    sent = 0
    for signal in Signal.objects.filter(case=case).exclude(reporter_notified_status=status):
        if signal.reporter_email:
            body = _(
                "%(message)s\n\nUw ontvangstcode is %(receipt)s. "
                "U kunt de status altijd bekijken op:\n%(url)s\n\n"
                "Om de privacy van de persoon te beschermen, vertellen we niet meer dan dit."
            ) % {
                "message": STATUS_MESSAGES[status],
                "receipt": signal.receipt,
                "url": absolute(reverse("cases:status")) + f"?code={signal.receipt}",
            }
            send_to_address(signal.reporter_email, _("Uw melding bij het meldpunt"), body)
            sent += 1
        signal.reporter_notified_status = status
        signal.save(update_fields=["reporter_notified_status"])
    return sent
