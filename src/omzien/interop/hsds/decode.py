"""One flat record -> model values: `to_model_values()` checks and converts each field.

A value that cannot be stored is an error and the record is skipped; where the fix is
unambiguous the value is repaired with a warning (quotes around a phone number, weekday codes
in lower case, impossible coordinates, an unsafe web address). The import decides what to do
with the problems (see `interop.hsds_import`).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.translation import gettext as _

from omzien.core.phones import is_valid_phone
from omzien.core.weblinks import is_web_url
from omzien.interop.hsds.encode import encode
from omzien.interop.hsds.entities import ENTITIES, Field, Kind, attname, model_field_for
from omzien.interop.hsds.flatten import FlatRecord
from omzien.interop.hsds.problems import Level, Problem

_WEEKDAY = re.compile(r"^([+-]?(?:[1-9]|[1-4][0-9]|5[0-3]))?(MO|TU|WE|TH|FR|SA|SU)$")
_INT_RANGES = {
    "PositiveSmallIntegerField": (0, 32767),
    "PositiveIntegerField": (0, 2147483647),
    "IntegerField": (-2147483648, 2147483647),
}
MAX_AGE = 120


def to_model_values(record: FlatRecord) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Check and convert one flat record; None when it must be skipped (see the problems)."""
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    entity = record.entity
    plan = _plan(entity)
    for name, raw in record.data.items():
        step = plan.get(name)
        if step is None or raw is None or raw == "":
            # Unknown fields (HSDS extensions, "taxonomy" text) are not stored; an empty value
            # is the same as no value.
            continue
        spec, target, plain_text, max_length = step
        # Most values are plain text or ids already in canonical form: take them as they are.
        if plain_text and raw.__class__ is str and (max_length is None or len(raw) <= max_length):
            values[target] = raw
            continue
        if spec.kind is Kind.LINK and raw.__class__ is str and _UUID_TEXT.match(raw):
            values[target] = raw
            continue
        try:
            values[target] = _convert(entity, spec, raw, problems)
        except _Invalid as exc:
            problems.append(Problem(Level.ERROR, name, str(exc)))
    _check_web_addresses(entity, values, problems)
    _check_record(entity, values, problems)
    if problems and any(p.level is Level.ERROR for p in problems):
        return None, problems
    return values, problems


_CHECKED_TEXT = frozenset({("phone", "number"), ("schedule", "byday"), ("schedule", "wkst")})


@cache
def _plan(entity: str) -> dict[str, tuple[Field, str, bool, int | None]]:
    plan = {}
    for spec in ENTITIES[entity].fields:
        plain = spec.kind is Kind.TEXT and (entity, spec.name) not in _CHECKED_TEXT
        max_length = (
            getattr(model_field_for(entity, spec.model_attr), "max_length", None) if plain else None
        )
        plan[spec.name] = (spec, attname(spec), plain, max_length)
    return plan


_UUID_TEXT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def canonical_id(value: Any) -> str | None:
    """An HSDS id as lower-case text with dashes (the form the schema's uuid format allows)."""
    if value.__class__ is str:
        if _UUID_TEXT.match(value):
            return str(value)  # nearly always: already canonical
        text = value.strip().lower()
        return text if _UUID_TEXT.match(text) else None
    if isinstance(value, uuid.UUID):
        return str(value)
    return None


class _Invalid(ValueError):
    pass


def _convert(entity: str, spec: Field, raw: Any, problems: list[Problem]) -> Any:  # noqa: C901
    kind = spec.kind
    if kind is Kind.LINK:
        # Ids stay text (lower case, with dashes): parsing a million UUIDs costs seconds.
        text = canonical_id(raw)
        if text is None:
            raise _Invalid(_("“%(value)s” is geen geldige id (UUID).") % {"value": raw})
        return text
    if kind is Kind.TEXT:
        text = str(raw)
        if entity == "phone" and spec.name == "number":
            text = _clean_phone_number(text, problems)
        if entity == "schedule" and spec.name in ("byday", "wkst"):
            text = _check_weekdays(spec.name, text, problems)
        max_length = getattr(model_field_for(entity, spec.model_attr), "max_length", None)
        if max_length and len(text) > max_length:
            raise _Invalid(
                _("Te lang: %(length)s tekens, hier mogen er %(max)s.")
                % {"length": len(text), "max": max_length}
            )
        return text
    if kind is Kind.NUMBER_TEXT:
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        return str(raw)
    if kind is Kind.INT:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise _Invalid(_("“%(value)s” is geen getal.") % {"value": raw})
        if isinstance(raw, float) and not raw.is_integer():
            raise _Invalid(_("%(value)s is geen heel getal.") % {"value": raw})
        number = int(raw)
        if entity == "service" and spec.name == "maximum_age" and number > MAX_AGE:
            problems.append(
                Problem(
                    Level.WARNING,
                    spec.name,
                    _("Maximumleeftijd %(age)s is hoger dan %(max)s; opgeslagen als: geen maximum.")
                    % {"age": number, "max": MAX_AGE},
                )
            )
            return None
        if entity == "service" and spec.name == "minimum_age" and number > MAX_AGE:
            raise _Invalid(
                _("Minimumleeftijd %(age)s is hoger dan %(max)s.") % {"age": number, "max": MAX_AGE}
            )
        low, high = _INT_RANGES.get(
            model_field_for(entity, spec.model_attr).get_internal_type(), (-(2**31), 2**31 - 1)
        )
        if not low <= number <= high:
            raise _Invalid(
                _("%(value)s ligt buiten %(low)s tot en met %(high)s.")
                % {"value": number, "low": low, "high": high}
            )
        return number
    if kind is Kind.DECIMAL:
        return _decimal(entity, spec, raw, problems)
    if kind is Kind.FLOAT:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise _Invalid(_("“%(value)s” is geen getal.") % {"value": raw})
        return float(raw)
    if kind is Kind.DATE:
        parsed_date = _parse(parse_date, raw)
        if parsed_date is None:
            raise _Invalid(_("“%(value)s” is geen geldige datum (JJJJ-MM-DD).") % {"value": raw})
        return parsed_date
    if kind is Kind.TIME:
        parsed_time = _parse(parse_time, raw)
        if parsed_time is None:
            raise _Invalid(_("“%(value)s” is geen geldige tijd (UU:MM:SS).") % {"value": raw})
        if parsed_time.tzinfo is not None:
            problems.append(
                Problem(
                    Level.WARNING,
                    spec.name,
                    _("De tijdzone bij “%(value)s” is weggelaten; alleen de tijd is bewaard.")
                    % {"value": raw},
                )
            )
            parsed_time = parsed_time.replace(tzinfo=None)
        return parsed_time
    if kind is Kind.DATETIME:
        parsed = _parse(parse_datetime, raw)
        if parsed is None:
            only_date = _parse(parse_date, raw)
            if only_date is None:
                raise _Invalid(
                    _("“%(value)s” is geen geldig tijdstip (ISO 8601).") % {"value": raw}
                )
            parsed = dt.datetime.combine(only_date, dt.time())
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        return parsed
    raise AssertionError(kind)  # pragma: no cover


def _parse(parser: Any, raw: Any) -> Any:
    if not isinstance(raw, str):
        return None
    try:
        return parser(raw.strip())
    except ValueError:
        return None


def _decimal(entity: str, spec: Field, raw: Any, problems: list[Problem]) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise _Invalid(_("“%(value)s” is geen getal.") % {"value": raw})
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        raise _Invalid(_("“%(value)s” is geen getal.") % {"value": raw}) from None
    if not number.is_finite():
        raise _Invalid(_("“%(value)s” is geen getal.") % {"value": raw})
    model_field = model_field_for(entity, spec.model_attr)
    assert isinstance(model_field, models.DecimalField)
    places = model_field.decimal_places or 0
    digits = model_field.max_digits or 10
    rounded = number.quantize(Decimal(1).scaleb(-places))
    if abs(rounded) >= Decimal(10) ** (digits - places):
        raise _Invalid(_("%(value)s is te groot.") % {"value": raw})
    if rounded != number:
        problems.append(
            Problem(
                Level.WARNING,
                spec.name,
                _("%(value)s is afgerond op %(rounded)s.") % {"value": raw, "rounded": rounded},
            )
        )
    return rounded


def _clean_phone_number(text: str, problems: list[Problem]) -> str:
    """Quotes inside a number (a CSV export quoted twice) are removed: the fix is unambiguous.

    A number that is not valid by the one rule of `core.phones` (Dutch, or with a country code)
    is imported as it is, with a warning: the source may know better, and nobody is refused.
    """
    cleaned = text
    if '"' in text or "'" in text:
        cleaned = text.replace('"', "").replace("'", "").strip()
        if not cleaned:
            raise _Invalid(_("Het telefoonnummer bestaat alleen uit aanhalingstekens."))
        problems.append(
            Problem(
                Level.WARNING,
                "number",
                _("Het telefoonnummer stond tussen aanhalingstekens: %(raw)s. Die zijn weggehaald.")
                % {"raw": text},
            )
        )
    if cleaned.strip() and not is_valid_phone(cleaned, foreign=True):
        problems.append(
            Problem(
                Level.WARNING,
                "number",
                _("%(number)s is geen geldig telefoonnummer. Het is toch overgenomen.")
                % {"number": cleaned},
            )
        )
    return cleaned


def _check_weekdays(name: str, text: str, problems: list[Problem]) -> str:
    """RFC 5545 weekday codes: MO..SU, in byday optionally with a position (1MO, -1FR)."""
    if not text:
        return text
    parts = [part.strip() for part in text.split(",")] if name == "byday" else [text.strip()]
    wrong = [
        part
        for part in parts
        if not (_WEEKDAY.match(part) if name == "byday" else part in _WEEKDAYS)
    ]
    if wrong:
        upper = [part.upper() for part in parts]
        still_wrong = [
            part
            for part in upper
            if not (_WEEKDAY.match(part) if name == "byday" else part in _WEEKDAYS)
        ]
        if still_wrong:
            raise _Invalid(
                _(
                    "“%(value)s” is geen geldige weekdag volgens RFC 5545. Gebruik MO, TU, WE, "
                    "TH, FR, SA of SU, in byday eventueel met een getal ervoor (1MO, -1FR)."
                )
                % {"value": ", ".join(still_wrong)}
            )
        problems.append(
            Problem(
                Level.WARNING,
                name,
                _("Weekdagen in hoofdletters gezet: %(value)s.") % {"value": text},
            )
        )
        return ",".join(upper)
    return text


_WEEKDAYS = frozenset({"MO", "TU", "WE", "TH", "FR", "SA", "SU"})


@cache
def _web_address_fields(entity: str) -> tuple[tuple[str, str, bool], ...]:
    """(HSDS name, model attribute, required) of the fields that hold a web address."""
    found = []
    for spec in ENTITIES[entity].fields:
        field = model_field_for(entity, spec.model_attr)
        if isinstance(field, models.URLField):
            found.append((spec.name, attname(spec), not field.blank))
    return tuple(found)


def _check_web_addresses(entity: str, values: dict[str, Any], problems: list[Problem]) -> None:
    """Only http(s) addresses: a javascript: or data: link would run in a visitor's browser.

    An unsafe address is left out and the rest of the record kept; a record that is nothing
    but the address (an additional website) is skipped.
    """
    for name, target, required in _web_address_fields(entity):
        value = values.get(target)
        if not value or is_web_url(value):
            continue
        shown = str(value)[:80]
        if required:
            problems.append(
                Problem(
                    Level.ERROR,
                    name,
                    _(
                        "“%(value)s” is geen webadres. Alleen adressen die beginnen met "
                        "http:// of https:// kunnen."
                    )
                    % {"value": shown},
                )
            )
            continue
        values.pop(target)
        problems.append(
            Problem(
                Level.WARNING,
                name,
                _(
                    "“%(value)s” is geen webadres en is weggelaten. Alleen adressen die "
                    "beginnen met http:// of https:// kunnen."
                )
                % {"value": shown},
            )
        )


def _check_record(entity: str, values: dict[str, Any], problems: list[Problem]) -> None:
    """Checks that look at more than one field."""
    if entity == "service":
        low, high = values.get("minimum_age"), values.get("maximum_age")
        if low is not None and high is not None and low > high:
            problems.append(
                Problem(
                    Level.ERROR,
                    "minimum_age",
                    _("De minimumleeftijd (%(low)s) is hoger dan de maximumleeftijd (%(high)s).")
                    % {"low": low, "high": high},
                )
            )
    elif entity == "service_capacity":
        available, maximum = values.get("available"), values.get("maximum")
        if available is not None and available < 0:
            problems.append(
                Problem(Level.ERROR, "available", _("Het aantal beschikbare plaatsen is negatief."))
            )
        if available is not None and maximum is not None and available > maximum:
            problems.append(
                Problem(
                    Level.ERROR,
                    "available",
                    _(
                        "Er zijn meer plaatsen beschikbaar (%(available)s) dan het maximum "
                        "(%(maximum)s)."
                    )
                    % {
                        "available": encode(available, Kind.DECIMAL),
                        "maximum": encode(maximum, Kind.DECIMAL),
                    },
                )
            )
    elif entity == "location":
        latitude, longitude = values.get("latitude"), values.get("longitude")
        wrong = []
        if latitude is not None and not -90 <= latitude <= 90:
            wrong.append(_("breedtegraad %(value)s valt buiten -90 tot 90") % {"value": latitude})
        if longitude is not None and not -180 <= longitude <= 180:
            wrong.append(_("lengtegraad %(value)s valt buiten -180 tot 180") % {"value": longitude})
        if wrong:
            values["latitude"] = values["longitude"] = None
            problems.append(
                Problem(
                    Level.WARNING,
                    "latitude",
                    _("De coördinaten kloppen niet (%(what)s). Ze zijn weggelaten.")
                    % {"what": "; ".join(wrong)},
                )
            )
    elif entity == "schedule":
        opens, closes = values.get("valid_from"), values.get("valid_to")
        if opens is not None and closes is not None and opens > closes:
            problems.append(
                Problem(
                    Level.ERROR,
                    "valid_from",
                    _("valid_from (%(start)s) ligt na valid_to (%(end)s).")
                    % {"start": opens, "end": closes},
                )
            )
