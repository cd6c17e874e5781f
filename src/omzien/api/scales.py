"""Loneliness scales and their scoring as a public API: no key, nothing stored.

`GET /scales` lists the scales, `GET /scales/{scale}` describes items, answers and scoring rules
with their sources, `POST /scales/{scale}/score` scores one filled-in scale. The rules themselves
live in `omzien.measurement.scales`; this router only reads the request and shapes the answer.
Answers are not stored and not logged.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

from ninja import Path, Router, Schema

from omzien.api.errors import ApiError, Message, json_response, read_json
from omzien.measurement import scales

router = Router(tags=["Eenzaamheidsschalen (loneliness scales)"])

SCALE_CODES = ", ".join(scales.SCALES)
ScaleCode = Annotated[
    str, Path(description=f"De schaal (the scale): {SCALE_CODES}.", examples=["djg11"])
]


class TextOut(Schema):
    nl: str
    en: str


class ScaleSummaryOut(Schema):
    code: str
    name: TextOut
    item_count: int
    total_range: list[int] | None


class ScoreOut(Schema):
    total: int | None
    emotional: int | None
    social: int | None
    category: str | None
    complete: bool
    reason: TextOut | None


class ErrorOut(Schema):
    status: int
    error: str
    nl: str
    en: str
    parameters: list[str] | None = None
    positions: list[int] | None = None


_ANSWER_SCHEMA = {
    "anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}],
    "description": "Eén antwoord per vraag, in de volgorde van de schaal; null = geen antwoord.",
}
SCORE_BODY: dict[str, Any] = {
    "required": True,
    "description": (
        'De antwoorden, in de volgorde van de vragen: {"answers": [...]}. De Jong Gierveld: '
        '"ja", "min of meer", "nee" (5-puntsvorm ook "ja!" en "nee!"); djg6 in de volgorde van '
        "vragen 3, 4, 7, 8, 9, 10 van de schaal met 11 vragen. ucla3: de getallen 1-3. direct: "
        '"niet eenzaam", "matig eenzaam", "sterk eenzaam" of "zeer sterk eenzaam". '
        "null = geen antwoord."
    ),
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["answers"],
                "properties": {"answers": {"type": "array", "items": _ANSWER_SCHEMA}},
            },
            "examples": {
                "djg11": {
                    "value": {
                        "answers": [
                            "ja",
                            "nee",
                            "min of meer",
                            "ja",
                            "nee",
                            "nee",
                            "ja",
                            "ja",
                            "nee",
                            "nee",
                            None,
                        ]
                    }
                },
                "djg6": {"value": {"answers": ["ja!", "nee", "ja", "ja", "nee!", "nee"]}},
                "ucla3": {"value": {"answers": [1, 2, 3]}},
                "direct": {"value": {"answers": ["matig eenzaam"]}},
            },
        }
    },
}


class AnswersError(ApiError):
    """422 with the positions (from 1) of the answers that do not fit."""

    def __init__(self, problems: list[scales.AnswerProblem]) -> None:
        super().__init__(
            422,
            "invalid_answers",
            [Message(p.text.nl, p.text.en) for p in problems],
            ["answers"],
        )
        self.positions = [p.position for p in problems if p.position is not None]

    def response(self) -> HttpResponse:
        body: dict[str, Any] = {
            "status": self.status,
            "error": self.code,
            "nl": " ".join(m.nl for m in self.messages),
            "en": " ".join(m.en for m in self.messages),
            "parameters": self.parameters,
            "positions": self.positions,
        }
        return json_response(body, status=self.status)


def _scale(code: str) -> scales.Scale:
    scale = scales.get_scale(code)
    if scale is None:
        shown = code[:40]
        raise ApiError(
            404,
            "not_found",
            [
                Message(
                    f"De schaal “{shown}” bestaat niet. Kies uit {SCALE_CODES}.",
                    f"The scale “{shown}” does not exist. Choose from {SCALE_CODES}.",
                )
            ],
            ["scale"],
        )
    return scale


def _answers(request: HttpRequest) -> object:
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ApiError(
            413,
            "too_large",
            [Message("De vraag is te groot.", "The request is too large.")],
        ) from None
    data = read_json(
        raw or b"null",
        Message(
            'De inhoud is geen geldige JSON. Stuur {"answers": [...]}.',
            'The body is not valid JSON. Send {"answers": [...]}.',
        ),
    )
    if not isinstance(data, dict) or "answers" not in data:
        raise AnswersError(
            [
                scales.AnswerProblem(
                    None,
                    scales.Text(
                        'Stuur de antwoorden als {"answers": [...]}.',
                        'Send the answers as {"answers": [...]}.',
                    ),
                )
            ]
        )
    return data["answers"]


def _result(result: scales.ScaleResult) -> dict[str, Any]:
    return {
        "total": result.total,
        "emotional": result.emotional,
        "social": result.social,
        "category": result.category,
        "complete": result.complete,
        "reason": None
        if result.reason is None
        else {"nl": result.reason.nl, "en": result.reason.en},
    }


@router.get(
    "",
    summary="Eenzaamheidsschalen die we kunnen scoren (loneliness scales)",
    response={200: list[ScaleSummaryOut]},
)
def list_scales(request: HttpRequest) -> HttpResponse:
    return json_response([scales.summary(s) for s in scales.SCALES.values()])


@router.get(
    "/{scale}",
    summary="Eén schaal: vragen, antwoorden, scoreregels en bronnen",
    response={200: dict[str, Any], 404: ErrorOut},
)
def get_scale(request: HttpRequest, scale: ScaleCode) -> HttpResponse:
    return json_response(scales.describe(_scale(scale)))


@router.post(
    "/{scale}/score",
    summary="Scoor een ingevulde schaal (score a filled-in scale); niets wordt bewaard",
    response={200: ScoreOut, 400: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ErrorOut},
    openapi_extra={"requestBody": SCORE_BODY},
)
def score_scale(request: HttpRequest, scale: ScaleCode) -> HttpResponse:
    found = _scale(scale)
    answers = _answers(request)
    try:
        result = scales.score(found, answers)
    except scales.InvalidAnswers as exc:
        raise AnswersError(exc.problems) from None
    return json_response(_result(result))
