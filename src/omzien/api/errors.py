"""API errors as JSON with a message in Dutch and in English, never a bare 500.

Every error answers in both languages at once (keys `nl` and `en`), whatever the request's
language, so outside developers can rely on the English; the texts are therefore written here
as pairs and not translated through gettext.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse


@dataclass(frozen=True)
class Message:
    nl: str
    en: str


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        messages: Iterable[Message],
        parameters: Iterable[str] = (),
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.messages = list(messages)
        self.parameters = list(parameters)

    def response(self) -> HttpResponse:
        body: dict[str, Any] = {
            "status": self.status,
            "error": self.code,
            "nl": " ".join(m.nl for m in self.messages),
            "en": " ".join(m.en for m in self.messages),
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return json_response(body, status=self.status)


def json_response(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def invalid(parameter: str, nl: str, en: str) -> ApiError:
    return ApiError(400, "invalid_parameter", [Message(nl, en)], [parameter])


def not_found(what: str = "") -> ApiError:
    return ApiError(
        404, "not_found", [Message("Niet gevonden.", "Not found.")], [what] if what else []
    )


def parameter_message(parameter: str) -> Message:
    """What a parameter must look like, for ninja's own validation errors."""
    if parameter in ("page", "per_page"):
        return Message(
            f"{parameter} moet een heel getal van 1 of meer zijn.",
            f"{parameter} must be a whole number of 1 or more.",
        )
    if parameter in ("minimal", "full", "full_service", "top_only"):
        return Message(
            f"{parameter} moet true of false zijn.",
            f"{parameter} must be true or false.",
        )
    if parameter.endswith("id"):
        return Message(
            f"{parameter} moet een id (UUID) zijn, zoals 3fa85f64-5717-4562-b3fc-2c963f66afa6.",
            f"{parameter} must be an id (UUID), such as 3fa85f64-5717-4562-b3fc-2c963f66afa6.",
        )
    return Message(
        f"De waarde van {parameter} klopt niet.",
        f"The value of {parameter} is not valid.",
    )


def validation_error_response(request: HttpRequest, errors: list[dict[str, Any]]) -> HttpResponse:
    parameters: list[str] = []
    for error in errors:
        location = [
            str(part) for part in error.get("loc", ()) if str(part) not in ("query", "path")
        ]
        name = location[0] if location else "?"
        if name not in parameters:
            parameters.append(name)
    return ApiError(
        400, "invalid_parameter", [parameter_message(p) for p in parameters], parameters
    ).response()


NOT_JSON = Message("De inhoud is geen geldige JSON.", "The request body is not valid JSON.")


def read_json(raw: bytes, message: Message = NOT_JSON) -> Any:
    """The request body as JSON, or a 400 `invalid_json` naming the body.

    Besides malformed JSON this covers what Python's reader refuses with other exceptions:
    nesting too deep for it (RecursionError) and integers of thousands of digits (ValueError).
    """
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ApiError(400, "invalid_json", [message], ["body"]) from None
