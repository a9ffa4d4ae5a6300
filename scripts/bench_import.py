"""Benchmark the Jekyll importer: seconds per page for a synthetic site of 20 and 2,000 pages.

The synthetic site repeats the shared sample's services (all three languages) and
collaborators under new slugs. Each size is imported into a fresh SQLite database in a
temporary folder; only the import is timed, not the migrations. Results go to
docs/benchmarks/import.md and import.json.

    .venv/bin/python scripts/bench_import.py [--sizes 20 2000] [--sample PATH]
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = Path(
    os.environ.get("CIVIC_SAMPLE_SITE") or REPO.parent / "shared" / "fixtures" / "platoniq-sample"
).resolve()
LANGUAGES = ("es", "en", "cat")


def build_site(sample: Path, target: Path, pages: int) -> int:
    """Copy the sample's services under new slugs until there are ``pages`` page files."""
    shutil.copytree(sample / "media", target / "media")
    shutil.copytree(sample / "_collaborators", target / "_collaborators")
    services = sorted((sample / "_services" / "es").glob("*.md"))
    written = 0
    copy = 0
    while written < pages:
        for es_file in services:
            for language in LANGUAGES:
                if written >= pages:
                    break
                source = sample / "_services" / language / es_file.name
                text = source.read_text(encoding="utf-8")
                text = re.sub(r"^slug: (.+)$", rf"slug: \1-{copy}", text, count=1, flags=re.M)
                out = target / "_services" / language / f"{copy}-{es_file.name}"
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(text, encoding="utf-8")
                written += 1
        copy += 1
    return written


def run(cmd: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, check=False)  # noqa: S603


def measure(sample: Path, pages: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="civic-bench-") as folder:
        folder = Path(folder)
        site = folder / "site"
        count = build_site(sample, site, pages)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"),
        }
        migrate = run([sys.executable, "manage.py", "migrate", "-v0"], env)
        if migrate.returncode:
            raise SystemExit(migrate.stderr)
        report = folder / "report.json"
        started = time.perf_counter()
        result = run(
            [sys.executable, "manage.py", "import_jekyll", str(site), "--report", str(report)],
            env,
        )
        seconds = time.perf_counter() - started
        # Startup (Django, Wagtail) is paid once per run: measure it to report it apart.
        started = time.perf_counter()
        run([sys.executable, "manage.py", "check", "-v0"], env)
        startup = time.perf_counter() - started
        data = json.loads(report.read_text(encoding="utf-8"))
        if result.returncode or data["errors"]:
            raise SystemExit(result.stderr)
        services = [f for f in data["files"] if f["collection"] == "services"]
        return {
            "pages": count,
            "files": len(data["files"]),
            "created_pages": sum(f["status"] == "created" for f in services),
            "seconds": round(seconds, 2),
            "startup_seconds": round(startup, 2),
            "seconds_per_page": round(seconds / count, 4),
            "seconds_per_page_without_startup": round(max(seconds - startup, 0) / count, 4),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 2000])
    parser.add_argument("--sample", type=Path, default=SAMPLE)
    args = parser.parse_args()
    if not args.sample.is_dir():
        raise SystemExit(f"The sample site is not at {args.sample}")
    results = [measure(args.sample, size) for size in args.sizes]
    small, large = results[0], results[-1]
    ratio = large["seconds_per_page_without_startup"] / small["seconds_per_page_without_startup"]
    data = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
            "database": "SQLite (fresh file per size)",
        },
        "versions": {name: version(name) for name in ("Django", "wagtail", "wagtail-localize")},
        "results": results,
        "ratio_large_to_small_per_page": round(ratio, 2),
        "target": "the larger site costs at most 1.5 times per page what the smaller one does",
        "meets_target": ratio <= 1.5,
    }
    out = REPO / "docs" / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    (out / "import.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    rows = "\n".join(
        f"| {r['pages']} | {r['seconds']} | {r['startup_seconds']} | {r['seconds_per_page']} | "
        f"{r['seconds_per_page_without_startup']} |"
        for r in results
    )
    machine = data["machine"]
    (out / "import.md").write_text(
        "# Import benchmark\n\n"
        "Written by `scripts/bench_import.py`: a synthetic site built from the shared sample "
        "(its services in es, en and ca under new slugs, its collaborators and media), "
        "imported with `import_jekyll` into a fresh SQLite database.\n\n"
        "| pages | seconds | of which startup | s/page | s/page without startup |\n"
        "|---|---|---|---|---|\n"
        f"{rows}\n\n"
        f"Per page (startup excluded), the largest site costs "
        f"**{data['ratio_large_to_small_per_page']} times** the smallest; target at most 1.5 "
        f"times: **{'met' if data['meets_target'] else 'missed'}**.\n\n"
        f"Machine: {machine['platform']}, {machine['cpus']} CPUs (shared), Python "
        f"{machine['python']}; "
        + ", ".join(f"{k} {v}" for k, v in data["versions"].items())
        + ".\n",
        encoding="utf-8",
    )
    print(json.dumps(data, indent=2))


if __name__ == "__main__":
    main()
