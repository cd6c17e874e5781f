from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from omzien.accounts.permissions import requires
from omzien.accounts.roles import Capability
from omzien.audit.selectors import events_visible_to
from omzien.audit.services import record_event


@require_GET
@requires(Capability.VIEW_AUDIT_LOG)
def event_list(request: HttpRequest) -> HttpResponse:
    events = events_visible_to(request.user)
    object_type = request.GET.get("object_type", "").strip()[:64]
    object_id = request.GET.get("object_id", "").strip()[:64]
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    page = Paginator(events, 50).get_page(request.GET.get("pagina"))
    # Reading the audit log is itself recorded: it shows who looked at what.
    record_event("audit.view", request=request, details={"page": page.number})
    return render(
        request,
        "audit/event_list.html",
        {"page": page, "object_type": object_type, "object_id": object_id},
    )
