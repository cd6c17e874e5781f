"""Production: PostgreSQL, HTTPS only, secrets from the environment, a second factor required.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, OMZIEN_FIELD_ENCRYPTION_KEYS, OMZIEN_BASE_URL
(the https address links in e-mails point to).
Everything else has a safe default; see docs/deployment.md.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_REQUIRED = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "OMZIEN_FIELD_ENCRYPTION_KEYS",
    # Without it an e-mailed link has no host, and a provider without an account cannot open
    # the referral sent to them.
    "OMZIEN_BASE_URL",
)
for _name in _REQUIRED:
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"Production needs the environment variable {_name}.")

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("EMAIL_URL", "smtp://localhost:25")
os.environ.setdefault("OMZIEN_ALLOW_DEMO_DATA", "false")
os.environ.setdefault("OMZIEN_MFA_REQUIRED", "true")

from omzien.conf.base import *  # noqa: E402,F403
from omzien.conf.env import env_bool, env_int, env_str  # noqa: E402

if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("DEBUG must not be on in production.")
if SECRET_KEY.startswith(("dev-only", "test-only")):  # noqa: F405
    raise ImproperlyConfigured("Production needs its own SECRET_KEY.")
# The development and test keys are public: refuse them (base64 of "dev-only…"/"test-only…").
if any(k.startswith(("ZGV2LW9ubHkt", "dGVzdC1vbmx5LW")) for k in OMZIEN_FIELD_ENCRYPTION_KEYS):  # noqa: F405
    raise ImproperlyConfigured("Production needs its own OMZIEN_FIELD_ENCRYPTION_KEYS.")
if not OMZIEN_BASE_URL.startswith("https://"):  # noqa: F405
    raise ImproperlyConfigured(
        "OMZIEN_BASE_URL must be the https address of this installation in production, "
        "such as https://omzien.example.nl: links in e-mails carry secure tokens."
    )

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Behind a TLS-terminating proxy, set OMZIEN_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO.
_proxy_header = env_str("OMZIEN_PROXY_SSL_HEADER", "")
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = (_proxy_header, "https")
# No demo accounts or demo data ever in production.
OMZIEN_ALLOW_DEMO_DATA = False
