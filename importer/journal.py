"""The import journal: media files an import is writing, recorded before their bytes exist.

Each source file is imported in its own transaction, and the media files it writes are
deleted again when that transaction rolls back. A process that is killed outright
(``kill -9``, the machine losing power) runs no rollback code: the database drops the
unfinished transaction, but the files it wrote would stay in the media storage, referenced
by nothing. The journal names them: the next run removes every journalled file that no
image or document refers to, then starts with an empty journal.

The journal file is also the import lock: one import at a time per journal.
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path

from django.conf import settings
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

try:
    import fcntl
except ImportError:  # pragma: no cover - not on the platforms we deploy to
    fcntl = None

KINDS = ("images", "documents")


class JournalBusy(Exception):
    """Another import holds the journal."""


def _model(kind: str):
    return get_image_model() if kind == "images" else get_document_model()


def journal_path() -> Path:
    return Path(settings.CIVIC_IMPORT_JOURNAL)


class ImportJournal:
    """An open journal, locked for one run; use as a context manager."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path or journal_path())
        self._file = None

    def __enter__(self) -> ImportJournal:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "a+", encoding="utf-8")
        if fcntl is not None:
            try:
                fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self._file.close()
                self._file = None
                raise JournalBusy(
                    f"another import is running (it holds {self.path}); wait for it to finish"
                ) from None
        return self

    def __exit__(self, *exc_info) -> None:
        if self._file is not None:
            self._file.close()  # Closing releases the lock.
            self._file = None

    def entries(self) -> list[tuple[str, str]]:
        """The (kind, storage name) pairs written and not yet settled."""
        self._file.seek(0)
        found = []
        for line in self._file.read().splitlines():
            kind, _, name = line.partition("\t")
            if kind in KINDS and name:
                found.append((kind, name))
        return found

    def recover(self) -> list[str]:
        """Remove the files an interrupted run left behind; the names removed."""
        removed = []
        for kind, name in self.entries():
            model = _model(kind)
            if model.objects.filter(file=name).exists():
                continue  # Its transaction committed before the run stopped.
            storage = model._meta.get_field("file").storage
            with suppress(OSError):
                if storage.exists(name):
                    storage.delete(name)
                    removed.append(name)
        self.clear()
        return removed

    def add(self, kind: str, name: str) -> None:
        """Record a file about to be written; on disk before this returns."""
        self._file.seek(0, os.SEEK_END)
        self._file.write(f"{kind}\t{name}\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def clear(self) -> None:
        """Every file written so far is settled: kept (committed) or deleted (rolled back)."""
        self._file.truncate(0)
        self._file.flush()
        os.fsync(self._file.fileno())
