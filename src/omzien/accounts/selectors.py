from __future__ import annotations

from django.db.models import QuerySet

from omzien.accounts.models import Membership
from omzien.accounts.permissions import AnyUser, scope_queryset
from omzien.accounts.roles import Capability


def members_visible_to(user: AnyUser) -> QuerySet[Membership]:
    return scope_queryset(
        Membership.objects.select_related("user", "organisation"),
        user,
        Capability.MANAGE_MEMBERS,
    ).order_by("organisation__name", "user__email", "role")
