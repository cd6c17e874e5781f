"""Public pages of the sociale kaart. Every page works without JavaScript; with htmx, the
result list updates in place as filters change."""

from __future__ import annotations

import logging

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien.areas import geo
from omzien.areas.models import District, Neighbourhood
from omzien.core.ratelimit import allow
from omzien.core.spam import SpamProtectedForm
from omzien.directory import choices, filters, presenters, selectors, services
from omzien.directory.entry_points import BY_SLUG, ENTRY_POINTS
from omzien.directory.search import get_backend

logger = logging.getLogger(__name__)

LIST_MAX = choices.LIST_MAX
COMPARE_MAX = choices.COMPARE_MAX


def _params(
    request: HttpRequest,
    districts: list[District],
    neighbourhoods: list[tuple[District, list[Neighbourhood]]],
) -> filters.SearchParams:
    return filters.parse(
        request.GET,
        valid_districts={d.code for d in districts},
        valid_languages={code for code, _name in selectors.languages()},
        valid_neighbourhoods={n.code for _district, group in neighbourhoods for n in group},
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    districts = selectors.districts()
    neighbourhoods = selectors.neighbourhoods()
    params = _params(request, districts, neighbourhoods)
    result = selectors.search_services(params, may_ask_pdok=geo.client_may_ask_pdok(request))
    cards = [presenters.card(s, result.distances) for s in result.page.object_list]
    picks = choices.compare_ids(request)
    on_page = {str(card.service.id) for card in cards}
    context = {
        "params": params,
        "result": result,
        "cards": cards,
        "entry_points": ENTRY_POINTS,
        "topic": BY_SLUG.get(params.topic),
        "chips": presenters.filter_chips(params, result.facets, districts, neighbourhoods),
        "districts": districts,
        "neighbourhoods": neighbourhoods,
        "distances": filters.DISTANCES_KM,
        "sorts": [
            ("relevantie", _("Best passend")),
            ("afstand", _("Dichtstbij")),
            ("naam", _("Naam (A-Z)")),
            ("kosten", _("Goedkoopst")),
            ("gecontroleerd", _("Laatst gecontroleerd")),
        ],
        "my_list": choices.list_ids(request),
        "compare_picks": picks,
        # Picked on another page of results: sent along when this page's form is used.
        "compare_elsewhere": [i for i in picks if i not in on_page],
    }
    if request.htmx and request.htmx.target == "kaart-results":  # type: ignore[attr-defined]
        return render(request, "directory/_results.html", context)
    return render(request, "directory/search.html", context)


@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """Completions while typing, as <option>s for the search box's datalist (htmx)."""
    prefix = " ".join(request.GET.get("q", "").split())[:50]
    words = prefix.split()
    options: list[str] = []
    if words and len(words[-1]) >= 2:
        head = " ".join(words[:-1])
        for word in get_backend().suggest(words[-1], limit=8):
            options.append(f"{head} {word}".strip())
    return render(request, "directory/_suggestions.html", {"options": options})


@require_GET
def service_detail(request: HttpRequest, key: str) -> HttpResponse:
    service = selectors.get_visible_service(key)
    if service is None:
        raise Http404
    if key != service.slug:
        return redirect("directory:service", key=service.slug, permanent=True)
    return render(
        request,
        "directory/service_detail.html",
        {
            "service": service,
            "card": presenters.card(service),
            "areas": list(service.service_areas.all()),
            "in_list": str(service.id) in choices.list_ids(request),
            "share_url": request.build_absolute_uri(),
        },
    )


def _keys_from(request: HttpRequest) -> list[str]:
    keys: list[str] = []
    for value in request.GET.getlist("ids"):
        keys.extend(part.strip() for part in value.split(",") if part.strip())
    return keys[:20]


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    """The services named in the address, or else the ones the resident picked (the bar's
    "Vergelijk (n)")."""
    keys = _keys_from(request)
    picked = not keys
    if picked:
        keys = choices.compare_ids(request)
    services = selectors.services_by_keys(keys, COMPARE_MAX)
    notice = ""
    if len(keys) > COMPARE_MAX:
        notice = _("U kunt vier diensten tegelijk vergelijken. Wij tonen de eerste vier.")
    elif len(services) < len(keys):
        notice = _("Niet alle gekozen diensten bestaan nog. Wij tonen de andere.")
    cards = [presenters.card(s) for s in services]
    rows = presenters.compare_rows(cards)
    return render(
        request,
        "directory/compare.html",
        {
            "services": services,
            "cards": cards,
            "rows": rows,
            "stacked": presenters.compare_cards(cards, rows),
            "notice": notice,
            "picked": picked,
        },
    )


@require_POST
def compare_pick(request: HttpRequest) -> HttpResponse:
    """Pick a service to compare, or drop it: picked when its slug is among the posted `ids`
    (the ticked "Vergelijk" boxes), dropped otherwise. With htmx the answer is the bar with
    its new count, and the box again when the pick was refused."""
    ids = choices.compare_ids(request)
    key = request.POST.get("service", "")
    found = selectors.services_by_keys([key], 1)
    message = ""
    service = found[0] if found else None
    if service is None:
        message = _("Deze dienst bestaat niet (meer).")
    else:
        service_id = str(service.id)
        posted = set(request.POST.getlist("ids"))
        if service.slug in posted or service_id in posted:
            if service_id not in ids and len(ids) >= COMPARE_MAX:
                message = _("U kunt vier diensten tegelijk vergelijken. Haal er eerst een weg.")
            elif service_id not in ids:
                ids.append(service_id)
        else:
            ids = [i for i in ids if i != service_id]
        choices.set_compare_ids(request, ids)
    if not request.htmx:  # type: ignore[attr-defined]
        if message:
            messages.error(request, message)
        return _back(request, reverse("directory:compare"))
    return render(
        request,
        "directory/_compare_picked.html",
        {
            "service": service,
            "compare_picks": ids,
            "refused": bool(message),
            "nav_message": message,
        },
    )


@require_POST
def compare_clear(request: HttpRequest) -> HttpResponse:
    choices.set_compare_ids(request, [])
    return redirect("directory:compare")


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


@require_GET
def my_list(request: HttpRequest) -> HttpResponse:
    services = selectors.services_by_keys(choices.list_ids(request), LIST_MAX)
    return render(
        request,
        "directory/my_list.html",
        {"cards": [presenters.card(s) for s in services]},
    )


@require_POST
def list_add(request: HttpRequest) -> HttpResponse:
    ids = choices.list_ids(request)
    key = request.POST.get("service", "")
    found = selectors.services_by_keys([key], 1)
    if not found:
        messages.error(request, _("Deze dienst bestaat niet (meer)."))
    elif len(ids) >= LIST_MAX:
        messages.error(request, _("Uw lijst is vol (30 diensten). Haal er eerst een af."))
    elif str(found[0].id) not in ids:
        ids.append(str(found[0].id))
        choices.set_list_ids(request, ids)
        messages.success(request, _("%(name)s staat op uw lijst.") % {"name": found[0].name})
    return _back(request, reverse("directory:my_list"))


@require_POST
def list_remove(request: HttpRequest) -> HttpResponse:
    key = request.POST.get("service", "")
    choices.set_list_ids(request, [i for i in choices.list_ids(request) if i != key])
    return _back(request, reverse("directory:my_list"))


@require_POST
def list_clear(request: HttpRequest) -> HttpResponse:
    choices.set_list_ids(request, [])
    return redirect("directory:my_list")


class ErrorReportForm(SpamProtectedForm):
    message = forms.CharField(
        label=gettext_lazy("Wat klopt er niet?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": gettext_lazy("Schrijf kort wat er niet klopt."),
            "max_length": gettext_lazy("Houd het kort: hoogstens 2000 tekens."),
        },
    )
    reporter_email = forms.EmailField(
        label=gettext_lazy("Uw e-mailadres (mag leeg)"),
        required=False,
        help_text=gettext_lazy("Alleen als wij u iets mogen terugvragen."),
        error_messages={
            "invalid": gettext_lazy("Dit is geen e-mailadres, zoals naam@voorbeeld.nl.")
        },
    )


@require_http_methods(["GET", "POST"])
def report_error(request: HttpRequest, key: str) -> HttpResponse:
    service = selectors.get_visible_service(key)
    if service is None:
        raise Http404
    form = ErrorReportForm(request.POST or None)
    if request.method == "POST":
        if not allow(request, "kaart-error-report", limit=10, window_seconds=3600):
            form.add_error(
                None, _("U hebt veel meldingen gestuurd. Probeer het over een uur opnieuw.")
            )
            return render(
                request,
                "directory/report_error.html",
                {"service": service, "form": form},
                status=429,
            )
        if form.is_valid():
            if not form.is_spam():
                # The service stores the report, writes its audit event and tells the provider.
                services.report_error(
                    service,
                    form.cleaned_data["message"],
                    form.cleaned_data["reporter_email"],
                    request=request,
                )
            return render(request, "directory/report_error_thanks.html", {"service": service})
    return render(request, "directory/report_error.html", {"service": service, "form": form})
