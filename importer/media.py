"""Media referenced by the source (``/media/...``): found safely, imported once per content."""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.utils.file import hash_filelike

# A logo or a screenshot is well under this; anything larger is refused with a warning.
MAX_MEDIA_BYTES = 25 * 1024 * 1024


class MediaProblem(Exception):
    """A media reference that cannot be imported; the message is what an editor reads."""


class MediaLibrary:
    """Finds media files under one folder and turns them into Wagtail images and documents.

    Images and documents are looked up by the hash of their bytes, so the same file used by
    many pages (or re-imported) becomes one library item.
    """

    def __init__(self, media_dir: Path, *, max_bytes: int = MAX_MEDIA_BYTES):
        self.root = Path(media_dir).resolve()
        self.max_bytes = max_bytes
        # Where the files being written are recorded first (see journal.py); None in dry runs.
        self.journal = None
        self._digests: dict[str, str] = {}
        self._images: dict[str, object] = {}
        self._documents: dict[str, object] = {}
        self._pending: list[tuple[dict, str, object]] = []
        self.created = {"images": 0, "documents": 0}
        self.reused = {"images": 0, "documents": 0}

    # --- finding files ---------------------------------------------------------------

    def locate(self, reference: str) -> Path:
        """The file a ``/media/...`` reference points at, inside the media folder only."""
        reference = (reference or "").strip()
        if not reference:
            raise MediaProblem("empty media path")
        parts = urlsplit(reference)
        if parts.scheme or parts.netloc:
            raise MediaProblem(f"{reference} is an external address, not a file of the site")
        relative = PurePosixPath(unquote(parts.path).lstrip("/"))
        if ".." in relative.parts:
            raise MediaProblem(f"{reference} points outside the media folder; it was not read")
        candidate = self.root.joinpath(*relative.parts)
        try:
            resolved = candidate.resolve()
        except (OSError, RuntimeError):
            raise MediaProblem(f"{reference} cannot be read (broken link?)") from None
        if not resolved.is_relative_to(self.root):
            raise MediaProblem(
                f"{reference} points outside the media folder (through a link); it was not read"
            )
        if not resolved.is_file():
            raise MediaProblem(f"media file {reference} not found in {self.root}")
        return resolved

    def _read(self, reference: str) -> tuple[Path, bytes]:
        path = self.locate(reference)
        size = path.stat().st_size
        if size > self.max_bytes:
            raise MediaProblem(
                f"media file {reference} is too large ({size:,} bytes; the limit is "
                f"{self.max_bytes:,} bytes)"
            )
        return path, path.read_bytes()

    def digest(self, reference: str) -> str:
        """A fingerprint of the referenced file's bytes (or of its absence) for change checks."""
        if reference not in self._digests:
            try:
                path = self.locate(reference)
                self._digests[reference] = hashlib.sha256(path.read_bytes()).hexdigest()
            except (MediaProblem, OSError) as exc:
                self._digests[reference] = f"unavailable: {exc}"
        return self._digests[reference]

    # --- importing ---------------------------------------------------------------------

    def image(self, reference: str, *, alt: str = "", title: str = ""):
        """The Wagtail image for a reference, created on first use; ``MediaProblem`` if none."""
        path, data = self._read(reference)
        extension = path.suffix.lower().lstrip(".")
        allowed = getattr(settings, "WAGTAILIMAGES_EXTENSIONS", ["gif", "jpg", "jpeg", "png"])
        if extension not in allowed:
            raise MediaProblem(
                f"{reference} is not an image type the library accepts ({', '.join(allowed)})"
            )
        file_hash = hash_filelike(io.BytesIO(data))
        image = self._images.get(file_hash)
        model = get_image_model()
        if image is None:
            image = model.objects.filter(file_hash=file_hash).order_by("pk").first()
        if image is not None:
            self._images[file_hash] = image
            self.reused["images"] += 1
            return image
        image = model(
            title=(title or alt or path.stem)[:255],
            description=(alt or "")[:255],
        )
        image.file = self._write(image, "images", path.name, data)
        image.file_size = len(data)
        image.file_hash = file_hash
        try:
            image.save()
        except Exception as exc:  # Willow raises many types for unreadable files.
            self._delete(image.file.storage, image.file.name)
            raise MediaProblem(f"{reference} is not a readable image ({exc})") from None
        self._remember(self._images, file_hash, image)
        self.created["images"] += 1
        return image

    def document(self, reference: str, *, title: str = ""):
        """The Wagtail document for a reference, created on first use."""
        path, data = self._read(reference)
        extension = path.suffix.lower().lstrip(".")
        allowed = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None)
        if allowed and extension not in allowed:
            raise MediaProblem(
                f"{reference} is not a document type the library accepts ({', '.join(allowed)})"
            )
        file_hash = hash_filelike(io.BytesIO(data))
        model = get_document_model()
        document = self._documents.get(file_hash) or (
            model.objects.filter(file_hash=file_hash).order_by("pk").first()
        )
        if document is not None:
            self._documents[file_hash] = document
            self.reused["documents"] += 1
            return document
        document = model(title=(title or path.stem)[:255])
        document.file = self._write(document, "documents", path.name, data)
        document.file_size = len(data)
        document.file_hash = file_hash
        try:
            document.save()
        except BaseException:
            self._delete(document.file.storage, document.file.name)
            raise
        self._remember(self._documents, file_hash, document)
        self.created["documents"] += 1
        return document

    def _write(self, item, kind: str, filename: str, data: bytes) -> str:
        """Write a file for ``item`` to its storage, journalled first; its storage name."""
        field = item._meta.get_field("file")
        storage = field.storage
        name = storage.get_available_name(
            field.generate_filename(item, filename), max_length=field.max_length
        )
        if self.journal is not None:
            self.journal.add(kind, name)
        return storage.save(name, ContentFile(data), max_length=field.max_length)

    @staticmethod
    def _delete(storage, name: str) -> None:
        with suppress(OSError):
            storage.delete(name)

    def _remember(self, cache: dict, key: str, item) -> None:
        cache[key] = item
        self._pending.append((cache, key, item))

    # --- one file's transaction ----------------------------------------------------------

    def commit_file(self) -> None:
        """The file's transaction committed: what it created stays."""
        self._pending.clear()
        if self.journal is not None:
            self.journal.clear()

    def rollback_file(self) -> None:
        """The file's transaction was rolled back: forget its items and delete their files."""
        for cache, key, item in self._pending:
            cache.pop(key, None)
            kind = "images" if cache is self._images else "documents"
            self.created[kind] -= 1
            self._delete(item.file.storage, item.file.name)
        self._pending.clear()
        if self.journal is not None:
            self.journal.clear()


@contextmanager
def scratch_storage():
    """Send image and document files to a throwaway folder (for dry runs)."""
    folder = tempfile.mkdtemp(prefix="civic-import-dry-run-")
    storage = FileSystemStorage(location=folder)
    fields = [
        get_image_model()._meta.get_field("file"),
        get_document_model()._meta.get_field("file"),
    ]
    previous = [f.storage for f in fields]
    for f in fields:
        f.storage = storage
    try:
        yield storage
    finally:
        for f, old in zip(fields, previous, strict=True):
            f.storage = old
        shutil.rmtree(folder, ignore_errors=True)
