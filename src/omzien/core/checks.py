"""System checks that fail loudly on a deployment mistake."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from omzien.core import crypto


@register()
def check_encryption_keys(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    try:
        crypto.fernet()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="omzien.E001")]
    return []
