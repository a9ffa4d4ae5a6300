"""The content API against wagtail-grapple, side by side, on the same content: one command.

    .venv/bin/python scripts/bench_api.py            # full run, about 10 minutes
    .venv/bin/python scripts/bench_api.py --quick    # smoke test, under 3 minutes

The peer (../shared/peers/grapple: a small Wagtail site with the same service-page shape,
serving wagtail-grapple 0.31 and Wagtail's REST API v2) runs in its own virtualenv,
created under var/peer-venv on the first run. The same Jekyll site (the shared
platoniq-sample fixture, else the CMS's demo content) is imported into both: the peer with
``manage.py peer_import``, the CMS with ``manage.py import_jekyll``. Every server is
gunicorn with 2 sync workers on 127.0.0.1 over its own SQLite database; the CMS runs with
``cms.settings.bench`` (embedded defaults: SQLite, the embedded diskcache; no Redis).

Cases, each named by what it keeps between requests:

- **peer**: grapple's full service page (``peer_query.py body``) and REST v2 detail. The
  peer keeps nothing a content change would renew.
- **CMS cold**: every request follows a content change (the measured page is published
  again through Wagtail, ``POST /bench/change/`` of ``cms.bench``), so nothing kept for a
  content generation is reused (what is kept per structure token is: a page publish does
  not renew it). Timed one request at a time, alternating with the peer.
- **CMS warm, response cache off** (``CIVIC_GRAPHQL_CACHE_SECONDS=0``): the content does
  not change, so whatever the code keeps for one content generation is reused: the root
  fields' answers in each process's answer memo (graphql_api.answers) and plain values.
- **CMS warm, answer memo and response cache off** (``CIVIC_GRAPHQL_ANSWER_MEMO_BYTES=0``
  too): the resolvers run on every request, with only plain values kept (site, languages,
  restrictions and the rows of images, documents and snippets per structure token; list
  counts per generation) and parsed documents.
- **CMS from the response cache** (GET) against the same JSON as a static file, served by
  the same server.
- **Listing**: ``services(first: 20)`` on synthetic sites of 100 and 10,000 service pages
  (the measured page bulk-cloned), warm and cold, with the answer memo off: the lists'
  database cost is what is measured.

Throughput cases run under wrk (4 connections) in interleaved slices: every case gets a
slice in turn, so a noisy moment on the shared machine hits them alike. An answer with
GraphQL errors is never measured as a success: the first answer of each case is checked,
wrk counts every answer that is not a 200 or holds ``"errors":``, and the cold driver
checks each answer. A profile (cProfile, in process) of the cold full-page request
completes the report. Results: docs/benchmarks/api.json and api.md (notes below the
marker in api.md are kept).

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


def say(message: str) -> None:
    """Progress, with the minutes and seconds since the start."""
    elapsed = int(time.time() - STARTED)
    print(f"[{elapsed // 60:02d}:{elapsed % 60:02d}] {message}", flush=True)


# --- The CMS queries: the one place to adjust when the schema changes ----------------------
#
# The same content as the peer's query (peer_query.py FULL: the page, its header image,
# every block, collaborators with logos), plus what the CMS gives that grapple's query
# does not ask: Markdown rendered to HTML, and image renditions.

CMS_FULL_PAGE = """
query ($slug: String!, $locale: String) {
  service(slug: $slug, locale: $locale) {
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
}
fragment Picture on Image { url width height alt rendition(preset: HERO) { url width height } }
fragment Logo on Image { url alt rendition(preset: LOGO) { url width height } }
"""
# A listing card, the shape of the peer's listing query (peer_query.py LIST).
CMS_LISTING = """
query ($first: Int, $locale: String) {
  services(first: $first, locale: $locale) {
    totalCount
    edges {
      cursor
      node {
        id title slug url
        description { html }
        image { url rendition(preset: CARD) { url width height } }
        body {
          blockType
          ... on MetricsBlock { metrics { number text } }
          ... on CollaboratorsBlock { collaborators { name logo { url } } }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""
CMS_FULL_VARIABLES = {"slug": SLUG, "locale": LOCALE}
CMS_LISTING_VARIABLES = {"first": 20, "locale": LOCALE}


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


def profile(requests: int, out: Path) -> None:
    """cProfile over ``requests`` cold full-page requests, each after a content change.

    As many requests again, alternating with the profiled ones, are timed without the
    profiler, for the request's real cost in one process.
    """
    _django()
    from django.test import Client

    from cms.bench import make_content_change

    client = Client()
    body = json.dumps({"query": CMS_FULL_PAGE, "variables": CMS_FULL_VARIABLES})
    profiler = cProfile.Profile()
    profiled, plain, queries, errors = [], [], [], []
    warmup = 3  # the first ones import modules and make renditions: not counted
    for i in range(warmup + 2 * requests):
        make_content_change(SLUG, LOCALE)
        on = i >= warmup and (i - warmup) % 2 == 0
        started = time.perf_counter()
        if on:
            profiler.enable()
        response = client.post("/graphql/", body, content_type="application/json")
        if on:
            profiler.disable()
        elapsed = time.perf_counter() - started
        if i >= warmup:
            (profiled if on else plain).append(elapsed)
            queries.append(int(response.headers.get("X-Civic-Queries", "-1")))
        errors += answer_errors(response.status_code, response.content, "service")
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
                    "own_ms_per_request": round(1000 * tottime / requests, 2),
                    "cumulative_ms_per_request": round(1000 * cumtime / requests, 2),
                }
            )
            if len(rows) == count:
                break
        return rows

    packages: dict[str, float] = {}
    for func, (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        packages[package_of(func)] = packages.get(package_of(func), 0.0) + tottime

    result = {
        "requests": requests,
        "ms_per_request_profiled": round(1000 * total / requests, 1),
        "ms_per_request_unprofiled_p50": round(1000 * statistics.median(plain), 1),
        "sql_per_request": sorted(set(queries)),
        "errors": errors[:5],
        "error_count": len(errors),
        "by_cumulative": top("cumulative"),
        "by_own_time": top("tottime"),
        "own_time_by_package": [
            {"package": name, "own_ms_per_request": round(1000 * seconds / requests, 2)}
            for name, seconds in sorted(packages.items(), key=lambda item: -item[1])
            if 1000 * seconds / requests >= 0.05
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

    def __init__(self, name: str, command: list, cwd: Path, env: dict):
        import psutil

        self.name = name
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
                status, _body, _headers, _ms = self.request("GET", "/api/v2/pages/?limit=1")
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


def cms_env(
    code: Path, folder: Path, db: str, cache_seconds: int, memo_bytes: int = 32 << 20
) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REDIS_URL", "CIVIC_TASK_QUEUE", "CIVIC_CDN_PURGE_URL", "PYTHONPATH")
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
        "CIVIC_GRAPHQL_CACHE_SECONDS": str(cache_seconds),
        "CIVIC_GRAPHQL_ANSWER_MEMO_BYTES": str(memo_bytes),
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

    def request(self) -> tuple[int, bytes, dict, float]:
        return self.server.request(self.method, self.path, self.body)

    def check(self, repeat: int = 4 * WORKERS) -> bool:
        """Warm every worker, then ask again and record the SQL queries each answer ran
        (``sql_counts``); keep the last answer and record its errors if any.

        Requests go ``2 * WORKERS`` at a time, so that every sync worker serves some: asked
        one by one, one worker can take them all and leave the other cold, whose first
        request then reads what later ones find in memory.
        """
        with ThreadPoolExecutor(2 * WORKERS) as pool:
            list(pool.map(lambda _: self.request(), range(repeat)))
            answers = list(pool.map(lambda _: self.request(), range(repeat)))
        self.sql_counts = [
            int(headers.get("X-Civic-Queries", "-1")) for *_, headers, _ms in answers
        ]
        self.first = answers[-1]
        status, body, _headers, _ms = self.first
        self.errors = answer_errors(status, body, self.root)
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
        _status, body, headers, _ms = case.first or (0, b"", {}, 0)
        if case.errors:
            results[case.name] = {"errors": case.errors[:5], "error_count": 1}
            continue
        runs = slices[case.name]
        requests = sum(r["requests"] for r in runs)
        results[case.name] = {
            "rps": round(requests / (sum(r["duration_us"] for r in runs) / 1e6), 1),
            "p50_ms": round(statistics.median(r["p50_us"] for r in runs) / 1000, 2),
            "p95_ms": round(statistics.median(r["p95_us"] for r in runs) / 1000, 2),
            "requests": requests,
            "error_count": sum(r["socket_errors"] + r["bad"] for r in runs),
            "sql": sorted(set(case.sql_counts)) or [int(headers.get("X-Civic-Queries", "-1"))],
            # How many of the answers asked after the warm-up ran each number of queries.
            "sql_requests": _counted(case.sql_counts),
            "bytes": len(body),
            "cache": headers.get("X-Civic-Cache", ""),
            "answers": headers.get("X-Civic-Answers", ""),
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
    results = {}
    for case, _ in pairs:
        values = sorted(v for v in rounds[case.name] if v is not None)
        if case.errors or not values:
            results[case.name] = {
                "errors": (case.errors or errors[case.name])[:5],
                "error_count": 1 if case.errors else len(errors[case.name]),
            }
            continue
        results[case.name] = {
            "requests": len(values),
            "p50_ms": round(statistics.median(values), 2),
            "p95_ms": round(values[min(len(values) - 1, round(0.95 * (len(values) - 1)))], 2),
            "mean_ms": round(statistics.mean(values), 2),
            "sql": sorted(set(sql[case.name])),
            # How many requests ran each number of queries: a worker's first request
            # after start reads what later requests find in its memory.
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

KEEPS = {
    "peer_graphql": "nothing (grapple/graphene: no response cache, no parse cache)",
    "peer_rest": "nothing (Wagtail REST API v2)",
    "cms_cold": "nothing generation-keyed: a content change (the page published again) "
    "before every request; production settings (response cache on, every request a miss; "
    "persistent database connections); only per-process values that cannot change for "
    "their key, among them the site, languages, restrictions and the rows of the images and "
    "collaborators the page shows, under the structure token, which a page publish does not "
    "renew (an image, document or snippet change does)",
    "cms_warm": "everything the code keeps for an unchanged content generation: root fields' "
    "answers in the per-process answer memo (JSON text under the generation, date window, "
    "origin, language, selection and variables) and plain values; response cache off "
    "(CIVIC_GRAPHQL_CACHE_SECONDS=0)",
    "cms_warm_plain": "plain values only (site, languages, restrictions and the rows of "
    "images, documents and snippets per structure token, list counts per content "
    "generation) and parsed documents; the resolvers run every request (answer memo and "
    "response cache off)",
    "cms_cached": "the response cache (GET; every request a hit)",
    "static": "a file on disk (django.views.static.serve, same server as cms_cached)",
    "listing_small": "as cms_warm_plain",
    "listing_large": "as cms_warm_plain",
    "listing_small_cold": "as cms_cold, response cache and answer memo off",
    "listing_large_cold": "as cms_cold, response cache and answer memo off",
}


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def spread(a: dict, b: dict) -> str:
    """The lowest and highest of the per-round ratios of two throughput cases."""
    ratios = [x / y for x, y in zip(a["rounds_rps"], b["rounds_rps"], strict=False) if x and y]
    return f"rounds {min(ratios):.2f}-{max(ratios):.2f}" if ratios else "no rounds"


def targets(report: dict) -> list[dict]:
    """Each target of issue 13 with what this run measured; never met on errors."""
    t, c = report["throughput"], report["cold"]
    small, large = report["listing_sizes"]
    rows = []

    def row(target: str, entries: list[dict], measure) -> None:
        broken = [
            e for e in entries if not e or e.get("error_count") or not ("p50_ms" in e or "rps" in e)
        ]
        if broken:
            count = sum(e.get("error_count", 0) for e in broken if e)
            rows.append(
                {
                    "target": target,
                    "measured": f"not counted: {count} answers with errors (see Errors)",
                    "met": False,
                }
            )
            return
        measured, met = measure()
        met = None if met is None else bool(met)
        rows.append({"target": target, "measured": measured, "met": met})

    cms, peer = c.get("cms_cold", {}), c.get("peer_graphql", {})
    row(
        "Cold: per-request latency at or below grapple's (p50 and p95)",
        [cms, peer],
        lambda: (
            f"CMS {cms['p50_ms']} / {cms['p95_ms']} ms, grapple {peer['p50_ms']} / "
            f"{peer['p95_ms']} ms ({ratio(cms['p50_ms'], peer['p50_ms'])}x at p50; paired "
            f"ratio {cms.get('paired_ratio_to_peer_graphql')}x)",
            cms["p50_ms"] <= peer["p50_ms"] and cms["p95_ms"] <= peer["p95_ms"],
        ),
    )
    row(
        "Cold: at most 12 SQL queries for a full page",
        [cms],
        lambda: (
            f"{sql_seen(cms)} (grapple: {report['peer']['sql_full_page']})",
            max(cms["sql"]) <= 12,
        ),
    )
    ls, ll = c.get("listing_small_cold", {}), c.get("listing_large_cold", {})
    ws, wl = t.get("listing_small", {}), t.get("listing_large", {})
    row(
        f"SQL queries per listing request the same at {small} and {large} pages",
        [ls, ll, ws, wl],
        lambda: (
            f"cold {sql_seen(ls)} and {sql_seen(ll)}; warm {sql_seen(ws)} and {sql_seen(wl)}",
            ls["sql"] == ll["sql"] and ws["sql"] == wl["sql"],
        ),
    )
    warm, grapple = t.get("cms_warm", {}), t.get("peer_graphql", {})
    row(
        "Warm, response cache off: at least 3x grapple's req/s",
        [warm, grapple],
        lambda: (
            f"{ratio(warm['rps'], grapple['rps'])}x ({warm['rps']} against {grapple['rps']} "
            f"req/s; {spread(warm, grapple)})",
            ratio(warm["rps"], grapple["rps"]) >= 3,
        ),
    )
    plain = t.get("cms_warm_plain", {})
    row(
        "(For reference, no target) warm with the answer memo off too, against grapple",
        [plain, grapple],
        lambda: (
            f"{ratio(plain['rps'], grapple['rps'])}x ({plain['rps']} against "
            f"{grapple['rps']} req/s; {spread(plain, grapple)})",
            None,
        ),
    )
    cached, static = t.get("cms_cached", {}), t.get("static", {})
    row(
        "From the response cache: at least 0.9x the static file's req/s",
        [cached, static],
        lambda: (
            f"{ratio(cached['rps'], static['rps'])}x ({cached['rps']} against "
            f"{static['rps']} req/s; {spread(cached, static)})",
            ratio(cached["rps"], static["rps"]) >= 0.9,
        ),
    )
    row(
        f"Listing, warm: 20 of {large} costs at most 1.3x 20 of {small} (req/s)",
        [ws, wl],
        lambda: (
            f"{ratio(ws['rps'], wl['rps'])}x ({wl['rps']} against {ws['rps']} req/s; "
            f"{spread(ws, wl)})",
            ratio(ws["rps"], wl["rps"]) <= 1.3,
        ),
    )
    row(
        f"Listing, cold: 20 of {large} costs at most 1.3x 20 of {small} (p50 latency)",
        [ls, ll],
        lambda: (
            f"{ratio(ll['p50_ms'], ls['p50_ms'])}x ({ll['p50_ms']} against {ls['p50_ms']} ms; "
            f"paired ratio {ratio(1, ls.get('paired_ratio_to_listing_large_cold'))}x)",
            ratio(ll["p50_ms"], ls["p50_ms"]) <= 1.3,
        ),
    )
    return rows


NOTES_MARKER = "<!-- Notes below this line are kept when the benchmark rewrites the file. -->"


def fmt(value) -> str:
    if isinstance(value, list):
        return "/".join(map(str, value)) if value else "-"
    return "-" if value is None or value == -1 else str(value)


def _counted(values: list[int]) -> dict[str, int]:
    """How many of ``values`` are each number: {"4": 149, "9": 1}."""
    return {str(n): values.count(n) for n in sorted(set(values))}


def sql_seen(case: dict) -> str:
    """The numbers of queries the requests of a case ran, with how many ran each (for a
    throughput case, the answers asked after its warm-up)."""
    counts = case.get("sql_requests")
    if not counts:
        return fmt(case.get("sql"))
    total = sum(counts.values())
    return ", ".join(f"{n} ({k} of {total})" for n, k in counts.items())


def write_markdown(report: dict, path: Path) -> None:
    kept = ""
    if path.exists() and NOTES_MARKER in (old := path.read_text(encoding="utf-8")):
        kept = old[old.index(NOTES_MARKER) + len(NOTES_MARKER) :]
    t, c, peer = report["throughput"], report["cold"], report["peer"]
    small, large = report["listing_sizes"]
    labels = {
        "peer_graphql": "grapple: full service page (POST)",
        "peer_rest": "grapple site: REST API v2 detail, same page",
        "cms_cold": "CMS cold: full service page (POST)",
        "cms_warm": "CMS warm, response cache off: full service page (POST)",
        "cms_warm_plain": "CMS warm, answer memo and response cache off: full service page (POST)",
        "cms_cached": "CMS from the response cache: full service page (GET)",
        "static": "The same JSON as a static file, same server",
        "listing_small": f"CMS services(first: 20) of {small}, warm, answer memo and "
        "response cache off",
        "listing_large": f"CMS services(first: 20) of {large}, warm, answer memo and "
        "response cache off",
        "listing_small_cold": f"CMS services(first: 20) of {small}, cold",
        "listing_large_cold": f"CMS services(first: 20) of {large}, cold",
    }
    lines = [
        "# API benchmark: the CMS against wagtail-grapple",
        "",
        "Written by `scripts/bench_api.py` (its docstring says how it works). "
        + ("**Quick mode: a smoke test, not figures to quote.** " if report["quick"] else "")
        + f"Content: {report['content']}. Page: `{SLUG}` ({LOCALE}), the page "
        "`peer_query.py body` asks for, imported into both from the same files. Every "
        f"server is gunicorn with {report['workers']} sync workers over its own SQLite "
        "database on 127.0.0.1. The machine is shared and noisy: read the ratios of cases "
        "measured side by side, not the absolute numbers.",
        "",
        f"    {report['command']}",
        "",
        f"CMS code: {report['code']}.",
        "",
        "## Targets (issue 13, point 8)",
        "",
        "| target | measured | result |",
        "|---|---|---|",
    ]
    for row in report["targets"]:
        result = "reference" if row["met"] is None else "**met**" if row["met"] else "**not met**"
        lines.append(f"| {row['target']} | {row['measured']} | {result} |")
    lines += [
        "",
        "## Cold: one request at a time, each after a content change",
        "",
        f"{report['cold_requests']} timed requests per case, the cases taking turns (the order "
        "flips every round). Before each CMS request the measured page is published again "
        "through Wagtail (`POST /bench/change/`, untimed), so the request finds nothing "
        "kept for the content. Latency is from sending the request to the last byte, on a "
        "new connection. Paired ratio: the median, over the rounds, of the CMS request's "
        "time over grapple's in the same round"
        + (
            f": **{c['cms_cold']['paired_ratio_to_peer_graphql']}x**."
            if "paired_ratio_to_peer_graphql" in c.get("cms_cold", {})
            else "."
        ),
        "",
        "| case | keeps between requests | p50 ms | p95 ms | mean ms | SQL/request | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in ("cms_cold", "peer_graphql", "listing_small_cold", "listing_large_cold"):
        e = c.get(name, {})
        sql = sql_seen(e) if name != "peer_graphql" else fmt(peer["sql_full_page"])
        lines.append(
            f"| {labels[name]} | {KEEPS[name]} | {fmt(e.get('p50_ms'))} | {fmt(e.get('p95_ms'))} "
            f"| {fmt(e.get('mean_ms'))} | {sql} | {fmt(e.get('error_count'))} |"
        )
    lines += [
        "",
        "## Throughput: wrk, interleaved slices",
        "",
        f"wrk with {report['concurrency']} connections, {report['duration']} s per case in "
        f"{report['rounds']} slices, every case taking its turn in each round. SQL/request "
        "is read from the `X-Civic-Queries` header of the answers asked after the warm-up, "
        "with how many ran each number (grapple's from "
        "`peer_query.py`, in process). Errors: answers that were not a 200 or held "
        '`"errors":`, and socket errors.',
        "",
        "| case | keeps between requests | req/s | p50 ms | p95 ms | SQL/request | bytes "
        "| peak RSS/worker MB | errors |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    peer_sql = {"peer_graphql": peer["sql_full_page"], "peer_rest": peer["sql_rest_detail"]}
    for name in (
        "peer_graphql",
        "peer_rest",
        "cms_warm",
        "cms_warm_plain",
        "cms_cached",
        "static",
        "listing_small",
        "listing_large",
    ):
        e = t.get(name, {})
        lines.append(
            f"| {labels[name]} | {KEEPS[name]} | {fmt(e.get('rps'))} | {fmt(e.get('p50_ms'))} "
            f"| {fmt(e.get('p95_ms'))} "
            f"| {fmt(peer_sql[name]) if name in peer_sql else sql_seen(e)} "
            f"| {fmt(e.get('bytes'))} | {fmt(e.get('peak_rss_mb'))} | {fmt(e.get('error_count'))} |"
        )
    failed = [(name, e["errors"]) for part in (t, c) for name, e in part.items() if e.get("errors")]
    if failed or report.get("profile", {}).get("errors"):
        lines += ["", "## Errors", ""]
        for name, errors in failed:
            lines.append(f"- `{name}`: " + "; ".join(f"`{e[:200]}`" for e in errors[:3]))
        if report.get("profile", {}).get("errors"):
            lines.append("- profile: " + "; ".join(report["profile"]["errors"][:3]))
    prof = report.get("profile") or {}
    if prof.get("error_count"):
        lines += ["", "## Profile of the cold path", "", "Not shown: the answers had errors."]
    elif prof.get("by_cumulative"):
        lines += [
            "",
            "## Profile of the cold path",
            "",
            f"cProfile in one process (Django test client, `cms.settings.bench`, response "
            f"cache on) over {prof['requests']} full-page requests, each after a content "
            f"change: {prof['ms_per_request_profiled']} ms per request with the profiler on "
            f"({prof['ms_per_request_unprofiled_p50']} ms without it, p50 of as many requests "
            f"alternating with the profiled ones), SQL per request "
            f"{fmt(prof['sql_per_request'])}. Times are per request.",
            "",
            "Own time by package (where the time goes):",
            "",
            "| package | own ms per request |",
            "|---|---|",
            *(
                f"| {entry['package']} | {entry['own_ms_per_request']} |"
                for entry in prof["own_time_by_package"][:15]
            ),
            "",
            "By cumulative time; pass-through wrappers (a function one of whose callees takes "
            "95% or more of its time: the test client, middleware, the view, the executor's "
            "layers) are left out, so each row is a point where the time divides:",
            "",
            "| function | calls | cumulative ms | own ms |",
            "|---|---|---|---|",
        ]
        for entry in prof["by_cumulative"]:
            lines.append(
                f"| `{entry['function']}` | {entry['calls_per_request']} "
                f"| {entry['cumulative_ms_per_request']} | {entry['own_ms_per_request']} |"
            )
        lines += ["", "By own time:", "", "| function | calls | own ms |", "|---|---|---|"]
        for entry in prof["by_own_time"]:
            lines.append(
                f"| `{entry['function']}` | {entry['calls_per_request']} "
                f"| {entry['own_ms_per_request']} |"
            )
    lines += [
        "",
        "## What the two sides answer",
        "",
        f"- grapple: `peer_query.py body`, {fmt(t.get('peer_graphql', {}).get('bytes'))} bytes: "
        "the page, its header image's original URL, every block, the Markdown as stored, "
        "collaborators with their logo's original URL.",
        f"- CMS: the query in `CMS_FULL_PAGE` of the script, "
        f"{fmt(t.get('cms_warm', {}).get('bytes'))} bytes: the same fields, plus the "
        "Markdown rendered to sanitised HTML and a rendition (URL, width, height) of each "
        "image; it does more work for the same page.",
        f"- Listing: `services(first: 20)` with a card per service (`CMS_LISTING`), "
        f"{fmt(t.get('listing_small', {}).get('bytes'))} bytes; sites of {small} and "
        f"{large} service pages in the page's language, the page bulk-cloned.",
        f"- The peer: {peer['imported']}; grapple's listing of 20 runs "
        f"{peer['sql_list_20']} SQL queries (`peer_query.py`, not measured here).",
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


# --- The run ---------------------------------------------------------------------------------


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found.group(1).strip() if found else ""
    return f"{platform.platform()}, {os.cpu_count()} CPUs ({model or 'unknown'}), shared"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke test: < 3 minutes")
    parser.add_argument("--duration", type=int, help="wrk seconds per case (default 60)")
    parser.add_argument("--rounds", type=int, help="interleaved slices per case (default 12)")
    parser.add_argument("--cold-requests", type=int, help="timed cold requests per case")
    parser.add_argument("--listing-sizes", help="two sizes, e.g. 100,10000 (the default)")
    parser.add_argument("--profile-requests", type=int, help="cold requests profiled")
    parser.add_argument("--content", type=Path, help="a Jekyll site (default: the fixture)")
    parser.add_argument("--revision", help="measure the CMS code of this commit")
    parser.add_argument("--peer-venv", type=Path, default=PEER_VENV)
    parser.add_argument("--output", type=Path, default=DOCS)
    args = parser.parse_args()
    quick = args.quick
    duration = args.duration or (4 if quick else 60)
    rounds = args.rounds or (2 if quick else 12)
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
        (folder / "static").mkdir()
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
        base = cms_env(code, folder, "base", 600)
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
        for name in ("site", "profile", "small", "large"):
            shutil.copy(folder / "base.sqlite3", folder / f"{name}.sqlite3")
        build = {}
        say(f"Listing sites: the page bulk-cloned to {sizes[0]} and {sizes[1]} service pages")
        for name, size in (("small", sizes[0]), ("large", sizes[1])):
            begun = time.perf_counter()
            run(
                [sys.executable, __file__, "clone", size],
                cwd=code,
                env=cms_env(code, folder, name, 0),
                what=f"clone to {size}",
            )
            build[size] = round(time.perf_counter() - begun, 1)

        try:
            say("Starting the servers")
            peer_server = Server(
                "peer",
                [args.peer_venv / "bin" / "gunicorn", "peersite.wsgi"],
                PEER_DIR,
                {**penv, "DJANGO_SETTINGS_MODULE": "peersite.settings"},
            )
            warm_server = cms_server("cms-warm", code, cms_env(code, folder, "site", 0))
            plain_server = cms_server(
                "cms-warm-plain", code, cms_env(code, folder, "site", 0, memo_bytes=0)
            )
            cached_server = cms_server("cms-cached", code, cms_env(code, folder, "site", 600))
            small_server = cms_server(
                "listing-small", code, cms_env(code, folder, "small", 0, memo_bytes=0)
            )
            large_server = cms_server(
                "listing-large", code, cms_env(code, folder, "large", 0, memo_bytes=0)
            )
            servers += [peer_server, warm_server, plain_server, cached_server]
            servers += [small_server, large_server]
            for server in servers:
                server.wait_ready()

            full = json.dumps({"query": CMS_FULL_PAGE, "variables": CMS_FULL_VARIABLES})
            listing = json.dumps({"query": CMS_LISTING, "variables": CMS_LISTING_VARIABLES})
            get_path = "/graphql/?" + urllib.parse.urlencode(
                {"query": CMS_FULL_PAGE, "variables": json.dumps(CMS_FULL_VARIABLES)}
            )
            post = ("POST", "/graphql/")
            cases = {
                "peer_graphql": Case("peer_graphql", peer_server, *post, peer["body"], "page"),
                "peer_rest": Case(
                    "peer_rest", peer_server, "GET", f"/api/v2/pages/{peer['page_id']}/"
                ),
                "cms_cold": Case("cms_cold", cached_server, *post, full.encode(), "service"),
                "cms_warm": Case("cms_warm", warm_server, *post, full.encode(), "service"),
                "cms_warm_plain": Case(
                    "cms_warm_plain", plain_server, *post, full.encode(), "service"
                ),
                "cms_cached": Case("cms_cached", cached_server, "GET", get_path, None, "service"),
                "static": Case("static", cached_server, "GET", "/bench-static/service.json"),
                "listing_small": Case(
                    "listing_small", small_server, *post, listing.encode(), "services"
                ),
                "listing_large": Case(
                    "listing_large", large_server, *post, listing.encode(), "services"
                ),
            }
            say("Checking and warming every case")
            for name, case in cases.items():
                if name == "static":
                    cached = cases["cms_cached"]
                    if cached.first and not cached.errors:
                        (folder / "static" / "service.json").write_bytes(cached.first[1])
                    else:
                        case.errors = ["no cached answer to copy"]
                        continue
                if not case.check():
                    say(f"  {name}: ERRORS {case.errors[:2]}")

            say(f"Cold: {cold_requests} requests per case, taking turns")
            cold_results = cold(
                [(cases["cms_cold"], cached_server), (cases["peer_graphql"], None)],
                cold_requests,
            )
            listing_cold = cold(
                [
                    (
                        Case(
                            "listing_small_cold", small_server, *post, listing.encode(), "services"
                        ),
                        small_server,
                    ),
                    (
                        Case(
                            "listing_large_cold", large_server, *post, listing.encode(), "services"
                        ),
                        large_server,
                    ),
                ],
                max(10, cold_requests // 2),
            )
            cold_results.update(listing_cold)
            for case in cases.values():  # warm again after the changes
                if not case.errors:
                    case.check()
            say(f"Throughput: {duration} s per case in {rounds} slices")
            order = ["peer_graphql", "cms_warm", "cms_warm_plain", "peer_rest"]
            order += ["cms_cached", "static"]
            order += ["listing_small", "listing_large"]
            throughput_results = throughput([cases[n] for n in order], duration, rounds, folder)
        finally:
            for server in servers:
                server.stop()

        say(f"Profile: {profile_requests} cold requests in process")
        profile_out = folder / "profile.json"
        run(
            [sys.executable, __file__, "profile", profile_requests, profile_out],
            cwd=code,
            env=cms_env(code, folder, "profile", 600),
            what="profile",
        )
        profile_result = json.loads(profile_out.read_text())

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
        "cold_requests": cold_requests,
        "listing_sizes": sizes,
        "listing_build_seconds": build,
        "keeps": KEEPS,
        "queries": {"cms_full_page": CMS_FULL_PAGE, "cms_listing": CMS_LISTING},
        "peer": {k: v for k, v in peer.items() if k != "body"},
        "cold": cold_results,
        "throughput": throughput_results,
        "profile": profile_result,
        "load": [load_start, round(os.getloadavg()[0], 2)],
        "notes": notes,
    }
    cold_sql, warm_sql = cold_results.get("cms_cold", {}), throughput_results.get("cms_warm", {})
    if cold_sql.get("sql") and warm_sql.get("sql") and min(cold_sql["sql"]) <= max(warm_sql["sql"]):
        notes.append(
            "**Check: the cold requests ran no more SQL than warm ones** "
            f"({fmt(cold_sql['sql'])} against {fmt(warm_sql['sql'])}): the content change may not "
            "have renewed what the code keeps, so the cold figures may be warm ones."
        )
    cache_states = {
        name: throughput_results.get(name, {}).get("cache") for name in ("cms_warm", "cms_cached")
    }
    if cache_states["cms_warm"] == "hit" or cache_states["cms_cached"] not in ("hit", None):
        notes.append(
            f"**Check: X-Civic-Cache was {cache_states}**: the warm case should not come "
            "from the response cache and the cached case should."
        )
    memo_states = {
        name: throughput_results.get(name, {}).get("answers")
        for name in ("cms_warm", "cms_warm_plain", "listing_small", "listing_large")
    }
    if memo_states != {
        "cms_warm": "1/1",
        "cms_warm_plain": "",
        "listing_small": "",
        "listing_large": "",
    } and all(v is not None for v in memo_states.values()):
        notes.append(
            f"**Check: X-Civic-Answers was {memo_states}**: the warm case should come from "
            "the answer memo and the others should not use it."
        )
    report["targets"] = targets(report)
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "api.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    write_markdown(report, args.output / "api.md")
    for row in report["targets"]:
        print(f"{'met    ' if row['met'] else 'NOT MET'}  {row['target']}: {row['measured']}")
    errors = [
        n
        for part in (cold_results, throughput_results)
        for n, e in part.items()
        if e.get("error_count")
    ]
    if errors:
        print(f"Errors in: {', '.join(errors)} (see {args.output / 'api.md'})")
    print(f"Done in {report['minutes']} min: {args.output / 'api.md'}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "clone":
        clone(int(sys.argv[2]))
    elif len(sys.argv) > 3 and sys.argv[1] == "profile":
        profile(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
