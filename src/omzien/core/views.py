from __future__ import annotations

import logging
import re

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_safe

from omzien.core.home import home_tasks

logger = logging.getLogger(__name__)

_COLOUR = re.compile(r"^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"tasks": home_tasks()})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _colour(value: str, fallback: str) -> str:
    return value if _COLOUR.match(value) else fallback


@cache_control(max_age=300, public=True)
@require_GET
def theme_css(request: HttpRequest) -> HttpResponse:
    """The municipality's colours as CSS custom properties: no inline style, CSP stays strict."""
    primary = _colour(settings.OMZIEN_PRIMARY_COLOR, "#0b5394")
    on_primary = _colour(settings.OMZIEN_PRIMARY_TEXT_COLOR, "#ffffff")
    css = f":root {{\n  --omzien-primary: {primary};\n  --omzien-on-primary: {on_primary};\n}}\n"
    return HttpResponse(css, content_type="text/css; charset=utf-8")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"status": 404}, status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"status": 403}, status=403)


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """The site's icon lives beside the styles; this answers those who ask at the old address."""
    return HttpResponsePermanentRedirect(static("omzien/favicon.svg"))
