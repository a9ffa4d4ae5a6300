"""An import stopped part-way leaves whole files only, and running it again finishes the job.

Each source file is imported in its own transaction. These tests stop an import after some
files (an exception between files, an interrupt in the middle of a file), compare the
database with a clean import of the same site, then run the import again and expect exactly
the clean import: no duplicate pages, collaborators, images, revisions, translation sources
or import records. test_importer_killed.py does the same with a real ``kill -9``.
"""

from pathlib import Path

import pytest

from importer.run import Importer, Options, run_import
from tests.reliability.import_state import (
    build_site,
    clean_import,
    file_order,
    restricted,
    snapshot,
)


@pytest.fixture
def media_root(settings, tmp_path):
    """A media folder of the test's own, so leftover files can be counted."""
    settings.MEDIA_ROOT = str(tmp_path / "media-root")
    return Path(settings.MEDIA_ROOT)


# --- interrupted in the process ----------------------------------------------------------

# (case, method that raises, file where it raises, exception, stops the run?)
CASES = [
    ("between files", "_import", "_collaborators/en/decidim.md", RuntimeError, True),
    ("inside a new page", "_save_record", "_services/es/s2.md", KeyboardInterrupt, True),
    ("inside a translation", "_save_record", "_services/en/service-1.md", KeyboardInterrupt, True),
    ("inside a collaborator", "_save_record", "_collaborators/es/goteo.md", SystemExit, True),
    ("a file's own error", "_save_record", "_services/es/s3.md", RuntimeError, False),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "where", "error", "stops"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_interrupted_import_keeps_whole_files_and_a_rerun_finishes_it(
    site_structure, media_root, tmp_path, monkeypatch, method, where, error, stops
):
    site = build_site(tmp_path / "site")
    order = file_order(site)
    assert order == [
        "_collaborators/es/decidim.md",
        "_collaborators/es/goteo.md",
        "_collaborators/en/decidim.md",
        "_collaborators/en/goteo.md",
        "_services/es/financiacion-democratica.md",
        "_services/es/s1.md",
        "_services/es/s2.md",
        "_services/es/s3.md",
        "_services/es/s4.md",
        "_services/en/financiacion-democratica.md",
        "_services/en/service-1.md",
        "_services/en/service-2.md",
    ]
    clean = clean_import(site, 4, (1, 2))
    assert sorted(clean["items"]) == [
        "collaborators/en/decidim",
        "collaborators/en/goteo",
        "collaborators/es/decidim",
        "collaborators/es/goteo",
        "services/en/democratic-funding",
        "services/en/servicio-1",
        "services/en/servicio-2",
        "services/es/democratic-funding",
        "services/es/servicio-1",
        "services/es/servicio-2",
        "services/es/servicio-3",
        "services/es/servicio-4",
    ]

    k = order.index(where)
    original = getattr(Importer, method)
    calls: list[str] = []

    def failing(self, entry, *args, **kwargs):
        calls.append(entry.rel)
        if entry.rel == where:
            raise error(f"stopped in {entry.rel}")
        return original(self, entry, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(Importer, method, failing)
        if stops:
            with pytest.raises(error, match=f"stopped in {where}"):
                run_import(Options(source_dir=site))
        else:
            report = run_import(Options(source_dir=site))
    assert calls == (order[: k + 1] if stops else order)

    interrupted = snapshot()
    if stops:
        # Exactly the first k files, each whole; nothing of the file that was stopped.
        assert interrupted == restricted(clean, order[:k])
    else:
        # One file failed on its own: it is reported, and every other file is imported.
        assert [f.errors for f in report.files if f.errors] == [
            [f"{where}: unexpected RuntimeError: stopped in {where}"]
        ]
        assert interrupted == restricted(clean, [rel for rel in order if rel != where])

    rerun = run_import(Options(source_dir=site))
    assert rerun.error_count == 0
    done = order[:k] if stops else [rel for rel in order if rel != where]
    assert {f.path: f.status for f in rerun.files} == {
        rel: "unchanged" if rel in done else "created" for rel in order
    }
    assert snapshot() == {**clean, "media_orphans": []}

    again = run_import(Options(source_dir=site))
    assert {f.status for f in again.files} == {"unchanged"}
    assert snapshot() == {**clean, "media_orphans": []}
