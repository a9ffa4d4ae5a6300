"""Fixtures for the importer tests: the shared sample site and a way to run the command."""

import io
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

REPO = Path(__file__).resolve().parents[2]
# CIVIC_SAMPLE_SITE points the sample tests at a copy of the source site kept elsewhere.
SAMPLE = Path(
    os.environ.get("CIVIC_SAMPLE_SITE") or REPO / ".." / "shared" / "fixtures" / "platoniq-sample"
).resolve()


@dataclass
class Run:
    """One run of import_jekyll: its JSON report, what it printed and whether it failed."""

    report: dict
    stdout: str
    stderr: str
    failed: str | None

    def file(self, path: str) -> dict:
        return next(f for f in self.report["files"] if f["path"] == path)

    def statuses(self) -> dict[str, str]:
        return {f["path"]: f["status"] for f in self.report["files"]}


@pytest.fixture
def sample_dir() -> Path:
    """The real sample of the source site, kept outside the repository."""
    if not SAMPLE.is_dir():
        pytest.skip(f"the shared sample site is not available at {SAMPLE} (set CIVIC_SAMPLE_SITE)")
    return SAMPLE


@pytest.fixture
def sample_copy(sample_dir, tmp_path) -> Path:
    """A writable copy of the sample, for tests that change files."""
    target = tmp_path / "site"
    shutil.copytree(sample_dir, target)
    return target


def import_site(source: Path, report_path: Path, *args: str) -> Run:
    """Run the command over a folder, its report written to ``report_path``."""
    out, err = io.StringIO(), io.StringIO()
    failed = None
    try:
        call_command(
            "import_jekyll",
            str(source),
            "--report",
            str(report_path),
            *args,
            stdout=out,
            stderr=err,
        )
    except CommandError as exc:
        failed = str(exc)
    report = json.loads(report_path.read_text(encoding="utf-8"))
    return Run(report, out.getvalue(), err.getvalue(), failed)


@pytest.fixture
def run_import(site_structure, tmp_path):
    """Run the command over a folder and return a ``Run``."""
    counter = iter(range(1000))

    def run(source: Path, *args: str) -> Run:
        return import_site(source, tmp_path / f"report-{next(counter)}.json", *args)

    return run


@pytest.fixture(scope="module")
def imported_sample(module_database, tmp_path_factory) -> Run:
    """The sample imported once for the tests of a module that only read it
    (``module_database``): the command's own transactions commit, as they do when it runs.
    """
    if not SAMPLE.is_dir():
        pytest.skip(f"the shared sample site is not available at {SAMPLE} (set CIVIC_SAMPLE_SITE)")
    from cms.site_structure import ensure_site_structure

    with module_database.unblock():
        ensure_site_structure()
        run = import_site(SAMPLE, tmp_path_factory.mktemp("sample-import") / "report.json")
    assert run.failed is None, run.stderr
    return run


@pytest.fixture
def write_site(tmp_path):
    """Write a small site: ``{"_services/es/a.md": "...", ...}`` (str or bytes values)."""

    def write(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "site"
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        root.mkdir(exist_ok=True)
        return root

    return write
