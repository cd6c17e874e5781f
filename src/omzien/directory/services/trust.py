"""Who publishes at once: trusted providers and the municipality's own editors."""

from __future__ import annotations

from django.http import HttpRequest

from omzien.accounts.models import User
from omzien.accounts.permissions import has_capability
from omzien.accounts.roles import Capability
from omzien.directory.models import Organization
from omzien.directory.services.common import kaart_write


def changes_go_live(user: User, organization: Organization | None) -> bool:
    """Trusted providers and the municipality's own editors publish at once; others are reviewed.

    A service without a provider is the municipality's own: only its editors reach it.
    """
    if organization is None:
        return True
    return organization.is_trusted or has_capability(user, Capability.REVIEW_DIRECTORY)


def set_organization_trust(
    organization: Organization,
    trusted: bool,
    user: User,
    *,
    request: HttpRequest | None = None,
) -> Organization:
    """Trusted providers' edits go live without review; administrators decide."""
    with kaart_write("directory.organization.trust", actor=user, request=request) as write:
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        if locked.is_trusted != trusted:
            write.log(
                "organization",
                locked.id,
                "update",
                {"is_trusted": (str(locked.is_trusted), str(trusted))},
            )
            locked.is_trusted = trusted
            locked.save(update_fields=["is_trusted"])
        write.about(locked, locked, {"trusted": trusted})
    organization.refresh_from_db()
    return organization
