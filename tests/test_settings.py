from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import pytest
from cryptography.fernet import Fernet

from omzien.conf.env import env_bool, env_cache_url, env_int, env_list, env_str

OMZIEN = Path(sys.executable).parent / "omzien"


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OMZIEN_", "DJANGO_", "DATABASE_", "EMAIL_"))
        and key not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="omzien.conf.production",
        SECRET_KEY="x7$kq!" + Fernet.generate_key().decode() + "-production-secret",
        ALLOWED_HOSTS="omzien.example.nl",
        DATABASE_URL="postgres://omzien@db.invalid:5432/omzien",
        OMZIEN_FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        OMZIEN_BASE_URL="https://omzien.example.nl",
    )
    env.update(overrides)
    return env


def run_omzien(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [str(OMZIEN), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_production_settings_pass_check_deploy_with_only_the_five_required_variables() -> None:
    result = run_omzien("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "missing",
    [
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "OMZIEN_FIELD_ENCRYPTION_KEYS",
        "OMZIEN_BASE_URL",
    ],
)
def test_production_refuses_to_start_without_a_required_variable(missing: str) -> None:
    env = production_env()
    del env[missing]
    result = run_omzien("check", env=env)
    assert result.returncode != 0
    assert f"Production needs the environment variable {missing}" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("OMZIEN_FIELD_ENCRYPTION_KEYS", "ZGV2LW9ubHktb216aWVuLWZpZWxkLWtleS0zMmJ5dGU=", "its own"),
        ("SECRET_KEY", "dev-only-insecure-omzien-secret-key-change-me", "its own SECRET_KEY"),
        ("DEBUG", "true", "DEBUG must not be on"),
        ("OMZIEN_FIELD_ENCRYPTION_KEYS", "not-a-key", "must be Fernet keys"),
    ],
)
def test_production_refuses_unsafe_values(name: str, value: str, message: str) -> None:
    result = run_omzien("check", env=production_env(**{name: value}))
    assert result.returncode != 0
    assert message in result.stderr + result.stdout


def test_production_refuses_demo_data() -> None:
    result = run_omzien("demo-data", env=production_env())
    assert result.returncode != 0
    assert "never in production" in result.stderr


def test_env_readers_reject_values_they_cannot_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_BOOL", "misschien")
    monkeypatch.setenv("X_INT", "tien")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL must be true or false"):
        env_bool("X_BOOL", False)
    with pytest.raises(ImproperlyConfigured, match="X_INT must be a whole number"):
        env_int("X_INT", 1)
    with pytest.raises(ImproperlyConfigured, match="X_MISSING must be set"):
        env_str("X_MISSING")


def test_env_readers_read_good_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_BOOL", "Yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env_bool("X_BOOL", False) is True
    assert env_int("X_INT", 1) == 42
    assert env_list("X_LIST") == ["a", "b", "c"]
    assert env_list("X_ABSENT", ["d"]) == ["d"]


def test_without_a_cache_url_the_default_cache_stays_the_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("X_CACHE", raising=False)
    assert env_cache_url("X_CACHE") is None
    monkeypatch.setenv("X_CACHE", " ")
    assert env_cache_url("X_CACHE") is None


def test_a_redis_cache_url_becomes_django_s_redis_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_CACHE", "redis://:secret@cache.internal:6379/1")
    assert env_cache_url("X_CACHE") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://:secret@cache.internal:6379/1",
    }


@pytest.mark.parametrize(
    "value",
    [
        "memcached://127.0.0.1:11211",
        "127.0.0.1:6379",
        "redis://",
        "redis://127.0.0.1:6379/een",
        "redis://127.0.0.1:zes/1",
    ],
)
def test_a_cache_url_that_is_not_redis_fails_loudly(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("X_CACHE", value)
    with pytest.raises(ImproperlyConfigured, match="X_CACHE"):
        env_cache_url("X_CACHE")


def test_production_with_a_cache_url_uses_redis_for_the_default_cache() -> None:
    result = run_omzien(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        env=production_env(CACHE_URL="redis://127.0.0.1:6379/1"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "django.core.cache.backends.redis.RedisCache"
    result = run_omzien("check", env=production_env(CACHE_URL="memcached://127.0.0.1:11211"))
    assert result.returncode != 0
    assert "CACHE_URL must be a Redis address" in result.stderr
