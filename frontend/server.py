"""Serve the reference frontend as a public site: the static build when a page is built,
server-side rendering (a long-lived Node renderer) for anything else, and the publish
webhook that rebuilds what an editor changed.

Only the standard library is used (plus Node.js for the renderer, frontend/ssr/):

    CIVIC_CMS_URL=http://127.0.0.1:8000 python3 frontend/server.py   # or scripts/frontend

What answers a request:

- ``/config.js``: the CMS's address for the browser, from the environment;
- files of ``public/`` (styles, scripts), revalidated with their ETag, compressed;
- ``/sitemap.xml``, ``/sitemap-<lang>.xml``, ``/robots.txt``: written by the build;
- a page path (``/es/services/democratic-funding/``) without a query string: the built
  file ``dist/<path>/index.html`` when there is one;
- any other path (not built yet, or with a query string such as the projects filters'
  ``?state=…&category=…``): rendered on demand by the Node renderer; a path without a
  page is redirected when the API knows a redirect for it, else answered with the
  language's 404 page and status 404;
- ``/preview?token=…``: the page shell, rendered in the browser (never built, never cached);
- ``POST`` to a contact form's page: the form sent without JavaScript; the Node renderer
  passes it to the CMS's ``submitForm`` mutation (with the visitor's address, signed
  with CIVIC_WEBHOOK_SECRET: delivery/relay.py) and answers 303 to the page's thanks
  (``?sent=1``), or the form again with the answers and errors (400); at most
  FRONTEND_MAX_FORM_BYTES (6 MiB);
- ``POST /__hooks/publish``: the CMS's signed publish webhook (``X-Civic-Signature-256``,
  HMAC-SHA256 with ``CIVIC_WEBHOOK_SECRET`` of ``X-Civic-Timestamp``, ``X-Civic-Delivery``,
  ``X-Civic-Attempt`` and the body: delivery/signing.py); a signature more than
  HOOK_MAX_AGE seconds (5 minutes) from this server's clock is refused (401), and so is a
  delivery and attempt already taken within that window (409); answers 202 at once and
  rebuilds the paths it names in a background thread.

Hostile clients: a connection idle for FRONTEND_SOCKET_TIMEOUT seconds (20) is closed, and a
request whose head and body have not arrived FRONTEND_READ_TIMEOUT seconds (60) after it
started is answered 408 and closed, however slowly its bytes trickle in. A body is read
whole before the request is handled, so it can never be taken for the next request on the
connection: at most FRONTEND_MAX_FORM_BYTES for a form, MAX_HOOK_BODY for the webhook and
MAX_OTHER_BODY for anything else (a GET's body is read and dropped); beyond that the answer
is 413 and the connection is closed. A body in a transfer coding (chunked) is refused (501).

Environment: FRONTEND_HOST / FRONTEND_PORT (default 127.0.0.1:3000), FRONTEND_SITE_URL
(the public origin, default http://FRONTEND_HOST:FRONTEND_PORT), FRONTEND_DIST (default
frontend/dist), FRONTEND_BUILD (``startup``: build everything in the background when the
server starts, the default; ``none``: serve what is built), CIVIC_WEBHOOK_SECRET,
FRONTEND_NODE (default ``node``), FRONTEND_LOG=1 to log every request,
FRONTEND_SOCKET_TIMEOUT, FRONTEND_READ_TIMEOUT.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import hmac
import itertools
import json
import os
import posixpath
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import unicodedata
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit

# What a Location header may carry as it is: a URL's reserved characters, and escapes.
URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


def site_path(path: str) -> str:
    """The one form of a site path the build keeps (its folders and files) and the CMS
    compares: percent-encoding undone, letters composed (NFC). A browser sends
    /es/services/c%C3%ADvico/; a file system may give the same letters decomposed."""
    return unicodedata.normalize("NFC", unquote(path))


HERE = Path(__file__).resolve().parent
PUBLIC = HERE / "public"
SSR = HERE / "ssr" / "render.mjs"
# The webhook's signature, as delivery/signing.py makes it.
SIGNATURE_HEADER = "X-Civic-Signature-256"
TIMESTAMP_HEADER = "X-Civic-Timestamp"
DELIVERY_HEADER = "X-Civic-Delivery"
ATTEMPT_HEADER = "X-Civic-Attempt"
HOOK_MAX_AGE = 300
MAX_HOOK_BODY = 1_000_000
# A body where none is expected (a GET's) is read and dropped up to this size.
MAX_OTHER_BODY = 64 * 1024
RENDER_TIMEOUT = 60
RETRY_SECONDS = 15
# Query parameters that never change a page: a built page is still served with them.
TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)$")
SITEMAP = re.compile(r"/sitemap-[a-z-]+\.xml")
COMPRESSIBLE = ("text/", "application/json", "application/xml", "image/svg+xml")
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
}


def max_form_body() -> int:
    """The largest form post taken (its upload and fields), FRONTEND_MAX_FORM_BYTES."""
    return int(os.environ.get("FRONTEND_MAX_FORM_BYTES") or 6 * 1024 * 1024)


def cms_url() -> str:
    """The CMS's base URL, without a trailing slash."""
    return os.environ.get("CIVIC_CMS_URL", "http://127.0.0.1:8000").rstrip("/")


def dist_dir() -> Path:
    return Path(os.environ.get("FRONTEND_DIST") or HERE / "dist").resolve()


def content_security_policy(cms: str) -> str:
    # Scripts come only from this server; data only from the CMS. Styles come from this
    # server's stylesheet; style *attributes* are allowed for the custom properties the
    # pages carry (a state's colour, an image's placeholder), never <style> elements.
    # Images may also come from https pages linked in Markdown (and a CDN); videos play in
    # the providers' iframes. Forms go to this server (the projects filters) only. Only the
    # CMS may frame the site: its preview panel shows the public site.
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "style-src-elem 'self'",
            "style-src-attr 'unsafe-inline'",
            f"img-src 'self' data: https: {cms}",
            f"connect-src 'self' {cms}",
            "frame-src https:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors 'self' {cms}",
        ]
    )


def socket_timeout() -> float:
    """Seconds a connection may stay silent (between requests, or within one)."""
    return float(os.environ.get("FRONTEND_SOCKET_TIMEOUT") or 20)


def read_timeout() -> float:
    """Seconds a request's head and body may take to arrive, once it started."""
    return float(os.environ.get("FRONTEND_READ_TIMEOUT") or 60)


def signature_ok(
    body: bytes, signature: str | None, secret: str, *, timestamp: int, delivery: str, attempt: int
) -> bool:
    signed = f"{timestamp}.{delivery}.{attempt}.".encode() + body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return bool(secret) and hmac.compare_digest(expected, signature or "")


class SeenDeliveries:
    """The webhook requests (delivery and attempt) taken within the signature's window, to
    refuse one sent again. A request is kept only while its timestamp is in the window:
    after that its age refuses it, so memory holds at most one window of webhooks."""

    def __init__(self, window: int) -> None:
        self.window = window
        self.lock = threading.Lock()
        self.taken: dict[str, int] = {}

    def first_time(self, key: str, timestamp: int, now: float) -> bool:
        with self.lock:
            for old in [k for k, stamp in self.taken.items() if stamp < now - self.window]:
                del self.taken[old]
            if key in self.taken:
                return False
            self.taken[key] = timestamp
            return True

    def __len__(self) -> int:
        return len(self.taken)


class Deadlines:
    """One thread that cuts off the connections whose request has not arrived in time (a
    socket timeout alone bounds each wait, not a request trickling in a byte at a time)."""

    def __init__(self, tick: float = 0.2) -> None:
        self.tick = tick
        self.lock = threading.Lock()
        self.deadlines: dict[FrontendHandler, float] = {}
        self.thread: threading.Thread | None = None

    def start(self, handler: FrontendHandler, seconds: float) -> None:
        with self.lock:
            self.deadlines[handler] = time.monotonic() + seconds
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, daemon=True)
                self.thread.start()

    def done(self, handler: FrontendHandler) -> None:
        with self.lock:
            self.deadlines.pop(handler, None)

    def _run(self) -> None:
        while True:
            time.sleep(self.tick)
            now = time.monotonic()
            with self.lock:
                late = [handler for handler, end in self.deadlines.items() if end <= now]
                for handler in late:
                    del self.deadlines[handler]
            for handler in late:
                handler.cut_off()


class NodeRenderer:
    """One long-lived ``node ssr/render.mjs --serve``: JSON lines over stdin/stdout.

    Requests carry an id; a reader thread hands each answer to the request that waits for
    it, so renders from many request threads run concurrently in the one Node process. A
    renderer that died is started again at the next request.
    """

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.ids = itertools.count(1)
        self.lock = threading.Lock()
        self.waiting: dict[int, tuple[threading.Event, dict]] = {}
        self.process: subprocess.Popen | None = None

    def _ensure(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None:
            node = self.env.get("FRONTEND_NODE") or shutil.which("node") or "node"
            self.process = subprocess.Popen(  # noqa: S603 - our own renderer
                [node, str(SSR), "--serve"],
                cwd=HERE,
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                bufsize=1,
            )
            threading.Thread(target=self._read, args=(self.process,), daemon=True).start()
        return self.process

    def _read(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            try:
                answer = json.loads(line)
            except ValueError:
                continue
            waiter = self.waiting.pop(answer.get("id"), None)
            if waiter:
                waiter[1].update(answer)
                waiter[0].set()
        # The process ended: nobody will answer the requests still waiting.
        for event, answer in list(self.waiting.values()):
            answer.setdefault("error", "the renderer stopped")
            event.set()

    def ask(self, request: dict, timeout: float = RENDER_TIMEOUT) -> dict:
        event, answer = threading.Event(), {}
        with self.lock:
            process = self._ensure()
            request_id = next(self.ids)
            self.waiting[request_id] = (event, answer)
            process.stdin.write(json.dumps({**request, "id": request_id}) + "\n")
            process.stdin.flush()
        if not event.wait(timeout):
            self.waiting.pop(request_id, None)
            return {"status": 504, "error": "the renderer did not answer in time"}
        return answer

    def render(self, url: str) -> dict:
        return self.ask({"op": "render", "url": url})

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Rebuilder:
    """Rebuilds in a background thread: the paths of every webhook received meanwhile go
    into the next build together, one build at a time."""

    def __init__(self, renderer: NodeRenderer) -> None:
        self.renderer = renderer
        self.condition = threading.Condition()
        self.pending: set[str] = set()
        self.full = False
        self.builds = 0
        self.last: dict = {}
        threading.Thread(target=self._run, daemon=True).start()

    def request(self, paths: list[str] | None = None, *, full: bool = False) -> None:
        with self.condition:
            self.pending.update(paths or [])
            self.full = self.full or full
            self.condition.notify()

    def _run(self) -> None:
        while True:
            with self.condition:
                while not self.pending and not self.full:
                    self.condition.wait()
                paths, full = sorted(self.pending), self.full
                self.pending, self.full = set(), False
            started = time.monotonic()
            request = {"op": "build", "full": True} if full else {"op": "build", "paths": paths}
            answer = self.renderer.ask(request, timeout=1800)
            self.builds += 1
            self.last = {
                "full": full,
                "paths": paths,
                "ok": bool(answer.get("ok")),
                "written": len(answer.get("written", [])),
                "removed": answer.get("removed", []),
                "seconds": round(time.monotonic() - started, 3),
                "finished_at": time.time(),
                "error": answer.get("error"),
            }
            print(f"Build: {json.dumps(self.last)}", file=sys.stderr, flush=True)
            if not self.last["ok"]:
                # The CMS may not be up yet (or was down): try the same again a bit later.
                retry = threading.Timer(RETRY_SECONDS, self.request, (paths,), {"full": full})
                retry.daemon = True
                retry.start()

    def status(self) -> dict:
        with self.condition:
            busy = bool(self.pending) or self.full
        return {"builds": self.builds, "pending": busy, "last": self.last}


class FrontendHandler(BaseHTTPRequestHandler):
    """Built pages, on-demand renders, public/ files, /config.js and the publish webhook."""

    protocol_version = "HTTP/1.1"
    # Headers and body are separate writes: without this, Nagle's algorithm and the
    # client's delayed ACK hold each keep-alive answer back by about 40 ms.
    disable_nagle_algorithm = True
    # Every read and write of the connection (StreamRequestHandler sets it on the socket).
    timeout = socket_timeout()
    renderer: NodeRenderer
    rebuilder: Rebuilder
    deadlines = Deadlines()
    seen = SeenDeliveries(HOOK_MAX_AGE)
    _compressed: dict[tuple[str, float], bytes] = {}
    body = b""
    timed_out = False

    # --- reading a request -------------------------------------------------------------------

    def handle_one_request(self) -> None:
        # The deadline runs from the wait for the request line to the end of the body (an
        # idle connection is closed by the socket timeout first, which is shorter).
        self.body, self.timed_out = b"", False
        self.deadlines.start(self, read_timeout())
        try:
            super().handle_one_request()
        finally:
            self.deadlines.done(self)

    def parse_request(self) -> bool:
        """The request's head (the standard library's parsing), then its whole body; False
        when the request was refused (and answered) instead."""
        if self.timed_out:
            # Cut off in the request line.
            self.refuse(HTTPStatus.REQUEST_TIMEOUT, "The request took too long to arrive")
            return False
        if not super().parse_request():
            return False
        if self.timed_out:
            self.refuse(HTTPStatus.REQUEST_TIMEOUT, "The request took too long to arrive")
            return False
        ok = self.read_body()
        self.deadlines.done(self)
        return ok

    def cut_off(self) -> None:
        """Called by the deadline thread: the waiting read ends at once (end of input)."""
        self.timed_out = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RD)

    def read_body(self) -> bool:
        if self.headers.get("Transfer-Encoding"):
            self.refuse(HTTPStatus.NOT_IMPLEMENTED, "Send the body with a Content-Length")
            return False
        lengths = {value.strip() for value in self.headers.get_all("Content-Length") or []}
        if not lengths:
            return True
        if len(lengths) > 1 or not next(iter(lengths)).isdigit():
            self.refuse(HTTPStatus.BAD_REQUEST, "Bad Content-Length")
            return False
        length = int(lengths.pop())
        limit, too_large = self.body_limit()
        if length > limit:
            self.refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, too_large)
            return False
        self.body = self.rfile.read(length)
        if len(self.body) < length:
            # The client went away, or was cut off, before the end of its body.
            self.close_connection = True
            if self.timed_out:
                self.refuse(HTTPStatus.REQUEST_TIMEOUT, "The request took too long to arrive")
            return False
        return True

    def body_limit(self) -> tuple[int, str]:
        """The largest body this request may have, and the words that refuse a larger one."""
        if self.command == "POST":
            if urlsplit(self.path).path == "/__hooks/publish":
                return MAX_HOOK_BODY, "The webhook's body is too large"
            return max_form_body(), "The form is too large"
        return MAX_OTHER_BODY, "The request's body is too large"

    def refuse(self, code: int, message: str) -> None:
        """Answer an error and close the connection: what is left of the request is unread."""
        self.close_connection = True
        self.send_error(code, message)

    # --- routing -------------------------------------------------------------------------

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        path = site_path(url.path)
        if "\x00" in path:
            # An escaped NUL (%00) names no file and no page.
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad path")
        elif path == "/config.js":
            self.send_config()
        elif path == "/__hooks/status":
            self.send_status()
        elif path == "/preview":
            # Drafts are rendered in the browser only: never built, never kept.
            self.send_file(PUBLIC / "index.html", cache="no-store")
        elif path in ("/robots.txt", "/sitemap.xml") or SITEMAP.fullmatch(path):
            target = dist_dir() / path.lstrip("/")
            if target.is_file():
                self.send_file(target, cache="no-cache")
            else:
                self.send_error(HTTPStatus.NOT_FOUND, "Not built yet")
        elif self.public_file(path):
            self.send_file(self.public_file(path), cache="public, max-age=300, must-revalidate")
        elif "." in posixpath.basename(path.rstrip("/")):
            self.send_error(HTTPStatus.NOT_FOUND, "No such file")
        elif path == "/":
            self.send_home_redirect()
        else:
            self.send_page(path, url.query)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_POST(self) -> None:
        if urlsplit(self.path).path != "/__hooks/publish":
            self.send_form()
            return
        body = self.body
        refused = self.hook_refusal(body)
        if refused:
            status, error = refused
            self.send_bytes(
                json.dumps({"error": error}).encode(), "application/json", status=status
            )
            return
        try:
            payload = json.loads(body)
            paths = [site_path(p) for p in payload.get("paths") or [] if isinstance(p, str)]
            paths += [
                site_path(urlsplit(u).path) for u in payload.get("urls") or [] if isinstance(u, str)
            ]
            everything = payload.get("rebuild") == "all"
        except (ValueError, AttributeError):
            self.send_error(HTTPStatus.BAD_REQUEST, "Not JSON")
            return
        paths = sorted({p for p in paths if p.startswith("/")})
        # A change every page may show (the site's texts, a collection moved): all.
        self.rebuilder.request(paths, full=everything)
        self.send_bytes(
            json.dumps({"accepted": "all" if everything else paths}).encode(),
            "application/json",
            status=HTTPStatus.ACCEPTED,
        )

    def hook_refusal(self, body: bytes) -> tuple[int, str] | None:
        """Why a webhook request is refused (its status and words), or None: a bad
        signature, a time outside the window, or a delivery and attempt already taken."""
        secret = os.environ.get("CIVIC_WEBHOOK_SECRET", "")
        stamp = self.headers.get(TIMESTAMP_HEADER) or ""
        attempt = self.headers.get(ATTEMPT_HEADER) or ""
        delivery = self.headers.get(DELIVERY_HEADER) or ""
        if not (stamp.isdigit() and attempt.isdigit() and delivery) or not signature_ok(
            body,
            self.headers.get(SIGNATURE_HEADER),
            secret,
            timestamp=int(stamp),
            delivery=delivery,
            attempt=int(attempt),
        ):
            return HTTPStatus.UNAUTHORIZED, "bad or missing signature"
        now = time.time()
        if abs(now - int(stamp)) > HOOK_MAX_AGE:
            return (
                HTTPStatus.UNAUTHORIZED,
                f"stale signature: signed more than {HOOK_MAX_AGE} seconds from this server's "
                "clock",
            )
        if not self.seen.first_time(f"{delivery} {int(attempt)}", int(stamp), now):
            return HTTPStatus.CONFLICT, f"delivery {delivery}, attempt {attempt}: already received"
        return None

    def send_status(self) -> None:
        """How many builds ran and whether one is pending; what the last one wrote and
        removed (paths of pages that may be hidden now) only with the webhook secret as a
        bearer token."""
        status = self.rebuilder.status()
        secret = os.environ.get("CIVIC_WEBHOOK_SECRET", "")
        given = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        if not (secret and hmac.compare_digest(given.encode(), secret.encode())):
            status = {"builds": status["builds"], "pending": status["pending"]}
        self.send_bytes(json.dumps(status).encode(), "application/json", cache="no-store")

    def send_form(self) -> None:
        """A contact form posted to its page (without JavaScript): the renderer sends it to the
        CMS and answers a 303 to the thanks, or the form again with its errors (400)."""
        url = urlsplit(self.path)
        path = site_path(url.path)
        content_type = self.headers.get("Content-Type") or ""
        kind = content_type.split(";")[0].strip().lower()
        if "\x00" in path or not path.endswith("/") or path.startswith("/__"):
            self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)
            return
        if kind not in ("multipart/form-data", "application/x-www-form-urlencoded"):
            self.send_error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "Send the form as a form")
            return
        body = self.body
        answer = self.renderer.ask(
            {
                "op": "submit",
                "url": path,
                "contentType": content_type,
                "body": base64.b64encode(body).decode("ascii"),
                "client": self.client_address[0],
            }
        )
        status = int(answer.get("status") or 502)
        if status == HTTPStatus.SEE_OTHER and answer.get("location"):
            self.redirect(answer["location"], status)
        elif answer.get("html"):
            self.send_bytes(
                answer["html"].encode(), CONTENT_TYPES[".html"], status=status, cache="no-store"
            )
        elif status == HTTPStatus.NOT_FOUND:
            self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)
        else:
            print(
                f"Form post failed for {path}: {answer.get('error')}", file=sys.stderr, flush=True
            )
            self.send_error(HTTPStatus.BAD_GATEWAY, "The form could not be sent")

    # --- pages -----------------------------------------------------------------------------

    def built(self, path: str) -> Path | None:
        """dist/<path>/index.html when the path is built (and inside dist)."""
        if not path.endswith("/"):
            return None
        dist = dist_dir()
        parts = [part for part in path.split("/") if part]
        if any(part in ("..", ".") or part.startswith(".") for part in parts):
            return None
        target = dist.joinpath(*parts, "index.html")
        return target if target.is_file() else None

    def send_page(self, path: str, query: str) -> None:
        plain = all(TRACKING.match(name) for name, _ in parse_qsl(query, keep_blank_values=True))
        if plain:
            target = self.built(path)
            if target:
                self.send_file(target, cache="no-cache")
                return
            if not path.endswith("/") and self.built(path + "/"):
                self.redirect(path + "/", HTTPStatus.MOVED_PERMANENTLY)
                return
        answer = self.renderer.render(path + (f"?{query}" if query else ""))
        status = int(answer.get("status") or 502)
        if answer.get("location") and status in (301, 302, 307, 308):
            self.redirect(answer["location"], status)
            return
        if status == HTTPStatus.NOT_FOUND:
            language = (re.match(r"^/([a-z]{2}(?:-[a-z]+)?)/", path) or [None, ""])[1]
            page = dist_dir() / language / "404.html" if language else dist_dir() / "404.html"
            if page.is_file():
                self.send_file(page, cache="no-cache", status=HTTPStatus.NOT_FOUND)
                return
        html = answer.get("html")
        if not html:
            # The renderer failed: the shell lets the browser try.
            print(f"Render failed for {path}: {answer.get('error')}", file=sys.stderr, flush=True)
            self.send_file(PUBLIC / "index.html", cache="no-store", status=HTTPStatus.OK)
            return
        self.send_bytes(html.encode(), CONTENT_TYPES[".html"], status=status, cache="no-cache")

    def send_home_redirect(self) -> None:
        """/ goes to the visitor's language when the site has it, else the default one."""
        wanted = [
            part.split(";")[0].strip()[:2].lower()
            for part in (self.headers.get("Accept-Language") or "").split(",")
        ]
        for code in wanted:
            if code and self.built(f"/{code}/"):
                self.redirect(f"/{code}/", HTTPStatus.FOUND)
                return
        answer = self.renderer.render("/")
        self.redirect(answer.get("location") or "/es/", HTTPStatus.FOUND)

    def redirect(self, location: str, status: int) -> None:
        self.send_response(status)
        # A header is ASCII: a path's accented letters go percent-encoded.
        self.send_header("Location", quote(location, safe=URL_SAFE))
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()

    # --- files -----------------------------------------------------------------------------

    def public_file(self, path: str) -> Path | None:
        parts = [part for part in path.split("/") if part]
        if not parts or any(part.startswith(".") for part in parts):
            return None
        target = PUBLIC.joinpath(*parts)
        if target.is_file() and PUBLIC in target.resolve().parents:
            return target
        return None

    def send_config(self) -> None:
        body = f"export default {json.dumps({'cmsUrl': cms_url()})};\n".encode()
        self.send_bytes(body, CONTENT_TYPES[".js"], cache="no-cache")

    def send_file(self, target: Path, *, cache: str, status: int = HTTPStatus.OK) -> None:
        stat = target.stat()
        etag = f'"{int(stat.st_mtime_ns):x}-{stat.st_size:x}"'
        if status == HTTPStatus.OK and self.not_modified(etag, stat.st_mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", cache)
            self.end_headers()
            return
        content_type = CONTENT_TYPES.get(target.suffix, "application/octet-stream")
        self.send_bytes(
            target.read_bytes(),
            content_type,
            status=status,
            cache=cache,
            extra={"ETag": etag, "Last-Modified": formatdate(stat.st_mtime, usegmt=True)},
            key=(str(target), stat.st_mtime_ns),
        )

    def not_modified(self, etag: str, mtime: float) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in [tag.strip() for tag in if_none_match.split(",")]
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return int(mtime) <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def send_bytes(
        self,
        body: bytes,
        content_type: str,
        *,
        status: int = HTTPStatus.OK,
        cache: str = "no-cache",
        extra: dict | None = None,
        key: tuple | None = None,
    ) -> None:
        encoding = None
        if (
            len(body) > 1024
            and content_type.startswith(COMPRESSIBLE)
            and "gzip" in (self.headers.get("Accept-Encoding") or "")
        ):
            compressed = self._compressed.get(key) if key else None
            if compressed is None:
                compressed = gzip.compress(body, compresslevel=6, mtime=0)
                if key:
                    if len(self._compressed) > 2000:
                        self._compressed.clear()
                    self._compressed[key] = compressed
            body, encoding = compressed, "gzip"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("Vary", "Accept-Encoding")
        if self.close_connection:
            self.send_header("Connection", "close")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        body = f"{int(code)} {message or HTTPStatus(code).phrase}\n".encode()
        self.send_bytes(body, "text/plain; charset=utf-8", status=code, cache="no-cache")

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", content_security_policy(cms_url()))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "strict-origin-when-cross-origin")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        if os.environ.get("FRONTEND_LOG"):
            super().log_message(format, *args)


def main() -> None:
    host = os.environ.get("FRONTEND_HOST", "127.0.0.1")
    port = int(os.environ.get("FRONTEND_PORT", "3000"))
    server = ThreadingHTTPServer((host, port), FrontendHandler)
    server.daemon_threads = True
    site = os.environ.get("FRONTEND_SITE_URL") or f"http://{host}:{server.server_port}"
    env = {
        **os.environ,
        "FRONTEND_SITE_URL": site,
        "FRONTEND_DIST": str(dist_dir()),
        "CIVIC_CMS_URL": cms_url(),
    }
    renderer = NodeRenderer(env)
    FrontendHandler.renderer = renderer
    FrontendHandler.rebuilder = Rebuilder(renderer)
    print(f"Frontend: http://{host}:{server.server_port}/ (CMS: {cms_url()})", flush=True)
    print(f"Static build: {dist_dir()}", flush=True)
    hook = f"{site}/__hooks/publish"
    if os.environ.get("CIVIC_WEBHOOK_SECRET"):
        print(
            f"Publish webhook: register {hook} in the CMS admin (Webhooks → Webhook "
            "endpoints) with the secret in CIVIC_WEBHOOK_SECRET",
            flush=True,
        )
    else:
        print(f"Publish webhook: {hook} refuses every call: set CIVIC_WEBHOOK_SECRET", flush=True)
    if os.environ.get("FRONTEND_BUILD", "startup") == "startup":
        FrontendHandler.rebuilder.request(full=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        renderer.stop()
        sys.stdout.flush()


if __name__ == "__main__":
    main()
