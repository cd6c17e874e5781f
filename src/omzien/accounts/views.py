from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from allauth.mfa.utils import is_mfa_enabled

from omzien.accounts import services
from omzien.accounts.forms import InvitedPasswordForm, InviteForm
from omzien.accounts.permissions import memberships, needs_mfa, requires
from omzien.accounts.roles import Capability, Role
from omzien.accounts.selectors import members_visible_to
from omzien.accounts.work_links import work_links
from omzien.core.links import absolute_url


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


@never_cache
@require_http_methods(["GET", "POST"])
@requires(Capability.MANAGE_MEMBERS)
def invite(request: HttpRequest) -> HttpResponse:
    """An administrator (or a coordinator, for the own organisation) invites new staff."""
    form = InviteForm(request.POST or None, inviter=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.invite_member(
                by=request.user,  # type: ignore[arg-type]
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                organisation=form.cleaned_data["organisation"],
                role=Role(form.cleaned_data["role"]),
                request=request,
            )
        except ValidationError as error:
            form.add_error("email", error)
            form.mark_invalid()
        else:
            link = absolute_url(reverse("invitation", args=[issued.token]))
            return render(
                request,
                "account/invite_done.html",
                {"invitation": issued.invitation, "link": link},
            )
    return render(request, "account/invite.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invited person chooses a password; then allauth's page sets up the second factor."""
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "account/invitation_invalid.html", status=410)
    form = InvitedPasswordForm(request.POST or None, user=invitation.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(request, invitation, form.cleaned_data["password1"])
        except ValidationError:
            return render(request, "account/invitation_invalid.html", status=410)
        if needs_mfa(user) and not is_mfa_enabled(user):
            return redirect(f"{reverse('mfa_activate_totp')}?next={reverse('accounts:overview')}")
        return redirect("accounts:overview")
    return render(request, "account/invitation.html", {"form": form, "invitation": invitation})
