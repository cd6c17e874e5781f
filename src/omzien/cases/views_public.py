"""Public pages of the meldpunt: the report form and the reporter's status page (in progress)."""

from django.http import Http404, HttpRequest, HttpResponse


def report(request: HttpRequest) -> HttpResponse:
    raise Http404


def thanks(request: HttpRequest, receipt: str) -> HttpResponse:
    raise Http404


def status(request: HttpRequest) -> HttpResponse:
    raise Http404
