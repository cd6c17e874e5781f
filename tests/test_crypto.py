from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

import pytest
from cryptography.fernet import Fernet

from omzien.core import crypto
from omzien.core.checks import check_encryption_keys


def test_values_are_encrypted_and_decrypted() -> None:
    token = crypto.encrypt("Jan Jansen, Dorpsstraat 1")
    assert "Jansen" not in token
    assert crypto.decrypt(token) == "Jan Jansen, Dorpsstraat 1"


def test_a_new_key_first_in_the_list_encrypts_while_old_data_still_reads(settings) -> None:  # type: ignore[no-untyped-def]
    old_key = settings.OMZIEN_FIELD_ENCRYPTION_KEYS[0]
    old_token = crypto.encrypt("geheim")
    new_key = Fernet.generate_key().decode()
    settings.OMZIEN_FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert crypto.decrypt(old_token) == "geheim"
    rotated = crypto.rotate(old_token)
    settings.OMZIEN_FIELD_ENCRYPTION_KEYS = [new_key]
    assert crypto.decrypt(rotated) == "geheim"
    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt(old_token)


def test_a_bad_key_fails_the_system_check(settings) -> None:  # type: ignore[no-untyped-def]
    settings.OMZIEN_FIELD_ENCRYPTION_KEYS = ["geen-sleutel"]
    errors = check_encryption_keys(None)
    assert errors and errors[0].id == "omzien.E001"
    settings.OMZIEN_FIELD_ENCRYPTION_KEYS = []
    assert check_encryption_keys(None)[0].id == "omzien.E001"
