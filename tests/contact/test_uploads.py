"""Files visitors send: typed by their content (never their name), stored privately under a
random name with their type's extension, refused with a coded error naming the field when
their content is not on the list, downloaded by staff only, deleted with their submission."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.contrib.forms.models import FormSubmission

from contact.models import ContactUpload
from contact.submission import FieldError, SubmitResult, submit
from tests.contact import files
from tests.contact.test_stored_rows import _listing

pytestmark = pytest.mark.django_db

VALID = {"name": "Ana", "email": "ana@example.org", "privacy_policy": "true"}
FILE_TYPE = FieldError(
    "cv", "FILE_TYPE", "Envía un documento PDF, ODT o DOCX o una imagen (PNG, JPEG, GIF, WebP)."
)


def _send(page, name: str, content: bytes, content_type: str = "application/octet-stream"):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return submit(page, VALID, {"cv": upload}, "192.0.2.1")


def _stored_files(settings) -> list[Path]:
    root = Path(settings.CIVIC_PRIVATE_MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("cv.pdf", files.PDF, "application/pdf", "pdf"),
        # The visitor's name and extension say nothing: the content decides.
        ("shell.php", files.PDF, "application/pdf", "pdf"),
        ("page.html", files.image("PNG"), "image/png", "png"),
        ("photo.jpeg.exe", files.image("JPEG"), "image/jpeg", "jpg"),
        ("anim", files.image("GIF"), "image/gif", "gif"),
        ("foto.webp", files.image("WEBP"), "image/webp", "webp"),
        (
            "carta.docx",
            files.docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        ("carta.odt", files.odt(), "application/vnd.oasis.opendocument.text", "odt"),
    ],
    ids=["pdf", "pdf-named-php", "png-named-html", "jpeg", "gif", "webp", "docx", "odt"],
)
def test_a_file_is_stored_privately_under_a_random_name_of_its_type(
    contact_form, settings, name, content, content_type, extension
):
    result = _send(contact_form, name, content)
    submission = FormSubmission.objects.get()
    assert result == SubmitResult(ok=True, errors=[], submission_id=submission.pk)
    stored = ContactUpload.objects.get()
    assert (
        stored.submission_id,
        stored.field_name,
        stored.original_name,
        stored.content_type,
        stored.size,
    ) == (submission.pk, "cv", name, content_type, len(content))
    assert re.fullmatch(rf"contact/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.{extension}", stored.file.name)
    root = Path(settings.CIVIC_PRIVATE_MEDIA_ROOT)
    assert _stored_files(settings) == [root / stored.file.name]
    assert (root / stored.file.name).read_bytes() == content
    assert not Path(stored.file.path).is_relative_to(Path(settings.MEDIA_ROOT))
    with pytest.raises(ValueError, match="not accessible via a URL"):
        stored.file.url  # noqa: B018 - private storage has no public URL
    # The answer keeps the visitor's name, as the listing and the exports show it.
    assert submission.form_data["cv"] == name


def test_two_files_of_the_same_name_never_share_a_stored_name(contact_form, settings):
    for _ in range(2):
        assert _send(contact_form, "cv.pdf", files.PDF).ok
    first, second = ContactUpload.objects.order_by("pk")
    assert first.file.name != second.file.name
    assert len(_stored_files(settings)) == 2


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("shell.php", b"<?php system($_GET['c']); ?>"),
        ("cv.pdf", b"<html><script>alert(document.cookie)</script></html>"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("notas.txt", b"Hola, adjunto mis notas.\n"),
        ("cv.pdf", b"MZ\x90\x00\x03\x00\x00\x00 not really a pdf"),
        # A GIF's signature in front of a script: Pillow does not read it as a GIF.
        ("avatar.gif", b"GIF89a<?php system($_GET['c']); ?>"),
        # A PNG's signature and nothing of a PNG after it.
        ("avatar.png", b"\x89PNG\r\n\x1a\n<script>alert(1)</script>"),
        ("cv.docx", files.zip_archive()),
    ],
    ids=["php", "html", "svg", "text", "exe", "gif-php", "png-html", "zip"],
)
def test_anything_else_is_refused_naming_the_field(contact_form, settings, name, content):
    assert _send(contact_form, name, content) == SubmitResult(ok=False, errors=[FILE_TYPE])
    assert FormSubmission.objects.count() == 0
    assert ContactUpload.objects.count() == 0
    assert _stored_files(settings) == []


def test_an_empty_file_is_refused_naming_the_field(contact_form, settings):
    assert _send(contact_form, "cv.pdf", b"") == SubmitResult(
        ok=False, errors=[FieldError("cv", "INVALID", "El fichero enviado está vacío.")]
    )
    assert FormSubmission.objects.count() == 0
    assert ContactUpload.objects.count() == 0
    assert _stored_files(settings) == []


@pytest.fixture
def stored(contact_form):
    result = _send(contact_form, "Currículum Ana.php", files.PDF, "application/x-php")
    assert result.ok, result.errors
    return ContactUpload.objects.get()


def test_staff_download_it_as_an_attachment_of_its_type(admin_client, stored):
    response = admin_client.get(f"/admin/contact/uploads/{stored.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.PDF
    assert {
        name: response[name]
        for name in (
            "Content-Type",
            "Content-Disposition",
            "Content-Length",
            "Cache-Control",
            "Content-Security-Policy",
            "X-Content-Type-Options",
        )
    } == {
        "Content-Type": "application/pdf",
        "Content-Disposition": "attachment; filename*=utf-8''Curr%C3%ADculum%20Ana.pdf",
        "Content-Length": str(len(files.PDF)),
        "Cache-Control": "max-age=0, no-cache, no-store, must-revalidate, private",
        "Content-Security-Policy": "sandbox",
        "X-Content-Type-Options": "nosniff",
    }


def test_the_listing_links_each_file_to_its_download(admin_client, contact_form, stored):
    [[_time, name, email, message, cv, consent]] = _listing(admin_client, contact_form)
    assert (name, email, message, cv, consent) == (
        "Ana",
        "ana@example.org",
        "",
        f'<a href="/admin/contact/uploads/{stored.pk}/">Currículum Ana.php</a>',
        "Sí",
    )


def _user(client, name: str, *, groups=(), admin_access: bool = False):
    user = get_user_model().objects.create_user(name, password="x")
    user.groups.set(Group.objects.filter(name__in=groups))
    if admin_access:
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    return client


def test_only_who_may_read_the_submissions_downloads(client, stored):
    address = f"/admin/contact/uploads/{stored.pk}/"
    # Not signed in: the admin's sign-in page.
    response = client.get(address)
    assert (response.status_code, response["Location"]) == (
        302,
        f"/admin/login/?next=/admin/contact/uploads/{stored.pk}/",
    )
    # In the admin, but with no right to the form's pages: refused (Wagtail sends them to
    # the dashboard, saying so).
    reader = _user(client, "lectora", admin_access=True)
    response = reader.get(address, follow=True)
    assert (response.redirect_chain, [str(m).strip() for m in response.context["messages"]]) == (
        [("/admin/", 302)],
        ["Lo sentimos, no tienes permisos para acceder a esta área."],
    )
    # An editor (Wagtail's Editors group: may change the pages, so read their submissions).
    editor = _user(client, "editora", groups=["Editors"])
    response = editor.get(address)
    assert (response.status_code, b"".join(response.streaming_content)) == (200, files.PDF)
    assert editor.get(f"/admin/contact/uploads/{stored.pk + 1}/", follow=True).status_code == 404


def test_a_file_missing_from_the_disk_is_not_found(admin_client, stored):
    stored.file.storage.delete(stored.file.name)
    response = admin_client.get(f"/admin/contact/uploads/{stored.pk}/", follow=True)
    assert response.status_code == 404


def test_deleting_a_submission_deletes_its_files(
    admin_client, contact_form, stored, settings, django_capture_on_commit_callbacks
):
    other = _send(contact_form, "otro.png", files.image("PNG"))
    assert len(_stored_files(settings)) == 2
    kept = ContactUpload.objects.get(submission_id=other.submission_id)
    address = (
        f"/admin/forms/submissions/{contact_form.pk}/delete/"
        f"?selected-submissions={stored.submission_id}"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(address)
    assert response.status_code == 302
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [other.submission_id]
    assert list(ContactUpload.objects.all()) == [kept]
    root = Path(settings.CIVIC_PRIVATE_MEDIA_ROOT)
    assert _stored_files(settings) == [root / kept.file.name]


def test_a_rolled_back_deletion_keeps_the_file(
    stored, settings, django_capture_on_commit_callbacks
):
    from django.db import transaction

    path = Path(settings.CIVIC_PRIVATE_MEDIA_ROOT) / stored.file.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                FormSubmission.objects.filter(pk=stored.submission_id).delete()
                raise RuntimeError("the deletion fails")
        except RuntimeError:
            pass
    assert callbacks == []
    assert path.read_bytes() == files.PDF
    assert ContactUpload.objects.get() == stored


def test_a_submission_that_is_not_stored_leaves_no_file(contact_form, settings, monkeypatch):
    """The database refuses the submission after its file was written (a failed commit, a
    lost connection): the visitor gets the error, and neither the rows nor the file stay."""
    from django.db import DatabaseError

    from contact.models import ContactFormPage

    stored_then_refused = ContactFormPage.process_form_submission

    def refused(self, form, written=None):
        stored_then_refused(self, form, written)
        assert len(_stored_files(settings)) == 1  # written
        raise DatabaseError("the database went away")

    monkeypatch.setattr(ContactFormPage, "process_form_submission", refused)
    with pytest.raises(DatabaseError):
        _send(contact_form, "cv.pdf", files.PDF)
    assert (FormSubmission.objects.count(), ContactUpload.objects.count()) == (0, 0)
    assert _stored_files(settings) == []
