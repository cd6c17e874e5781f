"""System checks that fail loudly on a deployment mistake."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from omzien.core import crypto


@register()
def check_encryption_keys(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    try:
        crypto.fernet()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="omzien.E001")]
    return []


@register(Tags.security, deploy=True)
def check_trusted_proxies(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """TLS from a proxy but no proxy trusted: every client would have the proxy's address, so
    all residents share one rate limit and a few failed logins pause everyone's login."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and (
        settings.OMZIEN_TRUSTED_PROXY_COUNT <= 0
    ):
        return [
            Warning(
                "HTTPS comes from a proxy (OMZIEN_PROXY_SSL_HEADER), but "
                "OMZIEN_TRUSTED_PROXY_COUNT is 0: every visitor gets the proxy's address, so "
                "they share one rate limit and one login lock-out.",
                hint="Set OMZIEN_TRUSTED_PROXY_COUNT to the number of proxies in front of "
                "Omzien that add to X-Forwarded-For (usually 1). See docs/deployment.md.",
                id="omzien.W001",
            )
        ]
    return []
