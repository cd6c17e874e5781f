"""Privacy pages of the meldpunt: a person's rights (inzage, wissen), finding their cases, and
who looked at a case. Thin views over `subject_rights.py`; every page writes an audit event."""

from __future__ import annotations

import json
import re
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from omzien.accounts.models import Organisation, User
from omzien.accounts.permissions import (
    get_scoped_or_404,
    has_capability,
    organisation_ids,
    requires,
)
from omzien.accounts.roles import Capability
from omzien.audit.services import record_event
from omzien.cases import subject_rights
from omzien.cases.models import Case
from omzien.core.forms import NldsFormMixin
from omzien.core.phones import validate_phone

ACTION_LABELS = {
    "case.view": gettext_lazy("Bekeken"),
    "case.update": gettext_lazy("Gewijzigd"),
    "signal.create": gettext_lazy("Melding ontvangen"),
    "referral.create": gettext_lazy("Verwijzing verstuurd"),
    "referral.view": gettext_lazy("Verwijzing bekeken"),
    "referral.update": gettext_lazy("Verwijzing bijgewerkt"),
    "case.export": gettext_lazy("Gegevens gedownload (inzage)"),
    "case.erase": gettext_lazy("Gewist op verzoek"),
    "case.anonymise": gettext_lazy("Geanonimiseerd na de bewaartermijn"),
    "case.audit_view": gettext_lazy("Inzage-log bekeken"),
}

POSTCODE_RE = re.compile(r"^\s*\d{4}\s*[A-Za-z]{2}\s*$")
HOUSE_NUMBER_RE = re.compile(r"^\s*\d{1,5}\s*[A-Za-z]?(\s*[-/]?\s*[A-Za-z0-9]{1,6})?\s*$")


def _case_for(request: HttpRequest, pk: int, capability: Capability) -> Case:
    return get_scoped_or_404(
        Case.objects.select_related("organisation", "neighbourhood"),
        request.user,
        capability,
        pk=pk,
    )


def _links(request: HttpRequest, case: Case) -> dict[str, bool]:
    """Which of the case's privacy pages this user may open (for the navigation)."""
    return {
        "can_handle_requests": has_capability(
            request.user, Capability.HANDLE_DATA_REQUESTS, case.organisation_id
        ),
        "can_view_audit": has_capability(
            request.user, Capability.VIEW_AUDIT_LOG, case.organisation_id
        ),
    }


# --- inzage (art. 15) --------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@requires(Capability.HANDLE_DATA_REQUESTS)
def subject_access(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk, Capability.HANDLE_DATA_REQUESTS)
    if request.method == "POST" or request.GET.get("format") == "json":
        data = subject_rights.build_export(case)
        record_event(
            "case.export",
            request=request,
            obj=case,
            organisation=case.organisation,
            details=subject_rights.export_audit_details(case),
        )
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        filename = f"inzage-casus-{case.pk}-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    record_event(
        "case.view",
        request=request,
        obj=case,
        organisation=case.organisation,
        details={"page": "subject_access"},
    )
    return render(
        request,
        "cases/privacy/subject_access.html",
        {"case": case, "summary": subject_rights.export_summary(case), **_links(request, case)},
    )


# --- wissen (art. 17) --------------------------------------------------------------------------


class EraseForm(NldsFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Waarom wist u de gegevens?"),
        choices=subject_rights.ErasureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Kies een reden.")},
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("Ik weet dat dit niet ongedaan kan worden."),
        error_messages={"required": gettext_lazy("Vink aan dat u dit weet.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


@never_cache
@require_http_methods(["GET", "POST"])
@requires(Capability.HANDLE_DATA_REQUESTS)
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk, Capability.HANDLE_DATA_REQUESTS)
    form = EraseForm(request.POST if request.method == "POST" else None)
    blockers = subject_rights.erasure_blockers(case)
    if request.method == "POST" and not blockers and form.is_valid():
        try:
            subject_rights.erase_case(
                case, cast(User, request.user), form.cleaned_data["reason"], request=request
            )
        except subject_rights.ErasureRefused as refused:
            blockers = list(refused.messages)
        else:
            messages.success(
                request,
                _("De gegevens van casus %(number)s zijn gewist.") % {"number": case.pk},
            )
            return redirect("cases:subject_search")
    status = 409 if request.method == "POST" and blockers else 200
    return render(
        request,
        "cases/privacy/erase.html",
        {"case": case, "form": form, "blockers": blockers, **_links(request, case)},
        status=status,
    )


# --- finding a person's cases ------------------------------------------------------------------


class SubjectSearchForm(NldsFormMixin, forms.Form):
    postcode = forms.CharField(
        label=gettext_lazy("Postcode"),
        required=False,
        max_length=10,
        help_text=gettext_lazy("Bijvoorbeeld 5701 AA. Vul ook het huisnummer in."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    house_number = forms.CharField(
        label=gettext_lazy("Huisnummer"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("Met toevoeging als die er is, bijvoorbeeld 12a."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Telefoonnummer"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mailadres"),
        required=False,
        max_length=254,
        error_messages={"invalid": gettext_lazy("Dit is geen goed e-mailadres.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def clean_postcode(self) -> str:
        value: str = self.cleaned_data["postcode"]
        if value and not POSTCODE_RE.match(value):
            raise forms.ValidationError(_("Vul een postcode in zoals 5701 AA."))
        return re.sub(r"\s+", "", value).upper()

    def clean_house_number(self) -> str:
        value: str = self.cleaned_data["house_number"]
        if value and not HOUSE_NUMBER_RE.match(value):
            raise forms.ValidationError(_("Vul een huisnummer in, bijvoorbeeld 12 of 12a."))
        return value.strip()

    def clean_phone(self) -> str:
        # The same rule as the report form: the person's own number, Dutch or from abroad.
        return validate_phone(self.cleaned_data["phone"], foreign=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        postcode, number = data.get("postcode"), data.get("house_number")
        if postcode and not number and "house_number" not in self.errors:
            self.add_error("house_number", _("Vul bij de postcode ook het huisnummer in."))
        if number and not postcode and "postcode" not in self.errors:
            self.add_error("postcode", _("Vul bij het huisnummer ook de postcode in."))
        if not self.errors and not (postcode or data.get("phone") or data.get("email")):
            raise forms.ValidationError(
                _("Vul een postcode met huisnummer, een telefoonnummer of een e-mailadres in.")
            )
        return data

    def criteria(self) -> subject_rights.SearchCriteria:
        data = self.cleaned_data
        return subject_rights.SearchCriteria(
            postcode=data["postcode"],
            house_number=data["house_number"],
            phone=data["phone"],
            email=data["email"],
        )


def _own_organisation(request: HttpRequest) -> Organisation | None:
    """The organisation to file a search under, when the user handles requests for just one."""
    ids = organisation_ids(request.user, Capability.HANDLE_DATA_REQUESTS)
    if ids is not None and len(ids) == 1:
        return Organisation.objects.filter(pk=next(iter(ids))).first()
    return None


@never_cache
@require_http_methods(["GET", "POST"])
@requires(Capability.HANDLE_DATA_REQUESTS)
def subject_search(request: HttpRequest) -> HttpResponse:
    # POST, so that no postcode, phone number or e-mail address ends up in a URL or access log.
    form = SubjectSearchForm(request.POST if request.method == "POST" else None)
    results: list[dict[str, Any]] | None = None
    if request.method == "POST" and form.is_valid():
        criteria = form.criteria()
        cases = subject_rights.find_cases(cast(User, request.user), criteria)
        record_event(
            "case.search",
            request=request,
            organisation=_own_organisation(request),
            details={"criteria": criteria.used(), "results": len(cases)},
        )
        results = [{"case": case, **_links(request, case)} for case in cases]
    return render(request, "cases/privacy/subject_search.html", {"form": form, "results": results})


# --- who looked at this case -------------------------------------------------------------------


@never_cache
@require_GET
@requires(Capability.VIEW_AUDIT_LOG)
def case_audit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk, Capability.VIEW_AUDIT_LOG)
    page_number = request.GET.get("pagina")
    # Looking at the log is itself recorded, before reading, so it is on the page too.
    record_event(
        "case.audit_view",
        request=request,
        obj=case,
        organisation=case.organisation,
        details={"page": str(page_number or 1)[:10]},
    )
    events = subject_rights.audit_events_for(case)
    page = Paginator(events, 50).get_page(page_number)
    rows = [
        {"event": event, "label": ACTION_LABELS.get(event.action, event.action)} for event in page
    ]
    return render(
        request,
        "cases/privacy/case_audit.html",
        {"case": case, "page": page, "rows": rows, **_links(request, case)},
    )
