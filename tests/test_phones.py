"""The one rule for phone numbers (`omzien.core.phones`) and the places that use it."""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Template

import pytest

from omzien.cases import subject_rights
from omzien.cases.forms_public import _clean_phone
from omzien.cases.models import Case
from omzien.cases.services import person_lookup
from omzien.cases.views_privacy import SubjectSearchForm
from omzien.core.phones import (
    DUTCH_MESSAGE,
    MESSAGE,
    format_phone,
    is_valid_phone,
    mask_phone,
    match_digits,
    tel_href,
    validate_dutch_phone,
    validate_phone,
)
from omzien.directory.presenters import Card
from tests.factories import make_case

DUTCH = [
    # mobile, written in every way people do
    "0612345678",
    "06 12 34 56 78",
    "06-12345678",
    "06.12.34.56.78",
    "+31 6 12345678",
    "+31612345678",
    "0031 6 12345678",
    "+31 (0)6 12345678",
    "0031 (0)6-12345678",
    "06 98765432",  # a 06 range libphonenumber does not know yet
    # landline: big city, small town, with brackets and a slash
    "020 123 4567",
    "040 123 45 67",
    "0575 123456",
    "(0492) 123456",
    "0492/123456",
    "+31 20 123 4567",
    "085 123 4567",
    # the municipality: 14 and the area code, however it is split
    "14 020",
    "140 20",
    "14020",
    "14 0492",
    "14 0575",
    # free and paid service lines
    "0800-1234",
    "0800 0113",
    "0800 1234567",
    "0900 1234",
    "0900 123 4567",
    "0906 1234",
    "0909 1234567",
]

FOREIGN = ["+44 20 7946 0958", "0044 20 7946 0958", "+32 470 12 34 56", "+1 202 555 0143"]

NEVER = [
    "",
    "06",
    "06 1234567",  # a digit short
    "06 123456789",  # a digit too many
    "040 123",
    "0575 1234",
    "12345",
    "0123 456 789",  # no such area code
    "14 0101",  # no such area code behind 14
    "0800",
    "0800 123",
    "0800 12345678",
    "0900 123",
    "112",  # short numbers: call them, do not store them
    "113",
    "1400",
    "bel mij",
    "06 1234567a",
    "0800-FLOWERS",
    "0612345678 toestel 3",
    "tel: 0612345678",
    "06+12345678",
    "+44 12",  # foreign, too short
    "+999 1234567",  # no such country
]


@pytest.mark.parametrize("number", DUTCH)
def test_dutch_numbers_are_valid_everywhere(number: str) -> None:
    assert is_valid_phone(number)
    assert is_valid_phone(number, foreign=True)
    assert validate_phone(number) == number.strip()
    validate_dutch_phone(number)


@pytest.mark.parametrize("number", FOREIGN)
def test_foreign_numbers_are_valid_only_where_allowed(number: str) -> None:
    assert is_valid_phone(number, foreign=True)
    assert not is_valid_phone(number)
    with pytest.raises(ValidationError) as refused:
        validate_dutch_phone(number)
    assert refused.value.messages == [str(DUTCH_MESSAGE)]


@pytest.mark.parametrize("number", NEVER)
def test_what_is_no_phone_number_is_never_valid(number: str) -> None:
    assert not is_valid_phone(number)
    assert not is_valid_phone(number, foreign=True)


@pytest.mark.parametrize("number", [n for n in NEVER if n])
def test_a_refused_number_gets_the_message_of_its_kind(number: str) -> None:
    with pytest.raises(ValidationError) as dutch:
        validate_phone(number)
    assert dutch.value.messages == [str(DUTCH_MESSAGE)]
    with pytest.raises(ValidationError) as any_country:
        validate_phone(number, foreign=True)
    assert any_country.value.messages == [str(MESSAGE)]


def test_an_empty_field_is_left_to_the_form() -> None:
    assert validate_phone("  ") == ""
    assert validate_phone("", foreign=True) == ""


@pytest.mark.parametrize(
    "typed, formatted",
    [
        ("0612345678", "06 12345678"),
        ("0031 (0)6-12345678", "06 12345678"),
        ("+31 20 1234567", "020 123 4567"),
        ("(0492) 123456", "0492 123 456"),
        ("140 20", "14 020"),
        ("0800-1234", "0800 1234"),
        ("0044 20 7946 0958", "+44 20 7946 0958"),
        ("bel mij", "bel mij"),
    ],
)
def test_a_number_is_written_the_usual_way(typed: str, formatted: str) -> None:
    assert format_phone(typed) == formatted


@pytest.mark.parametrize(
    "shown, href",
    [
        ("06 12 34 56 78", "tel:0612345678"),
        ("+31 (0)6 12345678", "tel:0612345678"),
        ("0031 492 123456", "tel:0492123456"),
        ("14 0492", "tel:140492"),
        ("0800-0113", "tel:08000113"),
        ("+44 20 7946 0958", "tel:+442079460958"),
        ("0044 20 7946 0958", "tel:+442079460958"),
        # Not a valid number: its digits and + as before, so the link dials what is shown.
        ("14 0123", "tel:140123"),
        ("+31 12", "tel:+3112"),
    ],
)
def test_the_tel_link_dials_the_number(shown: str, href: str) -> None:
    assert tel_href(shown) == href
    assert Card(None, "", "", "", "", None, phone=shown).phone_href == href  # type: ignore[arg-type]
    template = Template("{% load phones %}{{ number|tel_href }}")
    assert template.render(Context({"number": shown})) == href


def test_the_site_phone_line_links_through_the_same_rule(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OMZIEN_PHONE_NUMBER = "+31 (0)492 123 456"
    assert 'href="tel:0492123456"' in client.get("/").content.decode()


def _old_digits(value: str) -> str:
    """How the digits were taken before core.phones, in person_lookup and subject rights."""
    return re.sub(r"\D", "", value or "")[-9:]


@pytest.mark.parametrize(
    "value",
    [*DUTCH, *FOREIGN, *NEVER, "06-1234 (na 17 uur)", "  ", "+31 6 1234 5678 9"],
)
def test_the_digits_for_matching_are_those_already_stored(value: str) -> None:
    assert match_digits(value) == _old_digits(value)


def _stored_lookup(digits: str) -> str:
    """The blind-index value stored for a phone before core.phones existed, computed by hand."""
    key = hashlib.sha256(("omzien.blind-index:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, f"phone|{digits}".encode(), hashlib.sha256).hexdigest()


@pytest.mark.parametrize(
    "typed", ["0612345678", "06-12 34 56 78", "+31 6 12345678", "0031 (0)6 12345678"]
)
def test_person_lookup_keeps_the_blind_index_values_already_stored(typed: str) -> None:
    assert person_lookup("", "", typed, "") == _stored_lookup("612345678")


@pytest.mark.django_db
def test_a_case_stored_before_is_found_by_its_number_written_otherwise(
    welfare_a,  # type: ignore[no-untyped-def]
    coordinator_a,
) -> None:
    case = make_case(welfare_a, person_phone="06-12345678", person_address="", person_postcode="")
    Case.objects.filter(pk=case.pk).update(person_lookup=_stored_lookup("612345678"))
    for typed in ("0612345678", "+31 6 12345678", "0031 (0)6 1234 5678"):
        criteria = subject_rights.SearchCriteria(phone=typed)
        assert subject_rights.lookups_for(criteria) == [_stored_lookup("612345678")]
        assert [c.pk for c in subject_rights.find_cases(coordinator_a, criteria)] == [case.pk]


@pytest.mark.parametrize(
    "value, masked",
    [("0612345678", "*******678"), ("14 0492", "***492"), ("112", "***112"), ("geen", "")],
)
def test_a_masked_number_shows_its_last_three_digits(value: str, masked: str) -> None:
    assert mask_phone(value) == masked


@pytest.mark.parametrize("number", ["06 12345678", "14 0492", "+44 20 7946 0958"])
def test_the_report_form_keeps_a_valid_number_as_typed(number: str) -> None:
    assert _clean_phone(f" {number} ") == number


@pytest.mark.parametrize("number", ["06 1234567", "1234567890", "112", "bel mij"])
def test_the_report_form_refuses_what_cannot_be_called(number: str) -> None:
    with pytest.raises(ValidationError) as refused:
        _clean_phone(number)
    assert "Dit telefoonnummer klopt niet" in refused.value.messages[0]


@pytest.mark.parametrize(
    "number, valid",
    [("06-12345678", True), ("+44 20 7946 0958", True), ("0612 345", False), ("bel 06", False)],
)
def test_the_subject_search_form_uses_the_same_rule(number: str, valid: bool) -> None:
    form = SubjectSearchForm(data={"phone": number})
    assert form.is_valid() is valid
    if not valid:
        assert form.errors["phone"] == [str(MESSAGE)]
