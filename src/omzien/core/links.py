"""Absolute links for places without a request: e-mails, PDF reports, QR codes.

All of them come from the one setting OMZIEN_BASE_URL (required in production), never from a
request's Host header or a guess from ALLOWED_HOSTS: a link that leaves the site must point at the
real public address.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def absolute_url(path: str) -> str:
    """`path` (as `reverse` gives it, starting with "/") on the site's public address."""
    base: str = settings.OMZIEN_BASE_URL
    if not base:
        raise ImproperlyConfigured(
            "OMZIEN_BASE_URL must be set: links in e-mails need the site's public address."
        )
    if not path.startswith("/"):
        raise ValueError(f"Expected a path starting with '/', not {path!r}.")
    return base.rstrip("/") + path
