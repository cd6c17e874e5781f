"""Encryption of personal fields at rest.

Keys come from OMZIEN_FIELD_ENCRYPTION_KEYS, a comma-separated list of Fernet keys: the first
encrypts new data, every key decrypts, so a key can be rotated in without downtime and old data
re-encrypted with `omzien rotate-encryption-keys` before the old key is removed.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


def _keys() -> tuple[str, ...]:
    return tuple(settings.OMZIEN_FIELD_ENCRYPTION_KEYS)


@cache
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("OMZIEN_FIELD_ENCRYPTION_KEYS holds no key.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "OMZIEN_FIELD_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes)."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet_for(_keys())


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A stored value cannot be decrypted with any key in OMZIEN_FIELD_ENCRYPTION_KEYS."
        ) from exc


def rotate(token: str) -> str:
    """Re-encrypt a stored value with the first (newest) key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")
