"""Serve the reference frontend: its static files, /config.js from the environment, and
index.html for every route (/es/services/<slug>/, /preview?token=…), which the browser
then renders from the CMS's GraphQL API.

Only the standard library is used, so any Python 3.10+ runs it:

    CIVIC_CMS_URL=http://127.0.0.1:8000 python3 frontend/server.py   # or scripts/frontend

FRONTEND_HOST and FRONTEND_PORT choose the address (default 127.0.0.1:3000).
"""

from __future__ import annotations

import json
import os
import posixpath
import sys
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

PUBLIC = Path(__file__).resolve().parent / "public"


def cms_url() -> str:
    """The CMS's base URL, without a trailing slash."""
    return os.environ.get("CIVIC_CMS_URL", "http://127.0.0.1:8000").rstrip("/")


def content_security_policy(cms: str) -> str:
    # Scripts and styles come only from this server; data comes only from the CMS.
    # Images may also come from https pages linked in Markdown; videos play in
    # the providers' iframes. Only the CMS may frame the site: its admin shows
    # "Preview in frontend" in its preview panel.
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' data: https: {cms}",
            f"connect-src 'self' {cms}",
            "frame-src https:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            f"frame-ancestors 'self' {cms}",
        ]
    )


class FrontendHandler(SimpleHTTPRequestHandler):
    """Static files from public/; index.html for any path that is a route, not a file."""

    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".css": "text/css",
        ".svg": "image/svg+xml",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(PUBLIC), **kwargs)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/config.js":
            self.send_config()
            return
        if not self.is_file(path):
            if "." in posixpath.basename(path.rstrip("/")):
                self.send_error(HTTPStatus.NOT_FOUND, "No such file")
                return
            # A route such as /es/services/democratic-funding/: the app renders it.
            self.path = "/index.html"
        super().do_GET()

    def do_HEAD(self) -> None:
        self.do_GET()

    def is_file(self, path: str) -> bool:
        target = Path(self.translate_path(path))
        return target.is_file() and PUBLIC in target.resolve().parents

    def send_config(self) -> None:
        body = f"export default {json.dumps({'cmsUrl': cms_url()})};\n".encode()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/javascript; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def list_directory(self, path):
        self.send_error(HTTPStatus.NOT_FOUND, "No such file")
        return None

    def end_headers(self) -> None:
        # Always revalidate: a redeployed frontend is picked up at the next load.
        self.send_header("Cache-Control", "no-cache")
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
    print(f"Frontend: http://{host}:{server.server_port}/ (CMS: {cms_url()})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        sys.stdout.flush()


if __name__ == "__main__":
    main()
