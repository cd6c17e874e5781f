"""Settings for the test suite: fast hashing, tasks run immediately, mail kept in memory.

DATABASE_URL chooses the database, so the same suite runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import os

os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECRET_KEY", "test-only-omzien-secret-key")
os.environ.setdefault(
    "OMZIEN_FIELD_ENCRYPTION_KEYS", "dGVzdC1vbmx5LW9temllbi1maWVsZC1rZXktMzJiISE="
)
os.environ.setdefault("OMZIEN_MFA_REQUIRED", "false")
os.environ.setdefault("OMZIEN_ALLOW_DEMO_DATA", "true")
os.environ.setdefault("OMZIEN_LOG_FORMAT", "plain")
os.environ.setdefault("OMZIEN_LOG_LEVEL", "WARNING")
os.environ.setdefault("OMZIEN_FORM_MIN_SECONDS", "0")
# The test client's host, so links in e-mails can be followed in tests.
os.environ.setdefault("OMZIEN_BASE_URL", "http://testserver")
# Test data changes between tests without reindexing: build the facet catalogue every time.
os.environ.setdefault("OMZIEN_CATALOGUE_MAX_AGE", "0")
# Tests start from an empty kaart; the national services are loaded where a test wants them.
os.environ.setdefault("OMZIEN_LOAD_NATIONAL_SERVICES", "false")

from omzien.conf.base import *  # noqa: E402,F403
from omzien.conf.env import env_cache_url  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    # CACHE_URL runs the suite against a shared Redis as in production with several servers;
    # tests/conftest.py empties that Redis database around every test.
    "default": env_cache_url("CACHE_URL")
    or {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "postcodes": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "postcodes",
    },
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None  # type: ignore[assignment]  # static files come from the finders; nothing is collected in tests
