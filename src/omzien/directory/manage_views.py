"""Provider self-service and the municipality's review queue, under /beheer/kaart/.

Access goes through the permission layer only: provider editors reach the services of the
directory organizations their platform organisation maintains (`Organization.owner`), reviewers
the whole queue. Someone else's service answers 404, so ids leak nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien.accounts.models import User
from omzien.accounts.permissions import (
    get_scoped_or_404,
    has_capability,
    requires,
    scope_queryset,
)
from omzien.accounts.roles import Capability
from omzien.audit.services import record_event
from omzien.directory import services
from omzien.directory.forms import LocationForm, RejectForm, ServiceForm
from omzien.directory.models import (
    Address,
    ChangeRequest,
    ErrorReport,
    Location,
    Metadata,
    Organization,
    Service,
)

EDIT = Capability.EDIT_DIRECTORY
REVIEW = Capability.REVIEW_DIRECTORY
MANAGE = Capability.MANAGE_ORGANISATIONS


# --- Access helpers: every query below starts from one of these ------------------------------


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # every view here is behind @requires
    return request.user


def _services(request: HttpRequest) -> QuerySet[Service]:
    return scope_queryset(
        Service.objects.select_related("organization"),
        request.user,
        EDIT,
        field="organization__owner",
    )


def _get_service(request: HttpRequest, pk: Any) -> Service:
    return get_scoped_or_404(
        Service.objects.select_related("organization__owner"),
        request.user,
        EDIT,
        field="organization__owner",
        pk=pk,
    )


def _organizations(request: HttpRequest) -> QuerySet[Organization]:
    return scope_queryset(Organization.objects.all(), request.user, EDIT, field="owner")


def _error_reports(request: HttpRequest) -> QuerySet[ErrorReport]:
    return scope_queryset(
        ErrorReport.objects.select_related("service"),
        request.user,
        EDIT,
        field="service__organization__owner",
    )


def _own_change_requests(request: HttpRequest) -> QuerySet[ChangeRequest]:
    return scope_queryset(
        ChangeRequest.objects.select_related("service", "organization"),
        request.user,
        EDIT,
        field="organization__owner",
    )


def _review_queue(request: HttpRequest) -> QuerySet[ChangeRequest]:
    return scope_queryset(
        ChangeRequest.objects.select_related("service", "organization", "submitted_by"),
        request.user,
        REVIEW,
        field="organization__owner",
    )


def _get_change_request(request: HttpRequest, pk: int) -> ChangeRequest:
    return get_scoped_or_404(
        ChangeRequest.objects.select_related("service", "organization", "submitted_by"),
        request.user,
        REVIEW,
        field="organization__owner",
        pk=pk,
    )


def _linked_location(service: Service, location_pk: Any) -> Location:
    # The service is already scoped; the location must be one of its own.
    location = Location.objects.filter(
        pk=location_pk, service_at_locations__service=service
    ).first()
    if location is None:
        raise Http404
    return location


def _page(request: HttpRequest, rows: Any, per_page: int = 50) -> Any:
    return Paginator(rows, per_page).get_page(request.GET.get("pagina"))


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    user = request.user
    context.setdefault("nav_can_edit", has_capability(user, EDIT))
    context.setdefault("nav_can_review", has_capability(user, REVIEW))
    context.setdefault("nav_can_manage", has_capability(user, MANAGE))
    return render(request, f"directory/manage/{template}", context, status=status)


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


# --- Dashboard --------------------------------------------------------------------------------


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The provider's own services, the ones to check first; reviewers go to their queue."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_capability(request.user, EDIT) and has_capability(request.user, REVIEW):
        return redirect("directory_manage:review_queue")
    return _dashboard(request)


@requires(EDIT)
def _dashboard(request: HttpRequest) -> HttpResponse:
    rows = _services(request).order_by(F("assured_date").asc(nulls_first=True), "name")
    page = _page(request, rows)
    stale_count = sum(1 for s in page if s.is_stale)
    pending = {
        cr.service_id
        for cr in _own_change_requests(request).filter(status=ChangeRequest.Status.PENDING)
    }
    proposals = _own_change_requests(request).order_by("-submitted_at")[:10]
    open_reports = _error_reports(request).filter(status=ErrorReport.Status.OPEN).count()
    return _render(
        request,
        "dashboard.html",
        {
            "page": page,
            "stale_count": stale_count,
            "pending_service_ids": pending,
            "proposals": [(cr, services.change_request_title(cr)) for cr in proposals],
            "open_reports": open_reports,
            "can_create": _organizations(request).exists(),
        },
    )


@require_POST
@requires(EDIT)
def service_verify(request: HttpRequest, pk: Any) -> HttpResponse:
    service = _get_service(request, pk)
    services.verify_service(service, _user(request), request=request)
    messages.success(
        request, _("Dank u. %(name)s staat als gecontroleerd op de kaart.") % {"name": service.name}
    )
    return _back(request, reverse("directory_manage:dashboard"))


# --- Creating and editing a service -----------------------------------------------------------


def _saved_message(request: HttpRequest, result: services.SaveResult) -> None:
    if result.is_live:
        messages.success(request, _("Opgeslagen. De kaart is bijgewerkt."))
    else:
        messages.info(
            request,
            _(
                "Uw wijziging is verstuurd. De gemeente bekijkt hem. Pas daarna staat hij op "
                "de kaart."
            ),
        )


@require_http_methods(["GET", "POST"])
@requires(EDIT)
def service_create(request: HttpRequest) -> HttpResponse:
    organizations = _organizations(request).order_by("name")
    if not organizations.exists():
        messages.info(
            request,
            _(
                "Uw organisatie staat nog niet op de sociale kaart. Vraag de gemeente om haar "
                "toe te voegen."
            ),
        )
        return redirect("directory_manage:dashboard")
    form = ServiceForm(
        request.POST if request.method == "POST" else None, organizations=organizations
    )
    if request.method == "POST" and form.is_valid():
        result = services.save_service(
            user=_user(request),
            organization=form.cleaned_data["organization"],
            data=form.to_data(),
            request=request,
        )
        _saved_message(request, result)
        if result.is_live and result.service is not None:
            return redirect("directory_manage:service_edit", pk=result.service.pk)
        return redirect("directory_manage:dashboard")
    status = 400 if request.method == "POST" else 200
    return _render(request, "service_form.html", {"form": form, "service": None}, status=status)


@require_http_methods(["GET", "POST"])
@requires(EDIT)
def service_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    service = _get_service(request, pk)
    pending = services.pending_change(service, services.ChangeKind.SERVICE)
    # While a proposal waits, the editor continues from it instead of losing it.
    initial = (
        services.ServiceData.from_payload(pending.payload["data"])
        if pending
        else services.service_data(service)
    )
    form = ServiceForm(request.POST if request.method == "POST" else None, initial_data=initial)
    if request.method == "POST" and form.is_valid():
        result = services.save_service(
            user=_user(request),
            organization=service.organization,
            data=form.to_data(),
            service=service,
            request=request,
        )
        _saved_message(request, result)
        if result.is_live:
            return redirect("directory_manage:service_edit", pk=service.pk)
        return redirect("directory_manage:dashboard")
    locations = [
        {
            "location": sal.location,
            "label": services.location_label(sal.location),
            "pending": services.pending_change(
                service, services.ChangeKind.LOCATION, str(sal.location_id)
            )
            or services.pending_change(
                service, services.ChangeKind.LOCATION_REMOVAL, str(sal.location_id)
            ),
        }
        for sal in service.service_at_locations.select_related("location")
    ]
    new_locations = ChangeRequest.objects.filter(
        service=service,
        status=ChangeRequest.Status.PENDING,
        payload__kind=services.ChangeKind.LOCATION.value,
        payload__location_id=None,
    ).count()
    status = 400 if request.method == "POST" else 200
    return _render(
        request,
        "service_form.html",
        {
            "form": form,
            "service": service,
            "pending": pending,
            "locations": locations,
            "pending_new_locations": new_locations,
        },
        status=status,
    )


# --- Locations ---------------------------------------------------------------------------------


def _default_province() -> str:
    """The province most addresses on the kaart are in: one less thing to choose."""
    found = (
        Address.objects.exclude(state_province="")
        .values("state_province")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return found["state_province"] if found else ""


@require_http_methods(["GET", "POST"])
@requires(EDIT)
def location_create(request: HttpRequest, pk: Any) -> HttpResponse:
    service = _get_service(request, pk)
    form = LocationForm(
        request.POST if request.method == "POST" else None,
        initial={"state_province": _default_province()},
    )
    if request.method == "POST" and form.is_valid():
        result = services.save_location(
            user=_user(request), service=service, data=form.to_data(), request=request
        )
        _saved_message(request, result)
        return redirect("directory_manage:service_edit", pk=service.pk)
    status = 400 if request.method == "POST" else 200
    return _render(
        request,
        "location_form.html",
        {"form": form, "service": service, "location": None},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@requires(EDIT)
def location_edit(request: HttpRequest, pk: Any, location_pk: Any) -> HttpResponse:
    service = _get_service(request, pk)
    location = _linked_location(service, location_pk)
    pending = services.pending_change(service, services.ChangeKind.LOCATION, str(location.pk))
    initial = (
        services.LocationData.from_payload(pending.payload["data"])
        if pending
        else services.location_data(location)
    )
    form = LocationForm(request.POST if request.method == "POST" else None, initial_data=initial)
    if request.method == "POST" and form.is_valid():
        result = services.save_location(
            user=_user(request),
            service=service,
            data=form.to_data(),
            location=location,
            request=request,
        )
        _saved_message(request, result)
        return redirect("directory_manage:service_edit", pk=service.pk)
    status = 400 if request.method == "POST" else 200
    return _render(
        request,
        "location_form.html",
        {"form": form, "service": service, "location": location, "pending": pending},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@requires(EDIT)
def location_remove(request: HttpRequest, pk: Any, location_pk: Any) -> HttpResponse:
    service = _get_service(request, pk)
    location = _linked_location(service, location_pk)
    if request.method == "POST":
        result = services.unlink_location(
            user=_user(request), service=service, location=location, request=request
        )
        if result.is_live:
            messages.success(request, _("De locatie is weggehaald."))
        else:
            _saved_message(request, result)
        return redirect("directory_manage:service_edit", pk=service.pk)
    return _render(
        request,
        "location_remove.html",
        {"service": service, "location": location, "label": services.location_label(location)},
    )


# --- History -----------------------------------------------------------------------------------


@require_GET
@requires(EDIT)
def service_history(request: HttpRequest, pk: Any) -> HttpResponse:
    service = _get_service(request, pk)
    location_ids = list(service.service_at_locations.values_list("location_id", flat=True))
    address_ids = list(
        Address.objects.filter(location_id__in=location_ids).values_list("id", flat=True)
    )
    rows = Metadata.objects.filter(
        resource_id__in=[service.pk, *location_ids, *address_ids]
    ).order_by("-last_action_date", "field_name")
    page = _page(request, rows)
    entries = [
        {
            "row": row,
            "label": services.field_label(row.resource_type, row.field_name),
            "action": str(services.ACTION_LABELS.get(row.last_action_type, row.last_action_type)),
            "is_location": row.resource_type in ("location", "address"),
        }
        for row in page
    ]
    return _render(request, "history.html", {"service": service, "page": page, "entries": entries})


# --- Error reports -----------------------------------------------------------------------------


@require_GET
@requires(EDIT)
def error_reports(request: HttpRequest) -> HttpResponse:
    rows = _error_reports(request).order_by("status", "-created_at")
    page = _page(request, rows)
    record_event("directory.error_report.list", request=request, details={"page": page.number})
    return _render(request, "error_reports.html", {"page": page})


def _scoped_error_report(request: HttpRequest, pk: int) -> ErrorReport:
    """One error report about a service of the user's own provider organisation, else 404."""
    return get_scoped_or_404(
        ErrorReport.objects.select_related("service__organization"),
        request.user,
        EDIT,
        field="service__organization__owner",
        pk=pk,
    )


@require_GET
@requires(EDIT)
def error_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _scoped_error_report(request, pk)
    # The reporter's e-mail address is personal data: showing it is recorded.
    record_event(
        "directory.error_report.view",
        request=request,
        obj=report,
        details={"service": str(report.service_id)},
    )
    return _render(request, "error_report.html", {"report": report})


@require_POST
@requires(EDIT)
def error_report_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    report = _scoped_error_report(request, pk)
    services.resolve_error_report(report, _user(request), request=request)
    messages.success(request, _("De melding staat op opgelost."))
    return redirect("directory_manage:error_reports")


# --- Review queue (the municipality's editors) ---------------------------------------------------


@require_GET
@requires(REVIEW)
def review_queue(request: HttpRequest) -> HttpResponse:
    queue = _review_queue(request)
    pending = queue.filter(status=ChangeRequest.Status.PENDING).order_by("submitted_at")
    decided = queue.exclude(status=ChangeRequest.Status.PENDING).order_by("-reviewed_at")[:20]
    return _render(
        request,
        "review_queue.html",
        {
            "pending": [(cr, services.change_request_title(cr)) for cr in pending],
            "decided": [(cr, services.change_request_title(cr)) for cr in decided],
        },
    )


def _review_context(change_request: ChangeRequest, form: RejectForm) -> dict[str, Any]:
    return {
        "change_request": change_request,
        "title": services.change_request_title(change_request),
        "changes": services.describe_change_request(change_request),
        "is_new": change_request.service is None,
        "form": form,
    }


@require_GET
@requires(REVIEW)
def change_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    change_request = _get_change_request(request, pk)
    return _render(request, "change_request.html", _review_context(change_request, RejectForm()))


@require_POST
@requires(REVIEW)
def change_request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    change_request = _get_change_request(request, pk)
    try:
        services.approve_change_request(change_request, _user(request), request=request)
    except services.ChangeRequestClosed:
        messages.error(request, _("Deze wijziging is al beoordeeld."))
        return redirect("directory_manage:review_queue")
    messages.success(request, _("Goedgekeurd. De wijziging staat nu op de kaart."))
    return redirect("directory_manage:review_queue")


@require_POST
@requires(REVIEW)
def change_request_reject(request: HttpRequest, pk: int) -> HttpResponse:
    change_request = _get_change_request(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _render(
            request, "change_request.html", _review_context(change_request, form), status=400
        )
    try:
        services.reject_change_request(
            change_request, _user(request), form.cleaned_data["reason"], request=request
        )
    except services.ChangeRequestClosed:
        messages.error(request, _("Deze wijziging is al beoordeeld."))
        return redirect("directory_manage:review_queue")
    messages.success(request, _("Afgewezen. De aanbieder krijgt de reden te zien."))
    return redirect("directory_manage:review_queue")


# --- Trust (administrators) ----------------------------------------------------------------------


@require_GET
@requires(MANAGE)
def organizations(request: HttpRequest) -> HttpResponse:
    rows = (
        scope_queryset(Organization.objects.select_related("owner"), request.user, MANAGE, "owner")
        .annotate(
            service_count=Count("services", distinct=True),
            pending_count=Count(
                "change_requests",
                filter=Q(change_requests__status=ChangeRequest.Status.PENDING),
                distinct=True,
            ),
        )
        .order_by("name")
    )
    return _render(request, "organizations.html", {"page": _page(request, rows)})


@require_POST
@requires(MANAGE)
def organization_trust(request: HttpRequest, pk: Any) -> HttpResponse:
    organization = get_scoped_or_404(
        Organization.objects.all(), request.user, MANAGE, field="owner", pk=pk
    )
    trusted = request.POST.get("trusted") == "1"
    services.set_organization_trust(organization, trusted, _user(request), request=request)
    if trusted:
        message = _("%(name)s is nu vertrouwd: wijzigingen staan meteen op de kaart.")
    else:
        message = _("%(name)s is niet meer vertrouwd: wijzigingen worden eerst beoordeeld.")
    messages.success(request, message % {"name": organization.name})
    return redirect("directory_manage:organizations")
