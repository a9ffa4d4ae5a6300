"""A real HTTP receiver on 127.0.0.1 for webhook tests."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Receiver:
    """Records every POST; answers ``fail_first`` of them with HTTP 503."""

    url: str = ""
    fail_first: int = 0
    requests: list[dict] = field(default_factory=list)

    @property
    def payloads(self) -> list[dict]:
        return [
            json.loads(r["body"])
            for r in self.requests
            if r["status"] == 200 and r["method"] == "POST"
        ]


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status = 503 if len(state.requests) < state.fail_first else 200
            state.requests.append(
                {
                    "method": "POST",
                    "headers": dict(self.headers),
                    "body": body,
                    "status": status,
                    "path": self.path,
                }
            )
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"busy" if status == 503 else b"ok")

        def do_PURGE(self):
            state.requests.append(
                {
                    "method": "PURGE",
                    "headers": dict(self.headers),
                    "body": b"",
                    "status": 200,
                    "path": self.path,
                }
            )
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/hooks/civic"
    yield state
    server.shutdown()
    server.server_close()
