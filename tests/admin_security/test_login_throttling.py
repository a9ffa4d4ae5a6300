"""Signing in to the admin is throttled by django-axes: after 5 failures from an address,
that address is refused for 15 minutes, whatever it sends in X-Forwarded-For; other
addresses, a successful sign-in's clean slate and sessions opened without a password
(force_login, the tests' admin_client) are not concerned."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db.models import F
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "a-long-editor-password"
LOCKED = b"Account locked: too many login attempts. Please try again later."
ATTACKER = "198.51.100.7"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "ed@example.org", PASSWORD)


def _sign_in(password: str, *, username: str = "editor", **headers) -> tuple[int, str]:
    """A fresh browser signing in: the answer's status and where it leads (or whether the
    sign-in page came back, or the lockout)."""
    client = Client(**headers)
    response = client.post(LOGIN, {"username": username, "password": password})
    if response.status_code == 302:
        signed_in = "_auth_user_id" in client.session
        return 302, response["Location"] if signed_in else "not signed in"
    if response.status_code == 429:
        assert response.content == LOCKED
        return 429, "locked"
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    return 200, "sign-in page"


FAILED = (200, "sign-in page")
SIGNED_IN = (302, "/admin/")
REFUSED = (429, "locked")


def test_five_failures_lock_the_address_out_even_with_the_right_password(editor):
    failures = [_sign_in(f"guess-{i}", REMOTE_ADDR=ATTACKER) for i in range(4)]
    assert failures == [FAILED] * 4
    # The fifth failure locks the address: it and everything after it are refused.
    assert _sign_in("guess-4", REMOTE_ADDR=ATTACKER) == REFUSED
    assert _sign_in(PASSWORD, REMOTE_ADDR=ATTACKER) == REFUSED
    assert _sign_in(PASSWORD, username="someone-else", REMOTE_ADDR=ATTACKER) == REFUSED
    # Another address signs in as usual.
    assert _sign_in(PASSWORD, REMOTE_ADDR="198.51.100.8") == SIGNED_IN


def test_the_lockout_ends_after_fifteen_minutes(editor):
    for i in range(5):
        _sign_in(f"guess-{i}", REMOTE_ADDR=ATTACKER)
    assert _sign_in(PASSWORD, REMOTE_ADDR=ATTACKER) == REFUSED
    # 14 minutes later, still refused (and the wait starts again); 16 minutes after that
    # last attempt, the address signs in.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=14))
    assert _sign_in(PASSWORD, REMOTE_ADDR=ATTACKER) == REFUSED
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=16))
    assert _sign_in(PASSWORD, REMOTE_ADDR=ATTACKER) == SIGNED_IN


def test_a_successful_sign_in_clears_the_count(editor):
    attempts = []
    for _ in range(3):
        attempts += [_sign_in(f"typo-{i}", REMOTE_ADDR=ATTACKER) for i in range(4)]
        attempts.append(_sign_in(PASSWORD, REMOTE_ADDR=ATTACKER))
    assert attempts == ([FAILED] * 4 + [SIGNED_IN]) * 3


def test_behind_a_proxy_a_rotated_header_does_not_escape_the_lockout(editor, settings):
    settings.CIVIC_TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attempts = [
        _sign_in(f"guess-{i}", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, {ATTACKER}", **proxy)
        for i in range(6)
    ]
    assert attempts == [FAILED] * 4 + [REFUSED] * 2
    assert _sign_in(PASSWORD, HTTP_X_FORWARDED_FOR=f"192.0.2.99, {ATTACKER}", **proxy) == REFUSED
    # Another visitor behind the same proxy is not locked out.
    assert _sign_in(PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy) == SIGNED_IN


def test_sessions_opened_without_a_password_are_not_concerned(editor, admin_client):
    # The test client's own address (127.0.0.1) is locked out...
    for i in range(5):
        _sign_in(f"guess-{i}")
    assert _sign_in(PASSWORD) == REFUSED
    # ...and the tests' admin_client (force_login) still works from it.
    assert admin_client.get("/admin/").status_code == 200
