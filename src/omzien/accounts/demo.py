"""Demo organisations and accounts. Only loaded by `omzien demo-data`, never in production."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from omzien.accounts.models import Membership, Organisation, User
from omzien.accounts.roles import OrganisationType, PartnerDomain, Role
from omzien.accounts.services import ensure_verified_address

DEMO_PASSWORD = "omzien-demo"  # noqa: S105  (public on purpose: demo accounts only)

MUNICIPALITY = "Gemeente Helmond (demo)"
WELFARE = "Welzijn Helmond (demo)"
WELFARE_2 = "Welzijn De Peel (demo)"
PROVIDER = "Stichting Samen Actief (demo)"
PARTNER = "Demo Woningcorporatie"

ORGANISATIONS = [
    (MUNICIPALITY, OrganisationType.MUNICIPALITY, PartnerDomain.MUNICIPALITY),
    (WELFARE, OrganisationType.WELFARE, PartnerDomain.CARE_WELFARE),
    (WELFARE_2, OrganisationType.WELFARE, PartnerDomain.CARE_WELFARE),
    (PROVIDER, OrganisationType.PROVIDER, PartnerDomain.SELF_ORGANISATIONS),
    (PARTNER, OrganisationType.PARTNER, PartnerDomain.HOUSING),
]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    organisation: str
    roles: tuple[Role, ...]


ACCOUNTS = [
    DemoAccount("beheerder@demo.omzien.nl", "Bea Beheer", MUNICIPALITY, (Role.ADMINISTRATOR,)),
    DemoAccount("beleid@demo.omzien.nl", "Bram Beleid", MUNICIPALITY, (Role.POLICY_OFFICER,)),
    DemoAccount(
        "consulent@demo.omzien.nl",
        "Carla Consulent",
        WELFARE,
        (Role.CASE_COORDINATOR, Role.CASE_WORKER),
    ),
    DemoAccount("consulent2@demo.omzien.nl", "Cees Consulent", WELFARE_2, (Role.CASE_WORKER,)),
    DemoAccount("aanbieder@demo.omzien.nl", "Anna Aanbieder", PROVIDER, (Role.PROVIDER_EDITOR,)),
]


@transaction.atomic
def load() -> list[str]:
    organisations: dict[str, Organisation] = {}
    for name, org_type, domain in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.update_or_create(
            name=name, defaults={"type": org_type, "domain": domain, "is_active": True}
        )
    for account in ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=account.email, defaults={"full_name": account.full_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        ensure_verified_address(user)
        for role in account.roles:
            Membership.objects.get_or_create(
                user=user, organisation=organisations[account.organisation], role=role
            )
    return [f"Demo organisations: {len(organisations)}, demo accounts: {len(ACCOUNTS)}."]


def account_lines() -> list[str]:
    """The accounts to log in with, printed last by `omzien demo-data`."""
    lines = [f"Demo accounts, all with password {DEMO_PASSWORD!r} (log in at /accounts/login/):"]
    for account in ACCOUNTS:
        roles = ", ".join(str(role.label) for role in account.roles)
        lines.append(f"  {account.email:<28} {roles} - {account.organisation}")
    return lines
