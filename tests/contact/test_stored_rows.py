"""Rows of submissions written straight into the database, by other means than the form:
odd characters, huge values, JSON that is not an object, missing answers. The admin's forms
index, the submissions listing, both exports and the deletion of submissions still work,
and show what can be shown."""

import datetime
import html
import io
import re

import openpyxl
import pytest
from django.db import DataError, connection, transaction
from wagtail.contrib.forms.models import FormSubmission

from tests.contact.test_listing import SENT_AT

pytestmark = pytest.mark.django_db

HEADINGS = [
    "Fecha de envío",
    "Nombre",
    "Correo",
    "Mensaje",
    "Currículum",
    "Acepto la política de privacidad",
]
SHOWN_TIME = "2025-07-01 10:05:09"
CELL = re.compile(r"<td>\s*(.*?)\s*</td>", re.S)
NO_ANSWERS = ["", "", "", "", ""]
LONG = 100_000


def _write(page, stored_json: str) -> int:
    """A submission of ``page`` whose form_data column holds ``stored_json`` as it is."""
    submission = FormSubmission.objects.create(page=page, form_data={})
    FormSubmission.objects.filter(pk=submission.pk).update(submit_time=SENT_AT)
    table = connection.ops.quote_name(FormSubmission._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET form_data = %s WHERE id = %s",  # noqa: S608 - our own table
            [stored_json, submission.pk],
        )
    return submission.pk


def _listing(admin_client, page) -> list[list[str]]:
    """The listing's rows as the table shows them (its text, unescaped)."""
    response = admin_client.get(f"/admin/forms/submissions/{page.pk}/")
    assert response.status_code == 200
    page_html = response.content.decode()
    table = page_html[page_html.index('<table class="listing">') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return [
        [html.unescape(cell) for cell in CELL.findall(row)[1:]] for row in body.split("</tr>")[:-1]
    ]


def _export(admin_client, page, kind: str) -> bytes:
    response = admin_client.get(f"/admin/forms/submissions/{page.pk}/?export={kind}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _csv_rows(admin_client, page) -> str:
    return _export(admin_client, page, "csv").decode("utf-8")


def _xlsx_rows(admin_client, page) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(_export(admin_client, page, "xlsx"))).active
    return [["" if cell.value is None else cell.value for cell in row] for row in sheet.iter_rows()]


def _csv(*rows: list[str]) -> str:
    def cell(value: str) -> str:
        if any(c in value for c in ',"\r\n'):
            return '"' + value.replace('"', '""') + '"'
        return value

    return "\ufeff" + "".join(",".join(cell(v) for v in row) + "\r\n" for row in rows)


# The stored JSON text, then the answers as the listing, the CSV and the XLSX file show them
# (name, email, message, cv, privacy_policy).
ODD_ROWS = {
    "lone surrogates": (
        '{"name": "Ana \\ud800", "email": "ana@example.org", "message": "a\\udfffb \\ud83d\\ude00",'
        ' "privacy_policy": true}',
        ["Ana \ufffd", "ana@example.org", "a\ufffdb \U0001f600", "", "Sí"],
    ),
    "NUL": (
        '{"name": "a\\u0000b", "privacy_policy": false}',
        ["a\ufffdb", "", "", "", "No"],
    ),
    "control characters": (
        '{"name": "x\\u0001\\u000b\\u001fy", "message": "tab\\there\\nline\\u007f",'
        ' "email": "\\uffff\\ufffe"}',
        ["x\ufffd\ufffd\ufffdy", "\ufffd\ufffd", "tab\there\nline\x7f", "", ""],
    ),
    "answers of other shapes": (
        '{"name": {"first": "Ana"}, "message": [["a"], null, 3, true, "b"],'
        ' "privacy_policy": "maybe", "cv": 15}',
        ['{"first": "Ana"}', "", '["a"], null, 3, true y b', "15", "maybe"],
    ),
    "missing answers": ('{"other": "x"}', NO_ANSWERS),
    "an empty object": ("{}", NO_ANSWERS),
    "a list": ('[1, "two"]', NO_ANSWERS),
    "a string": ('"text"', NO_ANSWERS),
    "null": ("null", NO_ANSWERS),
    "a number": ("42", NO_ANSWERS),
    "a boolean": ("true", NO_ANSWERS),
}
# What PostgreSQL's jsonb refuses to hold: those rows can only exist on SQLite.
NOT_IN_JSONB = {"lone surrogates", "NUL"}


@pytest.mark.parametrize("case", ODD_ROWS)
def test_an_odd_row_lists_exports_and_deletes(admin_client, contact_form, case):
    stored, shown = ODD_ROWS[case]
    if connection.vendor == "postgresql" and case in NOT_IN_JSONB:
        with pytest.raises(DataError), transaction.atomic():
            _write(contact_form, stored)
        return
    pk = _write(contact_form, stored)
    row = [SHOWN_TIME, *shown]
    assert _listing(admin_client, contact_form) == [row]
    assert _csv_rows(admin_client, contact_form) == _csv(HEADINGS, row)
    assert _xlsx_rows(admin_client, contact_form) == [
        HEADINGS,
        [datetime.datetime(2025, 7, 1, 10, 5, 9), *shown],
    ]
    _delete(admin_client, contact_form, pk)


def _delete(admin_client, page, pk: int) -> None:
    """The forms index and the deletion of the submission, as an editor goes through them."""
    index = admin_client.get("/admin/forms/")
    assert index.status_code == 200
    assert f'href="/admin/forms/submissions/{page.pk}/"' in index.content.decode()
    url = f"/admin/forms/submissions/{page.pk}/delete/?selected-submissions={pk}"
    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    assert "¿Seguro que quieres eliminar este envío de formulario?" in confirm.content.decode()
    deleted = admin_client.post(url)
    assert (deleted.status_code, deleted["Location"]) == (
        302,
        f"/admin/forms/submissions/{page.pk}/",
    )
    assert not FormSubmission.objects.filter(pk=pk).exists()


def test_a_huge_answer_is_whole_in_the_csv_and_cut_in_the_listing_and_the_xlsx_cell(
    admin_client, contact_form
):
    pk = _write(contact_form, '{"name": "' + "x" * LONG + '", "email": "ana@example.org"}')
    listed = ["x" * 999 + "…", "ana@example.org", "", "", ""]
    assert _listing(admin_client, contact_form) == [[SHOWN_TIME, *listed]]
    assert _csv_rows(admin_client, contact_form) == _csv(
        HEADINGS, [SHOWN_TIME, "x" * LONG, "ana@example.org", "", "", ""]
    )
    [_headings, [_time, name, email, *_rest]] = _xlsx_rows(admin_client, contact_form)
    # Excel's most characters in a cell.
    assert (name, email) == ("x" * 32_766 + "…", "ana@example.org")
    _delete(admin_client, contact_form, pk)


def test_a_number_python_refuses_to_read_is_shown_as_written(admin_client, contact_form):
    # Python reads no integer of more than 4,300 digits (sys.get_int_max_str_digits).
    digits = "9" * 5_000
    pk = _write(contact_form, f'{{"name": {digits}, "email": "ana@example.org"}}')
    assert _listing(admin_client, contact_form) == [
        [SHOWN_TIME, digits[:999] + "…", "ana@example.org", "", "", ""]
    ]
    row = [SHOWN_TIME, digits, "ana@example.org", "", "", ""]
    assert _csv_rows(admin_client, contact_form) == _csv(HEADINGS, row)
    assert _xlsx_rows(admin_client, contact_form)[1][1:3] == [digits, "ana@example.org"]
    _delete(admin_client, contact_form, pk)


def test_a_row_nested_too_deep_for_python_still_lists_exports_and_deletes(
    admin_client, contact_form
):
    # Nested as deep as SQLite's JSON allows (1,000 levels): deeper than Python 3.11 reads
    # from inside a view; a Python that reads it shows the value as its JSON text.
    nested = "[" * 999 + "]" * 999
    pk = _write(contact_form, f'{{"name": {nested}, "email": "ana@example.org"}}')
    [[time, name, *_rest]] = _listing(admin_client, contact_form)
    assert (time, name) in ((SHOWN_TIME, ""), (SHOWN_TIME, nested[:999] + "…"))
    heading, row = _csv_rows(admin_client, contact_form).splitlines()
    assert (heading, row.split(",")[0]) == ("\ufeff" + ",".join(HEADINGS), SHOWN_TIME)
    assert len(_xlsx_rows(admin_client, contact_form)) == 2
    _delete(admin_client, contact_form, pk)


def test_a_submission_just_made_reads_its_answers_from_memory(contact_form):
    submission = contact_form.get_submission_class().objects.create(
        page=contact_form, form_data={"name": "Ana", "topics": ["a", "b"]}
    )
    assert submission.get_data() == {
        "name": "Ana",
        "topics": ["a", "b"],
        "submit_time": submission.submit_time,
    }
