"""`omzien rotate-encryption-keys`: re-encrypt every stored personal value with the newest key.

Step 2 of the key rotation in docs/deployment.md and docs/privacy.md: put a new key first in
OMZIEN_FIELD_ENCRYPTION_KEYS (keep the old ones after it), restart, run this, then remove the
old keys. Every `EncryptedTextField` of every installed model is found through the app registry.

Values are read and written with plain SQL: the ORM would decrypt on reading and encrypt again on
writing (`from_db_value` / `get_prep_value`), while rotation must work on the stored token itself.
Each value is written back only if it did not change since it was read (compare-and-set), so the
command can run while the application is in use. A value that the first key already reads is left
alone, which makes a second run (or a run after an interruption) cheap and harmless.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction

from cryptography.fernet import Fernet, InvalidToken

from omzien.audit.services import record_event
from omzien.core import crypto
from omzien.core.fields import EncryptedTextField


@dataclass
class TableCounts:
    label: str
    columns: list[str]
    rotated: int = 0
    current: int = 0
    changed_meanwhile: int = 0
    unreadable: list[str] = field(default_factory=list)  # "column:pk", never a value


def encrypted_models() -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Every concrete model with at least one encrypted column in its own table."""
    found: list[tuple[type[models.Model], list[EncryptedTextField]]] = []
    seen_tables: set[str] = set()
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen_tables:
            continue
        fields = [f for f in meta.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            seen_tables.add(meta.db_table)
            found.append((model, fields))
    return found


def _primary_fernet() -> Fernet:
    keys = list(settings.OMZIEN_FIELD_ENCRYPTION_KEYS)
    if not keys:
        raise CommandError("OMZIEN_FIELD_ENCRYPTION_KEYS holds no key.")
    return Fernet(keys[0].encode())


def rotate_model(
    model: type[models.Model], fields: list[EncryptedTextField], *, batch_size: int = 500
) -> TableCounts:
    meta = model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    assert meta.pk is not None and meta.pk.column  # every concrete model has one
    pk_column = quote(meta.pk.column)
    columns = [str(f.column) for f in fields]
    counts = TableCounts(label=meta.label, columns=columns)
    primary = _primary_fernet()
    select_columns = ", ".join(quote(c) for c in columns)
    last_pk: Any = None
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            where = "" if last_pk is None else f"WHERE {pk_column} > %s "
            params = [] if last_pk is None else [last_pk]
            cursor.execute(
                f"SELECT {pk_column}, {select_columns} FROM {table} "  # noqa: S608 - names quoted
                f"{where}ORDER BY {pk_column} LIMIT {int(batch_size)}",
                params,
            )
            rows = cursor.fetchall()
            for row in rows:
                pk, values = row[0], row[1:]
                for column, token in zip(columns, values, strict=True):
                    if not token:
                        continue
                    _rotate_value(cursor, counts, primary, table, pk_column, column, pk, token)
        if len(rows) < batch_size:
            return counts
        last_pk = rows[-1][0]


def _rotate_value(
    cursor: Any,
    counts: TableCounts,
    primary: Fernet,
    table: str,
    pk_column: str,
    column: str,
    pk: Any,
    token: str,
) -> None:
    try:
        primary.decrypt(token.encode("ascii"))
    except InvalidToken:
        pass
    else:
        counts.current += 1
        return
    try:
        new_token = crypto.rotate(token)
    except InvalidToken:
        counts.unreadable.append(f"{column}:{pk}")
        return
    quoted = connection.ops.quote_name(column)
    cursor.execute(
        f"UPDATE {table} SET {quoted} = %s "  # noqa: S608 - names quoted, values parameters
        f"WHERE {pk_column} = %s AND {quoted} = %s",
        [new_token, pk, token],
    )
    if cursor.rowcount == 1:
        counts.rotated += 1
    else:
        # Changed by the application in between: its new value was encrypted with the new key.
        counts.changed_meanwhile += 1


def rotate_all(*, batch_size: int = 500) -> list[TableCounts]:
    return [
        rotate_model(model, fields, batch_size=batch_size) for model, fields in encrypted_models()
    ]


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the first key of OMZIEN_FIELD_ENCRYPTION_KEYS. "
        "Idempotent; run it after putting a new key first, before removing the old key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        results = rotate_all(batch_size=batch_size)
        for counts in results:
            self.stdout.write(
                f"{counts.label} ({', '.join(counts.columns)}): {counts.rotated} re-encrypted, "
                f"{counts.current} already on the newest key, "
                f"{counts.changed_meanwhile} changed meanwhile, "
                f"{len(counts.unreadable)} unreadable"
            )
        record_event(
            "crypto.rotate_keys",
            details={
                c.label: {
                    "rotated": c.rotated,
                    "current": c.current,
                    "unreadable": len(c.unreadable),
                }
                for c in results
            },
        )
        unreadable = [f"{c.label}.{item}" for c in results for item in c.unreadable]
        if unreadable:
            raise CommandError(
                "These values cannot be decrypted with any configured key (column:id): "
                + ", ".join(unreadable[:50])
            )
        total = sum(c.rotated for c in results)
        self.stdout.write(self.style.SUCCESS(f"Done: {total} value(s) re-encrypted."))
