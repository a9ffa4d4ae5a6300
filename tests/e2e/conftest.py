"""End-to-end fixtures: the CMS and the reference frontend as real servers, Debian's chromium.

The CMS runs as its own process (``manage.py runserver`` with the development settings)
on a temporary SQLite database that is migrated and loaded with the demo content once per
session, with its task workers (``manage.py db_worker``: webhooks, renditions, contact
form notifications); the frontend's static build is made from it (``node
frontend/ssr/build.mjs``) and ``frontend/server.py`` serves it, registered in the CMS as
a webhook endpoint so what an editor publishes is rebuilt. They listen on free ports of
127.0.0.1 and are stopped when the session ends. The browser is /usr/bin/chromium driven
by Playwright: ``scripts/ensure-chromium`` installs Debian's package where it is missing,
and the tests are skipped with its reason only when that is impossible.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.admin import EDITOR, TRANSLATOR

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"
CHROMIUM = os.environ.get("CIVIC_CHROMIUM", "/usr/bin/chromium")
# Flags for a sandboxed, offline machine: no GPU, no background calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
START_TIMEOUT = 90
# The secret the e2e CMS signs its publish webhooks with, and the frontend checks.
WEBHOOK_SECRET = "e2e-webhook-secret"
NODE = shutil.which("node")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Servers:
    """Where the CMS and the frontend listen, and a way to ask the CMS's API directly."""

    cms: str
    frontend: str
    mail: Path
    dist: Path
    env: dict

    def shell(self, code: str) -> str:
        """Runs Python in the CMS's environment (``manage.py shell -c``); what it printed."""
        return manage(self.env, "shell", "-c", code)

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        request = urllib.request.Request(  # noqa: S310 - our own server
            f"{self.cms}/graphql/",
            data=json.dumps({"query": query, "variables": variables or {}}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our server
            return json.load(response)

    def page_id(self, path: str) -> int:
        result = self.graphql("query ($p: String!) { page(path: $p) { id } }", {"p": path})
        return int(result["data"]["page"]["id"])


class ServerProcess:
    """A child process with its output in a log file; stopped with its whole process group."""

    def __init__(self, name: str, command: list[str], env: dict, log: Path) -> None:
        self.name = name
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own commands
            command,
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_ready(self, url: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not answer {url}:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log_file.close()


def run_checked(command: list[str], env: dict, what: str) -> str:
    """Run one of our own commands from the project root; fail with its output's end;
    what it printed."""
    result = subprocess.run(  # noqa: S603 - our own commands
        command,
        cwd=ROOT,
        env=env,
        text=True,
        capture_output=True,
        timeout=600,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"{what} failed:\n{result.stdout}{result.stderr}"[-4000:])
    return result.stdout


def manage(env: dict, *args: str) -> str:
    return run_checked([sys.executable, "manage.py", *args], env, f"manage.py {args[0]}")


def build_site(env: dict) -> None:
    """The frontend's static build of the CMS (``node frontend/ssr/build.mjs``)."""
    if not (ROOT / "frontend" / "node_modules" / "linkedom").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],  # noqa: S607
            cwd=ROOT / "frontend",
            check=True,
            timeout=600,
        )
    run_checked([NODE, str(ROOT / "frontend" / "ssr" / "build.mjs")], env, "the static build")


CREATE_USERS = """
from django.contrib.auth import get_user_model
User = get_user_model()
for name, password in {users!r}:
    if not User.objects.filter(username=name).exists():
        User.objects.create_superuser(name, name + "@example.org", password)
"""


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, installed by scripts/ensure-chromium when it is missing."""
    result = subprocess.run(  # noqa: S603
        [str(ROOT / "scripts" / "ensure-chromium")],
        env={**os.environ, "CIVIC_CHROMIUM": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if result.returncode != 0 or not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"chromium is not available: {result.stderr.strip() or result.stdout.strip()}")
    return CHROMIUM


@pytest.fixture(scope="session")
def servers(tmp_path_factory) -> Servers:
    """The CMS (demo content, an editor and a translator) and the frontend, on free ports."""
    workdir = tmp_path_factory.mktemp("e2e-servers")
    cms_port, frontend_port = free_port(), free_port()
    cms = f"http://127.0.0.1:{cms_port}"
    frontend = f"http://127.0.0.1:{frontend_port}"
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "DJANGO_SETTINGS_MODULE",
            "CACHE_KEY_PREFIX",
            "CIVIC_CACHE_DIR",
        }
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        # Writers wait for each other instead of failing with "database is locked".
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}?timeout=30&transaction_mode=IMMEDIATE",
        MEDIA_ROOT=str(workdir / "media"),
        CIVIC_CACHE_DIR=str(workdir / "cache"),
        CIVIC_CORS_ALLOWED_ORIGINS=frontend,
        # Contact form notifications are written as files the tests read.
        CIVIC_EMAIL_DIR=str(workdir / "mail"),
        CIVIC_FRONTEND_URL=frontend,
        # The frontend's hook is on 127.0.0.1, an internal address.
        CIVIC_WEBHOOK_ALLOW_INTERNAL="1",
        WAGTAILADMIN_BASE_URL=cms,
        # A short HTTP cache window keeps the "new content within the window" test quick.
        CIVIC_GRAPHQL_HTTP_MAX_AGE="4",
        CIVIC_GRAPHQL_HTTP_STALE_WHILE_REVALIDATE="4",
        PYTHONUNBUFFERED="1",
    )
    if NODE is None:
        pytest.skip("Node.js is needed for the frontend's renderer (scripts/ensure-node)")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo")
    manage(env, "shell", "-c", CREATE_USERS.format(users=[EDITOR, TRANSLATOR]))
    manage(env, "shell", "-c", "from tests.e2e.content import build_every_block_page as b; b()")
    hook = f"{frontend}/__hooks/publish"
    manage(env, "register_webhook", hook, "--secret", WEBHOOK_SECRET)
    dist = workdir / "dist"
    frontend_env = {
        **env,
        "FRONTEND_PORT": str(frontend_port),
        "CIVIC_CMS_URL": cms,
        "FRONTEND_SITE_URL": frontend,
        "FRONTEND_DIST": str(dist),
        "FRONTEND_BUILD": "none",
        "CIVIC_WEBHOOK_SECRET": WEBHOOK_SECRET,
    }

    processes = [
        ServerProcess(
            "CMS",
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{cms_port}", "--noreload"],
            env,
            workdir / "cms.log",
        ),
        ServerProcess(
            "webhook worker",
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--backend",
                "webhooks",
                "--queue-name",
                "webhooks",
                "--interval",
                "0.2",
                "--no-reload",
                "--no-startup-delay",
            ],
            env,
            workdir / "worker.log",
        ),
        ServerProcess(
            "rendition worker",
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--backend",
                "media",
                "--queue-name",
                "renditions",
                "--interval",
                "0.2",
                "--no-reload",
                "--no-startup-delay",
            ],
            env,
            workdir / "renditions.log",
        ),
        ServerProcess(
            "notification worker",
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--backend",
                "notifications",
                "--queue-name",
                "notifications",
                "--interval",
                "0.2",
                "--no-reload",
                "--no-startup-delay",
            ],
            env,
            workdir / "notifications.log",
        ),
    ]
    try:
        processes[0].wait_until_ready(f"{cms}/graphql/?query=%7Blocales%7Bcode%7D%7D")
        build_site(frontend_env)
        processes.append(
            ServerProcess(
                "frontend",
                [sys.executable, str(ROOT / "frontend" / "server.py")],
                frontend_env,
                workdir / "frontend.log",
            )
        )
        processes[-1].wait_until_ready(f"{frontend}/config.js")
        yield Servers(cms=cms, frontend=frontend, mail=workdir / "mail", dist=dist, env=env)
    finally:
        for process in processes:
            process.stop()


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Screenshots:
    """Saves numbered screenshots of a test's key steps under artifacts/e2e/<test>/."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()

    def __call__(self, page, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def screenshots(request) -> Screenshots:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    return Screenshots(ARTIFACTS / name)


# CIVIC_E2E_TRACE=1 records a Playwright trace of each test (screenshots, DOM snapshots,
# network) and keeps it for the tests that fail, as artifacts/e2e/<test>/trace.zip (open it
# with `.venv/bin/playwright show-trace FILE`). Off by default: tracing slows every step.
TRACE = os.environ.get("CIVIC_E2E_TRACE") == "1"


@pytest.fixture
def context(request, browser, screenshots):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(20_000)
    if TRACE:
        context.tracing.start(screenshots=True, snapshots=True, sources=True)
    yield context
    if TRACE:
        failed = getattr(request.node, "e2e_failed", False)
        context.tracing.stop(path=str(screenshots.folder / "trace.zip") if failed else None)
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


@pytest.fixture
def page(request, context, screenshots):
    """A browser tab; JavaScript errors of the page fail the test, a failure is screenshotted."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    if getattr(request.node, "e2e_failed", False):
        screenshots(page, "failure")
    assert errors == [], f"JavaScript errors in the page: {errors}"
