"""Data migrations that turn plain-text columns into `EncryptedTextField` columns.

Used as `migrations.RunPython(*encrypt_columns("app.Model", ["field"]))` right after the
`AlterField` that makes the field encrypted. Values are read and written with plain SQL, like
`omzien rotate-encryption-keys`: the field itself would try to decrypt a plain value on reading.
A value that already decrypts is left alone, so a second run changes nothing; going back
decrypts every token again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from cryptography.fernet import InvalidToken

from omzien.core import crypto

Operation = Callable[[StateApps, BaseDatabaseSchemaEditor], None]


def _is_token(value: str) -> bool:
    try:
        crypto.fernet().decrypt(value.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


def _rewrite(
    apps: StateApps,
    schema_editor: BaseDatabaseSchemaEditor,
    model_label: str,
    fields: list[str],
    change: Callable[[str], str | None],
) -> None:
    model: Any = apps.get_model(model_label)
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    for name in fields:
        column = quote(model._meta.get_field(name).column)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk}, {column} FROM {table} WHERE {column} <> ''"  # noqa: S608 - quoted
            )
            rows = cursor.fetchall()
            for row_pk, value in rows:
                new_value = change(value)
                if new_value is not None:
                    cursor.execute(
                        f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608 - quoted
                        [new_value, row_pk],
                    )


def encrypt_columns(model_label: str, fields: list[str]) -> tuple[Operation, Operation]:
    """The forward (encrypt) and backward (decrypt) functions for `RunPython`."""

    def encrypt(value: str) -> str | None:
        return None if _is_token(value) else crypto.encrypt(value)

    def decrypt(value: str) -> str | None:
        return crypto.decrypt(value) if _is_token(value) else None

    def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _rewrite(apps, schema_editor, model_label, fields, encrypt)

    def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _rewrite(apps, schema_editor, model_label, fields, decrypt)

    return forwards, backwards
