"""Production settings refuse to start without their variables; embedded defaults need none."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.DATABASES['default']['ENGINE'], "
    "settings.CACHES['default']['BACKEND'], settings.DATABASES['default']['CONN_MAX_AGE'], "
    "settings.CIVIC_GRAPHQL_INTROSPECTION)"
)


def run_with(settings_module: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "REDIS_URL",
            "DB_CONN_MAX_AGE",
            "CIVIC_SINGLE_HOST",
            "GRAPHQL_INTROSPECTION",
        }
    }
    clean.update(env, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "Production settings need the environment variable SECRET_KEY."),
        (
            {"SECRET_KEY": "x" * 50},
            "Production settings need the environment variable ALLOWED_HOSTS.",
        ),
        (
            {"ALLOWED_HOSTS": "cms.example.org"},
            "Production settings need the environment variable SECRET_KEY.",
        ),
        (
            {"SECRET_KEY": "  ", "ALLOWED_HOSTS": "cms.example.org"},
            "Production settings need a non-empty SECRET_KEY.",
        ),
        (
            {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": " , "},
            "Production settings need at least one host in ALLOWED_HOSTS.",
        ),
        # A cache of this machine alone, without saying it is the only one.
        (
            {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "cms.example.org"},
            "Production settings need REDIS_URL (a cache every app server shares), or "
            "CIVIC_SINGLE_HOST=true when this machine is the only one serving the CMS.",
        ),
        (
            {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "cms.example.org", "CIVIC_SINGLE_HOST": "no"},
            "Production settings need REDIS_URL (a cache every app server shares), or "
            "CIVIC_SINGLE_HOST=true when this machine is the only one serving the CMS.",
        ),
    ],
)
def test_production_refuses_to_start_without_its_variables(env, message):
    result = run_with("cms.settings.production", **env)
    assert result.returncode != 0
    assert f"django.core.exceptions.ImproperlyConfigured: {message}" in result.stderr


def test_production_starts_with_its_variables():
    result = run_with(
        "cms.settings.production",
        SECRET_KEY="s" * 50,
        ALLOWED_HOSTS="cms.example.org, api.example.org",
        CIVIC_SINGLE_HOST="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "False ['cms.example.org', 'api.example.org'] django.db.backends.sqlite3 "
        "cms.cache.EmbeddedCache 60 False"
    )
    # Persistent connections: 60 s unless DB_CONN_MAX_AGE says otherwise.
    per_request = run_with(
        "cms.settings.production",
        SECRET_KEY="s" * 50,
        ALLOWED_HOSTS="cms.example.org",
        DB_CONN_MAX_AGE="0",
        CIVIC_SINGLE_HOST="1",
    )
    assert per_request.stdout.strip().endswith("cms.cache.EmbeddedCache 0 False"), (
        per_request.stderr
    )
    # Several machines share Redis: no single-host statement needed.
    shared = run_with(
        "cms.settings.production",
        SECRET_KEY="s" * 50,
        ALLOWED_HOSTS="cms.example.org",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert shared.returncode == 0, shared.stderr
    assert shared.stdout.strip() == (
        "False ['cms.example.org'] django.db.backends.sqlite3 "
        "django.core.cache.backends.redis.RedisCache 60 False"
    )
    # Schema discovery (and error messages' suggestions) only when asked for.
    open_schema = run_with(
        "cms.settings.production",
        SECRET_KEY="s" * 50,
        ALLOWED_HOSTS="cms.example.org",
        CIVIC_SINGLE_HOST="true",
        GRAPHQL_INTROSPECTION="true",
    )
    assert open_schema.stdout.strip() == (
        "False ['cms.example.org'] django.db.backends.sqlite3 cms.cache.EmbeddedCache 60 True"
    ), open_schema.stderr


def test_dev_needs_no_variable_and_urls_switch_backends():
    assert run_with("cms.settings.dev").stdout.strip() == (
        "True ['*'] django.db.backends.sqlite3 cms.cache.EmbeddedCache 0 True"
    )
    switched = run_with(
        "cms.settings.dev",
        DATABASE_URL="postgres://u@127.0.0.1:5432/civic",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert switched.stdout.strip() == (
        "True ['*'] django.db.backends.postgresql django.core.cache.backends.redis.RedisCache 0 "
        "True"
    )


FRONTEND_PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.FRONTEND_SITE_URL, settings.CIVIC_FRONTEND_URL, settings.CORS_ALLOWED_ORIGINS)"
)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:3000 http://127.0.0.1:3000 ['http://127.0.0.1:3000']"),
        (
            {"FRONTEND_SITE_URL": "http://127.0.0.1:4100/"},
            "http://127.0.0.1:4100 http://127.0.0.1:4100 ['http://127.0.0.1:4100']",
        ),
        (
            {
                "FRONTEND_SITE_URL": "https://www.example.org/civic",
                "CIVIC_FRONTEND_URL": "https://preview.example.org",
                "CIVIC_CORS_ALLOWED_ORIGINS": "https://a.example.org, https://b.example.org",
            },
            "https://www.example.org/civic https://preview.example.org "
            "['https://a.example.org', 'https://b.example.org']",
        ),
    ],
    ids=["default", "another-port", "each-overridden"],
)
def test_one_public_site_address_drives_previews_and_cors(env, expected):
    """FRONTEND_SITE_URL, set once (scripts/run and scripts/frontend read it too), is where
    previews open and the origin CORS allows; each can still be set on its own."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"FRONTEND_SITE_URL", "CIVIC_FRONTEND_URL", "CIVIC_CORS_ALLOWED_ORIGINS"}
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", FRONTEND_PROBE],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "cms.settings.dev"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == expected
