"""Development and demo: SQLite in var/, mail to the console, demo data allowed.

Every value here can still be overridden from the environment.
"""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
# Development-only secrets: public on purpose, refused by the production settings.
os.environ.setdefault("SECRET_KEY", "dev-only-insecure-omzien-secret-key-change-me")
os.environ.setdefault(
    "OMZIEN_FIELD_ENCRYPTION_KEYS", "ZGV2LW9ubHktb216aWVuLWZpZWxkLWtleS0zMmJ5dGU="
)
# The demo may run without a second factor; every page then shows a banner saying so.
os.environ.setdefault("OMZIEN_MFA_REQUIRED", "false")
os.environ.setdefault("OMZIEN_ALLOW_DEMO_DATA", "true")
os.environ.setdefault("OMZIEN_LOG_FORMAT", "plain")
# Links in e-mails (shown on the console) point at runserver.
os.environ.setdefault("OMZIEN_BASE_URL", "http://127.0.0.1:8000")

from omzien.conf.base import *  # noqa: E402,F403

# runserver serves static files from the app folders; nothing needs collecting in development.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
