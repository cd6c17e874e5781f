"""Phone numbers: one rule for every form, import and page, through `phonenumbers`.

The rule: what people type is accepted (spaces, dashes, dots, slashes, brackets, +31, 0031,
"+31 (0)6"), as long as it holds nothing else and `phonenumbers` (libphonenumber's metadata,
region NL) knows it as a valid number. That covers Dutch mobile and landline numbers, 085 and
088 numbers, the 0800 and 0900 (0906, 0909) lines, and the municipal numbers "14" plus an area
code (14 020, 140 20, 14 0492): libphonenumber knows those as numbers of type UAN, only for area
codes that exist, so they need no rule of their own.

One exception: libphonenumber knows only the 06 ranges given out so far (06-1 to 06-5, 06-8),
while every earlier rule here took any 06 number of ten digits. That stays, so a mobile range
opened later works before the library knows it.

Emergency and other short numbers (112, 113, 1400) are no valid numbers and are refused, as
they were. A number of another country is accepted where the caller allows it
(`foreign=True`), written with + or 00 and its country code.

What is stored stays as the person typed it: the forms keep their input, and the blind index of
a case (`cases.services.person_lookup`) hashes `match_digits()`, which must stay the same
function of the stored text for every value already stored.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat

REGION = "NL"
COUNTRY_CODE = 31

# The service lines and phones of the kaart: Dutch numbers only.
DUTCH_MESSAGE = _(
    "Vul een Nederlands telefoonnummer in, zoals 040 123 45 67, 06 12 34 56 78, "
    "14 0492 of 0800 1234."
)
# A person's own number (the report form, a subject-rights request): abroad is possible too.
MESSAGE = _(
    "Dit telefoonnummer klopt niet. Gebruik alleen cijfers, "
    "bijvoorbeeld 06 12345678 of 0492 123456."
)

# Digits with the separators people type; a + only in front. `phonenumbers` itself would read
# letters as a keypad ("0800-FLOWERS") and drop trailing words, so anything else is refused here.
_TYPED = re.compile(r"^\+?[0-9\s\-./()]+$")
_NOT_DIGITS = re.compile(r"\D")
# A Dutch mobile number in any 06 range: 6 and eight digits after the trunk 0 or +31.
_ANY_MOBILE = re.compile(r"^6[0-9]{8}$")
# The last nine digits: a Dutch number without its trunk 0 or country code 31 / 0031, so
# "06 12345678", "+31 6 12345678" and "0031 (0)6 12345678" give the same digits.
MATCH_LENGTH = 9


def parse_phone(value: str, *, foreign: bool = False) -> PhoneNumber | None:
    """The number, when `value` is a valid phone number by the rule above; otherwise None."""
    text = (value or "").strip()
    if not _TYPED.match(text):
        return None
    try:
        number = phonenumbers.parse(text, REGION)
    except NumberParseException:
        return None
    if number.country_code != COUNTRY_CODE:
        return number if foreign and phonenumbers.is_valid_number(number) else None
    if phonenumbers.is_valid_number(number) or _ANY_MOBILE.match(str(number.national_number)):
        return number
    return None


def is_valid_phone(value: str, *, foreign: bool = False) -> bool:
    return parse_phone(value, foreign=foreign) is not None


def validate_phone(value: str, *, foreign: bool = False) -> str:
    """The number as typed (stripped), or a ValidationError with the message for the kind."""
    value = (value or "").strip()
    if value and parse_phone(value, foreign=foreign) is None:
        raise ValidationError(MESSAGE if foreign else DUTCH_MESSAGE, code="invalid_phone")
    return value


def validate_dutch_phone(value: str) -> None:
    """A form field validator: a Dutch number, no foreign ones."""
    validate_phone(value)


def format_phone(value: str) -> str:
    """The usual way of writing a valid number: "06 12345678", "14 0492", "+44 20 7946 0958".

    Dutch numbers in the national form, others in the international form; text that is no valid
    number comes back unchanged.
    """
    number = parse_phone(value, foreign=True)
    if number is None:
        return value
    if number.country_code == COUNTRY_CODE:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def tel_href(value: str) -> str:
    """A `tel:` link: "tel:0612345678", "tel:140492", "tel:+442079460958".

    Dutch numbers as dialled in the Netherlands (a 14 number cannot be dialled with +31), others
    with + and the country code; the "(0)" in "+31 (0)6 ..." is dropped. Text that is no valid
    number keeps its digits and +, as before, so the link dials what the page shows.
    """
    number = parse_phone(value, foreign=True)
    if number is None:
        return "tel:" + "".join(ch for ch in value or "" if ch.isdigit() or ch == "+")
    if number.country_code == COUNTRY_CODE:
        national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
        return "tel:" + _NOT_DIGITS.sub("", national)
    return "tel:" + phonenumbers.format_number(number, PhoneNumberFormat.E164)


def match_digits(value: str) -> str:
    """The digits two phone numbers are compared on (subject rights) and hashed on (person_lookup).

    Deliberately plain: the last nine digits of whatever text is stored, valid number or not,
    because blind-index values already stored were computed this way.
    """
    return _NOT_DIGITS.sub("", value or "")[-MATCH_LENGTH:]


def mask_phone(value: str) -> str:
    """Only the last three digits shown: "*******678"."""
    digits = _NOT_DIGITS.sub("", value or "")
    if not digits:
        return ""
    return "*" * max(len(digits) - 3, 3) + digits[-3:]
