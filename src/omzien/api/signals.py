"""The digital signalling network: partners send a signal of loneliness to the meldpunt.

`POST /api/v1/signals` needs a partner key (`Authorization: Bearer omz_…`, made with
`omzien partner-key`); `GET /api/v1/signals/indicators` is the public list of codes.

The request body is read and checked here rather than by ninja, so every error names the field
in Dutch and English (docs/api.md); its schema is put in the OpenAPI document by hand. The work
itself is done by `omzien.cases.partners`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from ninja import Router, Schema, Status
from ninja.security import HttpBearer
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from omzien.accounts.models import Organisation
from omzien.api.errors import ApiError, Message, read_json
from omzien.areas.importers import normalise_postcode
from omzien.cases import partners
from omzien.cases.indicators import INDICATOR_CODES, INDICATORS
from omzien.cases.models import PartnerKey
from omzien.cases.services import reporter_status

router = Router(tags=["Signaleringsnetwerk"])

MAX_DESCRIPTION = 5000
MAX_INDICATORS = 50


# --- errors ----------------------------------------------------------------------------------


class Unauthorised(ApiError):
    """401 with the `WWW-Authenticate` header HTTP asks for."""

    def __init__(self, message: Message) -> None:
        super().__init__(401, "unauthorized", [message])

    def response(self) -> HttpResponse:
        response = super().response()
        response["WWW-Authenticate"] = 'Bearer realm="omzien"'
        return response


class RateLimited(ApiError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            429,
            "rate_limited",
            [
                Message(
                    "Deze sleutel heeft dit uur te veel meldingen gestuurd. Probeer het later "
                    "opnieuw.",
                    "This key sent too many requests this hour. Please try again later.",
                )
            ],
        )
        self.retry_after = retry_after

    def response(self) -> HttpResponse:
        response = super().response()
        response["Retry-After"] = str(self.retry_after)
        return response


KEY_MESSAGES = {
    partners.KeyProblem.MISSING: Message(
        "Er is geen sleutel meegestuurd. Stuur de header 'Authorization: Bearer <sleutel>'.",
        "No key was sent. Send the header 'Authorization: Bearer <key>'.",
    ),
    partners.KeyProblem.MALFORMED: Message(
        "Deze sleutel klopt niet. Een sleutel begint met 'omz_'.",
        "This key is not valid. A key starts with 'omz_'.",
    ),
    partners.KeyProblem.UNKNOWN: Message(
        "Deze sleutel kennen we niet.",
        "This key is not known.",
    ),
    partners.KeyProblem.REVOKED: Message(
        "Deze sleutel is ingetrokken. Vraag een nieuwe sleutel aan.",
        "This key has been revoked. Ask for a new key.",
    ),
    partners.KeyProblem.INACTIVE: Message(
        "Uw organisatie mag geen meldingen meer sturen.",
        "Your organisation may no longer send signals.",
    ),
}
WRONG_SCHEME = Message(
    "Gebruik 'Authorization: Bearer <sleutel>'. Andere soorten inloggen werken hier niet.",
    "Use 'Authorization: Bearer <key>'. Other authorization schemes do not work here.",
)


def field_error(errors: list[tuple[str, Message]]) -> ApiError:
    parameters: list[str] = []
    for name, _message in errors:
        if name not in parameters:
            parameters.append(name)
    return ApiError(422, "invalid_field", [m for _n, m in errors], parameters)


# --- authentication --------------------------------------------------------------------------


class PartnerBearer(HttpBearer):
    """`Authorization: Bearer omz_<prefix>_<secret>`; every refusal is a 401 in our format."""

    openapi_bearerFormat = "omz_<prefix>_<geheim>"
    openapi_description = (
        "Sleutel van een partner in het signaleringsnetwerk. Het meldpunt maakt die met "
        '`omzien partner-key "<organisatie>"`; de sleutel is maar één keer te zien.'
    )

    def __call__(self, request: HttpRequest) -> PartnerKey:
        header = request.headers.get(self.header, "").strip()
        if not header:
            raise Unauthorised(KEY_MESSAGES[partners.KeyProblem.MISSING])
        scheme, _space, token = header.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            raise Unauthorised(WRONG_SCHEME)
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> PartnerKey:
        try:
            return partners.authenticate(token)
        except partners.KeyRejected as exc:
            raise Unauthorised(KEY_MESSAGES[exc.problem]) from None


# --- request and answer ----------------------------------------------------------------------


class PersonIn(BaseModel):
    """De persoon om wie het gaat: minstens telefoon, e-mail of adres met postcode."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, title="PersonIn")

    name: str | None = Field(None, max_length=200, description="Naam van de persoon.")
    phone: str | None = Field(None, max_length=30, description="Telefoonnummer.")
    email: str | None = Field(None, max_length=254, description="E-mailadres.")
    address: str | None = Field(
        None,
        max_length=200,
        description="Straat en huisnummer (bv. Markt 1). Alleen samen met postcode.",
    )
    postcode: str | None = Field(
        None, max_length=10, description="Nederlandse postcode (bv. 5701 AB)."
    )


class SignalIn(BaseModel):
    """Een melding van een partner in het signaleringsnetwerk."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, title="SignalIn")

    description: str = Field(
        ...,
        min_length=1,
        max_length=MAX_DESCRIPTION,
        description=f"Wat is opgevallen (verplicht, hoogstens {MAX_DESCRIPTION} tekens). "
        "Zet hier geen medische gegevens in.",
    )
    person: PersonIn = Field(..., description="De persoon om wie het gaat.")
    indicators: list[str] | None = Field(
        None,
        max_length=MAX_INDICATORS,
        description="Codes van signalen uit GET /api/v1/signals/indicators.",
    )
    source_reference: str | None = Field(
        None,
        max_length=100,
        description="Uw eigen kenmerk. Hetzelfde kenmerk nog eens sturen maakt geen tweede "
        "melding: u krijgt dezelfde id en ontvangstcode terug (status 200).",
    )


class SignalAccepted(Schema):
    id: int = Field(..., description="Nummer van de casus bij het meldpunt.")
    receipt: str = Field(..., description="Ontvangstcode van de melding, bv. ABCD-EFGH-JK.")
    status: str = Field(
        ...,
        description="Status zoals de melder die ziet: received (ontvangen), picked_up "
        "(opgepakt) of completed (afgehandeld).",
    )


class IndicatorOut(Schema):
    code: str = Field(..., description="Vaste code, om mee te sturen in indicators.")
    label: str = Field(..., description="Omschrijving in het Nederlands.")
    kind: str = Field(
        ...,
        description="observed: wat iemand ziet; partner: wat de systemen van een partner "
        "laten zien (bv. huur niet betaald).",
    )


class ApiErrorOut(Schema):
    status: int = Field(..., description="De HTTP-status.")
    error: str = Field(..., description="Soort fout, bv. invalid_field of unauthorized.")
    nl: str = Field(..., description="Uitleg in het Nederlands.")
    en: str = Field(..., description="Explanation in English.")
    parameters: list[str] | None = Field(None, description="De velden die niet kloppen.")


def _inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with nested models written out (no $defs to resolve)."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                resolved = resolve(definitions[ref.removeprefix("#/$defs/")])
                extra = {k: resolve(v) for k, v in node.items() if k != "$ref"}
                return {**resolved, **extra}
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    result: dict[str, Any] = resolve(schema)
    return result


EXAMPLE = {
    "description": "Huur al drie maanden niet betaald, reageert niet op brieven.",
    "person": {"name": "J. Jansen", "address": "Markt 1", "postcode": "5701 AB"},
    "indicators": ["rent_unpaid"],
    "source_reference": "WC-2025-0042",
}


# --- checking the body -----------------------------------------------------------------------


def _pydantic_message(name: str, error: dict[str, Any]) -> Message:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "missing":
        return Message(f"{name} ontbreekt.", f"{name} is missing.")
    if kind == "string_too_short":
        return Message(f"{name} is leeg.", f"{name} is empty.")
    if kind == "string_too_long":
        limit = context.get("max_length", "")
        return Message(
            f"{name} is te lang: hoogstens {limit} tekens.",
            f"{name} is too long: at most {limit} characters.",
        )
    if kind == "too_long":
        limit = context.get("max_length", "")
        return Message(
            f"{name} heeft te veel onderdelen: hoogstens {limit}.",
            f"{name} has too many items: at most {limit}.",
        )
    if kind == "extra_forbidden":
        return Message(
            f"Het veld {name} kennen we niet.",
            f"The field {name} is not known.",
        )
    if kind == "string_type":
        return Message(f"{name} moet tekst zijn.", f"{name} must be a string.")
    if kind == "list_type":
        return Message(f"{name} moet een lijst van codes zijn.", f"{name} must be a list of codes.")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return Message(f"{name} moet een object zijn.", f"{name} must be an object.")
    return Message(f"De waarde van {name} klopt niet.", f"The value of {name} is not valid.")


def _parse(request: HttpRequest) -> SignalIn:
    data = read_json(request.body)
    if not isinstance(data, dict):
        raise ApiError(
            400,
            "invalid_json",
            [
                Message(
                    "Stuur één JSON-object met description en person.",
                    "Send one JSON object with description and person.",
                )
            ],
            ["body"],
        )
    try:
        payload = SignalIn.model_validate(data)
    except PydanticValidationError as exc:
        errors = []
        for error in exc.errors():
            name = ".".join(str(part) for part in error.get("loc", ())) or "body"
            errors.append((name, _pydantic_message(name, dict(error))))
        raise field_error(errors) from None
    _check(payload)
    return payload


def _check(payload: SignalIn) -> None:
    """What the types cannot say: a way to reach the person, known codes, a real postcode."""
    person = payload.person
    errors: list[tuple[str, Message]] = []
    if person.email:
        try:
            validate_email(person.email)
        except DjangoValidationError:
            errors.append(
                (
                    "person.email",
                    Message(
                        "person.email is geen geldig e-mailadres.",
                        "person.email is not a valid e-mail address.",
                    ),
                )
            )
    if person.postcode and normalise_postcode(person.postcode) is None:
        errors.append(
            (
                "person.postcode",
                Message(
                    "person.postcode is geen Nederlandse postcode, zoals 5701 AB.",
                    "person.postcode is not a Dutch postcode, such as 5701 AB.",
                ),
            )
        )
    if not (person.phone or person.email):
        if person.address and not person.postcode:
            errors.append(
                (
                    "person.postcode",
                    Message(
                        "person.postcode ontbreekt. Een adres werkt alleen met postcode.",
                        "person.postcode is missing. An address needs a postcode.",
                    ),
                )
            )
        elif person.postcode and not person.address:
            errors.append(
                (
                    "person.address",
                    Message(
                        "person.address ontbreekt. Een postcode werkt alleen met adres.",
                        "person.address is missing. A postcode needs an address.",
                    ),
                )
            )
        elif not person.address:
            errors.append(
                (
                    "person",
                    Message(
                        "Geef een manier om de persoon te bereiken: person.phone, person.email "
                        "of person.address met person.postcode.",
                        "Give a way to reach the person: person.phone, person.email or "
                        "person.address with person.postcode.",
                    ),
                )
            )
    unknown = sorted(set(payload.indicators or ()) - INDICATOR_CODES)
    if unknown:
        codes = ", ".join(unknown)
        errors.append(
            (
                "indicators",
                Message(
                    f"indicators bevat onbekende codes: {codes}. "
                    "Zie GET /api/v1/signals/indicators.",
                    f"indicators holds unknown codes: {codes}. See GET /api/v1/signals/indicators.",
                ),
            )
        )
    if errors:
        raise field_error(errors)


# --- routes ----------------------------------------------------------------------------------


@router.post(
    "",
    auth=PartnerBearer(),
    response={
        200: SignalAccepted,
        201: SignalAccepted,
        frozenset({400, 401, 422, 429, 503}): ApiErrorOut,
    },
    summary="Een melding sturen (partners in het signaleringsnetwerk)",
    description=(
        "Stuur een signaal van eenzaamheid naar het meldpunt. Nodig: een sleutel "
        "(`Authorization: Bearer <sleutel>`). Antwoord 201 met id, ontvangstcode en status. "
        "Stuurt u hetzelfde `source_reference` nog eens, dan maken we geen tweede melding en "
        "krijgt u 200 met dezelfde id en ontvangstcode. Fouten: 400 (geen geldige JSON), "
        "401 (sleutel), 422 (een veld klopt niet; `parameters` noemt het veld), 429 (te veel "
        "meldingen dit uur; zie Retry-After)."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "De melding, als JSON.",
            "content": {
                "application/json": {"schema": _inline_schema(SignalIn), "example": EXAMPLE}
            },
        }
    },
)
def create_signal(request: HttpRequest) -> Status[dict[str, Any]]:
    partner_key: PartnerKey = request.auth  # type: ignore[attr-defined]
    if not partners.allow_request(partner_key):
        raise RateLimited(partners.seconds_until_reset())
    payload = _parse(request)
    person = payload.person
    data = partners.PartnerSignal(
        description=payload.description,
        person_name=person.name or "",
        person_phone=person.phone or "",
        person_email=person.email or "",
        person_address=person.address or "",
        person_postcode=person.postcode or "",
        indicators=list(payload.indicators or ()),
        source_reference=payload.source_reference or "",
    )
    try:
        signal, created = partners.submit_signal(partner_key, data)
    except DjangoValidationError as exc:
        raise field_error(
            [("body", Message(" ".join(str(m) for m in exc.messages), "The signal is not valid."))]
        ) from None
    except Organisation.DoesNotExist:
        raise ApiError(
            503,
            "not_configured",
            [
                Message(
                    "Het meldpunt is nog niet ingesteld. Probeer het later opnieuw.",
                    "The meldpunt has not been set up yet. Please try again later.",
                )
            ],
        ) from None
    body = {
        "id": signal.case_id,
        "receipt": signal.receipt,
        "status": reporter_status(signal.case),
    }
    return Status(201 if created else 200, body)


@router.get(
    "/indicators",
    response=list[IndicatorOut],
    summary="De codes van signalen",
    description=(
        "Alle codes die u in `indicators` kunt meesturen, met een Nederlandse omschrijving. "
        "Openbaar, zonder sleutel. De codes blijven gelijk; omschrijvingen kunnen veranderen."
    ),
)
def list_indicators(request: HttpRequest) -> list[dict[str, str]]:
    with translation.override("nl"):
        return [
            {"code": indicator.code, "label": str(indicator.label), "kind": indicator.kind}
            for indicator in INDICATORS
        ]
