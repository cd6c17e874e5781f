"""Request id: one id per request, in the logs and in every audit event the request writes.

And the refusal of NUL characters in any input, before a view can pass them to the database.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string

from omzien.core.logging import client_ip_var, request_id_var
from omzien.core.net import client_ip

_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        ip_token = client_ip_var.set(client_ip(request) or "")
        try:
            response = self.get_response(request)
        finally:
            client_ip_var.reset(ip_token)
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


# A JSON escape for NUL that is not itself escaped: an even number of backslashes before it.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
API_PREFIX = "/api/"


class RejectNulMiddleware:
    """Refuses a NUL character (0x00) in the path, query string, form fields or body: 400.

    PostgreSQL cannot store or compare text holding NUL, so such input gave a 500 wherever it
    reached a query. It is refused here, once, before any view: a plain page for the site, the
    API's JSON error (same shape as `omzien.api.errors`) under /api/.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = self._nul_in(request)
        if where is not None:
            return self._refuse(request, where)
        return self.get_response(request)

    def _nul_in(self, request: HttpRequest) -> str | None:
        """Where the first NUL is (a parameter or field name, `path` or `body`); None if none."""
        if "\x00" in request.path:
            return "path"
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return key.replace("\x00", "") or "query"
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        if request.content_type in _FORM_TYPES:
            for key, values in request.POST.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return key.replace("\x00", "") or "form"
        # The API reads JSON from the body whatever the content type says.
        if request.content_type == "multipart/form-data" or (
            request.content_type in _FORM_TYPES and not request.path.startswith(API_PREFIX)
        ):
            return None
        try:
            raw = request.body
        except RequestDataTooBig:
            return None  # the view refuses it with its own answer
        if b"\x00" in raw or (b"\\u0000" in raw and _JSON_NUL.search(raw)):
            return "body"
        return None

    def _refuse(self, request: HttpRequest, where: str) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            return JsonResponse(
                {
                    "status": 400,
                    "error": "invalid_character",
                    "nl": "Er staat een teken in dat niet mag: NUL (0x00, \\u0000). "
                    "Haal het weg en stuur het opnieuw.",
                    "en": "The request holds a character that is not allowed: NUL "
                    "(0x00, \\u0000). Remove it and send it again.",
                    "parameters": [where],
                },
                status=400,
                json_dumps_params={"ensure_ascii": False},
            )
        # A fixed page without context: nothing of the input is echoed back.
        return HttpResponseBadRequest(render_to_string("core/bad_character.html"))
