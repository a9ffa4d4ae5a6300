"""Fixtures for the importer tests: the shared sample site and a way to run the command."""

import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from tests.sample_site import NO_SAMPLE, SAMPLE


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
        pytest.skip(NO_SAMPLE)
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
    # The import queues its images' renditions for the worker, as in production (the
    # database queue), where the test settings would make them at once: no test of an
    # import reads them, and the sample's photos would take minutes to render.
    try:
        with override_settings(TASKS=settings.QUEUED_TASKS):
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
