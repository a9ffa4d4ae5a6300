"""Load and faults against the CMS under gunicorn, on PostgreSQL and the Redis cache.

1. Load while publishing: 32 connections send a mix of GraphQL queries (POST, GET from
   the response cache with ETags, a persisted query, a page by path, the listing) and the
   rendered page for 60 s while an editor publishes a new version of the page every
   second. Every answer shows one version (never a mix), and no answer to a request that
   started after a publish had committed shows an older version: docs/DELIVERY.md
   promises that the server is never stale (the response cache is keyed by a content
   generation renewed at commit), so the window allowed is 0 s.
2. PostgreSQL restart: a private cluster is stopped for about 5 s under load and started
   again. Meanwhile answers are a clean 503 with Retry-After (or come from the response
   cache); afterwards the same gunicorn serves 200s again within seconds.

Figures go to artifacts/reliability/load.json and db_restart.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid

import pytest

from cms.unavailable import HTML, graphql_unavailable_response
from tests.reliability.long.servers import ROOT, Gunicorn, PostgresCluster, app_env
from tests.reliability.long.traffic import KINDS, REREGISTERED, UNCACHED, Traffic

pytestmark = pytest.mark.long

LOAD_SECONDS = 60
CONNECTIONS = 32
PUBLISH_INTERVAL = 1.0
# docs/DELIVERY.md: "the server is never stale" (HTTP caches in front are not tested here).
INVALIDATION_WINDOW = 0.0
MIN_REQUESTS = 1000
MIN_PUBLISHES = 50

RESTART_CONNECTIONS = 12
BEFORE_OUTAGE, OUTAGE, AFTER_OUTAGE = 5.0, 5.0, 15.0
RECOVERY_LIMIT = 5.0


def write(artifacts, name: str, figures: dict) -> None:
    (artifacts / name).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print(f"\n{name}: {json.dumps(figures, ensure_ascii=False)}")


def server_tracebacks(server: Gunicorn) -> int:
    return server.log.read_text(errors="replace").count("Traceback")


def test_load_while_publishing(demo_site, artifacts, tmp_path):
    server = Gunicorn(demo_site.env, tmp_path / "gunicorn.log", workers=3, threads=4)
    publisher = None
    try:
        server.wait_until_ready()
        traffic = Traffic(server.base, connections=CONNECTIONS)
        traffic.learn()
        publisher = subprocess.Popen(  # noqa: S603 - our own editor
            [sys.executable, "-m", "tests.reliability.long.content", "publish",
             str(LOAD_SECONDS), str(PUBLISH_INTERVAL)],
            cwd=ROOT, env=demo_site.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        initial = json.loads(publisher.stdout.readline())["ready"]
        threads = traffic.start()
        started = time.monotonic()
        publisher.stdin.write("go\n")
        publisher.stdin.flush()
        published, done = [], None
        for line in publisher.stdout:
            message = json.loads(line)
            if "done" in message:
                done = message
                break
            published.append(message)
        traffic.stop(threads)
        duration = time.monotonic() - started
        assert publisher.wait(timeout=60) == 0
        assert done is not None, "the publisher stopped without its summary"
    finally:
        if publisher and publisher.poll() is None:
            publisher.kill()
        server.stop()

    # Which version each answer had to show at least, and which versions existed.
    commits = sorted((p["committed"] + INVALIDATION_WINDOW, p["version"]) for p in published)
    began = {p["version"]: p["began"] for p in published}
    stale, impossible, seen = [], [], set()
    for record in traffic.records:
        if record.version is None:
            continue
        seen.add(record.version)
        required = max((v for t, v in commits if t <= record.start), default=initial)
        if record.version < required:
            stale.append((record.kind, record.version, required))
        if record.version != initial and (
            record.version not in began or began[record.version] > record.end
        ):
            impossible.append((record.kind, record.version))
    summary = traffic.summary()
    problems = summary["problems"]
    figures = {
        "seconds": round(duration, 1),
        "connections": CONNECTIONS,
        "gunicorn": f"{server.workers} gthread workers x 4 threads, cms.settings.production",
        **summary,
        "requests_per_second": round(len(traffic.records) / duration, 1),
        "publishes": len(published),
        "publish_seconds_max": done["publish_seconds_max"],
        "webhook_deliveries_queued": done["webhook_deliveries"],
        "versions": [initial, published[-1]["version"] if published else initial],
        "versions_seen": len(seen),
        "mixes": problems.get("mix", 0),
        "stale": len(stale),
        "impossible_versions": len(impossible),
        "invalidation_window_seconds": INVALIDATION_WINDOW,
        "server_log_tracebacks": server_tracebacks(server),
    }
    write(artifacts, "load.json", figures)

    assert set(problems) <= {REREGISTERED}, (problems, traffic.examples)
    assert set(summary["status"]) <= {"200", "304"}, summary["status"]
    assert stale == [], stale[:20]
    assert impossible == [], impossible[:20]
    assert figures["server_log_tracebacks"] == 0, server.tail()
    assert len(traffic.records) > MIN_REQUESTS
    assert all(summary["by_kind"].get(kind.name, 0) > 50 for kind in KINDS), summary["by_kind"]
    assert len(published) >= MIN_PUBLISHES
    assert done["webhook_deliveries"] == len(published)
    # The readers really followed the editor: they saw most of the versions published.
    assert len(seen) >= len(published) // 2, (len(seen), len(published))


def test_postgres_restart_during_load(demo_site, artifacts, tmp_path):
    reason = PostgresCluster.unavailable()
    if reason:
        pytest.skip(f"no private PostgreSQL cluster: {reason}")
    cluster = PostgresCluster()
    server = None
    try:
        cluster.start()
        database = cluster.copy_database(demo_site.database, "civic")
        env = app_env(
            database,
            demo_site.redis,
            cache_prefix=f"civic-restart-{uuid.uuid4().hex[:8]}",
            media_root=demo_site.media_root,
        )
        server = Gunicorn(env, tmp_path / "gunicorn.log", workers=3, threads=2)
        server.wait_until_ready()
        graphql_503 = graphql_unavailable_response().content.decode()
        traffic = Traffic(
            server.base,
            kinds=[*KINDS, UNCACHED],
            connections=RESTART_CONNECTIONS,
            timeout=30,
            unavailable={
                **{k.name: ("application/json", graphql_503) for k in [*KINDS, UNCACHED]},
                "html_page": ("text/html; charset=utf-8", HTML),
            },
        )
        traffic.learn()
        threads = traffic.start()
        time.sleep(BEFORE_OUTAGE)
        stopping = time.monotonic()
        cluster.stop("fast")
        down = time.monotonic()
        time.sleep(OUTAGE)
        cluster.start()
        up = time.monotonic()
        time.sleep(AFTER_OUTAGE)
        traffic.stop(threads)
        finished = time.monotonic()
    finally:
        if server:
            server.stop()
        cluster.remove()

    records = sorted(traffic.records, key=lambda r: r.start)
    ok = {200, 304}
    during = [r for r in records if r.start >= down and r.end <= up]
    unavailable = [r for r in records if r.status == 503]
    after = [r for r in records if r.start >= up]
    failing_after = [r for r in after if r.status not in ok]
    recovery = max((r.end - up for r in failing_after), default=0.0)
    summary = traffic.summary()
    figures = {
        "connections": RESTART_CONNECTIONS,
        "seconds": round(finished - (stopping - BEFORE_OUTAGE), 1),
        "gunicorn": f"{server.workers} gthread workers x 2 threads, DB_CONN_MAX_AGE=60",
        "outage_seconds": round(up - stopping, 2),
        "stop_seconds": round(down - stopping, 2),
        **summary,
        "during_outage": {
            "requests": len(during),
            "status": {str(s): sum(1 for r in during if r.status == s) for s in (200, 304, 503)},
            "served_from_cache": sum(1 for r in during if r.cache == "hit"),
            "built_without_database": sum(
                1 for r in during if r.status == 200 and r.cache != "hit"
            ),
        },
        "unavailable_503": len(unavailable),
        "unavailable_503_by_kind": {
            kind: sum(1 for r in unavailable if r.kind == kind)
            for kind in sorted({r.kind for r in unavailable})
        },
        "after_restart": {
            "requests": len(after),
            "failed": len(failing_after),
            "recovery_seconds": round(recovery, 2),
        },
    }
    write(artifacts, "db_restart.json", figures)

    assert summary["problems"] == {}, (summary["problems"], traffic.examples)
    assert set(summary["status"]) <= {"200", "304", "503"}, summary["status"]
    # The outage was seen: pages (never cached) and uncached queries answered 503.
    assert figures["unavailable_503_by_kind"].get("html_page", 0) > 0, figures
    assert figures["unavailable_503_by_kind"].get(UNCACHED.name, 0) > 0, figures
    # While the database was down, an answer was a clean 503 or a whole, current answer
    # from the response cache; Traffic has checked each whole answer (problems is empty above).
    for record in during:
        assert record.status in {200, 304, 503}, record
        assert record.problem == "", record
    # Back within seconds, without restarting gunicorn; then only successes.
    assert recovery <= RECOVERY_LIMIT, figures["after_restart"]
    last = [r for r in records if r.start >= finished - 5]
    assert last, "no requests in the last seconds"
    assert all(r.status in ok for r in last), [r for r in last if r.status not in ok][:5]
