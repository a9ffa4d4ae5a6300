"""Uploads stored before random names: each file moves to a random name with the extension
of the type read from its content (the folder kept), so no visitor's name or extension is
left on the disk. Nothing is lost: a file is copied, its row then points to the copy, and
only then is the old name deleted; a row whose file is missing is left as it is. Each row
is committed on its own (non-atomic), so an interrupted run leaves every row naming a file
that exists, and running it again finishes the rest."""

import posixpath
import re
import secrets

import filetype
from django.db import migrations

# As in contact.uploads when this was written.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}
RANDOM_NAME = re.compile(r"[0-9a-f]{32}\.[a-z]+")


def rename_stored_uploads(apps, schema_editor):
    ContactUpload = apps.get_model("contact", "ContactUpload")
    storage = ContactUpload._meta.get_field("file").storage
    uploads = ContactUpload.objects.using(schema_editor.connection.alias)
    for upload in uploads.order_by("pk").iterator():
        old = upload.file.name
        if not old or RANDOM_NAME.fullmatch(posixpath.basename(old)) or not storage.exists(old):
            continue
        with storage.open(old, "rb") as stored:
            kind = filetype.guess(stored.read(8192))
            content_type = kind.mime if kind and kind.mime in ALLOWED_TYPES else upload.content_type
            extension = ALLOWED_TYPES.get(content_type, "bin")
            stored.seek(0)
            folder = posixpath.dirname(old) or "contact"
            new = storage.save(f"{folder}/{secrets.token_hex(16)}.{extension}", stored)
        uploads.filter(pk=upload.pk).update(file=new, content_type=content_type)
        storage.delete(old)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("contact", "0003_uploads_typed_random_names"),
    ]

    operations = [
        migrations.RunPython(rename_stored_uploads, migrations.RunPython.noop, elidable=True),
    ]
