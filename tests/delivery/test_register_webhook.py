"""``manage.py register_webhook``: one endpoint per URL, the secret from a file, clear errors."""

import re

import pytest
from django.core.management import CommandError, call_command

from delivery.models import WebhookEndpoint
from tests.delivery.fake_dns import FakeDNS

URL = "http://127.0.0.1:3000/__hooks/publish"


@pytest.fixture(autouse=True)
def local_development(settings, monkeypatch):
    """As scripts/run registers the public site on 127.0.0.1: internal addresses allowed
    (their refusal: tests/delivery/test_outbound.py), and no DNS."""
    settings.CIVIC_WEBHOOK_ALLOW_INTERNAL = True
    FakeDNS(monkeypatch, {"static.example.org": ["93.184.215.14"]})


def endpoints() -> list[tuple]:
    return list(WebhookEndpoint.objects.values_list("name", "url", "secret", "events", "active"))


@pytest.mark.django_db
def test_registers_once_and_updates_in_place(tmp_path, capsys):
    secret = tmp_path / "secret"
    secret.write_text("first-secret\n")
    call_command("register_webhook", URL, "--secret-file", str(secret))
    assert endpoints() == [("Reference frontend", URL, "first-secret", [], True)]
    WebhookEndpoint.objects.update(active=False)

    secret.write_text("second-secret")
    call_command(
        "register_webhook", URL, "--secret-file", str(secret), "--name", "Static site",
        "--event", "page.published", "--event", "page.unpublished",
    )  # fmt: skip
    assert endpoints() == [
        ("Static site", URL, "second-secret", ["page.published", "page.unpublished"], True)
    ]
    assert capsys.readouterr().out.splitlines() == [
        f"Registered webhook endpoint 'Reference frontend': {URL} (every event).",
        f"Updated webhook endpoint 'Static site': {URL} (page.published, page.unpublished).",
    ]


@pytest.mark.django_db
def test_refuses_what_it_cannot_use_and_keeps_what_was_there(tmp_path):
    call_command("register_webhook", URL, "--secret", "kept")
    missing = tmp_path / "nowhere"
    with pytest.raises(CommandError, match="^" + re.escape(f"{missing}: cannot read the secret")):
        call_command("register_webhook", URL, "--secret-file", str(missing))
    empty = tmp_path / "empty"
    empty.write_text("  \n")
    with pytest.raises(CommandError, match="^" + re.escape(f"{empty}: the secret is empty") + "$"):
        call_command("register_webhook", URL, "--secret-file", str(empty))
    with pytest.raises(CommandError, match=r"^url: "):
        call_command("register_webhook", "ftp://example.org/hook", "--secret", "s")
    assert endpoints() == [("Reference frontend", URL, "kept", [], True)]


@pytest.mark.django_db
def test_replace_moves_the_endpoint_of_the_same_name_to_the_new_address(capsys):
    """scripts/run registers the public site's hook again when the site moved to another
    port: one endpoint, at the new address; another endpoint is left alone."""
    other = "https://static.example.org/hook"
    call_command("register_webhook", other, "--secret", "theirs", "--name", "Static site")
    call_command("register_webhook", URL, "--secret", "s", "--replace")
    moved = "http://127.0.0.1:4100/__hooks/publish"
    call_command("register_webhook", moved, "--secret", "s2", "--replace")
    assert sorted(endpoints()) == [
        ("Reference frontend", moved, "s2", [], True),
        ("Static site", other, "theirs", [], True),
    ]
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"Updated webhook endpoint 'Reference frontend': {moved} (every event, moved from {URL})."
    )
    # Without --replace a new address is a new endpoint, as before.
    call_command("register_webhook", URL, "--secret", "s")
    assert len(endpoints()) == 3
