"""The permission layer: every view and API scopes its querysets through these functions.

A user holds roles through memberships of organisations; `roles.ROLE_CAPABILITIES` says what
each role may do and whether in its own organisation or across all. Nothing else in the code
decides access, and no view filters by organisation by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from omzien.accounts.models import Membership, Organisation, User
from omzien.accounts.roles import (
    GLOBAL_SCOPE_ORGANISATION_TYPES,
    ROLE_CAPABILITIES,
    ROLES_REQUIRING_MFA,
    Capability,
    Role,
    Scope,
)

M = TypeVar("M", bound=Model)
AnyUser = User | AnonymousUser

_CACHE_ATTR = "_omzien_memberships"


def memberships(user: AnyUser) -> list[Membership]:
    """The user's memberships of active organisations, read once per user object."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[Membership] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, organisation__is_active=True).select_related(
                "organisation"
            )
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user: AnyUser) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _grant(membership: Membership, capability: Capability) -> Scope | None:
    scope = ROLE_CAPABILITIES.get(Role(membership.role), {}).get(capability)
    if scope is Scope.ALL and membership.organisation.type not in GLOBAL_SCOPE_ORGANISATION_TYPES:
        return Scope.OWN
    return scope


def organisation_ids(user: AnyUser, capability: Capability) -> set[int] | None:
    """The ids of organisations in which the user may do this; None means every organisation."""
    ids: set[int] = set()
    for membership in memberships(user):
        scope = _grant(membership, capability)
        if scope is Scope.ALL:
            return None
        if scope is Scope.OWN:
            ids.add(membership.organisation_id)
    return ids


def has_capability(
    user: AnyUser, capability: Capability, organisation: Organisation | int | None = None
) -> bool:
    """May the user do this at all (organisation None), or in this organisation?"""
    ids = organisation_ids(user, capability)
    if ids is None:
        return True
    if organisation is None:
        return bool(ids)
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return org_id in ids


def scope_queryset(
    queryset: QuerySet[M], user: AnyUser, capability: Capability, field: str = "organisation"
) -> QuerySet[M]:
    """Only the rows whose organisation (reached through `field`) the user may act on."""
    ids = organisation_ids(user, capability)
    if ids is None:
        return queryset
    if not ids:
        return queryset.none()
    return queryset.filter(**{f"{field}__in": ids})


def get_scoped_or_404(
    queryset: QuerySet[M],
    user: AnyUser,
    capability: Capability,
    field: str = "organisation",
    **lookup: Any,
) -> M:
    """One object the user may act on; 404 otherwise, so other organisations' ids leak nothing."""
    try:
        return scope_queryset(queryset, user, capability, field).get(**lookup)
    except ObjectDoesNotExist:
        raise Http404 from None


def require(
    user: AnyUser, capability: Capability, organisation: Organisation | int | None = None
) -> None:
    if not has_capability(user, capability, organisation):
        raise PermissionDenied


def needs_mfa(user: AnyUser) -> bool:
    """Must the user pass a second factor: staff and superusers always (they reach the admin and
    can give themselves any membership), everyone else when a role lets them see residents'
    personal data."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(Role(m.role) in ROLES_REQUIRING_MFA for m in memberships(user))


ViewFunc = Callable[..., HttpResponse]


def requires(capability: Capability) -> Callable[[ViewFunc], ViewFunc]:
    """View decorator: anonymous users go to the login page; without the capability, 403."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, capability)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def users_with_capability(capability: Capability, organisation: Organisation | int) -> list[User]:
    """Active users who may do this in the organisation (only through its own memberships)."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    roles = [role for role, grants in ROLE_CAPABILITIES.items() if capability in grants]
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=org_id,
            memberships__organisation__is_active=True,
            memberships__role__in=roles,
        ).distinct()
    )
