"""Benchmark the GraphQL API against Wagtail's REST API v2 and against a static file.

For each size (service pages in the site) it builds a synthetic site in a fresh SQLite
database, starts gunicorn (2 workers, 127.0.0.1, settings ``cms.settings.bench``) and
drives it with wrk from a separate process, at a fixed concurrency for a fixed duration:

1. ``graphql``: one full service page with every block (POST, response cache off);
2. ``rest``: Wagtail's REST API v2 detail endpoint for the same page;
3. ``listing``: ``services(first: 20)`` with the same fields (POST, cache off);
4. ``cached``: the full page from the response cache (GET, cache on);
5. ``static``: that same JSON as a static file served by the same server.

The site is built fast: one rich service page with every block type through the normal
page API (collaborators with logos, the demo images, every rendition preset generated
once), then cloned with bulk inserts into the page tree. Results go to
docs/benchmarks/api.json and api.md. Ratios matter more than absolute numbers.

    .venv/bin/python scripts/bench_api.py --sizes 100,1000,10000 --duration 20
"""

import argparse
import json
import os
import platform
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
import urllib.request
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "benchmarks"
SLUG = "bench-service"
CONCURRENCY = 4
WORKERS = 2
WRK = shutil.which("wrk") or "wrk"


# --- Inside Django (subcommands run with the bench settings) ---------------------------


def _django():
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.bench")
    import django

    django.setup()


def build_template() -> None:
    """The rich service page, its images, collaborators and renditions, in the empty site."""
    _django()
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    from cms.models import Collaborator
    from cms.site_structure import ensure_site_structure
    from graphql_api.presets import ALL_SPECS
    from tests.factories import make_service
    from tests.graphql_api.conftest import every_block_body, make_document

    media = REPO / "cms" / "demo_content" / "media"
    image_model = get_image_model()

    def image(path: Path):
        item = image_model(title=path.stem)
        with path.open("rb") as handle:
            item.file = ImageFile(handle, name=path.name)
            item.save()
        return item

    structure = ensure_site_structure()
    locale = structure.service_indexes["es"].locale
    images = [image(p) for p in sorted((media / "services").iterdir())]
    images = (images * 3)[:3]
    collaborators = [
        Collaborator.objects.create(
            name=path.stem.title(),
            slug=path.stem,
            url=f"https://{path.stem}.example/",
            logo=image(path),
            locale=locale,
        )
        for path in sorted((media / "collaborators").iterdir())
    ]
    body = every_block_body(
        images=images,
        collaborators=collaborators,
        document=make_document(),
        link_page=structure.service_indexes["es"],
    )
    make_service(
        structure.service_indexes["es"],
        title="Servicio de referencia",
        slug=SLUG,
        body=body,
        image=images[0],
        description="Un **servicio** con _todos_ los bloques.",
    )
    for item in image_model.objects.all():
        for spec in ALL_SPECS:
            item.get_rendition(spec)


def clone(count: int) -> None:
    """Add ``count`` copies of the rich service page with bulk inserts into the tree."""
    _django()
    import uuid

    from django.db import connection, transaction
    from wagtail.models import Page

    from services.models import ServicePage

    template = Page.objects.get(slug=SLUG)
    parent = template.get_parent()
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


# --- Outside Django: the run ----------------------------------------------------------


def graphql_queries() -> tuple[str, str]:
    sys.path.insert(0, str(REPO))
    from tests.graphql_api.queries import SERVICE, SERVICES

    return SERVICE, SERVICES


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    result = subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr[-3000:]}")


class Server:
    """gunicorn with the bench settings; RSS of its workers sampled on demand."""

    def __init__(self, env: dict, cache_seconds: int):
        import psutil

        self.port = free_port()
        self.env = {**env, "CIVIC_GRAPHQL_CACHE_SECONDS": str(cache_seconds)}
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "cms.wsgi:application",
                f"--workers={WORKERS}",
                f"--bind=127.0.0.1:{self.port}",
                "--limit-request-line=16384",
                "--log-level=warning",
            ],
            cwd=REPO,
            env=self.env,
        )
        self.master = psutil.Process(self.process.pid)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url("/api/v2/pages/?limit=1"), timeout=5).read()  # noqa: S310
                if len(self.workers()) == WORKERS:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("gunicorn did not start")

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
        self.samples: list[tuple[float, list[int]]] = []
        self.halt = threading.Event()

    def run(self):
        started = time.time()
        while not self.halt.is_set():
            self.samples.append((time.time() - started, self.server.rss()))
            self.halt.wait(self.interval)

    def stop(self):
        self.halt.set()
        self.join()

    @property
    def peak_mb(self) -> float:
        return round(max((max(s) for _, s in self.samples if s), default=0) / 2**20, 1)


LUA_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "errors": %d, "non2xx": %d, '
    .. '"p50_us": %d, "p95_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


class Case:
    def __init__(self, name: str, method: str, path: str, body: bytes | None = None):
        self.name, self.method, self.path, self.body = name, method, path, body

    def request(self, server: Server) -> tuple[bytes, dict]:
        request = urllib.request.Request(  # noqa: S310
            server.url(self.path),
            data=self.body,
            method=self.method,
            headers={"Content-Type": "application/json"} if self.body else {},
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.read(), dict(response.headers)

    def lua(self) -> str:
        lines = [f'wrk.method = "{self.method}"']
        if self.body:
            lines.append(f"wrk.body = {json.dumps(self.body.decode())}")
            lines.append('wrk.headers["Content-Type"] = "application/json"')
        return "\n".join(lines) + "\n" + LUA_DONE


def warm(server: Server, case: Case) -> tuple[bytes, dict]:
    body, headers = b"", {}
    for _ in range(4 * WORKERS):  # warm every worker (and its local cache)
        body, headers = case.request(server)
    payload = json.loads(body)
    if isinstance(payload, dict) and payload.get("errors"):
        raise SystemExit(f"{case.name}: {payload['errors']}")
    return body, headers


def run_wrk(server: Server, case: Case, seconds: int, folder: Path) -> dict:
    script = folder / f"{case.name}.lua"
    script.write_text(case.lua())
    sampler = Sampler(server)
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
            server.url(case.path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    sampler.stop()
    line = next(x for x in result.stdout.splitlines() if x.startswith("BENCH "))
    return {**json.loads(line[len("BENCH ") :]), "peak_rss_mb": case_peak(sampler)}


def run_cases(
    server: Server, cases: list[Case], duration: int, rounds: int, folder: Path
) -> dict[str, dict]:
    """Each case for ``duration`` seconds in all, in ``rounds`` interleaved slices.

    On a shared, noisy machine a slow moment then hits every case alike instead of the one
    that happened to run during it: the ratios between cases stay honest.
    """
    first = {case.name: warm(server, case) for case in cases}
    slices: dict[str, list[dict]] = {case.name: [] for case in cases}
    seconds = max(1, round(duration / rounds))
    for _ in range(rounds):
        for case in cases:
            slices[case.name].append(run_wrk(server, case, seconds, folder))
    results = {}
    for case in cases:
        runs = slices[case.name]
        body, headers = first[case.name]
        requests = sum(r["requests"] for r in runs)
        results[case.name] = {
            "rps": round(requests / (sum(r["duration_us"] for r in runs) / 1e6), 1),
            "p50_ms": round(statistics.median(r["p50_us"] for r in runs) / 1000, 2),
            "p95_ms": round(statistics.median(r["p95_us"] for r in runs) / 1000, 2),
            "requests": requests,
            "errors": sum(r["errors"] + r["non2xx"] for r in runs),
            "queries": int(headers.get("X-Civic-Queries", "-1")),
            "bytes": len(body),
            "cache": headers.get("X-Civic-Cache", ""),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
            "rounds": [round(r["requests"] / (r["duration_us"] / 1e6), 1) for r in runs],
        }
    return results


def case_peak(sampler: Sampler) -> float:
    return sampler.peak_mb


def memory_run(server: Server, case: Case, seconds: int, folder: Path) -> dict:
    """Drive one case for ``seconds`` and compare each worker's RSS at the start and end."""
    for _ in range(4 * WORKERS):
        case.request(server)
    sampler = Sampler(server, interval=1.0)
    sampler.start()
    script = folder / "memory.lua"
    script.write_text(case.lua())
    subprocess.run(  # noqa: S603
        [WRK, "-t1", f"-c{CONCURRENCY}", f"-d{seconds}s", "-s", str(script), server.url(case.path)],
        capture_output=True,
        check=True,
    )
    sampler.stop()
    samples = [s for _, s in sampler.samples if len(s) == WORKERS]
    first = [max(s[w] for s in samples[1:6]) for w in range(WORKERS)]
    last = [max(s[w] for s in samples[-5:]) for w in range(WORKERS)]
    growth = max((b - a) / a for a, b in zip(first, last, strict=True))
    return {
        "case": case.name,
        "seconds": seconds,
        "start_mb": [round(x / 2**20, 1) for x in first],
        "end_mb": [round(x / 2**20, 1) for x in last],
        "growth_pct": round(100 * growth, 1),
    }


def measure_size(base_db: Path, media: Path, folder: Path, size: int, args) -> dict:
    service, services = graphql_queries()
    db = folder / f"site-{size}.sqlite3"
    shutil.copy(base_db, db)
    static_dir = folder / f"static-{size}"
    static_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.bench",
        "DATABASE_URL": f"sqlite:///{db}",
        "MEDIA_ROOT": str(media),
        "CIVIC_CACHE_DIR": str(folder / f"cache-{size}"),
        "CIVIC_BENCH_STATIC_DIR": str(static_dir),
    }
    started = time.perf_counter()
    if size > 1:
        manage(env, __file__, "clone", str(size - 1))
    build_seconds = round(time.perf_counter() - started, 1)

    variables = {"slug": SLUG, "locale": "es"}
    full = json.dumps({"query": service, "variables": variables}).encode()
    listing = json.dumps({"query": services, "variables": {"first": 20, "locale": "es"}}).encode()
    get_path = "/graphql/?" + urllib.parse.urlencode(
        {"query": service, "variables": json.dumps(variables)}
    )
    results: dict = {"pages": size, "build_seconds": build_seconds, "cases": {}}

    server = Server(env, cache_seconds=0)
    try:
        detail_id = json.loads(
            Case("find", "GET", f"/api/v2/pages/?slug={SLUG}").request(server)[0]
        )["items"][0]["id"]
        cases = [
            Case("graphql", "POST", "/graphql/", full),
            Case("rest", "GET", f"/api/v2/pages/{detail_id}/"),
            Case("listing", "POST", "/graphql/", listing),
        ]
        print(f"  {size} pages: {', '.join(c.name for c in cases)}", flush=True)
        results["cases"].update(run_cases(server, cases, args.duration, args.rounds, folder))
        if size == max(args.sizes) and args.memory_seconds:
            print(f"  {size} pages: memory over {args.memory_seconds}s", flush=True)
            results["memory"] = memory_run(server, cases[0], args.memory_seconds, folder)
    finally:
        server.stop()

    server = Server(env, cache_seconds=600)
    try:
        cached = Case("cached", "GET", get_path)
        (static_dir / "service.json").write_bytes(cached.request(server)[0])
        static = Case("static", "GET", "/bench-static/service.json")
        print(f"  {size} pages: cached, static", flush=True)
        results["cases"].update(
            run_cases(server, [cached, static], args.duration, args.rounds, folder)
        )
    finally:
        server.stop()
    return results


def targets(report: dict) -> list[dict]:
    sizes = report["sizes"]
    by_size = {r["pages"]: r["cases"] for r in sizes}
    small, large = by_size[min(by_size)], by_size[max(by_size)]
    rows = []
    ratio = large["graphql"]["rps"] / large["rest"]["rps"]
    rows.append(
        {
            "target": "Full service page over GraphQL ≥ 1.5x the req/s of REST v2 detail "
            f"(at {max(by_size)} pages)",
            "measured": f"{ratio:.2f}x",
            "met": ratio >= 1.5,
        }
    )
    counts = {
        name: sorted({cases[name]["queries"] for cases in by_size.values()})
        for name in ("graphql", "listing")
    }
    worst = max(max(c) for c in counts.values())
    constant = all(len(c) == 1 for c in counts.values())
    rows.append(
        {
            "target": "SQL queries per request constant in pages (same at every size), ≤ 12",
            "measured": ", ".join(f"{k}: {'/'.join(map(str, v))}" for k, v in counts.items()),
            "met": constant and worst <= 12,
        }
    )
    cost = small["listing"]["rps"] / large["listing"]["rps"]
    rows.append(
        {
            "target": f"Listing 20 of {max(by_size)} costs ≤ 1.3x listing 20 of {min(by_size)} "
            "(req/s ratio)",
            "measured": f"{cost:.2f}x",
            "met": cost <= 1.3,
        }
    )
    share = large["cached"]["rps"] / large["static"]["rps"]
    rows.append(
        {
            "target": "Cached GraphQL ≥ 0.5x the req/s of the static file",
            "measured": f"{share:.2f}x",
            "met": share >= 0.5,
        }
    )
    if "memory" in sizes[-1]:
        growth = sizes[-1]["memory"]["growth_pct"]
        rows.append(
            {
                "target": f"Memory per worker flat over {sizes[-1]['memory']['seconds']} s "
                "(growth ≤ 10%)",
                "measured": f"{growth}%",
                "met": growth <= 10,
            }
        )
    return rows


LABELS = {
    "graphql": "GraphQL full page (POST, uncached)",
    "rest": "REST API v2 detail (same page)",
    "listing": "GraphQL services(first: 20) (POST, uncached)",
    "cached": "GraphQL full page from the response cache (GET)",
    "static": "Same JSON as a static file",
}


NOTES_MARKER = "<!-- Notes below this line are kept when the benchmark rewrites the file. -->"


def write_markdown(report: dict, path: Path) -> None:
    kept = ""
    if path.exists() and NOTES_MARKER in (old := path.read_text(encoding="utf-8")):
        kept = old[old.index(NOTES_MARKER) + len(NOTES_MARKER) :]
    lines = [
        "# API benchmark",
        "",
        "Written by `scripts/bench_api.py` (see the top of that file). Each size is a fresh "
        "SQLite site of rich service pages (every block type, collaborators with logos, "
        "images with every rendition preset), served by gunicorn with "
        f"{report['workers']} sync workers on 127.0.0.1 and driven by wrk from its own "
        f"process with {report['concurrency']} connections for {report['duration']} s per "
        f"case, in {report['rounds']} interleaved slices (the cases of one server take turns, "
        "so a noisy moment hits them alike). SQL/request is the steady state, after the "
        "first request of the content generation (see docs/GRAPHQL.md for the first "
        "request's cost). The machine is shared and noisy: read the ratios, not the "
        "absolute numbers.",
        "",
        "    .venv/bin/python scripts/bench_api.py --sizes "
        + ",".join(str(s["pages"]) for s in report["sizes"])
        + f" --duration {report['duration']} --rounds {report['rounds']}",
        "",
        "| pages | case | req/s | p50 ms | p95 ms | SQL/request | peak RSS/worker MB "
        "| bytes | errors |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for size in report["sizes"]:
        for name, label in LABELS.items():
            c = size["cases"][name]
            lines.append(
                f"| {size['pages']} | {label} | {c['rps']} | {c['p50_ms']} | {c['p95_ms']} "
                f"| {c['queries']} | {c['peak_rss_mb']} | {c['bytes']} | {c['errors']} |"
            )
    lines += ["", "## Targets (issue 6)", "", "| target | measured | result |", "|---|---|---|"]
    for row in report["targets"]:
        lines.append(
            f"| {row['target']} | {row['measured']} | {'**met**' if row['met'] else '**missed**'} |"
        )
    memory = report["sizes"][-1].get("memory")
    if memory:
        lines += [
            "",
            f"Memory: case `{memory['case']}` at {report['sizes'][-1]['pages']} pages for "
            f"{memory['seconds']} s; RSS per worker {memory['start_mb']} MB at the start, "
            f"{memory['end_mb']} MB at the end.",
        ]
    lines += [
        "",
        "Notes: the REST API v2 endpoint returns the body as stored (image and collaborator "
        "ids, raw Markdown) with the header image in two renditions; the GraphQL answer "
        "resolves every image, rendition, collaborator, document and link and renders the "
        "Markdown, so it does more work for the same page. SQL/request is read from the "
        "`X-Civic-Queries` header the benchmark settings add. Build seconds per size: "
        + ", ".join(f"{s['pages']}: {s['build_seconds']}" for s in report["sizes"])
        + ".",
        "",
        f"Machine: {report['machine']}. {report['versions']}. Date: {report['date']}.",
        "",
        NOTES_MARKER,
    ]
    path.write_text("\n".join(lines) + (kept or "\n"), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--duration", type=int, default=20, help="seconds per case")
    parser.add_argument(
        "--rounds", type=int, default=4, help="interleaved slices per case (noise control)"
    )
    parser.add_argument("--memory-seconds", type=int, default=60)
    parser.add_argument("--output", type=Path, default=DOCS)
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",")]
    if not shutil.which(WRK):
        raise SystemExit("wrk is needed: apt-get install -y wrk")

    with tempfile.TemporaryDirectory(prefix="civic-bench-api-") as tmp:
        folder = Path(tmp)
        base_db, media = folder / "base.sqlite3", folder / "media"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.bench",
            "DATABASE_URL": f"sqlite:///{base_db}",
            "MEDIA_ROOT": str(media),
        }
        print("Migrating and building the rich service page", flush=True)
        manage(env, "manage.py", "migrate", "-v0")
        manage(env, __file__, "template")
        sizes = [measure_size(base_db, media, folder, size, args) for size in args.sizes]

    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.platform()}, {os.cpu_count()} CPUs (shared)",
        "versions": f"Python {platform.python_version()}; "
        + ", ".join(
            f"{p} {version(p)}"
            for p in ("Django", "wagtail", "strawberry-graphql", "strawberry-graphql-django")
        )
        + f"; gunicorn {version('gunicorn')}; wrk",
        "workers": WORKERS,
        "concurrency": CONCURRENCY,
        "duration": args.duration,
        "rounds": args.rounds,
        "sizes": sizes,
    }
    report["targets"] = targets(report)
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "api.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    write_markdown(report, args.output / "api.md")
    for row in report["targets"]:
        print(f"{'met   ' if row['met'] else 'MISSED'} {row['measured']:>14}  {row['target']}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "template":
        build_template()
    elif len(sys.argv) > 2 and sys.argv[1] == "clone":
        clone(int(sys.argv[2]))
    else:
        main()
