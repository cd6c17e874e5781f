"""Model fields for personal data, encrypted at rest."""

from __future__ import annotations

from typing import Any

from django.db import models

from omzien.core import crypto


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; the database never sees the plain value.

    It cannot be searched or sorted in SQL; keep such needs on separate, non-personal fields.
    An empty value is stored as an empty string, so absence is visible without decrypting.
    """

    description = "Text encrypted with the field encryption keys"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)
