from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from allauth.mfa.utils import is_mfa_enabled

from omzien.accounts.permissions import memberships, needs_mfa, requires
from omzien.accounts.roles import Capability
from omzien.accounts.selectors import members_visible_to
from omzien.core.home import work_links


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "account/overview.html",
        {
            "memberships": memberships(request.user),
            "mfa_enabled": is_mfa_enabled(request.user),
            "mfa_needed": needs_mfa(request.user),
            "work_links": work_links(request.user),
        },
    )


@require_GET
@requires(Capability.MANAGE_MEMBERS)
def members(request: HttpRequest) -> HttpResponse:
    return render(request, "account/members.html", {"members": members_visible_to(request.user)})
