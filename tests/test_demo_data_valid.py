"""Generated data passes the checks typed data passes: every e-mail address, web address and
phone number of the demo (and of a large generated sample) is valid by Django's validators and
the one phone rule (`core.phones`), so the HSDS API never serves an invalid one."""

from __future__ import annotations

from io import StringIO

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.validators import EmailValidator, URLValidator
from django.db import models

import pytest

from omzien.core.phones import validate_phone
from omzien.directory.generator import demo_email, domain_label, generate
from omzien.directory.models import Phone

pytestmark = pytest.mark.django_db

check_email = EmailValidator()
check_url = URLValidator()


def invalid_values() -> list[str]:
    """Every e-mail and URL field of the directory, and every phone, that fails its check."""
    wrong = []
    for model in apps.get_app_config("directory").get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.EmailField | models.URLField):
                continue
            check = check_email if isinstance(field, models.EmailField) else check_url
            values = model.objects.exclude(**{field.name: ""}).values_list(field.name, flat=True)
            for value in values.distinct():
                try:
                    check(value)
                except ValidationError:
                    wrong.append(f"{model.__name__}.{field.name}: {value}")
    for number in Phone.objects.values_list("number", flat=True).distinct():
        try:
            validate_phone(number)
        except ValidationError:
            wrong.append(f"Phone.number: {number}")
    return wrong


def test_a_name_cut_at_a_hyphen_still_gives_a_valid_address() -> None:
    # Cut at 40 characters this name ended in "-": "...-helmond-.demo.omzien.nl".
    name = "Seniorenvereniging Samen Verder Helmond-Noord 3"
    assert domain_label(name) == "seniorenvereniging-samen-verder-helmond"
    check_email(demo_email(name))
    for awkward in ("---", "Café ’t Hoekje", "a" * 80, "Ünïcode_met_liggende streepjes"):
        label = domain_label(awkward)
        assert label and len(label) <= 40 and not label.startswith("-") and not label.endswith("-")
        check_email(demo_email(awkward))


def test_a_large_generated_sample_is_valid() -> None:
    # More than 400 services: organisation names then carry a number, the case that broke.
    generate(1200, seed=11)
    assert invalid_values() == []


def test_the_demo_data_is_valid() -> None:
    call_command("demo_data", stdout=StringIO())
    assert Phone.objects.exists()
    assert invalid_values() == []
