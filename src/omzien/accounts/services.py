"""Writes about accounts: inviting new staff and accepting the invitation.

Each function checks who may do it, writes in one transaction and records an audit event.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from allauth.account.internal.flows.login import record_authentication
from allauth.account.models import EmailAddress

from omzien.accounts.mfa import has_enrolled
from omzien.accounts.models import Invitation, Membership, Organisation, User
from omzien.accounts.permissions import has_capability, memberships
from omzien.accounts.roles import Capability, Role
from omzien.audit.services import record_event

# Roles a coordinator may hand out in the own organisation; administrators may hand out any.
_COORDINATOR_MAY_INVITE = frozenset({Role.CASE_WORKER, Role.CASE_COORDINATOR})


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def ensure_verified_address(user: User) -> None:
    """The address an administrator gave is the verified, primary address of the account.

    Accounts are only ever made by administrators, so their address is known to be right; allauth
    refuses to set up a second factor for an unverified address.
    """
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email}
    )
    if not address.verified or not address.primary:
        EmailAddress.objects.filter(user=user, primary=True).exclude(pk=address.pk).update(
            primary=False
        )
        address.verified = True
        address.primary = True
        address.save(update_fields=["verified", "primary"])


def roles_invitable_by(user: User, organisation: Organisation) -> list[Role]:
    """The roles this user may give a new member of this organisation."""
    if not has_capability(user, Capability.MANAGE_MEMBERS, organisation):
        return []
    if any(m.role == Role.ADMINISTRATOR for m in memberships(user)):
        return list(Role)
    return [role for role in Role if role in _COORDINATOR_MAY_INVITE]


def _check_may_invite_again(by: User, user: User) -> None:
    """An existing account may get a new link only while it has no second factor yet, and only
    from someone who manages every organisation it belongs to (never another's member)."""
    if has_enrolled(user):
        raise ValidationError(
            _(
                "Dit account is al ingesteld. Geef het een rol via Medewerkers, of laat de "
                "medewerker zelf het wachtwoord opnieuw instellen."
            ),
            code="exists",
        )
    is_administrator = any(m.role == Role.ADMINISTRATOR for m in memberships(by))
    if (user.is_staff or user.is_superuser) and not is_administrator:
        raise ValidationError(_("Dit account kunt u niet opnieuw uitnodigen."), code="foreign")
    for membership in Membership.objects.filter(user=user).select_related("organisation"):
        if not has_capability(by, Capability.MANAGE_MEMBERS, membership.organisation):
            raise ValidationError(_("Dit account kunt u niet opnieuw uitnodigen."), code="foreign")


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str  # shown once, to the administrator; only its hash is stored


@transaction.atomic
def invite_member(
    *,
    by: User,
    email: str,
    full_name: str,
    organisation: Organisation,
    role: Role,
    request: HttpRequest | None = None,
) -> IssuedInvitation:
    """Make (or find) the account, give it the role and issue a fresh one-time link."""
    if role not in roles_invitable_by(by, organisation):
        raise PermissionDenied
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name.strip())
    else:
        _check_may_invite_again(by, user)
        # Not set up yet: whoever knows the old password could enrol their own device, so the
        # password stops working and the person starts again from the new link.
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
    ensure_verified_address(user)
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    now = timezone.now()
    # Only the newest link works: an earlier one that was lost or shared is closed.
    Invitation.objects.filter(user=user, used_at=None, revoked_at=None).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=user,
        token_hash=_hash(token),
        created_by=by,
        created_at=now,
        expires_at=now + timedelta(hours=settings.OMZIEN_INVITATION_HOURS),
    )
    record_event(
        "account.invited",
        request=request,
        actor=by,
        obj=user,
        organisation=organisation,
        details={"role": str(role), "invitation": invitation.pk},
    )
    return IssuedInvitation(invitation=invitation, token=token)


def find_invitation(token: str) -> Invitation | None:
    """The invitation this link belongs to while it can still be used; None otherwise."""
    if not token or len(token) > 128:
        return None
    invitation = Invitation.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if invitation is None or not invitation.is_usable() or not invitation.user.is_active:
        return None
    return invitation


@transaction.atomic
def accept_invitation(request: HttpRequest, invitation: Invitation, password: str) -> User:
    """Set the password, close the link and log the person in for setting up the code."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_usable():
        raise ValidationError(_("Deze uitnodiging is al gebruikt of verlopen."), code="used")
    user = locked.user
    user.set_password(password)
    user.save(update_fields=["password"])
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    # The password was just set and typed: the first authentication step of this session, so
    # setting up the device needs no second password prompt.
    record_authentication(request, user, "password", reauthenticated=True)
    record_event(
        "account.invitation_accepted",
        request=request,
        actor=user,
        obj=user,
        details={"invitation": locked.pk},
    )
    return user
