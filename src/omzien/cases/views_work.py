"""Case work pages (in progress)."""

from django.http import Http404, HttpRequest, HttpResponse


def queue(request: HttpRequest) -> HttpResponse:
    raise Http404



def detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
