"""`omzien partner-key`: keys for partners in the digital signalling network (docs/api.md).

omzien partner-key "Demo Woningcorporatie"   # a new key; printed once, as the last line
omzien partner-key --list                     # prefixes, never the keys
omzien partner-key --revoke <prefix>          # the key stops working at once
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from omzien.accounts.models import Organisation
from omzien.cases import partners
from omzien.cases.models import PartnerKey


def _moment(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"


class Command(BaseCommand):
    help = (
        "Make an API key for a partner organisation of the signalling network (the key is "
        "shown once, as the last line), list keys with --list, or revoke one with --revoke."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "organisation",
            nargs="?",
            help="Name of the organisation that gets a new key (as in the admin).",
        )
        parser.add_argument("--revoke", metavar="PREFIX", help="Revoke the key with this prefix.")
        parser.add_argument(
            "--list",
            action="store_true",
            help="List keys (of the organisation, if given): prefix, created, last used, revoked.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = (options.get("organisation") or "").strip()
        if options.get("revoke"):
            if options.get("list"):
                raise CommandError("Gebruik --revoke of --list, niet allebei.")
            self._revoke(options["revoke"])
        elif options.get("list"):
            self._list(self._organisation(name) if name else None)
        elif name:
            self._create(self._organisation(name))
        else:
            raise CommandError(
                'Geef de naam van een organisatie (omzien partner-key "<naam>"), --list of '
                "--revoke <prefix>."
            )

    def _organisation(self, name: str) -> Organisation:
        organisation = Organisation.objects.filter(name__iexact=name).first()
        if organisation is None:
            raise CommandError(
                f"Er is geen organisatie met de naam {name!r}. Kijk de naam na in het "
                "beheer (Organisaties) of voeg de organisatie eerst toe."
            )
        return organisation

    def _create(self, organisation: Organisation) -> None:
        if not organisation.is_active:
            raise CommandError(f"{organisation.name} is niet actief. Er is geen sleutel gemaakt.")
        partner_key, key = partners.create_key(organisation)
        self.stdout.write(f"Nieuwe sleutel voor {organisation.name} (prefix {partner_key.prefix}).")
        self.stdout.write(
            "Bewaar de sleutel nu veilig. U ziet hem maar één keer; later is hij niet op te zoeken."
        )
        self.stdout.write(key)

    def _revoke(self, prefix: str) -> None:
        try:
            partner_key, revoked_now = partners.revoke_key(prefix)
        except PartnerKey.DoesNotExist:
            raise CommandError(f"Er is geen sleutel met prefix {prefix!r}. Zie --list.") from None
        if revoked_now:
            self.stdout.write(
                f"Sleutel {partner_key.prefix} van {partner_key.organisation.name} is ingetrokken."
            )
        else:
            self.stdout.write(
                f"Sleutel {partner_key.prefix} was al ingetrokken op "
                f"{_moment(partner_key.revoked_at)}."
            )

    def _list(self, organisation: Organisation | None) -> None:
        keys = PartnerKey.objects.select_related("organisation").order_by(
            "organisation__name", "-created_at"
        )
        if organisation is not None:
            keys = keys.filter(organisation=organisation)
        if not keys.exists():
            self.stdout.write("Geen sleutels.")
            return
        self.stdout.write(
            f"{'prefix':<10} {'gemaakt':<16}  {'laatst gebruikt':<16}  {'ingetrokken':<16}  "
            "organisatie"
        )
        for partner_key in keys:
            self.stdout.write(
                f"{partner_key.prefix:<10} {_moment(partner_key.created_at):<16}  "
                f"{_moment(partner_key.last_used_at):<16}  {_moment(partner_key.revoked_at):<16}  "
                f"{partner_key.organisation.name}"
            )
