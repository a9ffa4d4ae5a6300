"""Real servers for the long runs: the CMS under gunicorn, and a private PostgreSQL cluster.

The CMS runs with the production settings (``cms.settings.production``: DEBUG off, masked
errors) on PostgreSQL and the Redis cache, in several worker processes on a free port
of 127.0.0.1. ``PostgresCluster`` is a throwaway cluster (initdb in /tmp, its own port
and socket directory) that a test may stop and start under load.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "artifacts" / "reliability"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
START_TIMEOUT = 120
# What the test process's own environment may carry that the servers must not inherit.
PRIVATE_ENV = {
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "CACHE_KEY_PREFIX",
    "DB_CONN_MAX_AGE",
    "CIVIC_GRAPHQL_CACHE_SECONDS",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(url: str, name: str) -> str:
    """The URL of database ``name`` on the server of ``url``."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def app_env(
    database: str, redis: str, *, cache_prefix: str, media_root: Path, **extra: str
) -> dict:
    """The environment of a production-like CMS process (server, migration, publisher)."""
    env = {k: v for k, v in os.environ.items() if k not in PRIVATE_ENV}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="civic-cms-reliability-runs-only",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database,
        REDIS_URL=redis,
        CACHE_KEY_PREFIX=cache_prefix,
        MEDIA_ROOT=str(media_root),
        # Persistent connections, as a deployment keeps them (health-checked on reuse).
        DB_CONN_MAX_AGE="60",
        # No public site in these runs: the CMS serves its own pages' HTML (with one
        # configured, it would send readers there).
        CIVIC_FRONTEND_URL="",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def run(command: list[str], env: dict | None = None, timeout: int = 600, **kwargs) -> str:
    """Run a command to completion; its output, or an error with the end of it."""
    result = subprocess.run(  # noqa: S603 - our own commands
        command,
        cwd=ROOT,
        env=env,
        text=True,
        capture_output=True,
        timeout=timeout,
        check=False,
        **kwargs,
    )
    if result.returncode:
        output = f"{result.stdout}{result.stderr}"[-4000:]
        raise RuntimeError(f"{' '.join(command[:4])} failed ({result.returncode}):\n{output}")
    return result.stdout


def manage(env: dict, *args: str, timeout: int = 600) -> str:
    return run([sys.executable, "manage.py", *args], env, timeout)


class Gunicorn:
    """The CMS under gunicorn (gthread workers), its output in a log file."""

    def __init__(self, env: dict, log: Path, *, workers: int = 3, threads: int = 4) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.workers = workers
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own server
            [
                sys.executable,
                "-m",
                "gunicorn",
                "cms.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={workers}",
                "--worker-class=gthread",
                f"--threads={threads}",
                "--timeout=60",
                "--graceful-timeout=10",
                "--limit-request-line=16384",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env={**env, "WAGTAILADMIN_BASE_URL": self.base},
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def url(self, path: str) -> str:
        return self.base + path

    def wait_until_ready(self, path: str = "/graphql/?query=%7Blocales%7Bcode%7D%7D") -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early:\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.url(path), timeout=10) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer {path}:\n{self.tail()}")

    def tail(self, chars: int = 4000) -> str:
        self._log_file.flush()
        return self.log.read_text(errors="replace")[-chars:]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log_file.close()


class PostgresCluster:
    """A private PostgreSQL cluster owned by the ``postgres`` user, in a temporary folder."""

    @staticmethod
    def unavailable() -> str | None:
        """Why a private cluster cannot be made here, or None."""
        for tool in ("initdb", "pg_ctl", "pg_dump", "psql"):
            if not (PG_BIN / tool).exists():
                return f"{PG_BIN / tool} is missing (PostgreSQL's server binaries; PG_BIN)"
        if not shutil.which("runuser"):
            return "runuser is missing (initdb refuses to run as root)"
        if os.geteuid() != 0:
            return "the private cluster is created as the postgres user, which needs root"
        try:
            run([shutil.which("runuser"), "-u", "postgres", "--", "true"], timeout=30)
        except RuntimeError as error:
            return f"cannot run as the postgres user: {error}"
        return None

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="civic-pg-", dir="/tmp"))
        self.data = self.folder / "data"
        self.sockets = self.folder / "sockets"
        self.sockets.mkdir()
        self.log = self.folder / "postgres.log"
        shutil.chown(self.folder, "postgres", "postgres")
        shutil.chown(self.sockets, "postgres", "postgres")
        self.port = free_port()
        self._as_postgres(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-instructions",
        )

    def _as_postgres(self, tool: str, *args: str, timeout: int = 120) -> str:
        command = [shutil.which("runuser") or "runuser", "-u", "postgres", "--", str(PG_BIN / tool)]
        return run([*command, *args], timeout=timeout)

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._as_postgres("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
                          "-w", "-t", "60", "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._as_postgres("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def running(self) -> bool:
        try:
            self._as_postgres("pg_ctl", "-D", str(self.data), "status", timeout=30)
        except RuntimeError:
            return False
        return True

    def copy_database(self, source_url: str, name: str) -> str:
        """Create ``name`` here as a copy of the database at ``source_url``; its URL."""
        run([str(PG_BIN / "psql"), self.url(), "-qc", f"CREATE DATABASE {name}"])
        dump = subprocess.Popen(  # noqa: S603
            [str(PG_BIN / "pg_dump"), "--no-owner", "--no-privileges", source_url],
            stdout=subprocess.PIPE,
        )
        try:
            run([str(PG_BIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1", self.url(name)],
                stdin=dump.stdout)  # fmt: skip
        finally:
            dump.stdout.close()
            if dump.wait(timeout=120):
                raise RuntimeError(f"pg_dump of {source_url} failed")
        return self.url(name)

    def remove(self) -> None:
        if self.data.exists() and self.running():
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)
