"""The one NinjaAPI of Omzien: the sociale kaart as Open Referral HSDS 3.1, under /api/v1/.

Reads are public and need no key; every answer carries `Access-Control-Allow-Origin: *` so
other sites and apps can use the data from the browser (as the Open Referral UK profile asks).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.docs import DocsBase

from omzien.api.directory import router as directory_router
from omzien.api.errors import ApiError, Message, not_found, validation_error_response

logger = logging.getLogger(__name__)


class ServerRenderedDocs(DocsBase):
    """The API documentation as a plain page: no JavaScript, so it works under our strict CSP."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        operations = []
        for path, methods in schema["paths"].items():
            for method, operation in methods.items():
                operations.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": operation.get("summary", ""),
                        "parameters": [
                            {
                                "name": p["name"],
                                "where": p["in"],
                                "type": _type_name(p.get("schema", {})),
                                "description": p.get("description", ""),
                            }
                            for p in operation.get("parameters", [])
                        ],
                    }
                )
        return render(
            request,
            "api/docs.html",
            {
                "api": api,
                "operations": operations,
                "openapi_url": self.get_openapi_url(api, kwargs),
            },
        )


def _type_name(schema: dict[str, Any]) -> str:
    options = schema.get("anyOf") or [schema]
    names = []
    for option in options:
        if option.get("type") == "null":
            continue
        name = option.get("format") or option.get("type") or ""
        if name:
            names.append(name)
    return ", ".join(names)


def allow_any_origin(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(run)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = run(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


api = NinjaAPI(
    title="Omzien API",
    version="1",
    description=(
        "De sociale kaart als Open Referral HSDS 3.1 (Human Services Data Specification): "
        "openbaar, alleen lezen, zonder sleutel. Lijsten komen in de HSDS-pagina: "
        "total_items, total_pages, page_number, size, first_page, last_page, empty, contents. "
        "Daarnaast: het scoren van eenzaamheidsvragenlijsten (/scales, openbaar) en het "
        "digitale signaleringsnetwerk (/signals: partners melden met een eigen sleutel)."
    ),
    urls_namespace="api",
    docs=ServerRenderedDocs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("", directory_router)
api.add_router("/signals", "omzien.api.signals.router")
api.add_router("/scales", "omzien.api.scales.router")
api.add_decorator(allow_any_origin, mode="view")


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return exc.response()


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return validation_error_response(request, exc.errors)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return not_found().response()


@api.exception_handler(DatabaseError)
def _database_unavailable(request: HttpRequest, exc: DatabaseError) -> HttpResponse:
    # The database is down or overloaded: say so in JSON, not with the site's HTML 500 page.
    logger.exception("API request failed in the database")
    response = ApiError(
        503,
        "unavailable",
        [
            Message(
                "Er is een storing bij ons. Probeer het over een paar minuten opnieuw.",
                "We have a temporary problem. Please try again in a few minutes.",
            )
        ],
    ).response()
    response["Retry-After"] = "60"
    return response
