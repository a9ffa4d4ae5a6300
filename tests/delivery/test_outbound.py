"""Webhooks never reach the CMS's own network: internal addresses are refused when an
endpoint is registered (admin and ``register_webhook``) and again at each delivery, with
DNS resolved again and the connection made to the address checked."""

from __future__ import annotations

import ipaddress
import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import urllib3
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from delivery import outbound
from delivery.models import WebhookDelivery, WebhookEndpoint
from delivery.tasks import send
from tests.delivery.fake_dns import FakeDNS

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.215.14"
ALLOWED = "(CIVIC_WEBHOOK_ALLOW_INTERNAL allows them, for local development)"
# Every kind of internal address, with the words the refusal names it by.
INTERNAL = [
    ("127.0.0.1", "loopback"),
    ("127.3.4.5", "loopback"),
    ("::1", "loopback"),
    ("10.0.0.8", "private"),
    ("172.16.5.4", "private"),
    ("192.168.1.20", "private"),
    ("fd12:3456::1", "private"),
    ("169.254.10.1", "link-local"),
    ("fe80::1", "link-local"),
    ("169.254.169.254", "cloud metadata"),
    ("fd00:ec2::254", "cloud metadata"),
    ("100.100.100.200", "cloud metadata"),
    ("0.0.0.0", "unspecified"),  # noqa: S104 - an address refused, not bound
    ("::", "unspecified"),
    ("224.0.0.251", "multicast"),
    ("ff02::1", "multicast"),
    ("240.0.0.1", "reserved"),
    ("100.64.0.1", "shared or special-purpose"),
    ("::ffff:127.0.0.1", "loopback, IPv4-mapped"),
    ("::ffff:10.1.2.3", "private, IPv4-mapped"),
    ("::ffff:169.254.169.254", "cloud metadata, IPv4-mapped"),
    ("::ffff:0.0.0.0", "unspecified, IPv4-mapped"),
    ("64:ff9b::a9fe:a9fe", "cloud metadata, NAT64"),
    ("2002:7f00:1::", "loopback, 6to4"),
]
IDS = [address for address, _ in INTERNAL]


def shown(address: str) -> str:
    """How Python writes the address (``::ffff:7f00:1`` for ``::ffff:127.0.0.1``)."""
    return str(ipaddress.ip_address(address))


@pytest.fixture
def connections(monkeypatch):
    """Every TCP connection urllib3 opens, by address (and still opened)."""
    opened = []
    real = urllib3.util.connection.create_connection

    def record(address, *args, **kwargs):
        opened.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", record)
    return opened


@pytest.fixture
def operator(client):
    client.force_login(get_user_model().objects.create_superuser("ops", "ops@example.org", "pw"))
    return client


def refusal(url: str, address: str, kind: str) -> str:
    return (
        f"{url}: {shown(address)} is an internal address ({kind}); webhooks are not sent to "
        f"internal addresses {ALLOWED}"
    )


@pytest.mark.parametrize(("address", "kind"), INTERNAL, ids=IDS)
def test_the_command_refuses_a_name_that_resolves_to_an_internal_address(
    monkeypatch, address, kind
):
    FakeDNS(monkeypatch, {"hook.example.org": [PUBLIC, address]})
    url = "https://hook.example.org/__hooks/publish"
    with pytest.raises(CommandError) as refused:
        call_command("register_webhook", url, "--secret", "s")
    assert str(refused.value) == f"url: {refusal(url, address, kind)}"
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(("address", "kind"), INTERNAL, ids=IDS)
def test_the_admin_refuses_an_internal_address_written_as_it_is(operator, address, kind):
    host = f"[{address}]" if ":" in address else address
    url = f"http://{host}:8080/hook"
    response = operator.post(
        "/admin/webhook_endpoints/new/",
        {"name": "Internal", "url": url, "events": "[]", "active": "on", "secret": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"url": [refusal(url, address, kind)]}
    assert not WebhookEndpoint.objects.exists()


def test_a_public_name_is_registered_and_an_unresolvable_one_waits_for_its_deliveries(
    monkeypatch, operator
):
    public_v6 = "2606:2800:21f:cb07:6820:80da:af6b:8b2c"
    dns = FakeDNS(monkeypatch, {"hook.example.org": [PUBLIC, public_v6]})
    call_command("register_webhook", "https://hook.example.org/h", "--secret", "s")
    response = operator.post(
        "/admin/webhook_endpoints/new/",
        {"name": "Later", "url": "https://not-yet.example.org/h", "events": "[]", "secret": "x"},
    )
    assert response.status_code == 302
    assert sorted(WebhookEndpoint.objects.values_list("url", flat=True)) == [
        "https://hook.example.org/h",
        "https://not-yet.example.org/h",
    ]
    assert dns.asked == ["hook.example.org", "not-yet.example.org"]


def test_the_setting_allows_internal_addresses_at_registration(monkeypatch, settings):
    settings.CIVIC_WEBHOOK_ALLOW_INTERNAL = True
    FakeDNS(monkeypatch, {"frontend.local": ["127.0.0.1"]})
    call_command("register_webhook", "http://frontend.local:3000/__hooks/publish", "--secret", "s")
    call_command("register_webhook", "http://169.254.169.254/latest", "--secret", "s")
    assert sorted(WebhookEndpoint.objects.values_list("url", flat=True)) == [
        "http://169.254.169.254/latest",
        "http://frontend.local:3000/__hooks/publish",
    ]


def delivery_to(url: str) -> WebhookDelivery:
    # Saved without validation, as an endpoint registered before the check existed, or
    # whose name pointed elsewhere when it was registered.
    endpoint = WebhookEndpoint.objects.create(name="Endpoint", url=url, secret="s")
    return WebhookDelivery.objects.create(
        endpoint=endpoint, event="page.published", payload={"paths": ["/es/"]}
    )


@pytest.mark.parametrize(("address", "kind"), INTERNAL, ids=IDS)
def test_a_delivery_to_an_internal_address_is_refused_and_nothing_is_connected(
    monkeypatch, connections, address, kind
):
    """The name resolved to a public address when it was registered; now (DNS rebinding)
    one of its addresses is internal: nothing is sent, and the delivery fails for good."""
    dns = FakeDNS(monkeypatch, {"hook.example.org": [PUBLIC, address]})
    delivery = delivery_to("https://hook.example.org/__hooks/publish")
    send(delivery)
    delivery.refresh_from_db()
    assert connections == []
    assert dns.asked == ["hook.example.org"]
    assert (
        delivery.status,
        delivery.attempts,
        delivery.last_status_code,
        delivery.next_attempt_at,
        delivery.last_error,
    ) == (
        "failed",
        1,
        None,
        None,
        "InternalAddressError: "
        + refusal("https://hook.example.org/__hooks/publish", address, kind),
    )


class Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[dict]

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append({"host": self.headers["Host"], "path": self.path, "body": body})
        answer = b'{"rebuilt": true}'
        self.send_response(202)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    """An HTTP server on 127.0.0.1 (TLS when given a certificate), recording each POST."""
    started = []

    def start(context: ssl.SSLContext | None = None):
        handler = type("Handler", (Receiver,), {"seen": []})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        if context:
            server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        return server, handler.seen

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


def test_the_setting_allows_a_delivery_to_the_address_checked_with_the_name_as_host(
    monkeypatch, settings, connections, local_server
):
    """Resolved once per attempt; the connection goes to the address that was checked
    (a resolver that answers differently the next time is never asked), the name is the
    Host header."""
    settings.CIVIC_WEBHOOK_ALLOW_INTERNAL = True
    server, seen = local_server()
    port = server.server_port
    dns = FakeDNS(
        monkeypatch, {"frontend.local": ["127.0.0.1"]}, later={"frontend.local": ["10.9.9.9"]}
    )
    delivery = delivery_to(f"http://frontend.local:{port}/__hooks/publish?site=es")
    send(delivery)
    delivery.refresh_from_db()
    assert dns.asked == ["frontend.local"]
    assert connections == [("127.0.0.1", port)]
    assert seen == [
        {
            "host": f"frontend.local:{port}",
            "path": "/__hooks/publish?site=es",
            "body": b'{"paths": ["/es/"]}',
        }
    ]
    assert (delivery.status, delivery.last_status_code, delivery.last_error) == (
        "succeeded",
        202,
        "",
    )


def test_without_the_setting_the_same_local_delivery_is_refused(
    monkeypatch, connections, local_server
):
    server, seen = local_server()
    url = f"http://127.0.0.1:{server.server_port}/__hooks/publish"
    delivery = delivery_to(url)
    send(delivery)
    delivery.refresh_from_db()
    assert (connections, seen) == ([], [])
    assert (delivery.status, delivery.last_error) == (
        "failed",
        f"InternalAddressError: {refusal(url, '127.0.0.1', 'loopback')}",
    )


def test_the_next_address_is_tried_when_one_cannot_be_reached(
    monkeypatch, settings, connections, local_server
):
    settings.CIVIC_WEBHOOK_ALLOW_INTERNAL = True
    server, seen = local_server()
    # Nothing listens on 127.0.0.2 at the server's port; the server is on 127.0.0.1.
    FakeDNS(monkeypatch, {"frontend.local": ["127.0.0.2", "127.0.0.1"]})
    delivery = delivery_to(f"http://frontend.local:{server.server_port}/h")
    send(delivery)
    delivery.refresh_from_db()
    assert connections == [("127.0.0.2", server.server_port), ("127.0.0.1", server.server_port)]
    assert (delivery.status, len(seen)) == ("succeeded", 1)


def test_an_unresolvable_name_is_retried_with_the_resolver_s_words(monkeypatch, connections):
    FakeDNS(monkeypatch, {})
    delivery = delivery_to("https://gone.example.org/h")
    send(delivery)
    delivery.refresh_from_db()
    assert connections == []
    assert (delivery.status, delivery.last_status_code, delivery.last_error) == (
        "retrying",
        None,
        "UnresolvableHostError: https://gone.example.org/h: gone.example.org does not resolve "
        "([Errno -2] Name or service not known)",
    )


OPENSSL = shutil.which("openssl")


@pytest.mark.skipif(OPENSSL is None, reason="openssl is needed to make a test certificate")
def test_https_sends_the_name_in_sni_and_checks_the_certificate_against_it(
    monkeypatch, settings, tmp_path, connections, local_server
):
    """Connected to the address checked, TLS still speaks to the name: SNI carries it and
    the certificate must be the name's (a certificate for another name is refused)."""
    settings.CIVIC_WEBHOOK_ALLOW_INTERNAL = True

    def certificate(name: str):
        subprocess.run(  # noqa: S603 - a fixed command line
            [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
             "-keyout", str(tmp_path / f"{name}.key"), "-out", str(tmp_path / f"{name}.pem")],
            check=True, capture_output=True,
        )  # fmt: skip
        return tmp_path / f"{name}.pem", tmp_path / f"{name}.key"

    names = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate("hook.example.org"))
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    server, seen = local_server(context)
    other, _ = certificate("other.example.org")
    trusted = tmp_path / "trusted.pem"
    trusted.write_bytes((tmp_path / "hook.example.org.pem").read_bytes() + other.read_bytes())
    monkeypatch.setattr(outbound.certifi, "where", lambda: str(trusted))
    FakeDNS(monkeypatch, {"hook.example.org": ["127.0.0.1"], "other.example.org": ["127.0.0.1"]})

    delivery = delivery_to(f"https://hook.example.org:{server.server_port}/h")
    send(delivery)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_status_code, names) == (
        "succeeded",
        202,
        ["hook.example.org"],
    )
    assert seen[0]["host"] == f"hook.example.org:{server.server_port}"

    # The same server under another name: its certificate is not that name's.
    wrong = delivery_to(f"https://other.example.org:{server.server_port}/h")
    send(wrong)
    wrong.refresh_from_db()
    assert (wrong.status, wrong.last_status_code, len(seen), names[-1]) == (
        "retrying",
        None,
        1,
        "other.example.org",
    )
    assert wrong.last_error.startswith("SSLError: ")
    assert "other.example.org" in wrong.last_error
    assert connections == [("127.0.0.1", server.server_port)] * 2
