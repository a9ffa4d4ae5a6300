"""Render pages of the reference frontend against the test's own CMS: the Node renderer
(tests/frontend/render_cms.mjs) asks its API questions on stdout and this module answers
each through Django's test client, in the test's database and transaction (no server)."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")
HARNESS = Path(__file__).with_name("render_cms.mjs")

needs_node = pytest.mark.skipif(
    NODE is None or not (ROOT / "frontend/node_modules/linkedom").is_dir(),
    reason="Node.js and frontend/node_modules (scripts/bootstrap) are needed",
)


def _answer(client, request: dict) -> dict:
    url = urlsplit(request["url"])
    target = f"{url.path}?{url.query}" if url.query else url.path
    if request["method"] == "POST":
        response = client.post(target, data=request["body"], content_type="application/json")
    else:
        response = client.get(target, HTTP_ACCEPT="application/json")
    return {"id": request["id"], "status": response.status_code, "body": response.content.decode()}


def render(client, *paths: str) -> dict[str, dict]:
    """What a reader gets of each path (see render_cms.mjs), by path."""
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(  # noqa: S603 - our own harness
            [NODE, str(HARNESS), *paths],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        watchdog = threading.Timer(120, process.kill)
        watchdog.start()
        pages = None
        try:
            for line in process.stdout:
                message = json.loads(line)
                if "fetch" in message:
                    process.stdin.write(json.dumps(_answer(client, message["fetch"])) + "\n")
                    process.stdin.flush()
                elif "pages" in message:
                    pages = message["pages"]
            process.stdin.close()
            process.wait()
        finally:
            watchdog.cancel()
        errors.seek(0)
        problems = errors.read()
        assert process.returncode == 0, problems
        assert pages is not None, problems
    return {page["path"]: page for page in pages}
