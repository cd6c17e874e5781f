"""Settings shared by every environment, read from the environment where they differ.

dev.py, test.py and production.py set their own defaults and import this module.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

import dj_database_url
import dj_email_url

from omzien.conf.env import (
    env_base_url,
    env_bool,
    env_cache_url,
    env_int,
    env_list,
    env_str,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The checkout (src/omzien/conf/base.py -> checkout); var/ holds the SQLite file in development.
PROJECT_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("OMZIEN_VAR_DIR", str(PROJECT_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "omzien.core",
    "omzien.accounts",
    "omzien.areas",
    "omzien.audit",
    "omzien.directory",
    "omzien.search",
    "omzien.interop",
    "omzien.cases",
    "omzien.measurement",
    "omzien.insight",
    "omzien.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "omzien.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "omzien.core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "omzien.accounts.middleware.RequireMfaMiddleware",
]

ROOT_URLCONF = "omzien.urls"
WSGI_APPLICATION = "omzien.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "omzien.core.context_processors.site",
            ],
        },
    }
]

# The embedded default is SQLite; production sets DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'omzien.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,  # a kept connection is checked before reuse (e.g. after a restart)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; busy timeout waits instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # Small shared state that must not be dropped to make room: allauth's login lock-outs and
    # used TOTP codes (allauth always uses the default cache), the catalogue generation, the
    # synonym list. Expired entries are deleted; live ones never (see omzien.core.cache).
    # With CACHE_URL (redis://host:6379/1) it is a Redis server that every web server shares, so
    # a lock-out made through one holds on the others; Redis must not evict (docs/deployment.md).
    "default": env_cache_url("CACHE_URL")
    or {
        "BACKEND": "omzien.core.cache.KeepingDatabaseCache",
        "LOCATION": "omzien_cache",
    },
    # Postcode look-ups (PDOK answers, its outages): many entries, each cheap to lose.
    "postcodes": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "omzien_postcode_cache",
        "OPTIONS": {"MAX_ENTRIES": env_int("OMZIEN_POSTCODE_CACHE_MAX_ENTRIES", 5000)},
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"

# django-allauth: log in by e-mail address; accounts are made by administrators, not by sign-up.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "omzien.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PREVENT_ENUMERATION = True
# Staff sessions end when the browser closes; no "remember me" on shared computers.
ACCOUNT_SESSION_REMEMBER = False
# Brute-force lock-out: after 5 failed attempts for one address, login for it pauses 15 minutes.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("OMZIEN_LOGIN_FAILED_LIMIT", "20/m/ip,5/15m/key"),
    "login": "30/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Re-authentication (before setting up a device, or changing e-mail addresses) holds this long.
ACCOUNT_REAUTHENTICATION_TIMEOUT = env_int("OMZIEN_REAUTHENTICATION_SECONDS", 300)
# New staff get a one-time link to set a password and a second factor; it works this long.
OMZIEN_INVITATION_HOURS = env_int("OMZIEN_INVITATION_HOURS", 72)
MFA_TOTP_ISSUER = env_str("OMZIEN_MFA_ISSUER", "Omzien")
# Roles that can see residents' personal data must have a second factor (see accounts.roles).
OMZIEN_MFA_REQUIRED = env_bool("OMZIEN_MFA_REQUIRED", True)

# Database sessions that do not turn a database outage into a 500 of their own.
SESSION_ENGINE = "omzien.core.sessions"
# Sessions end after inactivity: the expiry moves on with every request.
SESSION_COOKIE_AGE = env_int("OMZIEN_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("OMZIEN_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("OMZIEN_MEDIA_ROOT", str(VAR_DIR / "media")))

_email = dj_email_url.parse(env_str("EMAIL_URL", "console://"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Omzien <noreply@omzien.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: Django's tasks interface with the database backend; `omzien worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Content security policy: no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True

# Personal fields are encrypted with Fernet; the first key encrypts, all keys decrypt.
OMZIEN_FIELD_ENCRYPTION_KEYS = env_list("OMZIEN_FIELD_ENCRYPTION_KEYS")

# The municipality: name, logo, colours and the phone line for people who would rather call.
OMZIEN_MUNICIPALITY_NAME = env_str("OMZIEN_MUNICIPALITY_NAME", "Gemeente Helmond")
OMZIEN_MUNICIPALITY_CODE = env_str("OMZIEN_MUNICIPALITY_CODE", "GM0794")
OMZIEN_LOGO_URL = env_str("OMZIEN_LOGO_URL", "")
OMZIEN_PRIMARY_COLOR = env_str("OMZIEN_PRIMARY_COLOR", "#0b5394")
OMZIEN_PRIMARY_TEXT_COLOR = env_str("OMZIEN_PRIMARY_TEXT_COLOR", "#ffffff")
OMZIEN_PHONE_NUMBER = env_str("OMZIEN_PHONE_NUMBER", "14 0492")
OMZIEN_PHONE_HOURS = env_str("OMZIEN_PHONE_HOURS", "maandag tot en met vrijdag, 9.00 - 17.00 uur")
OMZIEN_PHONE_HOURS_EN = env_str("OMZIEN_PHONE_HOURS_EN", "Monday to Friday, 9.00 - 17.00")
# The public address of this installation, for links in e-mails (e.g. https://omzien.helmond.nl).
# Every e-mailed link is built from it (`omzien.core.links`); production requires an https one.
OMZIEN_BASE_URL = env_base_url("OMZIEN_BASE_URL", "")
# A service not verified for this many days is marked on its page and its provider reminded.
OMZIEN_STALE_AFTER_DAYS = env_int("OMZIEN_STALE_AFTER_DAYS", 183)
# The in-memory facet catalogue is rebuilt at the latest after this many seconds (0: always).
OMZIEN_CATALOGUE_MAX_AGE = env_int("OMZIEN_CATALOGUE_MAX_AGE", 300)
# `migrate` loads and updates the national services of the sociale kaart (De Luisterlijn, ...;
# `directory.national`). Off only in the test settings, whose tests start from an empty kaart.
OMZIEN_LOAD_NATIONAL_SERVICES = env_bool("OMZIEN_LOAD_NATIONAL_SERVICES", True)
# PDOK Locatieserver for postcode -> coordinates (sociale kaart distance); cached, with the
# CBS postcode table as the fallback.
OMZIEN_PDOK_LOCATIESERVER_URL = env_str(
    "OMZIEN_PDOK_LOCATIESERVER_URL", "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free"
)
# How long one look-up may wait for PDOK. After OMZIEN_PDOK_BREAKER_FAILURES failures within
# OMZIEN_PDOK_PAUSE_SECONDS, PDOK is not asked for that long (the postcode table answers at
# once); a failure of the first look-up after such a pause starts the next pause at once.
OMZIEN_PDOK_TIMEOUT_MS = env_int("OMZIEN_PDOK_TIMEOUT_MS", 1000)
OMZIEN_PDOK_BREAKER_FAILURES = env_int("OMZIEN_PDOK_BREAKER_FAILURES", 3)
OMZIEN_PDOK_PAUSE_SECONDS = env_int("OMZIEN_PDOK_PAUSE_SECONDS", 60)
# Postcodes not yet cached that one client may have looked up at PDOK per hour (search page
# and API); beyond that the postcode table answers.
OMZIEN_POSTCODE_LOOKUP_RATE_LIMIT = env_int("OMZIEN_POSTCODE_LOOKUP_RATE_LIMIT", 30)
# A public form sent faster than this after it was shown was not filled in by a person.
OMZIEN_FORM_MIN_SECONDS = env_int("OMZIEN_FORM_MIN_SECONDS", 2)
OMZIEN_ALLOW_DEMO_DATA = env_bool("OMZIEN_ALLOW_DEMO_DATA", False)
# Only trust X-Forwarded-For when a known number of proxies sits in front of the application.
# One setting for every use: the audit log, Omzien's rate limits and allauth's login limits
# (its adapter asks core.net.client_ip; allauth's own setting is kept equal for the rest).
OMZIEN_TRUSTED_PROXY_COUNT = env_int("OMZIEN_TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = OMZIEN_TRUSTED_PROXY_COUNT

# Meldpunt (docs/privacy.md, ADR 0006). The welfare organisation that receives public signals
# (by name; empty: the first welfare organisation).
OMZIEN_MELDPUNT_ORGANISATION = env_str("OMZIEN_MELDPUNT_ORGANISATION", "")
OMZIEN_NORM_FIRST_CONTACT_WORKING_DAYS = env_int("OMZIEN_NORM_FIRST_CONTACT_WORKING_DAYS", 5)
OMZIEN_NORM_CHECKUP_WEEKS = env_int("OMZIEN_NORM_CHECKUP_WEEKS", 6)
OMZIEN_REFERRAL_EXPIRY_DAYS = env_int("OMZIEN_REFERRAL_EXPIRY_DAYS", 14)
OMZIEN_RETENTION_NO_CONTACT_MONTHS = env_int("OMZIEN_RETENTION_NO_CONTACT_MONTHS", 3)
OMZIEN_RETENTION_CLOSED_MONTHS = env_int("OMZIEN_RETENTION_CLOSED_MONTHS", 12)
# Public holidays (ISO dates) that do not count as working days for the norms.
OMZIEN_HOLIDAYS = env_list("OMZIEN_HOLIDAYS", [])
# Public report form: at most this many stored reports per address per hour (a form sent back
# for a typing mistake does not count) ...
OMZIEN_REPORT_RATE_LIMIT = env_int("OMZIEN_REPORT_RATE_LIMIT", 10)
# ... and at most this many attempts of any kind, against floods.
OMZIEN_REPORT_FLOOD_LIMIT = env_int("OMZIEN_REPORT_FLOOD_LIMIT", 60)
OMZIEN_PARTNER_API_RATE_LIMIT = env_int("OMZIEN_PARTNER_API_RATE_LIMIT", 600)

# Loneliness scales: rules the sources leave open (docs/measurement.md, "What could not be
# verified"). Missing items allowed on the 11-item De Jong Gierveld scale; how many
# unfavourable answers make a subscale "lonely"; from which answer the direct question counts.
OMZIEN_DJG11_MAX_MISSING = env_int("OMZIEN_DJG11_MAX_MISSING", 1)
OMZIEN_DJG11_SUBSCALE_MIN_UNFAVOURABLE = env_int("OMZIEN_DJG11_SUBSCALE_MIN_UNFAVOURABLE", 3)
OMZIEN_DIRECT_LONELY_FROM = env_str("OMZIEN_DIRECT_LONELY_FROM", "matig_eenzaam")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "omzien.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "omzien.core.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": env_str("OMZIEN_LOG_FORMAT", "json"),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("OMZIEN_LOG_LEVEL", "INFO")},
    "loggers": {
        # One handler for Django's own messages too (its default adds a second in DEBUG).
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Django logs request paths with 4xx/5xx; query strings can carry codes, so keep WARNING.
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.db.backends": {"level": "INFO"},
    },
}
