"""Public pages of the meldpunt: the report form, its thank-you page and the status page.

No account is needed. The pages never show anything about the person a report is about: the
reporter gets a receipt code and, with it, only received / picked up / completed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from omzien.cases import services
from omzien.cases.forms_public import PublicReportForm
from omzien.cases.models import Signal
from omzien.core.ratelimit import allow

logger = logging.getLogger(__name__)

REPORT_TEMPLATE = "cases/public/report.html"
STATUS_TEMPLATE = "cases/public/status.html"
# Lookups of receipt codes per client address and hour: enough for a person, too few to guess.
STATUS_RATE_LIMIT = 30
RATE_WINDOW_SECONDS = 3600


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def _render_report(
    request: HttpRequest,
    form: PublicReportForm,
    *,
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    context = {
        "form": form,
        "problem": problem,
        "first_contact_days": settings.OMZIEN_NORM_FIRST_CONTACT_WORKING_DAYS,
    }
    return render(request, REPORT_TEMPLATE, context, status=status)


# Never kept by the browser or a proxy: the answers hold what was typed about a person, and a
# form from the back-forward cache would be sent with a token that was already used.
@never_cache
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render_report(request, PublicReportForm())

    # Every POST counts against the flood limit; only stored reports count against the limit
    # of reports (below), so typing mistakes on a shared connection lock nobody out.
    try:
        allowed = allow(
            request, "report-flood", settings.OMZIEN_REPORT_FLOOD_LIMIT, RATE_WINDOW_SECONDS
        )
    except Exception:  # noqa: BLE001 - the limiter's store (the database) may be down
        logger.exception("The rate limit of the public report could not be checked")
        return _storage_trouble(request, PublicReportForm.keeping(request.POST))
    if not allowed:
        return _too_many_reports(request)

    form = PublicReportForm(request.POST)
    if not form.is_valid():
        if form.token_expired:
            form.refresh_token()
        form.refresh_stamp()
        return _render_report(request, form)
    if form.is_spam():
        # A bot (or a form left open for more than a day): say so plainly and keep the input,
        # so a person only has to press the button again.
        form.refresh_stamp()
        form.add_error(
            None,
            _(
                "Uw melding is niet verstuurd. Kijk uw gegevens na en druk nog een keer op "
                "'Melding versturen'."
            ),
        )
        return _render_report(request, form, status=400)

    submission_key = form.submission_key
    signal: Signal | None
    try:
        # The audit event and the count of stored reports are committed with the signal: all
        # three are stored, or none. The count is taken only for a new signal (a replay of the
        # same form stores nothing and is not counted again); its upsert locks the client's
        # counter until the commit, so reports sent at the same moment cannot slip past it.
        with transaction.atomic():
            signal, created = services.submit_report(form.to_report(), request=request)
            if created and not allow(
                request, "report", settings.OMZIEN_REPORT_RATE_LIMIT, RATE_WINDOW_SECONDS
            ):
                raise _TooManyReportsError
    except _TooManyReportsError:
        return _too_many_reports(request)
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _render_report(request, form)
    except Exception:  # noqa: BLE001 - never a 500 for a report; first see whether it was stored
        # (work queued after the commit, such as the e-mail to the coordinators, can fail after
        # the signal was stored; then the reporter still gets the receipt)
        logger.exception("The public report could not be completed")
        signal = _stored_signal(submission_key)
        if signal is None:
            return _storage_trouble(request, form)
    return HttpResponseSeeOther(reverse("cases:report_thanks", args=[signal.receipt]))


class _TooManyReportsError(Exception):
    """Over the limit of stored reports: undo the signal that was about to be stored."""


def _too_many_reports(request: HttpRequest) -> HttpResponse:
    """429: nothing was stored; the input stays in the form and the phone number is shown."""
    return _render_report(
        request,
        PublicReportForm.keeping(request.POST),
        status=429,
        problem=_(
            "U hebt in korte tijd veel meldingen verstuurd. Deze melding is daarom nog niet "
            "verstuurd. Wat u hebt ingevuld, staat hieronder nog. Probeer het over een uur "
            "opnieuw, of bel ons: %(phone)s."
        )
        % {"phone": settings.OMZIEN_PHONE_NUMBER},
    )


def _storage_trouble(request: HttpRequest, form: PublicReportForm) -> HttpResponse:
    """503: nothing was stored; the input stays in the form and the phone number is shown."""
    return _render_report(
        request,
        form,
        status=503,
        problem=_(
            "Het versturen is niet gelukt door een storing bij ons. Uw melding is nog "
            "niet ontvangen. Wat u hebt ingevuld, staat hieronder nog. Probeer het zo "
            "nog een keer, of bel ons: %(phone)s."
        )
        % {"phone": settings.OMZIEN_PHONE_NUMBER},
    )


def _stored_signal(submission_key: str) -> Signal | None:
    try:
        return Signal.objects.filter(submission_key=submission_key).first()
    except Exception:  # noqa: BLE001 - the database itself may be the trouble
        logger.exception("Could not check whether the public report was stored")
        return None


def _status_unavailable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """With the database down, the receipt and status pages say so and give the phone number."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DatabaseError:
            logger.exception("The status of a report could not be read")
            return render(
                request,
                STATUS_TEMPLATE,
                {
                    "code": "",
                    "problem": _(
                        "Door een storing bij ons kunnen we de status nu niet laten zien. "
                        "Probeer het later nog een keer, of bel ons: %(phone)s."
                    )
                    % {"phone": settings.OMZIEN_PHONE_NUMBER},
                },
                status=503,
            )

    return wrapped


def _limited_status_page(request: HttpRequest, code: str) -> HttpResponse:
    return render(
        request,
        STATUS_TEMPLATE,
        {
            "code": code,
            "problem": _(
                "U hebt veel codes opgezocht. Probeer het over een uur opnieuw, of bel ons: "
                "%(phone)s."
            )
            % {"phone": settings.OMZIEN_PHONE_NUMBER},
        },
        status=429,
    )


@never_cache
@require_GET
@_status_unavailable
def thanks(request: HttpRequest, receipt: str) -> HttpResponse:
    """The receipt and what happens next; nothing about the person."""
    code = services.normalise_receipt(receipt)
    if not allow(request, "status", STATUS_RATE_LIMIT, RATE_WINDOW_SECONDS):
        return _limited_status_page(request, code)
    signal = services.signal_for_receipt(code) if code else None
    if signal is None:
        return render(request, STATUS_TEMPLATE, {"code": receipt[:20], "unknown": True}, status=404)
    return render(
        request,
        "cases/public/thanks.html",
        {
            "receipt": signal.receipt,
            "first_contact_days": settings.OMZIEN_NORM_FIRST_CONTACT_WORKING_DAYS,
        },
    )


@require_GET
@_status_unavailable
def status(request: HttpRequest) -> HttpResponse:
    """Received, picked up or completed; never any detail about the person or the case."""
    raw = request.GET.get("code", "").strip()[:40]
    if not raw:
        return render(request, STATUS_TEMPLATE, {"code": ""})
    if not allow(request, "status", STATUS_RATE_LIMIT, RATE_WINDOW_SECONDS):
        return _limited_status_page(request, raw)
    signal = services.signal_for_receipt(raw)
    if signal is None:
        return render(request, STATUS_TEMPLATE, {"code": raw, "unknown": True}, status=404)
    return render(
        request,
        STATUS_TEMPLATE,
        {
            "code": signal.receipt,
            "state": services.reporter_status(signal.case),
            "received_on": signal.received_at,
            "first_contact_days": settings.OMZIEN_NORM_FIRST_CONTACT_WORKING_DAYS,
        },
    )
