"""Run with the production settings in the environment, for tests/test_two_servers.py.

    python -m tests.two_servers_setup setup      # a fresh installation: prints its ids as JSON
    python -m tests.two_servers_setup edit ID USER   # USER's edit of service ID, committed

`edit` is what the provider editor's form does (`update_service`, whose reindex follows on
commit and is logged for the other servers); it prints the time of the commit.
"""

from __future__ import annotations

import json
import secrets
import sys
import time

import django


def setup() -> dict[str, str]:
    from django.core.management import call_command

    from omzien.accounts.models import Membership, Organisation, User
    from omzien.accounts.roles import OrganisationType, Role
    from omzien.directory import services
    from omzien.directory.models import Organization
    from omzien.directory.search import get_backend

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    Organisation.objects.create(name="Welzijn Proef", type=OrganisationType.WELFARE)
    provider = Organisation.objects.create(name="Aanbieder Proef", type=OrganisationType.PROVIDER)
    password = "aanbieder wachtwoord voor de proef 7"  # noqa: S105 - a throw-away installation
    users = []
    # New addresses every run: lock-outs of an earlier run may still be in the shared Redis.
    run = secrets.token_hex(4)
    for email in (f"aanbieder-{run}@proef.example", f"tweede-{run}@proef.example"):
        user = User.objects.create_user(email=email, password=password)
        Membership.objects.create(user=user, organisation=provider, role=Role.PROVIDER_EDITOR)
        users.append(user)
    directory_org = Organization.objects.create(name="Stichting Proef", owner=provider)
    first = services.create_service(
        directory_org,
        services.ServiceData(
            name="Koffieochtend",
            description="Samen koffie drinken in de buurt.",
            terms={"support_kind": ["meeting"]},
        ),
        users[0],
    )
    services.create_service(
        directory_org,
        services.ServiceData(name="Wandelclub", description="Samen wandelen in het park."),
        users[0],
    )
    get_backend().rebuild()
    return {
        "service": str(first.id),
        "editor_id": str(users[0].pk),
        "editor": users[0].email,
        "other": users[1].email,
        "password": password,
    }


def edit(service_id: str, editor_id: str) -> dict[str, float]:
    from omzien.accounts.models import User
    from omzien.directory import services
    from omzien.directory.models import Service

    service = Service.objects.get(id=service_id)
    editor = User.objects.get(pk=editor_id)
    data = services.service_data(service)
    data.description = "Samen koffie drinken, daarna een zangmiddag."
    data.terms = {**data.terms, "support_kind": ["occupation"]}
    services.update_service(service, data, editor)
    return {"committed": time.time()}


def main() -> None:
    django.setup()
    command, *args = sys.argv[1:]
    result = setup() if command == "setup" else edit(*args)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
