"""Builds the Django form of a contact form page: Wagtail's builder plus file uploads."""

import django.forms
from django.conf import settings
from django.core.exceptions import ValidationError
from wagtail.contrib.forms.forms import FormBuilder

# What a visitor may upload: the file's own first bytes decide, not its name.
ALLOWED_UPLOADS = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
    # ODT and DOCX are ZIP containers; the container is checked in detect_upload().
    "application/zip": (b"PK\x03\x04",),
}
OFFICE_TYPES = {
    "mimetypeapplication/vnd.oasis.opendocument.text": ("application/vnd.oasis.opendocument.text"),
    "[Content_Types].xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
}


def detect_upload(head: bytes) -> str | None:
    """The type of an upload from its first bytes, or None when it is not allowed."""
    for content_type, signatures in ALLOWED_UPLOADS.items():
        if any(head.startswith(signature) for signature in signatures):
            if content_type == "image/webp" and head[8:12] != b"WEBP":
                return None
            if content_type == "application/zip":
                for marker, office_type in OFFICE_TYPES.items():
                    if marker.encode() in head:
                        return office_type
                return None
            return content_type
    return None


class UploadField(django.forms.FileField):
    """A file of an allowed type and size; its detected type is kept on the file."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        limit = settings.CIVIC_CONTACT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise ValidationError(
                "The file is larger than %(megabytes)s MB.",
                code="file_too_large",
                params={"megabytes": limit // (1024 * 1024)},
            )
        upload.seek(0)
        head = upload.read(2048)
        upload.seek(0)
        detected = detect_upload(head)
        if detected is None:
            raise ValidationError(
                "Send a PDF, ODT or DOCX document or an image (PNG, JPEG, GIF, WebP).",
                code="file_type",
            )
        upload.detected_type = detected
        return upload


class ContactFormBuilder(FormBuilder):
    """Wagtail's form builder with a file field for uploads."""

    def create_file_field(self, field, options):
        return UploadField(**options)
