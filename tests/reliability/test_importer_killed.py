"""``manage.py import_jekyll`` killed with SIGKILL mid-file: whole files only, and a re-run
finishes the job with nothing left over.

The command runs in a process of its own, on a database of its own (a SQLite file, or a
scratch PostgreSQL database when the suite runs on PostgreSQL), with the development
settings a small site runs on. The test watches the database and the import journal and
kills the process while a file's transaction is open and its media files are already on
disk: the worst moment, since no rollback code runs. Three kills, then a run to the end;
after each kill the database holds exactly the files committed so far, each whole, and
the only files in the media storage that nothing refers to are the ones the journal names,
which the next run removes.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from importer.journal import ImportJournal
from importer.run import ImportFailure, Options, run_import
from tests.reliability.import_state import build_site, clean_import, file_order, restricted
from tests.reliability.long.servers import run

ROOT = Path(__file__).resolve().parents[2]
# What each run saw, for docs/RELIABILITY.md.
ARTIFACTS = ROOT / "artifacts" / "reliability"
# The test process's own settings that the import process must not inherit.
PRIVATE_ENV = ("DATABASE_URL", "REDIS_URL", "CACHE_KEY_PREFIX", "DJANGO_SETTINGS_MODULE")
SERVICES, TRANSLATED = 10, (1, 2, 3, 4, 5)
# Kill in the first file from these positions on that writes an image of its own.
KILL_AFTER = (3, 9, 14)
WAIT_SECONDS = 180


class Database:
    """The import process's database: a SQLite file, or a scratch PostgreSQL database."""

    def __init__(self, tmp_path: Path):
        url = os.environ.get("DATABASE_URL", "")
        self.postgres = url.startswith(("postgres://", "postgresql://"))
        if self.postgres:
            import psycopg

            self._psycopg = psycopg
            self.server = url.rsplit("/", 1)[0]
            self.name = f"civic_killed_{uuid.uuid4().hex[:10]}"
            self._admin(f'CREATE DATABASE "{self.name}"')
            self.url = f"{self.server}/{self.name}"
        else:
            self.path = tmp_path / "killed.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def _admin(self, sql: str) -> None:
        with self._psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    def committed_files(self) -> set[str]:
        """The source files whose import has committed (their import records)."""
        query = "SELECT source_path FROM cms_importrecord"
        if self.postgres:
            with self._psycopg.connect(self.url, autocommit=True) as conn:
                return {row[0] for row in conn.execute(query)}
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        try:
            return {row[0] for row in conn.execute(query)}
        finally:
            conn.close()

    def drop(self) -> None:
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def database(tmp_path):
    db = Database(tmp_path)
    yield db
    db.drop()


@pytest.fixture
def env(database, tmp_path) -> dict:
    """The environment of the import process, its database migrated."""
    env = {k: v for k, v in os.environ.items() if k not in PRIVATE_ENV}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DATABASE_URL=database.url,
        MEDIA_ROOT=str(tmp_path / "media-root"),
        CIVIC_IMPORT_JOURNAL=str(tmp_path / "state" / "import-journal"),
        CIVIC_CACHE_DIR=str(tmp_path / "cache"),
        PYTHONUNBUFFERED="1",
    )
    manage(env, "migrate", "--noinput", "-v0")
    return env


def manage(env: dict, *args: str) -> str:
    """Run a management command in a process of its own; its output (it must succeed)."""
    return run([sys.executable, "manage.py", *args], env, timeout=WAIT_SECONDS)


def state(env: dict) -> dict:
    """The snapshot (tests/reliability/import_state.py) of the import process's database."""
    code = "from tests.reliability.import_state import main; main()"
    return json.loads(manage(env, "shell", "-v", "0", "-c", code).strip().splitlines()[-1])


def journal_entries(env: dict) -> set[str]:
    path = Path(env["CIVIC_IMPORT_JOURNAL"])
    if not path.exists():
        return set()
    return {line.split("\t", 1)[1] for line in path.read_text().splitlines() if "\t" in line}


def new_image(rel: str) -> str | None:
    """The image a file of the test site writes to the storage when it is imported."""
    match = re.fullmatch(r"_services/es/s(\d+)\.md", rel)
    return f"original_images/servicio-{match.group(1)}.png" if match else None


def import_args(site: Path, report: Path) -> list[str]:
    return ["import_jekyll", str(site), "--report", str(report)]


def kill_mid_file(env, database, site, tmp_path, order: list[str], after: int) -> None:
    """Start an import and SIGKILL it in the first file from the ``after``-th on that writes
    an image, once that image is journalled and on disk (its transaction still open)."""
    log = tmp_path / f"import-killed-{after}.log"
    media_root = Path(env["MEDIA_ROOT"])
    with open(log, "w") as output:
        process = subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, "manage.py", *import_args(site, tmp_path / "report-killed.json")],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + WAIT_SECONDS
        try:
            while time.monotonic() < deadline and process.poll() is None:
                done = len(database.committed_files())
                image = new_image(order[done]) if after <= done < len(order) else None
                if image in journal_entries(env) and (media_root / image).exists():
                    process.send_signal(signal.SIGKILL)
                    break
                time.sleep(0.002)
            returncode = process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
    assert returncode == -signal.SIGKILL, (
        f"the import was to be killed after {after} files; it ended with {returncode}:\n"
        + log.read_text()[-3000:]
    )


@pytest.mark.django_db
def test_import_killed_mid_file_keeps_whole_files_and_a_rerun_finishes_it(
    site_structure, env, database, tmp_path
):
    site = build_site(tmp_path / "site", SERVICES, TRANSLATED)
    order = file_order(site)
    assert len(order) == 4 + 1 + SERVICES + 1 + len(TRANSLATED)
    # The reference: the same site imported here in one go (rolled back), as JSON would carry it.
    clean = json.loads(json.dumps(clean_import(site, SERVICES, TRANSLATED), sort_keys=True))

    orphans_seen: list[str] = []
    kills: list[dict] = []
    committed_before = 0
    for after in KILL_AFTER:
        kill_mid_file(env, database, site, tmp_path, order, after)
        committed = database.committed_files()
        # Files commit in the importer's order: the first n, each whole, nothing else.
        assert committed == set(order[: len(committed)])
        assert committed_before < len(committed) < len(order)
        committed_before = len(committed)
        killed = state(env)
        assert killed["leftovers"] == {}
        assert killed["items"] == restricted(clean, sorted(committed))["items"]
        # The media files of the killed file's transaction are on disk, referenced by nothing,
        # and named by the journal: exactly those.
        journal = journal_entries(env)
        assert set(killed["media_orphans"]) <= journal
        orphans_seen += killed["media_orphans"]
        kills.append(
            {
                "files_committed": len(committed),
                "killed_during": order[len(committed)],
                "media_files_left": killed["media_orphans"],
            }
        )
        last_orphans = killed["media_orphans"]

    # At least one kill caught a file between writing its media and committing.
    assert orphans_seen, "no kill landed after a media file was written"

    report_path = tmp_path / "report-final.json"
    output = manage(env, *import_args(site, report_path))
    report = json.loads(report_path.read_text())
    assert report["media"]["leftovers_removed"] == sorted(last_orphans)
    assert (
        f"Removed {len(last_orphans)} media file(s) left behind by an import that was "
        "interrupted." in output
    ) == bool(last_orphans)
    statuses = {f["path"]: f["status"] for f in report["files"]}
    assert statuses == {
        rel: "unchanged" if rel in order[:committed_before] else "created" for rel in order
    }
    final = state(env)
    assert final == {**clean, "media_orphans": []}
    assert journal_entries(env) == set()

    manage(env, *import_args(site, tmp_path / "report-again.json"))
    again_report = json.loads((tmp_path / "report-again.json").read_text())
    assert {f["status"] for f in again_report["files"]} == {"unchanged"}
    assert state(env) == final
    summary = {
        "database": "PostgreSQL" if database.postgres else "SQLite",
        "files": len(order),
        "kills": kills,
        "removed_by_the_next_run": report["media"]["leftovers_removed"],
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = f"importer_killed_{summary['database'].lower()}.json"
    (ARTIFACTS / name).write_text(json.dumps(summary, indent=2) + "\n")


@pytest.mark.django_db
def test_a_second_import_while_one_runs_is_refused(site_structure, settings, tmp_path):
    """The journal is also a lock: a second import while one runs is refused, not mixed in."""
    settings.CIVIC_IMPORT_JOURNAL = str(tmp_path / "journal")
    site = build_site(tmp_path / "site", 1, ())
    with ImportJournal(), pytest.raises(ImportFailure) as refused:
        run_import(Options(source_dir=site))
    assert str(refused.value) == (
        f"another import is running (it holds {tmp_path / 'journal'}); wait for it to finish"
    )
    report = run_import(Options(source_dir=site))
    assert report.error_count == 0
