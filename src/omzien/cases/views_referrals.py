"""Pages for referrals: the case worker refers, the provider answers (inbox or secure link).

The views only validate input, call `omzien.cases.referrals` and render. A provider sees only
what was shared for the referral: never the case's notes, signals or address.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien.accounts.permissions import get_scoped_or_404, requires, scope_queryset
from omzien.accounts.roles import Capability
from omzien.audit.services import record_event
from omzien.cases import referrals
from omzien.cases import services as case_services
from omzien.cases.forms_referrals import (
    CompleteForm,
    DeclineForm,
    ReferForm,
    ReferralSearchForm,
    StartForm,
    StatusFilterForm,
)
from omzien.cases.models import Case, Referral, ReferralStatus
from omzien.core.ratelimit import allow
from omzien.directory.models import Service
from omzien.directory.search import get_backend
from omzien.directory.selectors import visible_services

SEARCH_RESULTS = 20
INBOX_PER_PAGE = 25
LINK_RATE_LIMIT = (30, 3600)


def _messages_of(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


# --- the case worker: refer -------------------------------------------------------------------


def _search(query: str) -> list[Service]:
    if not query:
        return []
    queryset, _info = get_backend().apply(visible_services(), query)
    ranked = queryset.order_by("-search_rank")[:SEARCH_RESULTS]
    ids = [service.pk for service in ranked]
    by_id = {
        service.pk: service
        for service in Service.objects.filter(pk__in=ids).select_related("organization__owner")
    }
    return [by_id[pk] for pk in ids if pk in by_id]


def _options(services: list[Service], chosen: set[str]) -> list[dict[str, Any]]:
    organizations = {s.organization for s in services if s.organization is not None}
    records = referrals.provider_records(organizations)
    return [
        {
            "service": service,
            "delivery": referrals.delivery(service),
            "record": records.get(service.organization_id) if service.organization_id else None,
            "checked": str(service.pk) in chosen,
        }
        for service in services
    ]


@never_cache
@requires(Capability.WORK_ON_CASES)
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_scoped_or_404(
        Case.objects.select_related("organisation"), request.user, Capability.WORK_ON_CASES, pk=pk
    )
    consent = case_services.active_consent(case)
    blocked = referrals.refer_blocked_reason(case)

    source = request.POST if request.method == "POST" else request.GET
    search = ReferralSearchForm(source)
    query = " ".join(search.data.get("q", "").split())[:200]
    searching = request.method == "POST" and bool(request.POST.get("zoek"))
    if searching:
        # A new search from the referral form: keep what was ticked and typed, send nothing.
        form = ReferForm(initial={"message": request.POST.get("message", "")})
    else:
        form = ReferForm(request.POST or None)

    if request.method == "POST" and not searching and not blocked and form.is_valid():
        try:
            created = referrals.create_referrals(
                case,
                list(form.cleaned_data["services"]),
                request.user,  # type: ignore[arg-type]
                form.cleaned_data["message"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, _messages_of(error))
        else:
            messages.success(
                request,
                ngettext(
                    "De verwijzing is verstuurd naar %(count)d aanbieder.",
                    "De verwijzing is verstuurd naar %(count)d aanbieders.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return redirect(reverse("cases:detail", args=[case.pk]) + "#verwijzingen")

    chosen = set(request.POST.getlist("services")) if request.method == "POST" else set()
    results = _search(query) if not blocked else []
    # What was ticked stays on screen, also when it is not in the current results.
    shown = {str(s.pk) for s in results}
    missing = [key for key in chosen if key not in shown]
    if missing and not blocked:
        extra = visible_services().filter(pk__in=_valid_uuids(missing))
        results = list(extra.select_related("organization__owner")) + results

    record_event(
        "case.view",
        request=request,
        obj=case,
        organisation=case.organisation,
        details={"page": "refer"},
    )
    return render(
        request,
        "cases/referrals/refer.html",
        {
            "case": case,
            "consent": consent,
            "blocked": blocked,
            "query": query,
            "options": _options(results, chosen),
            "chosen_count": len(chosen),
            "form": form,
            "searched": bool(query),
        },
    )


def _valid_uuids(keys: list[str]) -> list[str]:
    valid = []
    for key in keys[:20]:
        try:
            valid.append(str(uuid.UUID(key)))
        except ValueError:
            continue
    return valid


def _case_worker_referral(request: HttpRequest, pk: int) -> Referral:
    return get_scoped_or_404(
        Referral.objects.select_related("case"),
        request.user,
        Capability.WORK_ON_CASES,
        field="case__organisation",
        pk=pk,
    )


def _back_to_case(referral: Referral) -> HttpResponseRedirect:
    return redirect(reverse("cases:detail", args=[referral.case_id]) + "#verwijzingen")


@requires(Capability.WORK_ON_CASES)
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _case_worker_referral(request, pk)
    try:
        referrals.withdraw(referral, request.user, request=request)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, _("De verwijzing is ingetrokken. De aanbieder krijgt bericht."))
    return _back_to_case(referral)


@requires(Capability.WORK_ON_CASES)
@require_POST
def complete_by_case_worker(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _case_worker_referral(request, pk)
    form = CompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies hoe het is afgelopen."))
        return _back_to_case(referral)
    try:
        referrals.complete(
            referral,
            request.user,  # type: ignore[arg-type]
            form.cleaned_data["outcome"],
            request=request,
        )
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, _("De verwijzing is afgerond."))
    return _back_to_case(referral)


# --- the provider: inbox and secure link ---------------------------------------------------


def _inbox_queryset(request: HttpRequest) -> QuerySet[Referral]:
    return scope_queryset(
        Referral.objects.select_related("case__organisation"),
        request.user,
        Capability.VIEW_REFERRALS,
        field="provider",
    )


@never_cache
@require_GET
@requires(Capability.VIEW_REFERRALS)
def inbox(request: HttpRequest) -> HttpResponse:
    queryset = _inbox_queryset(request).order_by("-sent_at", "-pk")
    status_form = StatusFilterForm(request.GET)
    status = ""
    if status_form.is_valid():
        status = status_form.cleaned_data["status"]
    if status:
        queryset = queryset.filter(status=status)
    paginator = Paginator(queryset, INBOX_PER_PAGE, allow_empty_first_page=True)
    page = paginator.get_page(request.GET.get("pagina"))
    return render(
        request,
        "cases/referrals/inbox.html",
        {"page": page, "status_form": status_form, "status": status},
    )


def _answer(
    request: HttpRequest, referral: Referral, *, token: str = ""
) -> tuple[bool, dict[str, Any]]:
    """Handle one of the provider's forms; (done, forms to show again with their errors)."""
    action = request.POST.get("action", "")
    actor = request.user if request.user.is_authenticated and not token else None
    forms: dict[str, Any] = {}
    try:
        if action == "accept":
            referrals.accept(referral, actor, token=token, request=request)
            messages.success(request, _("U hebt de verwijzing geaccepteerd. Dank u wel."))
            return True, forms
        if action == "decline":
            decline = DeclineForm(request.POST)
            if not decline.is_valid():
                return False, {"decline_form": decline}
            referrals.decline(
                referral,
                actor,
                decline.cleaned_data["reason"],
                decline.cleaned_data["note"],
                token=token,
                request=request,
            )
            messages.success(
                request, _("U hebt de verwijzing afgewezen. De consulent krijgt bericht.")
            )
            return True, forms
        if action == "start":
            start = StartForm(request.POST)
            if not start.is_valid():
                return False, {"start_form": start}
            referrals.record_start(
                referral,
                actor,
                start.cleaned_data["started_on"],
                token=token,
                request=request,
            )
            messages.success(request, _("De startdatum is opgeslagen."))
            return True, forms
        if action == "complete":
            done = CompleteForm(request.POST)
            if not done.is_valid():
                return False, {"complete_form": done}
            referrals.complete(
                referral,
                actor,
                done.cleaned_data["outcome"],
                token=token,
                request=request,
            )
            messages.success(request, _("De verwijzing is afgerond. Dank u wel."))
            return True, forms
    except ValidationError as error:
        messages.error(request, _messages_of(error))
        return True, forms
    messages.error(request, _("Deze stap bestaat niet."))
    return True, forms


def _detail_context(referral: Referral, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "referral": referral,
        "show_details": referral.status not in referrals.FINAL_STATUSES,
        "can_accept": referrals.allowed(referral, ReferralStatus.ACCEPTED, referrals.P.PROVIDER),
        "can_start": referrals.allowed(referral, ReferralStatus.STARTED, referrals.P.PROVIDER),
        "can_complete": referrals.allowed(referral, ReferralStatus.COMPLETED, referrals.P.PROVIDER),
        "decline_form": DeclineForm(),
        "start_form": StartForm(),
        "complete_form": CompleteForm(),
    }
    context.update(extra)
    return context


@never_cache
@requires(Capability.VIEW_REFERRALS)
@require_http_methods(["GET", "POST"])
def inbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_scoped_or_404(
        Referral.objects.select_related("case__organisation", "created_by"),
        request.user,
        Capability.VIEW_REFERRALS,
        field="provider",
        pk=pk,
    )
    extra: dict[str, Any] = {}
    if request.method == "POST":
        done, extra = _answer(request, referral)
        if done:
            return redirect("cases:inbox_detail", pk=referral.pk)
    referrals.open_referral(referral, request.user, request=request)  # type: ignore[arg-type]
    return render(
        request,
        "cases/referrals/detail.html",
        _detail_context(referral, via_link=False, **extra),
    )


def _link_problem(request: HttpRequest, status: int) -> HttpResponse:
    response = render(
        request, "cases/referrals/link_problem.html", {"status": status}, status=status
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def referral_link(request: HttpRequest, token: str) -> HttpResponse:
    """The referral for a provider without an account, through the e-mailed link."""
    if not allow(request, "referral-link", *LINK_RATE_LIMIT):
        return _link_problem(request, 429)
    referral = referrals.referral_for_token(token)
    if referral is None:
        return _link_problem(request, 404)
    if not referrals.link_is_valid(referral):
        return _link_problem(request, 410)
    extra: dict[str, Any] = {}
    if request.method == "POST":
        done, extra = _answer(request, referral, token=token)
        if done:
            return redirect("cases:referral_link", token=token)
    referrals.open_referral(referral, None, token=token, request=request)
    response = render(
        request,
        "cases/referrals/detail.html",
        _detail_context(
            referral, via_link=True, valid_until=referrals.link_valid_until(referral), **extra
        ),
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
