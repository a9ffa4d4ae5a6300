"""Contact form submissions: what is stored, what is refused and why, who is told."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.contrib.forms.models import FormSubmission

from contact.models import ContactUpload
from contact.submission import FieldError, SubmitResult, submit

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Ana",
    "email": "ana@example.org",
    "message": "Hola",
    "privacy_policy": "true",
}
BAD_EMAIL = "Introduzca una dirección de correo electrónico válida."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _send(page, values=None, files=None, client="192.0.2.1", capture=None):
    if capture is None:
        return submit(page, values if values is not None else VALID, files or {}, client)
    with capture(execute=True):
        return submit(page, values if values is not None else VALID, files or {}, client)


def test_a_valid_submission_is_stored_and_the_organisation_is_told(
    contact_form, django_capture_on_commit_callbacks, settings
):
    result = _send(contact_form, capture=django_capture_on_commit_callbacks)
    submission = FormSubmission.objects.get()
    assert result == SubmitResult(ok=True, errors=[], submission_id=submission.pk)
    assert submission.page_id == contact_form.pk
    assert submission.form_data == {
        "name": "Ana",
        "email": "ana@example.org",
        "message": "Hola",
        "cv": None,
        "privacy_policy": True,
    }
    [message] = mail.outbox
    assert (message.subject, message.from_email, message.to, message.reply_to) == (
        "Nuevo mensaje",
        settings.DEFAULT_FROM_EMAIL,
        ["hola@example.org"],
        ["ana@example.org"],
    )
    assert message.body == (
        "Nuevo mensaje del formulario «Contacto»:\n"
        "\n"
        "Nombre: Ana\n"
        "Correo: ana@example.org\n"
        "Mensaje: Hola\n"
        "Acepto la política de privacidad: Sí"
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {**VALID, "name": ""},
            [FieldError("name", "REQUIRED", "Este campo es necesario.")],
        ),
        (
            {**VALID, "email": "ana-at-example"},
            [FieldError("email", "INVALID_EMAIL", BAD_EMAIL)],
        ),
        (
            {k: v for k, v in VALID.items() if k != "privacy_policy"},
            [FieldError("privacy_policy", "CONSENT_REQUIRED", "Este campo es necesario.")],
        ),
        (
            {**VALID, "phone": "600"},
            [FieldError("phone", "UNKNOWN_FIELD", "Este formulario no tiene el campo 'phone'.")],
        ),
    ],
    ids=["missing-required", "bad-email", "no-consent", "unknown-field"],
)
def test_an_invalid_submission_says_why_per_field_and_stores_nothing(
    contact_form, django_capture_on_commit_callbacks, values, expected
):
    result = _send(contact_form, values, capture=django_capture_on_commit_callbacks)
    assert result == SubmitResult(ok=False, errors=expected)
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


def test_the_honeypot_looks_like_success_but_stores_nothing(
    contact_form, django_capture_on_commit_callbacks
):
    values = {**VALID, "website": "http://spam.example"}
    result = _send(contact_form, values, capture=django_capture_on_commit_callbacks)
    assert result == SubmitResult(ok=True, errors=[], submission_id=None)
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


def test_a_client_over_the_hourly_limit_is_refused(contact_form):
    for _ in range(3):
        assert _send(contact_form).ok
    refused = _send(contact_form)
    assert refused == SubmitResult(
        ok=False,
        errors=[
            FieldError("", "RATE_LIMITED", "Has enviado demasiados mensajes; inténtalo más tarde.")
        ],
    )
    assert FormSubmission.objects.count() == 3
    # Another address is not affected.
    assert _send(contact_form, client="198.51.100.7").ok
    assert FormSubmission.objects.count() == 4


def test_html_is_never_kept_as_html(contact_form):
    values = {**VALID, "message": '<script>alert(1)</script><b onclick="x()">Hola</b>'}
    assert _send(contact_form, values).ok
    assert FormSubmission.objects.get().form_data["message"] == "alert(1)Hola"


def test_an_uploaded_pdf_is_stored_privately(contact_form, settings):
    upload = SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf")
    result = _send(contact_form, files={"cv": upload})
    assert result.ok
    stored = ContactUpload.objects.get()
    assert (stored.field_name, stored.original_name, stored.content_type, stored.size) == (
        "cv",
        "cv.pdf",
        "application/pdf",
        len(PDF),
    )
    path = stored.file.path
    assert path.startswith(str(settings.CIVIC_PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError, match="not accessible via a URL"):
        stored.file.url  # noqa: B018 - private storage has no public URL
    assert FormSubmission.objects.get().form_data["cv"] == "cv.pdf"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "cv.pdf",
            b"MZ\x90\x00 not really a pdf",
            FieldError(
                "cv",
                "FILE_TYPE",
                "Envía un documento PDF, ODT o DOCX o una imagen (PNG, JPEG, GIF, WebP).",
            ),
        ),
        (
            "big.pdf",
            PDF + b"0" * (1024 * 1024),
            FieldError("cv", "FILE_TOO_LARGE", "El archivo ocupa más de 1 MB."),
        ),
    ],
    ids=["disguised-executable", "too-large"],
)
def test_uploads_are_limited_in_type_and_size(contact_form, settings, name, content, expected):
    settings.CIVIC_CONTACT_MAX_UPLOAD_BYTES = 1024 * 1024
    upload = SimpleUploadedFile(name, content)
    result = _send(contact_form, files={"cv": upload})
    assert result == SubmitResult(ok=False, errors=[expected])
    assert FormSubmission.objects.count() == 0
    assert ContactUpload.objects.count() == 0


def test_the_cms_form_page_works_without_javascript(client, contact_form, cms_templates):
    page = client.get("/es/cta-contact-service/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="email"' in html
    assert 'type="file"' in html
    refused = client.post("/es/cta-contact-service/", {**VALID, "email": "nope"})
    assert refused.status_code == 400
    assert BAD_EMAIL in refused.content.decode()
    assert FormSubmission.objects.count() == 0
    sent = client.post("/es/cta-contact-service/", VALID)
    assert sent.status_code == 200
    assert FormSubmission.objects.count() == 1
