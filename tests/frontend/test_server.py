"""The public site's server (frontend/server.py) against hostile clients, as a real process
on a free port: slow clients are cut off, bodies are capped and always read (never taken
for the next request), and the publish webhook refuses stale and replayed requests."""

from __future__ import annotations

import importlib.util
import json
import os
import select
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from delivery.models import WebhookDelivery, WebhookEndpoint
from delivery.signing import signature_headers
from delivery.tasks import send

ROOT = Path(__file__).resolve().parents[2]
SECRET = "frontend-test-secret"
CMS = "http://127.0.0.1:9"
SOCKET_TIMEOUT = 1.5
READ_TIMEOUT = 3.0
MAX_FORM = 2000

spec = importlib.util.spec_from_file_location("frontend_server", ROOT / "frontend" / "server.py")
server_module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(server_module)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """frontend/server.py with short timeouts and a small form limit; nothing built, and a
    CMS address where nothing answers (the rebuilds a webhook asks for fail, elsewhere)."""
    port = free_port()
    workdir = tmp_path_factory.mktemp("frontend-server")
    env = {
        **os.environ,
        "FRONTEND_PORT": str(port),
        "FRONTEND_BUILD": "none",
        "FRONTEND_DIST": str(workdir / "dist"),
        "CIVIC_CMS_URL": CMS,
        "CIVIC_WEBHOOK_SECRET": SECRET,
        "FRONTEND_SOCKET_TIMEOUT": str(SOCKET_TIMEOUT),
        "FRONTEND_READ_TIMEOUT": str(READ_TIMEOUT),
        "FRONTEND_MAX_FORM_BYTES": str(MAX_FORM),
    }
    with open(workdir / "server.log", "wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own server
            [sys.executable, str(ROOT / "frontend" / "server.py")],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        output = (workdir / "server.log").read_text()
                        raise RuntimeError(f"frontend/server.py did not start: {output}") from None
                    time.sleep(0.1)
            yield f"http://127.0.0.1:{port}", port
        finally:
            process.terminate()
            process.wait(timeout=10)


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def read_response(reader, *, head: bool = False) -> tuple[str, dict[str, str], bytes]:
    """One response from the connection: status line, headers (without Date and Server,
    which change), body (none when answering a HEAD)."""
    status = reader.readline().decode("latin-1").rstrip("\r\n")
    headers = {}
    while (line := reader.readline().decode("latin-1").rstrip("\r\n")) != "":
        name, _, value = line.partition(": ")
        headers[name] = value
    body = b"" if head else reader.read(int(headers.get("Content-Length", 0)))
    headers.pop("Date"), headers.pop("Server")
    return status, headers, body


def closed(sock: socket.socket, within: float = 2.0) -> bool:
    """The server closed the connection (end of input) within ``within`` seconds."""
    sock.settimeout(within)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def text_headers(length: int, *, close: bool = False, cache: str = "no-cache") -> dict:
    return response_headers("text/plain; charset=utf-8", length, close=close, cache=cache)


def response_headers(kind: str, length: int, *, close: bool = False, cache: str = "no-cache"):
    headers = {
        "Content-Type": kind,
        "Content-Length": str(length),
        "Cache-Control": cache,
        "Vary": "Accept-Encoding",
    }
    if close:
        headers["Connection"] = "close"
    return {
        **headers,
        "Content-Security-Policy": server_module.content_security_policy(CMS),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }


CONFIG = b'export default {"cmsUrl": "http://127.0.0.1:9"};\n'
CONFIG_RESPONSE = (
    "HTTP/1.1 200 OK",
    response_headers("text/javascript; charset=utf-8", len(CONFIG)),
    CONFIG,
)


def error(code: int, phrase: str, message: str, *, close: bool = True):
    body = f"{code} {message}\n".encode()
    return (f"HTTP/1.1 {code} {phrase}", text_headers(len(body), close=close), body)


# --- slow clients ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sent", [b"", b"GET /config.js HTTP/1.1\r\nHost: x\r\n"], ids=["nothing", "half a head"]
)
def test_a_silent_client_is_cut_off_after_the_socket_timeout(server, sent):
    _, port = server
    with connect(port) as sock:
        sock.sendall(sent)
        started = time.monotonic()
        assert closed(sock, within=SOCKET_TIMEOUT + 3)
        waited = time.monotonic() - started
    assert SOCKET_TIMEOUT - 0.3 < waited < SOCKET_TIMEOUT + 1.5


def test_a_client_that_trickles_its_request_is_answered_408_at_the_read_timeout(server):
    """A header line every half second keeps each read under the socket timeout: the read
    timeout bounds the whole request."""
    _, port = server
    with connect(port) as sock:
        started = time.monotonic()
        sock.sendall(b"GET /config.js HTTP/1.1\r\nHost: x\r\n")
        while time.monotonic() - started < READ_TIMEOUT + 5:
            sock.sendall(b"X-Slow: 1\r\n")
            if select.select([sock], [], [], 0.5)[0]:
                break
        waited = time.monotonic() - started
        response = read_response(sock.makefile("rb"))
        assert closed(sock)
    assert READ_TIMEOUT - 0.3 < waited < READ_TIMEOUT + 1.5
    assert response == error(408, "Request Timeout", "The request took too long to arrive")


def test_a_body_that_trickles_is_answered_408_at_the_read_timeout(server):
    _, port = server
    with connect(port) as sock:
        started = time.monotonic()
        sock.sendall(
            b"POST /es/contacto/ HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n"
        )
        while time.monotonic() - started < READ_TIMEOUT + 5:
            sock.sendall(b"a")
            if select.select([sock], [], [], 0.5)[0]:
                break
        waited = time.monotonic() - started
        response = read_response(sock.makefile("rb"))
    assert READ_TIMEOUT - 0.3 < waited < READ_TIMEOUT + 1.5
    assert response == error(408, "Request Timeout", "The request took too long to arrive")


# --- bodies ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "message"),
    [
        (
            f"POST /__hooks/publish HTTP/1.1\r\nContent-Length: {server_module.MAX_HOOK_BODY + 1}",
            "The webhook's body is too large",
        ),
        (
            "POST /es/contacto/ HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=x\r\n"
            f"Content-Length: {MAX_FORM + 1}",
            "The form is too large",
        ),
        (
            f"GET /config.js HTTP/1.1\r\nContent-Length: {server_module.MAX_OTHER_BODY + 1}",
            "The request's body is too large",
        ),
    ],
    ids=["webhook", "form", "get"],
)
def test_an_oversized_body_gets_413_and_the_connection_is_closed(server, head, message):
    """Refused from its Content-Length, before a byte of it is read: what follows on the
    connection is never read as a request."""
    _, port = server
    with connect(port) as sock:
        sock.sendall(f"{head}\r\nHost: x\r\n\r\n".encode() + b"GET /config.js HTTP/1.1\r\n\r\n")
        response = read_response(sock.makefile("rb"))
        assert closed(sock)
    assert response == error(413, "Request Entity Too Large", message)


def test_a_body_at_the_form_limit_is_taken(server):
    """The form's body is read whole (the renderer cannot reach a CMS here: 502)."""
    _, port = server
    body = b"a=" + b"x" * (MAX_FORM - 2)
    with connect(port) as sock:
        sock.sendall(
            b"POST /es/contacto/ HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
            + b"GET /config.js HTTP/1.1\r\nHost: x\r\n\r\n"
        )
        reader = sock.makefile("rb")
        status, _, _ = read_response(reader)
        assert read_response(reader) == CONFIG_RESPONSE
    assert status != "HTTP/1.1 413 Request Entity Too Large"


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_body_on_a_get_is_read_and_dropped_and_the_next_request_answered(server, method):
    _, port = server
    smuggled = b"GET /__hooks/status HTTP/1.1\r\nHost: x\r\n\r\n"
    with connect(port) as sock:
        sock.sendall(
            f"{method} /config.js HTTP/1.1\r\nHost: x\r\n".encode()
            + f"Content-Length: {len(smuggled)}\r\n\r\n".encode()
            + smuggled
            + b"GET /config.js HTTP/1.1\r\nHost: x\r\n\r\n"
        )
        reader = sock.makefile("rb")
        first = read_response(reader, head=method == "HEAD")
        second = read_response(reader)
        # Nothing more: the body was not taken for a third request.
        assert not closed(sock, within=0.5)
    # A HEAD is answered with the headers of the GET and no body.
    status, headers, body = CONFIG_RESPONSE
    assert (first, second) == ((status, headers, body if method == "GET" else b""), CONFIG_RESPONSE)


@pytest.mark.parametrize(
    ("header", "code", "phrase", "message"),
    [
        (
            "Transfer-Encoding: chunked",
            501,
            "Not Implemented",
            "Send the body with a Content-Length",
        ),
        ("Content-Length: 5\r\nContent-Length: 6", 400, "Bad Request", "Bad Content-Length"),
        ("Content-Length: -1", 400, "Bad Request", "Bad Content-Length"),
    ],
    ids=["chunked", "two-lengths", "negative"],
)
def test_a_body_whose_end_cannot_be_known_is_refused_and_the_connection_closed(
    server, header, code, phrase, message
):
    _, port = server
    with connect(port) as sock:
        sock.sendall(
            f"POST /__hooks/publish HTTP/1.1\r\nHost: x\r\n{header}\r\n\r\n".encode()
            + b"5\r\nGET /\r\n0\r\n\r\n"
        )
        response = read_response(sock.makefile("rb"))
        assert closed(sock)
    assert response == error(code, phrase, message)


# --- the publish webhook --------------------------------------------------------------------


def post_hook(port: int, body: bytes, headers: dict[str, str]):
    with connect(port) as sock:
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        sock.sendall(
            (
                "POST /__hooks/publish HTTP/1.1\r\nHost: x\r\n"
                "Content-Type: application/json; charset=utf-8\r\n"
                f"Content-Length: {len(body)}\r\n{head}\r\n"
            ).encode()
            + body
        )
        return read_response(sock.makefile("rb"))


def json_response(code: int, phrase: str, value: dict):
    body = json.dumps(value).encode()
    return (f"HTTP/1.1 {code} {phrase}", response_headers("application/json", len(body)), body)


BODY = json.dumps({"event": "page.published", "paths": ["/es/sobre/"]}).encode()


def test_a_fresh_webhook_is_taken_once_and_its_replay_refused(server):
    _, port = server
    delivery = str(uuid.uuid4())
    headers = signature_headers(BODY, SECRET, delivery=delivery, attempt=1)
    accepted = json_response(202, "Accepted", {"accepted": ["/es/sobre/"]})
    assert post_hook(port, BODY, headers) == accepted
    assert post_hook(port, BODY, headers) == json_response(
        409, "Conflict", {"error": f"delivery {delivery}, attempt 1: already received"}
    )
    # The next attempt of the same delivery is a request of its own.
    retry = signature_headers(BODY, SECRET, delivery=delivery, attempt=2)
    assert post_hook(port, BODY, retry) == accepted


@pytest.mark.parametrize("offset", [-301, 301], ids=["stale", "from-the-future"])
def test_a_webhook_signed_outside_the_window_is_refused(server, offset):
    _, port = server
    headers = signature_headers(
        BODY, SECRET, delivery=str(uuid.uuid4()), attempt=1, now=time.time() + offset
    )
    assert post_hook(port, BODY, headers) == json_response(
        401,
        "Unauthorized",
        {"error": "stale signature: signed more than 300 seconds from this server's clock"},
    )


def test_a_webhook_with_a_bad_signature_is_refused(server):
    _, port = server
    delivery = str(uuid.uuid4())
    good = signature_headers(BODY, SECRET, delivery=delivery, attempt=1)
    bad = json_response(401, "Unauthorized", {"error": "bad or missing signature"})
    forged = [
        signature_headers(BODY, "another secret", delivery=delivery, attempt=1),
        {**good, "X-Civic-Attempt": "2"},
        {**good, "X-Civic-Delivery": str(uuid.uuid4())},
        {**good, "X-Civic-Timestamp": str(int(good["X-Civic-Timestamp"]) - 1)},
        {name: value for name, value in good.items() if name != "X-Civic-Timestamp"},
        {name: value for name, value in good.items() if name != "X-Civic-Signature-256"},
    ]
    assert [post_hook(port, BODY, headers) for headers in forged] == [bad] * len(forged)
    # A body changed under a good signature.
    assert post_hook(port, BODY.replace(b"sobre", b"otra"), good) == bad
    # None of those used the delivery up.
    assert post_hook(port, BODY, good)[0] == "HTTP/1.1 202 Accepted"


@pytest.mark.django_db
def test_the_cms_delivers_to_the_server_and_each_retry_is_taken(server, settings):
    """Sender and receiver agree: the CMS's own delivery is taken, its next attempt too."""
    url, _ = server
    settings.CIVIC_WEBHOOK_ALLOW_INTERNAL = True
    endpoint = WebhookEndpoint.objects.create(
        name="Public site", url=f"{url}/__hooks/publish", secret=SECRET
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event="page.published", payload={"paths": ["/es/sobre/"]}
    )
    send(delivery)
    first = (delivery.status, delivery.attempts, delivery.last_status_code)
    send(delivery)
    assert [first, (delivery.status, delivery.attempts, delivery.last_status_code)] == [
        ("succeeded", 1, 202),
        ("succeeded", 2, 202),
    ]


def test_taken_deliveries_are_kept_only_for_the_window():
    seen = server_module.SeenDeliveries(300)
    assert seen.first_time("a 1", 1000, now=1000)
    assert not seen.first_time("a 1", 1000, now=1200)
    assert seen.first_time("b 1", 1250, now=1250)
    assert len(seen) == 2
    # At 1301 "a 1" is older than the window (its timestamp refuses it now): dropped.
    assert seen.first_time("c 1", 1301, now=1301)
    assert sorted(seen.taken) == ["b 1", "c 1"]


def test_a_site_wide_change_asks_for_every_page(server):
    """A change every page may show (site.changed: the site's texts, a collection moved)
    rebuilds the whole site, not the paths listed."""
    _, port = server
    body = json.dumps({"event": "site.changed", "paths": [], "urls": [], "rebuild": "all"}).encode()
    headers = signature_headers(body, SECRET, delivery=str(uuid.uuid4()), attempt=1)
    assert post_hook(port, body, headers) == json_response(202, "Accepted", {"accepted": "all"})
