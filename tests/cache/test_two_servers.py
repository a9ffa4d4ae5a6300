"""Two app servers (issue 13, point 7): a change made through one is never answered stale
by the other.

Two gunicorn servers, each its own process tree started in its own working directory, share
this test's PostgreSQL database and Redis (production settings, response cache on). A third
process with the first server's environment (tests/cache/remote_writer.py) applies every
visibility change that saves, in a seeded random order; the real clock passes a go-live and
an expiry date in between. Reader threads ask every root field of both servers throughout:
no read that started after a change committed shows the old state (visibility_changes).
Skipped, with the reason, without PostgreSQL and Redis.
"""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.db import connection
from wagtail.models import Page

from tests.cache import visibility_changes as vc
from tests.reliability.long.servers import ROOT, Gunicorn, app_env, database_url, free_port

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SEED = 7
INTERVAL = 1.5


class AppServer(Gunicorn):
    """The CMS under gunicorn, started in its own working directory (code from --chdir)."""

    def __init__(self, env: dict, folder: Path, *, workers: int = 1, threads: int = 4) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "tmp").mkdir(exist_ok=True)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = folder / "gunicorn.log"
        self.workers = workers
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own server
            [
                sys.executable, "-m", "gunicorn", "cms.wsgi:application",
                f"--chdir={ROOT}", f"--bind=127.0.0.1:{self.port}", f"--workers={workers}",
                "--worker-class=gthread", f"--threads={threads}", "--timeout=60",
                "--log-level=warning",
            ],
            cwd=folder,
            env={**env, "TMPDIR": str(folder / "tmp"), "WAGTAILADMIN_BASE_URL": self.base},
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def server_env(settings, layer: str) -> dict:
    """Production settings on this test's database and Redis, with the same key prefix, and
    the shared response cache on, or nothing kept between requests."""
    cache = settings.CACHES["default"]
    env = app_env(
        database_url(os.environ["DATABASE_URL"], connection.settings_dict["NAME"]),
        cache["LOCATION"],
        cache_prefix=cache.get("KEY_PREFIX", ""),
        media_root=Path(settings.MEDIA_ROOT),
        CIVIC_GRAPHQL_CACHE_SECONDS="600" if layer == "response cache" else "0",
        PYTHONPATH=str(ROOT),
        # One connection per request: the test database is dropped at the end of the run.
    )
    env["DB_CONN_MAX_AGE"] = "0"
    env["ALLOWED_HOSTS"] = f"127.0.0.1,localhost,{vc.SECOND_HOST},renamed.test"
    return env


def http_fetch(server: AppServer, layer: str):
    def fetch(query: vc.Query):
        params = urlencode({"query": query.text, "variables": json.dumps(query.variables)})
        request = urllib.request.Request(  # noqa: S310 - our own server, over http
            server.url(f"/graphql/?{params}"),
            headers={"Host": query.host} if query.host else {},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                cache = vc.served_from(layer, response.headers.get)
                return response.status, vc.decode(response.read()), cache
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), None

    return fetch


class RemoteWriter:
    """remote_writer.py in its own process, with the first server's environment."""

    def __init__(self, env: dict, folder: Path, world: vc.World) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own script
            [sys.executable, "-m", "tests.cache.remote_writer", json.dumps(world.__dict__)],
            cwd=folder,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=open(folder / "writer.log", "wb"),  # noqa: SIM115 - closed with the process
            text=True,
        )
        self._expect("ready")

    def _expect(self, word: str) -> None:
        line = self.process.stdout.readline().strip()
        if line != word:
            raise RuntimeError(f"the writer said {line!r}, not {word!r}")

    def apply(self, name: str) -> None:
        self.process.stdin.write(name + "\n")
        self.process.stdin.flush()
        self._expect("done")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def set_dates(world: vc.World, **dates: datetime) -> None:
    """Golf's go-live and hotel's expiry, saved (which renews the generation)."""
    for slug, (field, value) in {
        "golf": ("go_live_at", dates["go_live"]),
        "hotel": ("expire_at", dates["expiry"]),
    }.items():
        page = Page.objects.get(pk=world.pages[slug])
        setattr(page, field, value)
        page.save()


@pytest.mark.parametrize("layer", ["response cache", "nothing kept"])
def test_a_change_through_one_server_is_never_answered_stale_by_the_other(
    layer, site_structure, settings, tmp_path
):
    on_postgres = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    on_redis = django_settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    if not (on_postgres and on_redis):
        pytest.skip("needs PostgreSQL and Redis shared by two servers: set DATABASE_URL, REDIS_URL")
    env = server_env(settings, layer)
    servers = [AppServer(env, tmp_path / name) for name in ("server-a", "server-b")]
    writer = None
    try:
        far = datetime.now(UTC) + timedelta(days=1)
        world = vc.build_world(site_structure, go_live_at=far, expire_at=far)
        for server in servers:
            server.wait_until_ready()
        writer = RemoteWriter({**env, "TMPDIR": str(tmp_path)}, tmp_path / "server-a", world)

        names = [change.name for change in vc.database_changes(world)]
        order = vc.shuffled([*names, "clock passes a go-live", "clock passes an expiry"], SEED)
        first_slot = time.time() + 3.0

        def slot(number: int) -> float:
            return first_slot + number * INTERVAL

        dates = {
            name: datetime.fromtimestamp(slot(order.index(name)), UTC)
            for name in ("clock passes a go-live", "clock passes an expiry")
        }
        set_dates(
            world,
            go_live=dates["clock passes a go-live"],
            expiry=dates["clock passes an expiry"],
        )

        def wait_until(moment: datetime):
            return lambda: time.sleep(max(0.0, moment.timestamp() - time.time()))

        changes = {
            change.name: change
            for change in [
                *vc.database_changes(world),
                *vc.clock_changes(
                    wait_until(dates["clock passes a go-live"]),
                    wait_until(dates["clock passes an expiry"]),
                ),
            ]
        }
        for name, moment in dates.items():
            changes[name].at = moment.timestamp()
        plan = [changes[name] for name in order]

        def apply(change: vc.Change) -> None:
            if change.clock:
                change.apply()
            else:
                writer.apply(change.name)

        outcome = vc.run(
            plan,
            lambda number: http_fetch(servers[number % 2], layer),
            readers=4,
            settle=1.0,
            schedule=slot,
            apply=apply,
        )
        assert time.time() - first_slot < 45
        logs = "\n".join(server.tail(1500) for server in servers)
        assert vc.violations(outcome, plan) == [], logs
        assert vc.evidence(outcome, plan) == dict.fromkeys(changes, (True, True))
        hits = sum(1 for read in outcome.reads if read.cache == "hit")
        if layer == "response cache":
            assert hits > len(outcome.reads) // 4, f"the {layer} was not serving"
        else:
            assert hits == 0
    finally:
        if writer is not None:
            writer.stop()
        for server in servers:
            server.stop()
