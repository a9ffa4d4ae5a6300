"""Files visitors send with a contact form: typed by their content, never by their name.

A file is accepted when its first bytes say it is one of the ALLOWED_TYPES (read by the
`filetype` library; an image must also open in Pillow as that format). It is stored in
private storage (CIVIC_PRIVATE_MEDIA_ROOT, outside the public media, with no URL) under a
random name whose extension is its detected type's, so neither the visitor's name nor its
extension (.php, .html, a double extension) reaches the disk. Staff download it from the
admin as an attachment of that type.
"""

from __future__ import annotations

import os
import secrets

import filetype
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from PIL import Image

# What a visitor may send, and the extension each is stored and downloaded with.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}
# Pillow's name for each image type: an image must open as the format its bytes claim.
IMAGE_FORMATS = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
}
# What `filetype` reads of a file to type it.
HEAD_BYTES = 8192
# How a type outside the list (a row written by other means) is downloaded.
UNKNOWN_TYPE = "application/octet-stream"


class PrivateStorage(FileSystemStorage):
    """Files under CIVIC_PRIVATE_MEDIA_ROOT (outside MEDIA_ROOT), with no public URL."""

    @property
    def base_location(self):
        return settings.CIVIC_PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("This file is not accessible via a URL.")


def private_storage() -> PrivateStorage:
    """The storage of uploads (a callable, so settings can move it)."""
    return PrivateStorage()


def sniff(upload) -> str | None:
    """The content type of ``upload`` read from its content, or None when it is not one of
    ALLOWED_TYPES (or is an image that does not open as its type)."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        return None
    if kind.mime in IMAGE_FORMATS and not _opens_as(upload, IMAGE_FORMATS[kind.mime]):
        return None
    return kind.mime


def _opens_as(upload, image_format: str) -> bool:
    """Whether Pillow reads ``upload``'s header and structure as ``image_format`` (without
    decoding its pixels; a decompression bomb is refused at opening)."""
    try:
        with Image.open(upload, formats=[image_format]) as image:
            image.verify()
    except Exception:
        return False
    finally:
        upload.seek(0)
    return True


def extension(content_type: str) -> str:
    """The extension a file of ``content_type`` is stored and downloaded with."""
    return ALLOWED_TYPES.get(content_type, "bin")


def download_type(content_type: str) -> str:
    """The Content-Type a file of ``content_type`` is downloaded as."""
    return content_type if content_type in ALLOWED_TYPES else UNKNOWN_TYPE


def random_name(folder: str, content_type: str) -> str:
    """A new file name in ``folder``: random, with ``content_type``'s extension."""
    return f"{folder}/{secrets.token_hex(16)}.{extension(content_type)}"


def upload_path(instance, filename: str) -> str:
    """Where an upload is stored: contact/<year>/<month>/<random>.<detected extension>; the
    visitor's own name is kept on the row (original_name), never on the disk."""
    return random_name(timezone.now().strftime("contact/%Y/%m"), instance.content_type)


def download_name(original_name: str, content_type: str) -> str:
    """The name a download is offered under: the visitor's name without its extension, and
    the detected type's (``cv.php`` holding a PDF downloads as ``cv.pdf``)."""
    stem = os.path.splitext(os.path.basename(original_name))[0].strip() or "file"
    return f"{stem}.{extension(content_type)}"
