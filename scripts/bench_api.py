"""The content API's engine, its response cache and wagtail-grapple, side by side: one command.

    .venv/bin/python scripts/bench_api.py            # full run, about 25 minutes
    .venv/bin/python scripts/bench_api.py --quick    # smoke test, under 5 minutes

The peer (../shared/peers/grapple: a small Wagtail site with the same service-page shape,
serving wagtail-grapple 0.31) runs in its own virtualenv, created under var/peer-venv on the
first run. The same Jekyll site (the shared platoniq-sample fixture, else the CMS's demo
content) is imported into both: the peer with ``manage.py peer_import``, the CMS with
``manage.py import_jekyll`` and then ``manage.py make_renditions --now`` (what the rendition
worker does in a deployment). Every server is gunicorn with 2 sync workers on 127.0.0.1
over its own SQLite database; the CMS runs with ``cms.settings.bench`` (production
settings plus the ``X-Civic-Queries`` header, which counts each request's SQL queries; the
embedded cache, no Redis).

The API keeps two caches, and each case says which it had on:

- **engine** (nothing kept between requests): response cache off
  (``CIVIC_GRAPHQL_CACHE_SECONDS=0``) and no HTTP caching (``CIVIC_GRAPHQL_HTTP_MAX_AGE=0``,
  ``CIVIC_GRAPHQL_HTTP_STALE_WHILE_REVALIDATE=0``): every request runs the resolvers and
  their SQL. Only parsed query documents stay in a process.
- **response cache**: ``CIVIC_GRAPHQL_CACHE_SECONDS=600``, HTTP max-age and
  stale-while-revalidate at their production defaults (30 s each; wrk sends no
  ``If-None-Match``, so every request reaches the server). Every measured request is a hit
  (``X-Civic-Cache: hit``).

Cases:

1. **Full service page, engine, against grapple's same query** (``peer_query.py body``):
   throughput under wrk, and cold latency: one request at a time, the two sides taking
   turns, each CMS request after a content change (the page published again through
   Wagtail, ``POST /bench/change/`` of ``cms.bench``, untimed).
2. **``services(first: 20)`` of full pages, engine**, on sites of 100 and 10,000 service
   pages (the measured page bulk-cloned): throughput, and the SQL queries per request at
   both sizes.
3. **A response-cache hit against the same bytes as a static file**: the answer a GET hit
   sends, saved to a file and served (a) by ``django.views.static.serve`` in the same CMS
   server (same gunicorn, same Django middleware: the target's measure) and (b) by
   ``scripts/bench_static.py``, a WSGI app of a few lines with no framework, under gunicorn
   with the same settings (the floor, for reference).

Throughput cases run under wrk (4 connections) in interleaved slices: every case gets a
slice in turn, so a noisy moment on the shared machine hits them alike, and ratios are
read between cases of the same run. An answer with GraphQL errors is never measured as a
success: the first answers of each case are checked, wrk counts every answer that is not
a 200 or holds ``"errors":``, and the cold driver checks each answer. cProfile, in one
process, of the engine's cold full page, of the listing at the larger size and of a
response-cache hit completes the report. Results: docs/benchmarks/api.json and api.md
(notes below the marker in api.md are kept).

``--revision REV`` measures the CMS code of a commit (``git archive``) with the benchmark's
own files (cms/bench.py, cms/settings/bench.py) from the working tree: useful while the
working tree is being edited.
"""

import argparse
import cProfile
import http.client
import json
import os
import platform
import pstats
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
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "benchmarks"
PEER_DIR = REPO.parent / "shared" / "peers" / "grapple"
FIXTURE = Path(
    os.environ.get("CIVIC_SAMPLE_SITE") or REPO.parent / "shared" / "fixtures" / "platoniq-sample"
).resolve()
DEMO_CONTENT = REPO / "cms" / "demo_content"
PEER_VENV = REPO / "var" / "peer-venv"
PEER_PACKAGES = ["wagtail-grapple==0.31.0", "gunicorn", "pyyaml"]
# The benchmark's own files, taken from the working tree with --revision.
HARNESS = ["cms/bench.py", "cms/settings/bench.py"]
# The page peer_query.py asks for: the real site's service page with every kind of block.
SLUG, LOCALE = "democratic-funding", "es"
WORKERS = 2
CONCURRENCY = 4
WRK = shutil.which("wrk") or "wrk"
STARTED = time.time()

# What the CMS keeps between requests, as settings. Engine: nothing.
ENGINE = {
    "CIVIC_GRAPHQL_CACHE_SECONDS": 0,
    "CIVIC_GRAPHQL_HTTP_MAX_AGE": 0,
    "CIVIC_GRAPHQL_HTTP_STALE_WHILE_REVALIDATE": 0,
}
# The response cache on, HTTP caching at its production defaults.
CACHED = {
    "CIVIC_GRAPHQL_CACHE_SECONDS": 600,
    "CIVIC_GRAPHQL_HTTP_MAX_AGE": 30,
    "CIVIC_GRAPHQL_HTTP_STALE_WHILE_REVALIDATE": 30,
}


def say(message: str) -> None:
    """Progress, with the minutes and seconds since the start."""
    elapsed = int(time.time() - STARTED)
    print(f"[{elapsed // 60:02d}:{elapsed % 60:02d}] {message}", flush=True)


# --- The CMS queries: the one place to adjust when the schema changes ----------------------
#
# The same content as the peer's query (peer_query.py FULL: the page, its header image,
# every block, collaborators with logos), plus what the CMS gives that grapple's query
# does not ask: Markdown rendered to HTML, and image renditions. The listing asks the same
# full page for each of its 20 services.

SERVICE_FIELDS = """
fragment Service on ServicePage {
  id title slug url
  description { markdown html }
  image { ...Picture }
  body {
    __typename id blockType
    ... on MarkdownBlock { markdown html }
    ... on MetricsBlock { metrics { number text } }
    ... on NumbersBlock { numbers { number label } }
    ... on QuoteBlock { text { markdown html } author }
    ... on QuestionsBlock { questions { question } }
    ... on VideoBlock { title url embedUrl provider }
    ... on CallToActionBlock { text { markdown html } buttonLabel url image { ...Picture } }
    ... on CollaboratorsBlock { title collaborators { name slug url logo { ...Logo } } }
    ... on ImageBlock { image { ...Picture } caption }
  }
}
fragment Picture on Image { url width height alt rendition(preset: HERO) { url width height } }
fragment Logo on Image { url alt rendition(preset: LOGO) { url width height } }
"""
CMS_FULL_PAGE = (
    """
query ($slug: String!, $locale: String) {
  service(slug: $slug, locale: $locale) { ...Service }
}"""
    + SERVICE_FIELDS
)
CMS_LISTING = (
    """
query ($first: Int, $locale: String) {
  services(first: $first, locale: $locale) {
    totalCount
    edges { cursor node { ...Service } }
    pageInfo { hasNextPage endCursor }
  }
}"""
    + SERVICE_FIELDS
)
CMS_FULL_VARIABLES = {"slug": SLUG, "locale": LOCALE}
CMS_LISTING_VARIABLES = {"first": 20, "locale": LOCALE}
# The full page over GET, as a frontend or CDN asks for it (the response-cache case).
CMS_FULL_GET = "/graphql/?" + urllib.parse.urlencode(
    {"query": CMS_FULL_PAGE, "variables": json.dumps(CMS_FULL_VARIABLES)}
)


# --- Inside Django (subcommands run with the bench settings) ---------------------------------


def _django():
    sys.path.insert(0, os.environ.get("CIVIC_BENCH_CODE", str(REPO)))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.bench")
    import django

    django.setup()


def clone(size: int) -> None:
    """Bring the measured page's language to ``size`` service pages, by bulk copies of it."""
    _django()
    import uuid

    from django.db import connection, transaction
    from wagtail.models import Page

    from services.models import ServicePage

    template = Page.objects.get(slug=SLUG, locale__language_code=LOCALE)
    parent = template.get_parent()
    count = size - ServicePage.objects.child_of(parent).count()
    own = [f.column for f in ServicePage._meta.local_concrete_fields if not f.primary_key]
    ptr = ServicePage._meta.pk.column
    table = ServicePage._meta.db_table
    with transaction.atomic():
        start = parent.numchild
        pages = []
        for i in range(count):
            page = Page.objects.get(pk=template.pk)
            page.pk = page.id = None
            page.path = Page._get_path(parent.path, parent.depth + 1, start + i + 1)
            page.slug = f"{SLUG}-{i:05d}"
            page.title = page.draft_title = f"Servicio {i:05d}"
            page.url_path = f"{parent.url_path}{page.slug}/"
            page.translation_key = uuid.uuid4()
            pages.append(page)
        Page.objects.bulk_create(pages, batch_size=500)
        columns = ", ".join(own)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} ({ptr}, {columns}) "  # noqa: S608
                f"SELECT %s, {columns} FROM {table} WHERE {ptr} = %s",
                [(page.pk, template.pk) for page in pages],
            )
        Page.objects.filter(pk=parent.pk).update(numchild=start + count)


def short_name(func: tuple) -> str:
    """``file:line(name)`` with the virtualenv and code prefixes and addresses cut."""
    text = re.sub(r" at 0x[0-9a-f]+", "", pstats.func_std_string(func))
    for prefix in sorted({*sys.path, os.environ.get("CIVIC_BENCH_CODE", "")}, key=len)[::-1]:
        if prefix and text.startswith(prefix.rstrip("/") + "/"):
            return text[len(prefix.rstrip("/")) + 1 :]
    return text


def package_of(func: tuple) -> str:
    """The package a profiled function belongs to: django.db, graphql, graphql_api, ..."""
    filename, _line, name = func
    if filename == "~":
        return "sqlite3 (driver)" if "sqlite" in name.lower() else "builtins"
    parts = Path(short_name(func).split(":")[0]).parts
    if not parts or parts[0] == "/" or len(parts) == 1:
        return "stdlib" if filename.startswith(sys.base_prefix) else "other"
    if parts[0] == "django" and len(parts) > 2:
        return f"django.{parts[1]}"
    return parts[0].removesuffix(".py")


PROFILES = {
    # mode: (what is asked, whether each request follows a content change)
    "full_page": ("the full service page (POST), engine settings", True),
    "listing": ("services(first: 20) of full pages (POST), engine settings", True),
    "hit": ("the full service page (GET) from the response cache", False),
}


def profile(mode: str, requests: int, out: Path) -> None:
    """cProfile over ``requests`` requests of ``mode`` (see PROFILES) in one process.

    As many requests again, alternating with the profiled ones, are timed without the
    profiler, for the request's real cost in one process. For a response-cache hit, the
    same bytes served as a static file by the same Django (``/bench-static/``) are timed
    too, alternating with it.
    """
    _django()
    from django.conf import settings
    from django.test import Client

    from cms.bench import make_content_change

    client = Client()
    change = PROFILES[mode][1]
    if mode == "listing":
        body = json.dumps({"query": CMS_LISTING, "variables": CMS_LISTING_VARIABLES})
        root = "services"
    else:
        body = json.dumps({"query": CMS_FULL_PAGE, "variables": CMS_FULL_VARIABLES})
        root = "service"

    def ask():
        if mode == "hit":
            return client.get(CMS_FULL_GET)
        return client.post("/graphql/", body, content_type="application/json")

    static_name = "profile-service.json"
    if mode == "hit":
        first = ask()
        Path(settings.CIVIC_BENCH_STATIC_DIR, static_name).write_bytes(first.content)
    profiler = cProfile.Profile()
    profiled, plain, static, queries, errors, states = [], [], [], [], [], []
    warmup = 3  # the first ones import modules: not counted
    for i in range(warmup + 2 * requests):
        if change:
            make_content_change(SLUG, LOCALE)
        on = i >= warmup and (i - warmup) % 2 == 0
        started = time.perf_counter()
        if on:
            profiler.enable()
        response = ask()
        if on:
            profiler.disable()
        elapsed = time.perf_counter() - started
        if mode == "hit" and not on:
            started = time.perf_counter()
            client.get(f"/bench-static/{static_name}")
            if i >= warmup:
                static.append(time.perf_counter() - started)
        if i >= warmup:
            (profiled if on else plain).append(elapsed)
            queries.append(int(response.headers.get("X-Civic-Queries", "-1")))
            states.append(response.headers.get("X-Civic-Cache", ""))
        errors += answer_errors(response.status_code, response.content, root)
    stats = pstats.Stats(profiler)
    total = sum(profiled)
    # Who calls whom, with the cumulative time of each call site.
    callees: dict[tuple, dict[tuple, float]] = {}
    for func, (_cc, _nc, _tt, _ct, callers) in stats.stats.items():
        for caller, timing in callers.items():
            callees.setdefault(caller, {})[func] = timing[3]

    def passes_through(func: tuple, cumtime: float) -> bool:
        """A wrapper: one of its callees takes 95% or more of its time."""
        inner = callees.get(func, {})
        return bool(inner) and max(inner.values()) >= 0.95 * cumtime

    def top(key: str, count: int = 15) -> list[dict]:
        stats.sort_stats(key)
        rows = []
        for func in stats.fcn_list:
            _calls, ncalls, tottime, cumtime, _callers = stats.stats[func]
            if key == "cumulative" and passes_through(func, cumtime):
                continue
            rows.append(
                {
                    "function": short_name(func),
                    "calls_per_request": round(ncalls / requests, 1),
                    "own_ms_per_request": round(1000 * tottime / requests, 3),
                    "cumulative_ms_per_request": round(1000 * cumtime / requests, 3),
                }
            )
            if len(rows) == count:
                break
        return rows

    packages: dict[str, float] = {}
    for func, (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        packages[package_of(func)] = packages.get(package_of(func), 0.0) + tottime
    own_total = sum(packages.values()) or 1.0

    result = {
        "mode": mode,
        "what": PROFILES[mode][0],
        "after_content_change": change,
        "requests": requests,
        "ms_per_request_profiled": round(1000 * total / requests, 2),
        "ms_per_request_unprofiled_p50": round(1000 * statistics.median(plain), 3),
        "static_ms_per_request_p50": round(1000 * statistics.median(static), 3) if static else None,
        "sql_per_request": sorted(set(queries)),
        "x_civic_cache": sorted(set(states)),
        "errors": errors[:5],
        "error_count": len(errors),
        "by_cumulative": top("cumulative"),
        "by_own_time": top("tottime"),
        "own_time_by_package": [
            {
                "package": name,
                "own_ms_per_request": round(1000 * seconds / requests, 3),
                "share": round(seconds / own_total, 3),
            }
            for name, seconds in sorted(packages.items(), key=lambda item: -item[1])
            if seconds / own_total >= 0.005
        ],
    }
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")


# --- Answers ---------------------------------------------------------------------------------


def answer_errors(status: int, body: bytes, root: str | None) -> list[str]:
    """Why an answer is not a success: HTTP status, JSON, GraphQL errors, a null root."""
    if status != 200:
        return [f"HTTP {status}: {body[:300].decode(errors='replace')}"]
    try:
        payload = json.loads(body)
    except ValueError:
        return [f"not JSON: {body[:300].decode(errors='replace')}"]
    if not isinstance(payload, dict):
        return []
    found = [
        str(error.get("message", error))[:300] if isinstance(error, dict) else str(error)
        for error in payload.get("errors") or []
    ]
    if root and not found and (payload.get("data") or {}).get(root) is None:
        found.append(f"data.{root} is null")
    return found


# --- Processes -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command: list, *, cwd: Path, env: dict, what: str) -> str:
    result = subprocess.run(  # noqa: S603
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"{what} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return result.stdout


class Server:
    """gunicorn with 2 sync workers; RSS of its workers sampled on demand."""

    def __init__(
        self, name: str, command: list, cwd: Path, env: dict, ready: str = "/api/v2/pages/?limit=1"
    ):
        import psutil

        self.name, self.ready = name, ready
        self.port = free_port()
        self.process = subprocess.Popen(  # noqa: S603
            [
                *command,
                f"--workers={WORKERS}",
                f"--bind=127.0.0.1:{self.port}",
                "--limit-request-line=16384",
                "--log-level=warning",
                "--no-control-socket",  # gunicorn 27: one shared socket path for every master
            ],
            cwd=cwd,
            env=env,
        )
        self.master = psutil.Process(self.process.pid)

    def wait_ready(self) -> None:
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                status, _body, _headers, _ms = self.request("GET", self.ready)
                if status == 200 and len(self.workers()) == WORKERS:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise SystemExit(f"{self.name}: gunicorn did not start")

    def request(
        self, method: str, path: str, body: bytes | None = None
    ) -> tuple[int, bytes, dict, float]:
        """One request on a new connection; the time from sending to the last byte, in ms."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Content-Type": "application/json"} if body else {}
        try:
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            elapsed = 1000 * (time.perf_counter() - started)
            return response.status, data, dict(response.getheaders()), elapsed
        finally:
            connection.close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def workers(self):
        return self.master.children()

    def rss(self) -> list[int]:
        sizes = []
        for worker in self.workers():
            try:
                sizes.append(worker.memory_info().rss)
            except Exception:  # noqa: S112 - a worker may be restarting
                continue
        return sizes

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Sampler(threading.Thread):
    """Sample the workers' RSS every ``interval`` seconds until stopped."""

    def __init__(self, server: Server, interval: float = 0.5):
        super().__init__(daemon=True)
        self.server, self.interval = server, interval
        self.samples: list[list[int]] = []
        self.halt = threading.Event()

    def run(self):
        while not self.halt.is_set():
            self.samples.append(self.server.rss())
            self.halt.wait(self.interval)

    def stop(self) -> float:
        self.halt.set()
        self.join()
        return round(max((max(s) for s in self.samples if s), default=0) / 2**20, 1)


# --- The peer --------------------------------------------------------------------------------


def ensure_peer_venv(venv: Path) -> None:
    """The peer's own virtualenv (grapple pins graphql-core below 3.3; strawberry needs 3.3)."""
    python = venv / "bin" / "python"
    if python.exists() and (venv / "bin" / "gunicorn").exists():
        return
    say(f"Creating the peer's virtualenv in {venv} (once)")
    base = shutil.which("python3") or sys.executable
    run([base, "-m", "venv", venv], cwd=REPO, env=dict(os.environ), what="python3 -m venv")
    run(
        [venv / "bin" / "pip", "install", "-q", *PEER_PACKAGES],
        cwd=REPO,
        env=dict(os.environ),
        what="pip install " + " ".join(PEER_PACKAGES),
    )


def peer_env(venv: Path, folder: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")}
    return {
        **env,
        "VIRTUAL_ENV": str(venv),
        "PATH": f"{venv / 'bin'}:{env.get('PATH', '')}",
        "PEER_DB": str(folder / "peer.sqlite3"),
        "PEER_MEDIA": str(folder / "peer-media"),
        "PYTHONDONTWRITEBYTECODE": "1",  # the peer's folder is read-only
    }


def build_peer(venv: Path, env: dict, content: Path) -> dict:
    """Migrate, import the content, and read the peer's query body and SQL counts."""
    python = venv / "bin" / "python"
    notes = []
    result = subprocess.run(  # noqa: S603
        [str(python), "manage.py", "migrate", "-v0"],
        cwd=PEER_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if (
        result.returncode
        and "NodeNotFoundError" in result.stderr
        and "wagtailcore" in (result.stderr)
    ):
        # grapple imports wagtail.contrib.redirects' model without the app installed, so it
        # lands in wagtailcore with no migration; the peer's migration names the one
        # `makemigrations` writes for it (0099_redirect), in the peer's own virtualenv.
        # makemigrations loads the migration graph too: the peer's own migrations are hidden
        # from it by a settings module that wraps the peer's.
        wrapper = Path(env["PEER_DB"]).parent / "peer-settings"
        wrapper.mkdir(exist_ok=True)
        (wrapper / "peer_bench_settings.py").write_text(
            'from peersite.settings import *  # noqa\nMIGRATION_MODULES = {"peer": None}\n'
        )
        run(
            [python, "manage.py", "makemigrations", "wagtailcore", "-v0"],
            cwd=PEER_DIR,
            env={
                **env,
                "DJANGO_SETTINGS_MODULE": "peer_bench_settings",
                "PYTHONPATH": str(wrapper),
            },
            what="peer makemigrations wagtailcore",
        )
        run([python, "manage.py", "migrate", "-v0"], cwd=PEER_DIR, env=env, what="peer migrate")
    elif result.returncode:
        raise SystemExit(f"peer migrate failed:\n{result.stderr[-3000:]}")
    imported = run(
        [python, "manage.py", "peer_import", content],
        cwd=PEER_DIR,
        env=env,
        what="peer_import",
    ).strip()
    body = run([python, "peer_query.py", "body"], cwd=PEER_DIR, env=env, what="peer_query body")
    counts = run([python, "peer_query.py"], cwd=PEER_DIR, env=env, what="peer_query")

    def number(pattern: str) -> int:
        found = re.search(pattern, counts)
        return int(found.group(1)) if found else -1

    versions = run(
        [
            python,
            "-c",
            "import json, pathlib, wagtail; from importlib.metadata import files, version as v; "
            "shipped = {f.name for f in files('wagtail') if 'wagtail/migrations/' in str(f)}; "
            "here = pathlib.Path(wagtail.__file__).parent / 'migrations'; "
            "print(json.dumps([{p: v(p) for p in ('Django', 'wagtail', 'wagtail-grapple', "
            "'graphene', 'graphene-django', 'graphql-core', 'gunicorn')}, "
            "sorted(f.name for f in here.glob('0*.py') if f.name not in shipped)]))",
        ],
        cwd=PEER_DIR,
        env=env,
        what="peer versions",
    )
    versions, generated = json.loads(versions)
    if generated:
        notes.append(
            f"The peer's virtualenv holds Wagtail migrations that Wagtail does not ship "
            f"({', '.join(generated)}): grapple imports Wagtail's redirects model without "
            "that app installed, so the model lands in wagtailcore, and the peer's migration "
            "depends on the migration `manage.py makemigrations wagtailcore` writes for it. "
            "The script wrote it when the peer's migrate failed without it."
        )
    return {
        "imported": imported,
        "body": body.strip().encode(),
        "page_id": json.loads(body)["variables"]["id"],
        "sql_full_page": number(r"full page: \d+ \d+ bytes (\d+) queries"),
        "sql_list_20": number(r"list 20: \d+ (\d+) queries"),
        "sql_rest_detail": number(r"api v2 detail: \d+ \d+ bytes (\d+) queries"),
        "versions": versions,
        "notes": notes,
    }


# --- The CMS ---------------------------------------------------------------------------------


def code_root(revision: str | None, folder: Path) -> tuple[Path, str]:
    """Where the CMS code runs from, and a description of that code."""

    def git(*args: str) -> str:
        return subprocess.run(  # noqa: S603
            ["git", *args],  # noqa: S607
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    if not revision:
        head = git("rev-parse", "--short", "HEAD")
        changed = [
            line[3:]
            for line in git("status", "--porcelain").splitlines()
            if not any(line[3:].startswith(p) for p in ("docs/", "scripts/", *HARNESS))
        ]
        if changed:
            return REPO, f"working tree at {head} with uncommitted changes in {len(changed)} files"
        return REPO, f"commit {head} (working tree, clean)"
    sha = git("rev-parse", "--short", revision)
    root = folder / "code"
    root.mkdir()
    archive = subprocess.run(  # noqa: S603
        ["git", "archive", sha],  # noqa: S607
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)  # noqa: S603, S607
    for name in HARNESS:
        shutil.copy(REPO / name, root / name)
    return root, f"commit {sha} (git archive), benchmark files {', '.join(HARNESS)} from the tree"


# --- The CMS ---------------------------------------------------------------------------------


def cms_env(code: Path, folder: Path, db: str, caches: dict) -> dict:
    """The CMS's environment over database ``db``, with the cache settings ``caches``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REDIS_URL", "CIVIC_TASK_QUEUE", "CIVIC_CDN_PURGE_URL", "PYTHONPATH")
        and not k.startswith("CIVIC_GRAPHQL_")
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "cms.settings.bench",
        "CIVIC_BENCH_CODE": str(code),
        "DATABASE_URL": f"sqlite:///{folder / (db + '.sqlite3')}",
        "MEDIA_ROOT": str(folder / "media"),
        "CIVIC_CACHE_DIR": str(folder / f"cache-{db}"),
        "CIVIC_IMPORT_JOURNAL": str(folder / "import-journal"),
        "CIVIC_BENCH_STATIC_DIR": str(folder / "static"),
        **{name: str(value) for name, value in caches.items()},
    }


def cms_server(name: str, code: Path, env: dict) -> Server:
    return Server(name, [sys.executable, "-m", "gunicorn", "cms.wsgi:application"], code, env)


# --- Cases -----------------------------------------------------------------------------------


class Case:
    def __init__(self, name: str, server: Server, method: str, path: str, body=None, root=None):
        self.name, self.server, self.method, self.path = name, server, method, path
        self.body, self.root = body, root
        self.errors: list[str] = []
        self.first: tuple[int, bytes, dict, float] | None = None
        self.sql_counts: list[int] = []
        self.sql_warmup: list[int] = []
        self.headers_seen: dict[str, list[str]] = {}

    def request(self) -> tuple[int, bytes, dict, float]:
        return self.server.request(self.method, self.path, self.body)

    def check(self, repeat: int = 4 * WORKERS) -> bool:
        """Warm every worker, then ask again and record the SQL queries each answer ran
        (``sql_counts``; those of the warm-up in ``sql_warmup``) and the caching headers
        seen; keep the last answer and record its errors if any.

        Requests go ``2 * WORKERS`` at a time, so that every sync worker serves some: asked
        one by one, one worker can take them all and leave the other cold.
        """
        with ThreadPoolExecutor(2 * WORKERS) as pool:
            warmup = list(pool.map(lambda _: self.request(), range(repeat)))
            answers = list(pool.map(lambda _: self.request(), range(repeat)))

        def queries(batch):
            return [int(headers.get("X-Civic-Queries", "-1")) for *_, headers, _ms in batch]

        self.sql_warmup, self.sql_counts = queries(warmup), queries(answers)
        self.headers_seen = {
            name: sorted({headers.get(name, "") for *_, headers, _ms in answers})
            for name in ("X-Civic-Cache", "Cache-Control")
        }
        self.first = answers[-1]
        self.errors = []
        for status, body, _headers, _ms in answers:
            self.errors += answer_errors(status, body, self.root)
        return not self.errors

    def lua(self) -> str:
        lines = [f'wrk.method = "{self.method}"']
        if self.body:
            lines.append(f"wrk.body = {json.dumps(self.body.decode())}")
            lines.append('wrk.headers["Content-Type"] = "application/json"')
        return "\n".join(lines) + "\n" + LUA


LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors":', 1, true) then bad = bad + 1 end
end
done = function(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "socket_errors": %d, "bad": %d, '
    .. '"p50_us": %d, "p95_us": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, b,
    latency:percentile(50), latency:percentile(95)))
end
"""


def run_wrk(case: Case, seconds: int, folder: Path) -> dict:
    script = folder / f"{case.name}.lua"
    script.write_text(case.lua())
    sampler = Sampler(case.server)
    sampler.start()
    result = subprocess.run(  # noqa: S603
        [
            WRK,
            "-t1",
            f"-c{CONCURRENCY}",
            f"-d{seconds}s",
            "--timeout=30s",
            "-s",
            str(script),
            case.server.url(case.path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    peak = sampler.stop()
    line = next(x for x in result.stdout.splitlines() if x.startswith("BENCH "))
    return {**json.loads(line[len("BENCH ") :]), "peak_rss_mb": peak}


def throughput(cases: list[Case], duration: int, rounds: int, folder: Path) -> dict[str, dict]:
    """Each case for ``duration`` seconds in all, in ``rounds`` interleaved slices."""
    live = [case for case in cases if not case.errors]
    slices: dict[str, list[dict]] = {case.name: [] for case in live}
    seconds = max(1, round(duration / rounds))
    for number in range(rounds):
        say(f"  round {number + 1}/{rounds}: {', '.join(c.name for c in live)}")
        for case in live:
            slices[case.name].append(run_wrk(case, seconds, folder))
    results = {}
    for case in cases:
        _status, body, _headers, _ms = case.first or (0, b"", {}, 0)
        if case.errors:
            results[case.name] = {"errors": case.errors[:5], "error_count": len(case.errors)}
            continue
        runs = slices[case.name]
        requests = sum(r["requests"] for r in runs)
        measured = sum(r["duration_us"] for r in runs) / 1e6
        results[case.name] = {
            "rps": round(requests / measured, 1),
            "p50_ms": round(statistics.median(r["p50_us"] for r in runs) / 1000, 2),
            "p95_ms": round(statistics.median(r["p95_us"] for r in runs) / 1000, 2),
            "requests": requests,
            "seconds": round(measured, 1),
            "slices": len(runs),
            "error_count": sum(r["socket_errors"] + r["bad"] for r in runs),
            "sql": sorted(set(case.sql_counts)),
            # How many of the answers asked after the warm-up ran each number of queries,
            # and the same for the warm-up's (each worker's first requests).
            "sql_requests": _counted(case.sql_counts),
            "sql_warmup_requests": _counted(case.sql_warmup),
            "bytes": len(body),
            "x_civic_cache": case.headers_seen.get("X-Civic-Cache", []),
            "cache_control": case.headers_seen.get("Cache-Control", []),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
            "rounds_rps": [round(r["requests"] / (r["duration_us"] / 1e6), 1) for r in runs],
        }
    return results


def cold(pairs: list[tuple[Case, Server | None]], count: int) -> dict[str, dict]:
    """``count`` timed requests per case, one at a time, the cases taking turns.

    A case with a server to change gets a content change on that server before each of
    its requests (untimed); a case without one (the peer) is simply asked again. The first
    case's time over the second's in each round gives a paired ratio, which a slow moment
    of the shared machine hits on both sides.
    """
    rounds: dict[str, list[float | None]] = {case.name: [] for case, _ in pairs}
    sql: dict[str, list[int]] = {case.name: [] for case, _ in pairs}
    errors: dict[str, list[str]] = {case.name: [] for case, _ in pairs}
    for case, _ in pairs:
        if case.first is None:
            case.check()
    live = [(case, changed) for case, changed in pairs if not case.errors]
    begun = time.perf_counter()
    for number in range(count):
        order = live if number % 2 == 0 else live[::-1]
        for case, changed in order:
            if changed is not None:
                status, body, _h, _ms = changed.request(
                    "POST", f"/bench/change/?slug={SLUG}&locale={LOCALE}"
                )
                if status != 200:
                    raise SystemExit(f"content change failed: {status} {body[:500]!r}")
            status, body, headers, ms = case.request()
            problems = answer_errors(status, body, case.root)
            if problems:
                errors[case.name] += problems
                rounds[case.name].append(None)
                continue
            rounds[case.name].append(ms)
            sql[case.name].append(int(headers.get("X-Civic-Queries", "-1")))
    wall = round(time.perf_counter() - begun, 1)
    results = {}
    for case, _ in pairs:
        values = sorted(v for v in rounds[case.name] if v is not None)
        if case.errors or not values:
            results[case.name] = {
                "errors": (case.errors or errors[case.name])[:5],
                "error_count": len(case.errors) or len(errors[case.name]),
            }
            continue
        results[case.name] = {
            "requests": len(values),
            "p50_ms": round(statistics.median(values), 2),
            "p95_ms": round(values[min(len(values) - 1, round(0.95 * (len(values) - 1)))], 2),
            "mean_ms": round(statistics.mean(values), 2),
            "timed_seconds": round(sum(values) / 1000, 1),
            "phase_seconds": wall,
            "sql": sorted(set(sql[case.name])),
            "sql_requests": _counted(sql[case.name]),
            "error_count": len(errors[case.name]),
            "errors": errors[case.name][:5],
        }
    if len(pairs) == 2:
        (first, _), (second, _) = pairs
        paired = [
            a / b
            for a, b in zip(rounds[first.name], rounds[second.name], strict=False)
            if a is not None and b is not None
        ]
        if paired and "p50_ms" in results[first.name]:
            results[first.name][f"paired_ratio_to_{second.name}"] = round(
                statistics.median(paired), 2
            )
    return results


# --- Report ----------------------------------------------------------------------------------

ENGINE_TEXT = (
    "none (engine): response cache 0, HTTP max-age 0, stale-while-revalidate 0; "
    "only parsed query documents stay in a process"
)
# Each case: its label, and which caches were on.
CASES = {
    "peer_graphql": (
        "grapple: full service page (POST)",
        "none: grapple keeps nothing between requests (no response cache, no parse cache)",
    ),
    "engine_full": ("CMS engine: full service page (POST)", ENGINE_TEXT),
    "engine_cold": (
        "CMS engine, cold: full service page (POST), each after a content change",
        ENGINE_TEXT,
    ),
    "listing_small": ("CMS engine: services(first: 20) of full pages, {small} pages", ENGINE_TEXT),
    "listing_large": ("CMS engine: services(first: 20) of full pages, {large} pages", ENGINE_TEXT),
    "cms_cached": (
        "CMS response-cache hit: full service page (GET)",
        "response cache 600 s (every request a hit); HTTP max-age 30 s and "
        "stale-while-revalidate 30 s, headers only (wrk sends no If-None-Match)",
    ),
    "static_django": (
        "The hit's bytes as a static file: django.views.static.serve, same CMS server",
        "none: a file on disk, read on each request, through the same gunicorn and Django "
        "middleware as the hit",
    ),
    "static_wsgi": (
        "The hit's bytes as a static file: scripts/bench_static.py, bare WSGI",
        "none: a file on disk, read on each request (sendfile), gunicorn with the same "
        "settings, no framework",
    ),
}
# Which profile explains which target.
PROFILE_OF = {"1a": "full_page", "1b": "full_page", "2a": "listing", "2b": "listing", "3": "hit"}


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def spread(a: dict, b: dict) -> str:
    """The lowest and highest of the per-round ratios of two throughput cases."""
    ratios = [x / y for x, y in zip(a["rounds_rps"], b["rounds_rps"], strict=False) if x and y]
    return f"rounds {min(ratios):.2f}-{max(ratios):.2f}" if ratios else "no rounds"


def label(name: str, report: dict) -> str:
    small, large = report["listing_sizes"]
    return CASES[name][0].format(small=f"{small:,}", large=f"{large:,}")


def targets(report: dict) -> list[dict]:
    """Each target with what this run measured and, when missed, by how much; never met on
    errors."""
    t, c = report["throughput"], report["cold"]
    small, large = report["listing_sizes"]
    rows = []

    def row(number: str, target: str, caches: str, entries: list[dict], measure) -> None:
        broken = [
            e for e in entries if not e or e.get("error_count") or not ("p50_ms" in e or "rps" in e)
        ]
        if broken:
            count = sum(e.get("error_count", 0) for e in broken if e)
            rows.append(
                {
                    "number": number,
                    "target": target,
                    "caches": caches,
                    "measured": f"not counted: {count} answers with errors (see Errors)",
                    "met": False,
                    "missed_by": "not measured",
                }
            )
            return
        measured, met, missed_by = measure()
        rows.append(
            {
                "number": number,
                "target": target,
                "caches": caches,
                "measured": measured,
                "met": None if met is None else bool(met),
                "missed_by": None if met in (None, True) else missed_by,
            }
        )

    engine, grapple = t.get("engine_full", {}), t.get("peer_graphql", {})

    def engine_rps():
        r = ratio(engine["rps"], grapple["rps"])
        return (
            f"{r}x ({engine['rps']} against {grapple['rps']} req/s; {spread(engine, grapple)})",
            r >= 1.5,
            f"{1.5 - r:.2f}x short: the engine needs {100 * (1.5 / r - 1):.0f}% more req/s "
            f"({1.5 * grapple['rps']:.0f} req/s against this run's grapple)",
        )

    row(
        "1a",
        "Full service page: at least 1.5x grapple's req/s",
        "engine",
        [engine, grapple],
        engine_rps,
    )
    cms, peer = c.get("engine_cold", {}), c.get("peer_graphql", {})

    def engine_cold():
        r = ratio(cms["p50_ms"], peer["p50_ms"])
        return (
            f"{r}x ({cms['p50_ms']} against {peer['p50_ms']} ms at p50; paired ratio "
            f"{cms.get('paired_ratio_to_peer_graphql')}x; p95 {cms['p95_ms']} against "
            f"{peer['p95_ms']} ms)",
            r <= 0.9,
            f"{r - 0.9:.2f}x over: the engine's cold p50 needs to be "
            f"{100 * (1 - 0.9 / r):.0f}% lower ({0.9 * peer['p50_ms']:.1f} ms against this "
            "run's grapple)",
        )

    row(
        "1b",
        "Full service page, cold: p50 latency at most 0.9x grapple's",
        "engine",
        [cms, peer],
        engine_cold,
    )
    ls, ll = t.get("listing_small", {}), t.get("listing_large", {})

    def listing(entry: dict):
        def measure():
            v = entry["rps"]
            return (
                f"{v} req/s (rounds {min(entry['rounds_rps'])}-{max(entry['rounds_rps'])})",
                v >= 80,
                f"{80 - v:.1f} req/s short ({100 * (80 - v) / 80:.0f}% under the target; "
                f"{100 * (80 / v - 1):.0f}% more needed)",
            )

        return measure

    for number, size, entry in (("2a", small, ls), ("2b", large, ll)):
        row(
            number,
            f"services(first: 20) of full pages, {size:,} pages, 2 workers: at least 80 req/s",
            "engine",
            [entry],
            listing(entry),
        )

    def listing_sql():
        same = ls["sql"] == ll["sql"]
        return (
            f"{sql_seen(ls)} at {small:,}; {sql_seen(ll)} at {large:,} (each worker's first "
            f"requests: {sql_seen(ls, 'sql_warmup_requests')} and "
            f"{sql_seen(ll, 'sql_warmup_requests')})",
            same,
            "the numbers differ",
        )

    row(
        "2c",
        f"SQL queries per listing request the same at {small:,} and {large:,} pages",
        "engine",
        [ls, ll],
        listing_sql,
    )
    cached, static = t.get("cms_cached", {}), t.get("static_django", {})

    def hit():
        r = ratio(cached["rps"], static["rps"])
        return (
            f"{r}x ({cached['rps']} against {static['rps']} req/s; {spread(cached, static)})",
            r >= 0.95,
            f"{0.95 - r:.2f}x short: the hit needs {100 * (0.95 / r - 1):.0f}% more req/s",
        )

    row(
        "3",
        "Response-cache hit: at least 0.95x the same bytes as a static file (Django's "
        "static serve, same server)",
        "response cache",
        [cached, static],
        hit,
    )
    bare = t.get("static_wsgi", {})
    row(
        "ref",
        "(Reference, no target) the hit against the bare WSGI static file server",
        "response cache",
        [cached, bare],
        lambda: (
            f"{ratio(cached['rps'], bare['rps'])}x ({cached['rps']} against {bare['rps']} "
            f"req/s; {spread(cached, bare)})",
            None,
            None,
        ),
    )
    row(
        "ref",
        "(Reference, no target) nothing kept: a cold full page runs the same SQL as a warm one",
        "engine",
        [cms, engine],
        lambda: (
            f"cold {sql_seen(cms)}; warm {sql_seen(engine)}",
            None,
            None,
        ),
    )
    return rows


NOTES_MARKER = "<!-- Notes below this line are kept when the benchmark rewrites the file. -->"


def fmt(value) -> str:
    if isinstance(value, list):
        return "/".join(fmt(v) for v in value) if value else "-"
    return "-" if value is None or value in (-1, "") else str(value)


def _counted(values: list[int]) -> dict[str, int]:
    """How many of ``values`` are each number: {"4": 149, "9": 1}."""
    return {str(n): values.count(n) for n in sorted(set(values))}


def sql_seen(case: dict, key: str = "sql_requests") -> str:
    """The numbers of queries the requests of a case ran, with how many ran each (for a
    throughput case, the answers asked after its warm-up)."""
    counts = {n: k for n, k in (case.get(key) or {}).items() if n != "-1"}
    if not counts:
        return fmt(case.get("sql"))
    total = sum(counts.values())
    return ", ".join(f"{n} ({k} of {total})" for n, k in counts.items())


def profile_summary(prof: dict) -> str:
    """One paragraph: what a profile says about where a request's time goes."""
    if not prof or prof.get("error_count") or not prof.get("by_cumulative"):
        return "no profile (its answers had errors)"
    packages = ", ".join(
        f"{p['package']} {100 * p['share']:.0f}%" for p in prof["own_time_by_package"][:6]
    )
    points = ", ".join(
        f"`{e['function']}` {e['cumulative_ms_per_request']} ms" for e in prof["by_cumulative"][1:6]
    )
    text = (
        f"{prof['ms_per_request_unprofiled_p50']} ms per request in one process without the "
        f"profiler ({prof['ms_per_request_profiled']} ms with it), SQL per request "
        f"{fmt(prof['sql_per_request'])}. Own time by package: {packages}. Where the time "
        f"divides (cumulative per request, wrappers left out): {points}."
    )
    if prof.get("static_ms_per_request_p50"):
        text += (
            f" The same bytes from Django's static serve in the same process: "
            f"{prof['static_ms_per_request_p50']} ms."
        )
    return text


def write_markdown(report: dict, path: Path) -> None:
    kept = ""
    if path.exists() and NOTES_MARKER in (old := path.read_text(encoding="utf-8")):
        kept = old[old.index(NOTES_MARKER) + len(NOTES_MARKER) :]
    t, c, peer = report["throughput"], report["cold"], report["peer"]
    small, large = report["listing_sizes"]
    lines = [
        "# API benchmark: the CMS's engine and response cache against wagtail-grapple",
        "",
        "Written by `scripts/bench_api.py` (its docstring says how it works). "
        + ("**Quick mode: a smoke test, not figures to quote.** " if report["quick"] else "")
        + f"Content: {report['content']}. Page: `{SLUG}` ({LOCALE}), the page "
        "`peer_query.py body` asks for, imported into both from the same files. Every "
        f"server is gunicorn with {report['workers']} sync workers over its own SQLite "
        "database on 127.0.0.1. The machine is shared and noisy: every case ran in the same "
        "run, the cases taking turns; read the ratios between cases, not the absolute numbers.",
        "",
        f"    {report['command']}",
        "",
        f"CMS code: {report['code']}.",
        "",
        "**Which caches were on.** *Engine* (or uncached) means nothing is kept between "
        "requests: the response cache off (`CIVIC_GRAPHQL_CACHE_SECONDS=0`) and no HTTP "
        "caching (`CIVIC_GRAPHQL_HTTP_MAX_AGE=0`, `CIVIC_GRAPHQL_HTTP_STALE_WHILE_REVALIDATE=0`); "
        "every request runs the resolvers and their SQL, only parsed query documents stay in "
        "a process. *Response cache* means `CIVIC_GRAPHQL_CACHE_SECONDS=600`, every measured "
        "request a hit (`X-Civic-Cache: hit`).",
        "",
        "## Targets",
        "",
        "| # | target | caches on | measured | result |",
        "|---|---|---|---|---|",
    ]
    for row in report["targets"]:
        if row["met"] is None:
            result = "reference"
        elif row["met"]:
            result = "**met**"
        else:
            result = f"**not met**: {row['missed_by']}"
        lines.append(
            f"| {row['number']} | {row['target']} | {row['caches']} | {row['measured']} "
            f"| {result} |"
        )
    lines += [
        "",
        "**Withdrawn target**: *warm, response cache off, at least 3x grapple's req/s*. Its "
        "warm case was answered from a per-process memo of whole answers, kept between "
        "requests under the content generation; it measured that memo, not the engine. The "
        "API keeps no such memo any more, and target 1a (the engine, nothing kept, against "
        "grapple) replaces it.",
        "",
    ]
    missed = [row for row in report["targets"] if row["met"] is False]
    if missed:
        lines += ["## Missed targets: by how much, and what the profile shows", ""]
        for row in missed:
            lines.append(f"- **{row['number']}** ({row['target']}): {row['missed_by']}.")
        lines.append("")
        for mode in dict.fromkeys(PROFILE_OF.get(row["number"], "") for row in missed):
            prof = report["profiles"].get(mode)
            if prof:
                numbers = ", ".join(
                    r["number"] for r in missed if PROFILE_OF.get(r["number"]) == mode
                )
                lines += [f"Profile for {numbers} ({prof['what']}): {profile_summary(prof)}", ""]
    lines += [
        "## Throughput: wrk, interleaved slices",
        "",
        f"wrk with {report['concurrency']} connections; each case ran {report['duration']} s "
        f"in {report['rounds']} slices of {report['slice_seconds']} s, every case taking its "
        "turn in each round (the *ran* column: measured seconds and requests). SQL/request is "
        "read from the `X-Civic-Queries` header (set by `cms.settings.bench`, counted by "
        "`cms.bench.QueryCountMiddleware` around every middleware) of the answers asked "
        "after each case's warm-up, with how many ran each number; grapple's comes from "
        "`peer_query.py`, in process. Errors: answers that were not a 200 or held "
        '`"errors":`, and socket errors.',
        "",
        "| case | caches on | req/s | p50 ms | p95 ms | SQL/request | bytes | peak RSS/worker "
        "MB | ran | errors |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in report["throughput_order"]:
        e = t.get(name, {})
        sql = fmt(peer["sql_full_page"]) if name == "peer_graphql" else sql_seen(e)
        ran = f"{e['seconds']} s, {e['requests']:,} requests" if "seconds" in e else "-"
        lines.append(
            f"| {label(name, report)} | {CASES[name][1]} | {fmt(e.get('rps'))} "
            f"| {fmt(e.get('p50_ms'))} | {fmt(e.get('p95_ms'))} | {sql} | {fmt(e.get('bytes'))} "
            f"| {fmt(e.get('peak_rss_mb'))} | {ran} | {fmt(e.get('error_count'))} |"
        )
    cold_ratio = c.get("engine_cold", {}).get("paired_ratio_to_peer_graphql")
    lines += [
        "",
        "Caching headers the answers carried (after the warm-up):",
        "",
        "| case | X-Civic-Cache | Cache-Control |",
        "|---|---|---|",
        *(
            f"| {label(name, report)} | {fmt(t.get(name, {}).get('x_civic_cache')) or '-'} "
            f"| {fmt(t.get(name, {}).get('cache_control'))} |"
            for name in report["throughput_order"]
        ),
        "",
        "## Cold: one request at a time",
        "",
        f"{report['cold_requests']} timed requests per case, the two sides taking turns (the "
        "order flips every round). Before each CMS request the measured page is published "
        "again through Wagtail (`POST /bench/change/`, untimed). Latency is from sending the "
        "request to the last byte, on a new connection. Paired ratio: the median, over the "
        "rounds, of the CMS request's time over grapple's in the same round"
        + (f": **{cold_ratio}x**." if cold_ratio else "."),
        "",
        "| case | caches on | p50 ms | p95 ms | mean ms | SQL/request | ran | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in ("engine_cold", "peer_graphql"):
        e = c.get(name, {})
        sql = sql_seen(e) if name != "peer_graphql" else fmt(peer["sql_full_page"])
        ran = (
            f"{e['requests']} requests, {e['timed_seconds']} s timed (the phase: "
            f"{e['phase_seconds']} s with the content changes)"
            if "requests" in e
            else "-"
        )
        lines.append(
            f"| {label(name, report)} | {CASES[name][1]} | {fmt(e.get('p50_ms'))} "
            f"| {fmt(e.get('p95_ms'))} | {fmt(e.get('mean_ms'))} | {sql} | {ran} "
            f"| {fmt(e.get('error_count'))} |"
        )
    failed = [(name, e["errors"]) for part in (t, c) for name, e in part.items() if e.get("errors")]
    failed += [
        (f"profile {mode}", prof["errors"])
        for mode, prof in report["profiles"].items()
        if prof.get("errors")
    ]
    if failed:
        lines += ["", "## Errors", ""]
        for name, errors in failed:
            lines.append(f"- `{name}`: " + "; ".join(f"`{e[:200]}`" for e in errors[:3]))
    lines += ["", "## Profiles", ""]
    lines.append(
        "cProfile in one process (Django test client, `cms.settings.bench`), each profiled "
        "request alternating with one timed without the profiler. Times are per request; "
        "*cumulative* leaves out pass-through wrappers (a function one of whose callees takes "
        "95% or more of its time: the test client, middleware, the view, the executor's "
        "layers), so each row is a point where the time divides."
    )
    for mode, prof in report["profiles"].items():
        lines += ["", f"### {prof.get('what', mode)}", ""]
        if prof.get("error_count") or not prof.get("by_cumulative"):
            lines.append("Not shown: the answers had errors.")
            continue
        lines += [
            f"{prof['requests']} profiled requests"
            + (", each after a content change" if prof["after_content_change"] else "")
            + (f" (X-Civic-Cache: {fmt(prof['x_civic_cache'])})" if mode == "hit" else "")
            + f". {profile_summary(prof)}",
            "",
            "| package | own ms | share |",
            "|---|---|---|",
            *(
                f"| {p['package']} | {p['own_ms_per_request']} | {100 * p['share']:.0f}% |"
                for p in prof["own_time_by_package"][:10]
            ),
            "",
            "| function (by cumulative time) | calls | cumulative ms | own ms |",
            "|---|---|---|---|",
            *(
                f"| `{e['function']}` | {e['calls_per_request']} "
                f"| {e['cumulative_ms_per_request']} | {e['own_ms_per_request']} |"
                for e in prof["by_cumulative"][:12]
            ),
            "",
            "| function (by own time) | calls | own ms |",
            "|---|---|---|",
            *(
                f"| `{e['function']}` | {e['calls_per_request']} | {e['own_ms_per_request']} |"
                for e in prof["by_own_time"][:10]
            ),
        ]
    lines += [
        "",
        "## What the sides answer",
        "",
        f"- grapple: `peer_query.py body`, {fmt(t.get('peer_graphql', {}).get('bytes'))} bytes: "
        "the page, its header image's original URL, every block, the Markdown as stored, "
        "collaborators with their logo's original URL.",
        f"- CMS: `CMS_FULL_PAGE` of the script, {fmt(t.get('engine_full', {}).get('bytes'))} "
        "bytes: the same fields, plus the Markdown rendered to sanitised HTML and a rendition "
        "(URL, width, height) of each image; it does more work for the same page.",
        f"- Listing: `CMS_LISTING`, `services(first: 20)` with `totalCount`, each node the "
        f"same full page selection, {fmt(ls_bytes(t, 'listing_small'))} and "
        f"{fmt(ls_bytes(t, 'listing_large'))} bytes; sites of {small:,} and {large:,} service "
        f"pages in the page's language, the page bulk-cloned (built in "
        f"{report['listing_build_seconds'].get(str(large), '-')} s for {large:,}). grapple's "
        f"listing of 20 runs {peer['sql_list_20']} SQL queries (`peer_query.py`, not "
        "measured here).",
        "- The static file: the exact bytes of the response-cache hit, saved to a file. "
        "Served by `django.views.static.serve` in the same CMS server (`/bench-static/`, "
        "`cms.bench`), it pays the same gunicorn, WSGI handler and Django middleware as the "
        "hit, so the ratio is what the cache lookup costs against reading a file; served by "
        "`scripts/bench_static.py` (a WSGI app of a few lines, sendfile, no framework) under "
        "gunicorn with the same settings, it is the floor of any Python answer on that server.",
        f"- The peer: {peer['imported']}.",
        *(f"- {note}" for note in report["notes"]),
        "",
        f"Machine: {report['machine']}. CMS: {report['versions']}. Peer: "
        + ", ".join(f"{k} {v}" for k, v in peer["versions"].items())
        + f". {report['wrk']}. Load average (1 min) at the start and the end: "
        f"{report['load'][0]} and {report['load'][1]}. Date: {report['date']}; the run took "
        f"{report['minutes']} min.",
        "",
        NOTES_MARKER,
    ]
    path.write_text("\n".join(lines) + (kept or "\n"), encoding="utf-8")


def ls_bytes(t: dict, name: str):
    return t.get(name, {}).get("bytes")


# --- The run ---------------------------------------------------------------------------------


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found.group(1).strip() if found else ""
    return f"{platform.platform()}, {os.cpu_count()} CPUs ({model or 'unknown'}), shared"


THROUGHPUT_ORDER = [
    "peer_graphql",
    "engine_full",
    "listing_small",
    "listing_large",
    "cms_cached",
    "static_django",
    "static_wsgi",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke test: < 5 minutes")
    parser.add_argument("--duration", type=int, help="wrk seconds per case (default 90)")
    parser.add_argument("--rounds", type=int, help="interleaved slices per case (default 15)")
    parser.add_argument("--cold-requests", type=int, help="timed cold requests per case (150)")
    parser.add_argument("--listing-sizes", help="two sizes, e.g. 100,10000 (the default)")
    parser.add_argument("--profile-requests", type=int, help="cold full pages profiled (20)")
    parser.add_argument("--content", type=Path, help="a Jekyll site (default: the fixture)")
    parser.add_argument("--revision", help="measure the CMS code of this commit")
    parser.add_argument("--peer-venv", type=Path, default=PEER_VENV)
    parser.add_argument("--output", type=Path, default=DOCS)
    args = parser.parse_args()
    quick = args.quick
    duration = args.duration or (4 if quick else 90)
    rounds = args.rounds or (2 if quick else 15)
    slice_seconds = max(1, round(duration / rounds))
    cold_requests = args.cold_requests or (12 if quick else 150)
    profile_requests = args.profile_requests or (5 if quick else 20)
    sizes = [
        int(s) for s in (args.listing_sizes or ("100,1000" if quick else "100,10000")).split(",")
    ]
    if len(sizes) != 2 or sizes[0] >= sizes[1]:
        raise SystemExit("--listing-sizes takes two sizes, the smaller first")
    if not shutil.which(WRK):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    if not (PEER_DIR / "manage.py").exists():
        raise SystemExit(f"The peer is missing: {PEER_DIR}")
    notes: list[str] = []
    if args.content:
        content = args.content.resolve()
        described = f"`{content}`"
    elif FIXTURE.is_dir():
        content, described = FIXTURE, "the shared fixture `../shared/fixtures/platoniq-sample`"
    else:
        content = DEMO_CONTENT
        described = "the CMS's demo content `cms/demo_content/` (the shared fixture is absent)"
        say("The shared fixture is absent: using the CMS's demo content")
    started = time.time()
    load_start = round(os.getloadavg()[0], 2)
    ensure_peer_venv(args.peer_venv)

    servers: list[Server] = []
    with tempfile.TemporaryDirectory(prefix="civic-bench-api-") as tmp:
        folder = Path(tmp)
        static_dir = folder / "static"
        static_dir.mkdir()
        static_file = static_dir / "service.json"
        static_file.write_bytes(b"{}")  # replaced by the hit's bytes once it is known
        code, code_described = code_root(args.revision, folder)
        penv = peer_env(args.peer_venv, folder)
        peer: dict = {}

        def peer_setup():
            try:
                peer.update(build_peer(args.peer_venv, penv, content))
            except SystemExit as failure:
                peer["failure"] = str(failure)

        say("Building both sites from the same content (in parallel)")
        builder = threading.Thread(target=peer_setup)
        builder.start()
        base = cms_env(code, folder, "base", ENGINE)
        run([sys.executable, "manage.py", "migrate", "-v0"], cwd=code, env=base, what="migrate")
        run(
            [sys.executable, "manage.py", "import_jekyll", content],
            cwd=code,
            env=base,
            what="import_jekyll",
        )
        # What the rendition worker does in a deployment, before the servers start.
        run(
            [sys.executable, "manage.py", "make_renditions", "--now"],
            cwd=code,
            env=base,
            what="make_renditions",
        )
        builder.join()
        if "failure" in peer:
            raise SystemExit(peer["failure"])
        notes += peer.pop("notes")
        for name in ("engine", "cached", "profile", "small", "large"):
            shutil.copy(folder / "base.sqlite3", folder / f"{name}.sqlite3")
        build = {}
        say(f"Listing sites: the page bulk-cloned to {sizes[0]} and {sizes[1]} service pages")
        for name, size in (("small", sizes[0]), ("large", sizes[1])):
            begun = time.perf_counter()
            run(
                [sys.executable, __file__, "clone", size],
                cwd=code,
                env=cms_env(code, folder, name, ENGINE),
                what=f"clone to {size}",
            )
            build[str(size)] = round(time.perf_counter() - begun, 1)

        try:
            say("Starting the servers")
            peer_server = Server(
                "peer",
                [args.peer_venv / "bin" / "gunicorn", "peersite.wsgi"],
                PEER_DIR,
                {**penv, "DJANGO_SETTINGS_MODULE": "peersite.settings"},
            )
            engine_server = cms_server("cms-engine", code, cms_env(code, folder, "engine", ENGINE))
            cached_server = cms_server("cms-cached", code, cms_env(code, folder, "cached", CACHED))
            small_server = cms_server("listing-small", code, cms_env(code, folder, "small", ENGINE))
            large_server = cms_server("listing-large", code, cms_env(code, folder, "large", ENGINE))
            static_server = Server(
                "static",
                [sys.executable, "-m", "gunicorn", "bench_static:application"],
                REPO / "scripts",
                {**os.environ, "CIVIC_BENCH_STATIC_FILE": str(static_file)},
                ready="/service.json",
            )
            servers += [peer_server, engine_server, cached_server]
            servers += [small_server, large_server, static_server]
            for server in servers:
                server.wait_ready()

            full = json.dumps({"query": CMS_FULL_PAGE, "variables": CMS_FULL_VARIABLES}).encode()
            listing = json.dumps({"query": CMS_LISTING, "variables": CMS_LISTING_VARIABLES})
            post = ("POST", "/graphql/")
            cases = {
                "peer_graphql": Case("peer_graphql", peer_server, *post, peer["body"], "page"),
                "engine_full": Case("engine_full", engine_server, *post, full, "service"),
                "listing_small": Case(
                    "listing_small", small_server, *post, listing.encode(), "services"
                ),
                "listing_large": Case(
                    "listing_large", large_server, *post, listing.encode(), "services"
                ),
                "cms_cached": Case(
                    "cms_cached", cached_server, "GET", CMS_FULL_GET, None, "service"
                ),
                "static_django": Case(
                    "static_django", cached_server, "GET", "/bench-static/service.json"
                ),
                "static_wsgi": Case("static_wsgi", static_server, "GET", "/service.json"),
            }
            say("Checking and warming every case")
            for name, case in cases.items():
                if name.startswith("static_"):
                    cached = cases["cms_cached"]
                    if not cached.first or cached.errors:
                        case.errors = ["no response-cache answer to copy"]
                        continue
                    static_file.write_bytes(cached.first[1])
                if not case.check():
                    say(f"  {name}: ERRORS {case.errors[:2]}")
                elif name.startswith("static_") and case.first[1] != cases["cms_cached"].first[1]:
                    case.errors = ["the static file's bytes differ from the hit's"]

            say(f"Cold: {cold_requests} requests per case, taking turns")
            cold_results = cold(
                [
                    (Case("engine_cold", engine_server, *post, full, "service"), engine_server),
                    (cases["peer_graphql"], None),
                ],
                cold_requests,
            )
            for case in cases.values():  # warm again after the changes
                if not case.errors:
                    case.check()
            say(f"Throughput: {duration} s per case in {rounds} slices")
            throughput_results = throughput(
                [cases[n] for n in THROUGHPUT_ORDER], duration, rounds, folder
            )
        finally:
            for server in servers:
                server.stop()

        profiles = {}
        for mode, db, caches, count in (
            ("full_page", "profile", ENGINE, profile_requests),
            ("listing", "large", ENGINE, max(5, profile_requests // 2)),
            ("hit", "profile", CACHED, 25 * profile_requests),
        ):
            say(f"Profile: {count} requests in process, {PROFILES[mode][0]}")
            out = folder / f"profile-{mode}.json"
            run(
                [sys.executable, __file__, "profile", mode, count, out],
                cwd=code,
                env=cms_env(code, folder, db, caches),
                what=f"profile {mode}",
            )
            profiles[mode] = json.loads(out.read_text())

    command = ".venv/bin/python scripts/bench_api.py" + (" --quick" if quick else "")
    for flag, value in (
        ("--revision", args.revision),
        ("--content", args.content),
        ("--duration", args.duration),
        ("--rounds", args.rounds),
        ("--cold-requests", args.cold_requests),
        ("--listing-sizes", args.listing_sizes),
        ("--profile-requests", args.profile_requests),
    ):
        if value:
            command += f" {flag} {value}"
    wrk_version = (
        subprocess.run(  # noqa: S603
            [WRK, "-v"], capture_output=True, text=True, check=False
        )
        .stdout.split("[")[0]
        .strip()
        or "wrk"
    )
    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "minutes": round((time.time() - started) / 60, 1),
        "command": command,
        "quick": quick,
        "code": code_described,
        "content": described,
        "machine": machine(),
        "versions": f"Python {platform.python_version()}, "
        + ", ".join(
            f"{p} {version(p)}"
            for p in (
                "Django",
                "wagtail",
                "strawberry-graphql",
                "strawberry-graphql-django",
                "gunicorn",
            )
        ),
        "wrk": wrk_version,
        "workers": WORKERS,
        "concurrency": CONCURRENCY,
        "duration": duration,
        "rounds": rounds,
        "slice_seconds": slice_seconds,
        "cold_requests": cold_requests,
        "listing_sizes": sizes,
        "listing_build_seconds": build,
        "settings": {"engine": ENGINE, "response_cache": CACHED},
        "caches": {name: text for name, (_label, text) in CASES.items()},
        "queries": {"cms_full_page": CMS_FULL_PAGE, "cms_listing": CMS_LISTING},
        "peer": {k: v for k, v in peer.items() if k != "body"},
        "cold": cold_results,
        "throughput_order": THROUGHPUT_ORDER,
        "throughput": throughput_results,
        "profiles": profiles,
        "load": [load_start, round(os.getloadavg()[0], 2)],
        "notes": notes,
    }
    notes += checks(throughput_results, cold_results)
    report["targets"] = targets(report)
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "api.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    write_markdown(report, args.output / "api.md")
    for row in report["targets"]:
        state = "reference" if row["met"] is None else "met" if row["met"] else "NOT MET"
        missed = f" ({row['missed_by']})" if row["missed_by"] else ""
        print(f"{state:9}  {row['number']:3} {row['target']}: {row['measured']}{missed}")
    errors = [
        n
        for part in (cold_results, throughput_results)
        for n, e in part.items()
        if e.get("error_count")
    ]
    if errors:
        print(f"Errors in: {', '.join(errors)} (see {args.output / 'api.md'})")
    print(f"Done in {report['minutes']} min: {args.output / 'api.md'}")


def checks(throughput_results: dict, cold_results: dict) -> list[str]:
    """What the answers' headers say about the caches, where it is not what each case says."""
    found = []
    for name in ("engine_full", "listing_small", "listing_large"):
        entry = throughput_results.get(name, {})
        if any(entry.get("x_civic_cache", [])) or any(
            "max-age" in value for value in entry.get("cache_control", [])
        ):
            found.append(
                f"**Check: `{name}` is meant to keep nothing, but its answers carried "
                f"X-Civic-Cache {entry.get('x_civic_cache')} and Cache-Control "
                f"{entry.get('cache_control')}.**"
            )
    cached = throughput_results.get("cms_cached", {})
    if cached.get("x_civic_cache") not in (None, ["hit"]):
        found.append(
            f"**Check: the response-cache case's answers carried X-Civic-Cache "
            f"{cached.get('x_civic_cache')}, where every one should be a hit.**"
        )
    cold_sql = cold_results.get("engine_cold", {}).get("sql")
    warm_sql = throughput_results.get("engine_full", {}).get("sql")
    if cold_sql and warm_sql and cold_sql != warm_sql:
        found.append(
            f"**Check: with nothing kept, a cold full page ran {fmt(cold_sql)} SQL queries and "
            f"a warm one {fmt(warm_sql)}: something is kept between requests.**"
        )
    return found


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "clone":
        clone(int(sys.argv[2]))
    elif len(sys.argv) > 4 and sys.argv[1] == "profile":
        profile(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))
    else:
        main()
