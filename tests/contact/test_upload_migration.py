"""Migration contact.0004: files stored under the visitor's name before random names move
to a random name of their content's type; nothing is lost, and running it again changes
nothing."""

import importlib
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from wagtail.contrib.forms.models import FormSubmission

from contact.models import ContactUpload
from tests.contact import files

pytestmark = pytest.mark.django_db

migration = importlib.import_module("contact.migrations.0004_rename_stored_uploads")


class SchemaEditor:
    connection = connection


def _legacy(submission, name: str, content: bytes | None, content_type: str) -> ContactUpload:
    """A row as the CMS stored it before: the visitor's name on the disk."""
    upload = ContactUpload(
        submission=submission,
        field_name="cv",
        original_name=Path(name).name,
        content_type=content_type,
        size=len(content or b""),
    )
    if content is not None:
        saved = upload.file.storage.save(name, io.BytesIO(content))
        assert saved == name
    upload.file.name = name
    upload.save()
    return upload


def test_stored_files_move_to_random_names_of_their_type(contact_form, settings):
    root = Path(settings.CIVIC_PRIVATE_MEDIA_ROOT)
    submission = FormSubmission.objects.create(page=contact_form, form_data={})
    pdf = _legacy(submission, "contact/2024/05/cv.php", files.PDF, "application/pdf")
    png = _legacy(submission, "contact/2024/06/foto.png", files.image("PNG"), "image/png")
    missing = _legacy(submission, "contact/2024/06/gone.pdf", None, "application/pdf")

    migration.rename_stored_uploads(apps, SchemaEditor())

    pdf.refresh_from_db()
    png.refresh_from_db()
    missing.refresh_from_db()
    assert re.fullmatch(r"contact/2024/05/[0-9a-f]{32}\.pdf", pdf.file.name)
    assert re.fullmatch(r"contact/2024/06/[0-9a-f]{32}\.png", png.file.name)
    assert (pdf.content_type, pdf.original_name, png.content_type) == (
        "application/pdf",
        "cv.php",
        "image/png",
    )
    assert (root / pdf.file.name).read_bytes() == files.PDF
    assert (root / png.file.name).read_bytes() == files.image("PNG")
    # The row whose file was already missing is left as it was.
    assert missing.file.name == "contact/2024/06/gone.pdf"
    assert sorted(path for path in root.rglob("*") if path.is_file()) == sorted(
        [root / pdf.file.name, root / png.file.name]
    )

    # Again: every name is already random; nothing moves.
    names = dict(ContactUpload.objects.values_list("pk", "file"))
    migration.rename_stored_uploads(apps, SchemaEditor())
    assert dict(ContactUpload.objects.values_list("pk", "file")) == names
