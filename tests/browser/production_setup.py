"""Run with the production settings in the environment: a fresh installation with one
administrator (password and TOTP) and one case, for tests/browser/test_invitation_journey.py.

Prints one JSON line: the administrator's address, password and TOTP secret, and the case id.
"""

from __future__ import annotations

import json

import django


def main() -> None:
    django.setup()
    from django.core.management import call_command

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from omzien.accounts.models import Membership, Organisation, User
    from omzien.accounts.roles import OrganisationType, PartnerDomain, Role
    from omzien.accounts.services import ensure_verified_address
    from omzien.cases.models import SignalSource
    from omzien.cases.services import Report, submit_report

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    municipality = Organisation.objects.create(
        name="Gemeente Proef", type=OrganisationType.MUNICIPALITY, domain=PartnerDomain.MUNICIPALITY
    )
    welfare = Organisation.objects.create(
        name="Welzijn Proef", type=OrganisationType.WELFARE, domain=PartnerDomain.CARE_WELFARE
    )
    password = "beheer wachtwoord voor de proef 7"  # noqa: S105 - a throw-away installation
    admin = User.objects.create_user(
        email="beheerder@proef.example", password=password, full_name="Bea Beheer", is_staff=True
    )
    ensure_verified_address(admin)
    Membership.objects.create(user=admin, organisation=municipality, role=Role.ADMINISTRATOR)
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    signal, _ = submit_report(
        Report(
            source=SignalSource.FORM,
            reporter_kind="neighbour",
            description="Mijn buurman komt de deur niet meer uit.",
            person_name="Proef Persoon",
            person_phone="0612345678",
        ),
        organisation=welfare,
    )
    print(
        json.dumps(
            {
                "email": admin.email,
                "password": password,
                "secret": secret,
                "case": signal.case_id,
                "welfare": welfare.pk,
            }
        )
    )


if __name__ == "__main__":
    main()
