"""Operators register endpoints and read the delivery log in the Wagtail admin."""

import re
import threading
from datetime import UTC
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth import get_user_model
from django.utils import formats, translation

from delivery.models import WebhookDelivery, WebhookEndpoint
from delivery.tasks import send
from tests.delivery.fake_dns import FakeDNS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dns(monkeypatch):
    return FakeDNS(monkeypatch, {"build.example.org": ["93.184.215.14"]})


@pytest.fixture
def operator(client):
    client.force_login(get_user_model().objects.create_superuser("ops", "ops@example.org", "pw"))
    return client


def test_register_an_endpoint(operator):
    response = operator.post(
        "/admin/webhook_endpoints/new/",
        {
            "name": "Frontend build",
            "url": "https://build.example.org/hook",
            "events": '["page.published"]',
            "active": "on",
            "secret": "abc123",
        },
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.name, endpoint.url, endpoint.events, endpoint.active, endpoint.secret) == (
        "Frontend build",
        "https://build.example.org/hook",
        ["page.published"],
        True,
        "abc123",
    )


def test_endpoint_url_must_be_http(operator):
    response = operator.post(
        "/admin/webhook_endpoints/new/",
        {"name": "Bad", "url": "javascript:alert(1)", "events": "[]", "secret": "x"},
    )
    assert response.status_code == 200
    assert not WebhookEndpoint.objects.exists()
    assert response.context["form"].errors["url"]


def test_delivery_log_lists_status_attempts_and_last_code(operator):
    endpoint = WebhookEndpoint.objects.create(name="Build", url="https://b.example.org/")
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="page.published",
        payload={"urls": []},
        status="retrying",
        attempts=2,
        last_status_code=503,
    )
    listing = operator.get("/admin/webhook_deliveries/")
    assert listing.status_code == 200
    html = listing.content.decode()
    for text in ("page.published", "Build", "Retrying", "503"):
        assert text in html
    inspect = operator.get(f"/admin/webhook_deliveries/inspect/{delivery.pk}/")
    assert inspect.status_code == 200
    # The log is read-only.
    refused = operator.get("/admin/webhook_deliveries/new/")
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert 'href="/admin/webhook_deliveries/new/"' not in html


ANSWER = b"<h1>Instance metadata</h1><p>AccessKeyId: ASIAEXAMPLE2X7Q</p>"


@pytest.fixture
def chatty_endpoint(settings):
    """An endpoint on 127.0.0.1 that answers 500 with a body nobody should read in the
    admin (as a metadata service or an internal page would)."""
    settings.CIVIC_WEBHOOK_ALLOW_INTERNAL = True

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(500)
            self.send_header("Content-Length", str(len(ANSWER)))
            self.end_headers()
            self.wfile.write(ANSWER)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield WebhookEndpoint.objects.create(
        name="Chatty", url=f"http://127.0.0.1:{server.server_port}/hook", secret="s"
    )
    server.shutdown()
    server.server_close()


def test_a_delivery_shows_its_status_time_and_error_never_the_answer(
    operator, chatty_endpoint, settings
):
    answered = WebhookDelivery.objects.create(
        endpoint=chatty_endpoint, event="page.published", payload={"paths": ["/es/"]}
    )
    send(answered)
    refused = WebhookDelivery.objects.create(
        endpoint=WebhookEndpoint.objects.create(
            name="Metadata", url="http://169.254.169.254/latest/meta-data/", secret="s"
        ),
        event="page.unpublished",
        payload={"paths": ["/en/"]},
    )
    settings.CIVIC_WEBHOOK_ALLOW_INTERNAL = False
    send(refused)
    answered.refresh_from_db()
    refused.refresh_from_db()
    # Nothing of the answer is kept: its status code is.
    assert (answered.status, answered.last_status_code, answered.last_error) == (
        "retrying",
        500,
        "",
    )
    for delivery in (answered, refused):
        row = WebhookDelivery.objects.filter(pk=delivery.pk).values().get()
        assert not any(b"ASIAEXAMPLE" in str(value).encode() for value in row.values())

    inspect = operator.get(f"/admin/webhook_deliveries/inspect/{answered.pk}/")
    assert inspect.status_code == 200
    assert inspected(inspect.content.decode()) == {
        "Uuid": str(answered.uuid),
        "Endpoint": "Chatty",
        "Event": "Page published",
        "Status": "Retrying",
        "Attempts": "1",
        "Last status code": "500",
        "Last attempt at": local_time(answered.last_attempt_at),
        "Last error": "",
        "Next attempt at": local_time(answered.next_attempt_at),
        "Created at": local_time(answered.created_at),
        "Updated at": local_time(answered.updated_at),
        "Payload": "{'paths': ['/es/']}",
    }
    refusal = (
        "InternalAddressError: http://169.254.169.254/latest/meta-data/: 169.254.169.254 is an "
        "internal address (cloud metadata); webhooks are not sent to internal addresses "
        "(CIVIC_WEBHOOK_ALLOW_INTERNAL allows them, for local development)"
    )
    inspect = operator.get(f"/admin/webhook_deliveries/inspect/{refused.pk}/")
    assert inspected(inspect.content.decode())["Last error"] == refusal
    listing = operator.get("/admin/webhook_deliveries/").content.decode()
    for html in (listing, inspect.content.decode()):
        assert "ASIAEXAMPLE" not in html
        assert "Instance metadata" not in html


def inspected(html: str) -> dict[str, str]:
    """The inspect view's fields and values, as a reader sees them."""
    start = html.index("<dl>")
    fields = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", html[start : html.index("</dl>")], re.S)
    return {name: unescape(" ".join(value.split())) for name, value in fields}


def local_time(value) -> str:
    """A date as the admin shows it to a user who chose no time zone: in UTC, in the
    admin's language (Spanish, the site's default)."""
    with translation.override("es"):
        return formats.localize(value.astimezone(UTC))
