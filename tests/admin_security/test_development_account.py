"""The development account (admin / civic-admin, made by scripts/run's create_dev_admin)
signs in under development settings and never under production settings, where the
operator reads why in the log."""

import ast
import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "cms.example.org",
    "CIVIC_SINGLE_HOST": "true",
}


@pytest.fixture(scope="module")
def production_backends() -> list[str]:
    """AUTHENTICATION_BACKENDS as cms.settings.production makes them (read in a process of
    its own: those settings also change shared ones, such as the database's)."""
    probe = "import django; django.setup(); from django.conf import settings; "
    probe += "print(settings.AUTHENTICATION_BACKENDS)"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(  # noqa: S603 - our own settings
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**env, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return ast.literal_eval(result.stdout.strip())


@pytest.fixture
def development_account(settings):
    """The account as scripts/run makes it (development settings: DEBUG on)."""
    settings.DEBUG = True
    call_command("create_dev_admin", stdout=io.StringIO())
    settings.DEBUG = False
    return get_user_model().objects.get(username="admin")


def _sign_in(username: str, password: str) -> tuple[int, bool]:
    client = Client()
    response = client.post("/admin/login/", {"username": username, "password": password})
    return response.status_code, "_auth_user_id" in client.session


def test_development_settings_let_the_development_account_in(development_account):
    assert development_account.is_superuser
    assert _sign_in("admin", "civic-admin") == (302, True)


def test_production_settings_refuse_the_development_account_and_say_why(
    development_account, production_backends, settings, caplog
):
    settings.AUTHENTICATION_BACKENDS = production_backends
    with caplog.at_level(logging.WARNING, logger="cms.dev_account"):
        assert _sign_in("admin", "civic-admin") == (200, False)
    assert [r.getMessage() for r in caplog.records if r.name == "cms.dev_account"] == [
        "Refused a sign-in as 'admin' with the development password: production settings "
        "never accept it. Give the account a password of its own "
        "(manage.py changepassword admin)."
    ]
    # Whatever account carries that password.
    get_user_model().objects.create_superuser("ops", "ops@example.org", "civic-admin")
    assert _sign_in("ops", "civic-admin") == (200, False)


def test_under_production_settings_the_account_signs_in_with_a_password_of_its_own(
    development_account, production_backends, settings
):
    settings.AUTHENTICATION_BACKENDS = production_backends
    development_account.set_password("a-password-of-its-own")
    development_account.save()
    assert _sign_in("admin", "a-password-of-its-own") == (302, True)


def test_the_account_is_made_only_with_debug_on(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="create_dev_admin only runs with DEBUG on"):
        call_command("create_dev_admin")
    assert not get_user_model().objects.filter(username="admin").exists()
