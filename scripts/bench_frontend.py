#!/usr/bin/env python3
"""Static files or server-side rendering? Measures the reference frontend both ways in one
run, on the same machine, against the same CMS, and writes docs/benchmarks/frontend.md.

    .venv/bin/python scripts/bench_frontend.py [--seconds 10] [--concurrency 8]

It starts its own servers on free ports (as tests/e2e does): the CMS (runserver, demo
content, a temporary SQLite database, its API response cache on) with its webhook worker,
the frontend's static build and frontend/server.py, registered as the CMS's webhook
endpoint. Then, for the demo service page:

- static: GET /es/services/democratic-funding/, served from frontend/dist;
- SSR: GET /es/services/democratic-funding/?v=<n>, which is not a built file and is
  rendered on each request by the Node renderer (the CMS's API answers come from its
  response cache after the first);

each with N client threads (keep-alive) for a fixed time: requests per second and
latency percentiles. Last, publish→visible: the page's title is changed and published
in the CMS (a revision published through Wagtail, as the admin does); the time until the
static page served shows it (webhook worker → /__hooks/publish → rebuild) is measured,
several times.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "benchmarks" / "frontend.md"
PAGE = "/es/services/democratic-funding/"
SECRET = "bench-webhook-secret"  # noqa: S105 - a throwaway local server's

WORKER = [sys.executable, "manage.py", "db_worker", "--backend", "webhooks", "--queue-name"]
WORKER.append("webhooks")

PUBLISH = """
import time
from services.models import ServicePage
page = ServicePage.objects.get(slug="democratic-funding", locale__language_code="es")
page.title = {title!r}
page.save_revision().publish()
print("PUBLISHED_AT", time.time())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - our servers
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own management commands
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def load(host: str, port: int, path_of, seconds: float, concurrency: int) -> dict:
    """Each thread sends GETs on one keep-alive connection for `seconds`; latencies in ms."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    counter = iter(range(10**9))

    def worker() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection(host, port, timeout=60)
        mine = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                connection.request(
                    "GET", path_of(next(counter)), headers={"Accept-Encoding": "gzip"}
                )
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=60)
            if ok:
                mine.append((time.perf_counter() - started) * 1000)
            else:
                with lock:
                    errors += 1
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] if latencies else 0

    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "mean": statistics.fmean(latencies) if latencies else 0,
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--publishes", type=int, default=5)
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-frontend-"))
    cms_port, frontend_port = free_port(), free_port()
    cms, frontend = f"http://127.0.0.1:{cms_port}", f"http://127.0.0.1:{frontend_port}"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}?timeout=30&transaction_mode=IMMEDIATE",
        MEDIA_ROOT=str(workdir / "media"),
        CIVIC_CACHE_DIR=str(workdir / "cache"),
        CIVIC_CORS_ALLOWED_ORIGINS=frontend,
        CIVIC_FRONTEND_URL=frontend,
        # The frontend's hook is on 127.0.0.1, an internal address.
        CIVIC_WEBHOOK_ALLOW_INTERNAL="1",
        PYTHONUNBUFFERED="1",
    )
    front_env = {
        **env,
        "CIVIC_CMS_URL": cms,
        "FRONTEND_PORT": str(frontend_port),
        "FRONTEND_SITE_URL": frontend,
        "FRONTEND_DIST": str(workdir / "dist"),
        "FRONTEND_BUILD": "none",
        "CIVIC_WEBHOOK_SECRET": SECRET,
    }
    print("Preparing the CMS…", flush=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo")
    manage(
        env,
        "shell",
        "-c",
        "from delivery.models import WebhookEndpoint; WebhookEndpoint.objects.create("
        f"name='bench', url='{frontend}/__hooks/publish', secret='{SECRET}')",
    )
    logs = [open(workdir / name, "wb") for name in ("cms.log", "worker.log", "frontend.log")]  # noqa: SIM115
    processes = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{cms_port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=logs[0],
            stderr=subprocess.STDOUT,
            start_new_session=True,
        ),
        subprocess.Popen(  # noqa: S603
            [*WORKER, "--interval", "0.2", "--no-reload"],
            cwd=ROOT,
            env=env,
            stdout=logs[1],
            stderr=subprocess.STDOUT,
            start_new_session=True,
        ),
    ]
    try:
        wait_for(f"{cms}/graphql/?query=%7B__typename%7D")
        started = time.monotonic()
        build = subprocess.run(  # noqa: S603
            [shutil.which("node") or "node", "frontend/ssr/build.mjs"],
            cwd=ROOT,
            env=front_env,
            capture_output=True,
            text=True,
            check=True,
        )
        build_report = json.loads(build.stdout.strip().splitlines()[-1])
        build_seconds = time.monotonic() - started
        processes.append(
            subprocess.Popen(
                [sys.executable, "frontend/server.py"],
                cwd=ROOT,
                env=front_env,
                stdout=logs[2],
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        wait_for(f"{frontend}/config.js")
        # Warm up both ways (the Node renderer starts, the API cache fills).
        for i in range(5):
            urllib.request.urlopen(f"{frontend}{PAGE}?v=warm{i}").read()  # noqa: S310
            urllib.request.urlopen(f"{frontend}{PAGE}").read()  # noqa: S310

        print("Static…", flush=True)
        static = load(
            "127.0.0.1", frontend_port, lambda n: PAGE, options.seconds, options.concurrency
        )
        print("SSR…", flush=True)
        ssr = load(
            "127.0.0.1",
            frontend_port,
            lambda n: f"{PAGE}?v={n}",
            options.seconds,
            options.concurrency,
        )

        print("Publish → visible…", flush=True)
        visible = []
        for round_ in range(options.publishes):
            title = f"Crowdfunding cívico {round_ + 1}"
            out = manage(env, "shell", "-c", PUBLISH.format(title=title))
            published_at = float(re.search(r"PUBLISHED_AT ([0-9.]+)", out).group(1))
            deadline = time.time() + 60
            while time.time() < deadline:
                with urllib.request.urlopen(f"{frontend}{PAGE}") as response:  # noqa: S310
                    if title in response.read().decode():
                        break
                time.sleep(0.05)
            visible.append(time.time() - published_at)
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=10)
        for log in logs:
            log.close()

    report = render_report(options, static, ssr, visible, build_report, build_seconds)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(report)
    print(report)
    shutil.rmtree(workdir, ignore_errors=True)


def render_report(options, static, ssr, visible, build_report, build_seconds) -> str:
    def row(name, r):
        return (
            f"| {name} | {r['rps']:.0f} | {r['mean']:.1f} | {r['p50']:.1f} | {r['p95']:.1f} "
            f"| {r['p99']:.1f} | {r['requests']} | {r['errors']} |"
        )

    cpus = os.cpu_count()
    return f"""# Reference frontend: static build vs server-side rendering

Measured by `scripts/bench_frontend.py` on {time.strftime("%Y-%m-%d")} ({platform.machine()},
{cpus} CPUs, Python {platform.python_version()}, Node {node_version()}), in one run against
the same CMS (runserver, demo content, SQLite, the API's response cache on). Page:
`{PAGE}`; {options.concurrency} client threads with keep-alive for {options.seconds:.0f} s
each; gzip asked. Latencies in milliseconds.

| served as | req/s | mean | p50 | p95 | p99 | requests | errors |
|---|---:|---:|---:|---:|---:|---:|---:|
{row("static file (frontend/dist)", static)}
{row("on-demand SSR (Node renderer, per request)", ssr)}

Static serving is **{static["rps"] / max(ssr["rps"], 0.001):.0f} times** the throughput of
rendering on each request, at {static["p50"]:.1f} ms against {ssr["p50"]:.1f} ms (p50).

## Building and publishing

- Full build: {build_report["pages"]} pages (every page of es, en and ca, the team pages)
  plus 404 pages, sitemaps and robots.txt in **{build_seconds:.1f} s** (Node start included).
- Publish → visible (a revision published in the CMS; its webhook worker polls every
  0.2 s, calls `/__hooks/publish`, the frontend rebuilds the page, its translations, the
  listing, the pages linking to it, the home and team pages and the sitemaps), over
  {len(visible)} publishes: **median {statistics.median(visible):.2f} s**, max
  {max(visible):.2f} s ({", ".join(f"{v:.2f}" for v in visible)} s). The documented bound
  checked end to end by `tests/e2e/test_publish_reaches_site.py` is 10 s.
"""


def node_version() -> str:
    try:
        return subprocess.run(  # noqa: S603
            [shutil.which("node") or "node", "--version"], capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "?"


if __name__ == "__main__":
    main()
