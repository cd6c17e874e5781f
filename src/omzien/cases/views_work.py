"""Case work at /meldpunt/: the queue, the case page and one small page per action.

Access goes through the permission layer only: the queue and the case page need VIEW_CASES in
the case's organisation (another organisation's case answers 404); every change goes through a
service, which checks WORK_ON_CASES / ASSIGN_CASES and what the case allows. A refusal by role
is a 403; a step the case does not allow is a clear message on the case page.

The queue shows no names of residents, not even initials: a case number, dates, urgency and
state are enough to pick the next case, and the list then needs no decryption and leaves no
personal data on a screen that is open all day. The case page shows the person, and every
view of it is written to the audit log ("case.view").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from omzien.accounts.models import User
from omzien.accounts.permissions import get_scoped_or_404, has_capability, requires
from omzien.accounts.roles import Capability
from omzien.audit.services import record_event
from omzien.cases import selectors, services
from omzien.cases.forms_work import (
    AssignForm,
    CaseForm,
    ConsentForm,
    ContactAttemptForm,
    ConversationForm,
    NoteForm,
    QueueFilterForm,
    StatusForm,
    UrgencyForm,
)
from omzien.cases.indicators import indicator_label
from omzien.cases.models import Case, CaseState, ClosingReason, Consent
from omzien.cases.selectors import TAB_LABELS, QueueFilters, QueueTab
from omzien.cases.states import next_states

VIEW = Capability.VIEW_CASES
WORK = Capability.WORK_ON_CASES
ASSIGN = Capability.ASSIGN_CASES

# The main path of a case, shown as steps on the case page.
STEPS = (
    CaseState.RECEIVED,
    CaseState.INTAKE,
    CaseState.CONTACT_MADE,
    CaseState.CONVERSATION_HELD,
    CaseState.REFERRED,
    CaseState.CLOSED,
)
# Article 14 AVG: inform the person within a month of receiving the data.
INFORM_WITHIN = dt.timedelta(days=30)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # every view here is behind @requires
    return request.user


def _case(request: HttpRequest, pk: int) -> Case:
    return get_scoped_or_404(
        Case.objects.select_related("organisation", "assigned_to", "neighbourhood__district"),
        request.user,
        VIEW,
        pk=pk,
    )


def _require(request: HttpRequest, capability: Capability, case: Case) -> None:
    if not has_capability(request.user, capability, case.organisation_id):
        raise PermissionDenied(_("U mag dit niet bij deze casus."))


def _allowed_states(case: Case, user: User) -> list[CaseState]:
    return [
        state for state in next_states(case.state) if services.can_transition(case, state, user)
    ]


def _back(case: Case) -> HttpResponse:
    return redirect("cases:detail", pk=case.pk)


# --- the queue ---------------------------------------------------------------------------------


def _filters(data: dict[str, Any]) -> QueueFilters:
    tab = data.get("weergave") or selectors.DEFAULT_TAB
    return QueueFilters(
        tab=QueueTab(tab),
        urgency=data.get("urgentie") or "",
        state=data.get("status") or "",
        worker=data.get("consulent") or "",
        number=data.get("nummer") or "",
    )


@require_GET
@requires(VIEW)
def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = QueueFilterForm(request.GET or None, workers=list(selectors.workers(user)))
    if form.is_bound:
        form.is_valid()
        # A filter that does not exist (an old link, a typed URL) is left out and named above
        # the list; the valid ones still apply.
        filters = _filters(form.cleaned_data)
    else:
        filters = QueueFilters()
    cases = selectors.queue(user, filters)
    page = Paginator(cases, selectors.PER_PAGE).get_page(request.GET.get("pagina"))
    today = timezone.localdate()
    rows = [
        {
            "case": case,
            "first_contact_late": selectors.first_contact_late(case, today),
            "checkup_late": selectors.checkup_late(case, today),
        }
        for case in page
    ]
    tabs = [
        {"value": tab.value, "label": TAB_LABELS[tab], "current": tab == filters.tab}
        for tab in QueueTab
    ]
    return render(
        request,
        "cases/work/queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "tabs": tabs,
            "tab_label": TAB_LABELS[filters.tab],
            "filters": filters,
            "filtered": bool(filters.urgency or filters.state or filters.worker or filters.number),
        },
    )


# --- the case page -----------------------------------------------------------------------------


def _reason_label(code: str) -> str:
    return str(ClosingReason(code).label) if code in ClosingReason.values else ""


def _steps(case: Case) -> list[dict[str, Any]]:
    current = STEPS.index(CaseState(case.state))
    return [
        {
            "label": CaseState(state).label,
            "done": index < current or case.state == CaseState.CLOSED,
            "current": index == current,
        }
        for index, state in enumerate(STEPS)
    ]


@require_GET
@requires(VIEW)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = _case(request, pk)
    can_assign = has_capability(user, ASSIGN, case.organisation_id)
    can_work = has_capability(user, WORK, case.organisation_id) and not case.is_anonymised
    # Reporter contact details only for coordinators and the case's own worker (section 7.3).
    reporter_visible = can_assign or case.assigned_to_id == user.pk
    record_event(
        "case.view",
        request=request,
        obj=case,
        organisation=case.organisation,
        details={"reporter_contact_shown": reporter_visible},
    )
    today = timezone.localdate()
    signals = [
        {
            "signal": signal,
            "reporter": selectors.reporter_details(signal, reporter_visible),
            "indicators": [indicator_label(code) for code in signal.indicators],
        }
        for signal in case.signals.select_related("partner")
    ]
    timeline = [
        {
            "at": step.at,
            "from": CaseState(step.from_state).label if step.from_state else "",
            "to": CaseState(step.to_state).label,
            "reason": _reason_label(step.reason),
            "actor": step.actor,
        }
        for step in case.transitions.select_related("actor")
    ]
    allowed = _allowed_states(case, user)
    inform_by = timezone.localtime(case.received_at + INFORM_WITHIN).date()
    context = {
        "case": case,
        "steps": _steps(case),
        "first_contact_late": selectors.first_contact_late(case, today),
        "checkup_late": selectors.checkup_late(case, today),
        "inform_by": inform_by,
        "inform_late": case.person_informed_at is None and case.is_open and inform_by < today,
        "found_indicators": [indicator_label(code) for code in case.found_indicators],
        "signals": signals,
        "reporter_visible": reporter_visible,
        "attempts": case.contact_attempts.select_related("created_by"),
        "notes": case.notes.select_related("created_by"),
        "consents": case.consents.select_related("recorded_by"),
        "timeline": timeline,
        "can_work": can_work,
        "can_assign": can_assign and not case.is_anonymised,
        "can_take": can_work and case.is_open and case.assigned_to_id != user.pk,
        "urgency_form": UrgencyForm(initial={"urgency": case.urgency}) if can_work else None,
        "assign_form": AssignForm(case=case) if can_assign and not case.is_anonymised else None,
        "status_form": StatusForm(case=case, allowed=allowed) if allowed else None,
    }
    return render(request, "cases/work/detail.html", context)


# --- actions -----------------------------------------------------------------------------------


def _perform(perform: Callable[[], object]) -> str | None:
    """Run one change (its service writes the audit event); the message of a refusal, or None.

    PermissionDenied is not caught: it becomes a 403.
    """
    try:
        perform()
    except ValidationError as exc:
        return " ".join(str(message) for message in exc.messages)
    return None


def _form_errors(form: CaseForm) -> str:
    return " ".join(str(item["message"]) for item in form.error_summary)


def _page(
    request: HttpRequest,
    case: Case,
    form: CaseForm | None,
    *,
    title: str,
    intro: str = "",
    submit: str,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "cases/work/action_form.html",
        {
            "case": case,
            "form": form,
            "title": title,
            "intro": intro,
            "submit": submit,
            "action_url": request.path,
        },
        status=status,
    )


def _quick(
    request: HttpRequest,
    case: Case,
    form: CaseForm | None,
    *,
    action: str,
    perform: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """A short action (a button or one choice): back to the case page with a message."""
    if form is not None and not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back(case)
    data = form.cleaned_data if form is not None else {}
    error = _perform(lambda: perform(data))
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    return _back(case)


def _with_text(
    request: HttpRequest,
    case: Case,
    form: CaseForm,
    *,
    action: str,
    perform: Callable[[dict[str, Any]], object],
    success: str,
    title: str,
    intro: str,
    submit: str,
) -> HttpResponse:
    """An action with a text to write: shown again with the typed text when something is wrong."""
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            error = _perform(lambda: perform(data))
            if error is None:
                messages.success(request, success)
                return _back(case)
            form.add_error(None, error)
        return _page(request, case, form, title=title, intro=intro, submit=submit, status=400)
    return _page(request, case, form, title=title, intro=intro, submit=submit)


@require_http_methods(["GET", "POST"])
@requires(VIEW)
def take(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = _case(request, pk)
    _require(request, WORK, case)
    title = _("Casus overnemen")
    if request.method == "GET":
        return _page(
            request,
            case,
            None,
            title=title,
            intro=_("U wordt de consulent van deze casus. Een nieuwe casus gaat naar intake."),
            submit=_("Overnemen"),
        )
    if case.is_anonymised:
        messages.error(request, _("Deze casus is geanonimiseerd en kan niet meer veranderen."))
        return _back(case)
    if not case.is_open:
        messages.error(request, _("Deze casus is afgesloten. Heropen hem eerst."))
        return _back(case)

    return _quick(
        request,
        case,
        None,
        action="take",
        perform=lambda _data: services.take(case, user),
        success=_("U bent nu de consulent van deze casus."),
    )


@require_http_methods(["GET", "POST"])
@requires(VIEW)
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = _case(request, pk)
    _require(request, ASSIGN, case)
    if request.method == "GET":
        return _page(
            request,
            case,
            AssignForm(case=case),
            title=_("Casus toewijzen"),
            intro=_("Kies de consulent die deze casus oppakt. Hij of zij krijgt een e-mail."),
            submit=_("Toewijzen"),
        )
    if case.is_anonymised:
        messages.error(request, _("Deze casus is geanonimiseerd en kan niet meer veranderen."))
        return _back(case)
    return _quick(
        request,
        case,
        AssignForm(request.POST, case=case),
        action="assign",
        perform=lambda data: services.assign(case, data["assignee"], user),
        success=_("De casus is toegewezen."),
    )


@require_http_methods(["GET", "POST"])
@requires(VIEW)
def urgency(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = _case(request, pk)
    _require(request, WORK, case)
    if request.method == "GET":
        return _page(
            request,
            case,
            UrgencyForm(initial={"urgency": case.urgency}),
            title=_("Urgentie bepalen"),
            submit=_("Opslaan"),
        )
    return _quick(
        request,
        case,
        UrgencyForm(request.POST),
        action="triage",
        perform=lambda data: services.triage(case, data["urgency"], user),
        success=_("De urgentie is opgeslagen."),
    )


@require_http_methods(["GET", "POST"])
@requires(VIEW)
def status(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = _case(request, pk)
    allowed = _allowed_states(case, user)
    if request.method == "GET":
        if not allowed:
            _require(request, WORK, case)
            messages.info(request, _("Bij deze casus kunt u nu geen volgende stap zetten."))
            return _back(case)
        return _page(
            request,
            case,
            StatusForm(case=case, allowed=allowed),
            title=_("Volgende stap"),
            intro=_("Sluit u de casus af? Kies dan ook de reden."),
            submit=_("Opslaan"),
        )
    # Validate against every step of the table: a step this user may not take is then refused
    # by the service (403), not hidden as an unknown choice.
    form = StatusForm(request.POST, case=case, allowed=list(next_states(case.state)))

    def perform(data: dict[str, Any]) -> None:
        to_state = data["to_state"]
        reason = data["closing_reason"] if to_state == CaseState.CLOSED else ""
        services.transition(case, to_state, user, reason=reason)

    return _quick(
        request,
        case,
        form,
        action="transition",
        perform=perform,
        success=_("De status is bijgewerkt."),
    )


@require_http_methods(["GET", "POST"])
@requires(VIEW)
def contact_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = _case(request, pk)
    _require(request, WORK, case)
    form = ContactAttemptForm(request.POST if request.method == "POST" else None)
    return _with_text(
        request,
        case,
        form,
        action="contact_attempt",
        perform=lambda data: services.record_contact_attempt(
            case,
            user,
            at=data["at"],
            channel=data["channel"],
            outcome=data["outcome"],
            note=data["note"],
        ),
        success=_("De contactpoging is vastgelegd."),
        title=_("Contactpoging vastleggen"),
        intro=_("Leg elke poging vast, ook als u niemand bereikte."),
        submit=_("Contactpoging opslaan"),
    )


@require_http_methods(["GET", "POST"])
@requires(VIEW)
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = _case(request, pk)
    _require(request, WORK, case)
    form = ConversationForm(request.POST if request.method == "POST" else None)
    return _with_text(
        request,
        case,
        form,
        action="conversation",
        perform=lambda data: services.record_conversation(
            case,
            user,
            held_at=data["held_at"],
            text=data["text"],
            found_indicators=data["found_indicators"],
            person_informed=data["person_informed"],
        ),
        success=_("Het gesprek is vastgelegd."),
        title=_("Gesprek vastleggen"),
        intro=_("Kon u nog geen contact leggen? Leg dan eerst een contactpoging vast."),
        submit=_("Gesprek opslaan"),
    )


@require_http_methods(["GET", "POST"])
@requires(VIEW)
def note(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = _case(request, pk)
    _require(request, WORK, case)
    form = NoteForm(request.POST if request.method == "POST" else None)
    return _with_text(
        request,
        case,
        form,
        action="note",
        perform=lambda data: services.add_note(case, user, data["text"]),
        success=_("De aantekening is opgeslagen."),
        title=_("Aantekening maken"),
        intro="",
        submit=_("Aantekening opslaan"),
    )


@require_http_methods(["GET", "POST"])
@requires(VIEW)
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = _case(request, pk)
    _require(request, WORK, case)
    form = ConsentForm(request.POST if request.method == "POST" else None)
    return _with_text(
        request,
        case,
        form,
        action="consent",
        perform=lambda data: services.record_consent(
            case,
            user,
            given_at=data["given_at"],
            method=data["method"],
            scope=data["scope"],
            share_with_providers=data["share_with_providers"],
        ),
        success=_("De toestemming is vastgelegd."),
        title=_("Toestemming vastleggen"),
        intro=_(
            "Zonder toestemming van de persoon verwijst u niet door. Schrijf op waarmee de "
            "persoon instemt."
        ),
        submit=_("Toestemming opslaan"),
    )


@require_http_methods(["GET", "POST"])
@requires(VIEW)
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    user = _user(request)
    case = _case(request, pk)
    _require(request, WORK, case)
    given: Consent = get_object_or_404(case.consents.all(), pk=consent_pk)
    if request.method == "GET":
        return _page(
            request,
            case,
            None,
            title=_("Toestemming intrekken"),
            intro=_(
                "Trekt de persoon de toestemming in? Dan verwijst u niet meer door op grond "
                "van deze toestemming."
            ),
            submit=_("Toestemming intrekken"),
        )
    if not given.is_active:
        messages.info(request, _("Deze toestemming was al ingetrokken."))
        return _back(case)
    return _quick(
        request,
        case,
        None,
        action="consent_withdraw",
        perform=lambda _data: services.withdraw_consent(given, user),
        success=_("De toestemming is ingetrokken."),
    )
