"""The admin's listing of a form's submissions and its CSV and XLSX exports: the same values
in all three, answers as words in the form's language, the time local to the second."""

import codecs
import datetime
import io
import re

import openpyxl
import pytest
from wagtail.contrib.forms.models import FormSubmission

from contact.submission import submit
from tests.contact.test_notification import SURVEY_ES
from tests.factories import make_contact_form

pytestmark = pytest.mark.django_db

# 08:05:09 UTC is 10:05:09 in Madrid (summer time); the microseconds are never shown.
SENT_AT = datetime.datetime(2025, 7, 1, 8, 5, 9, 654321, tzinfo=datetime.UTC)
CELL = re.compile(r"<td>\s*(.*?)\s*</td>", re.S)


@pytest.fixture
def submission(contact_form):
    result = submit(
        contact_form,
        {
            "name": "Íñigo Núñez",
            "email": "inigo@example.org",
            "message": "Añadid «más» árboles, por favor",
            "privacy_policy": "true",
        },
        {},
        "192.0.2.1",
    )
    FormSubmission.objects.filter(pk=result.submission_id).update(submit_time=SENT_AT)
    return FormSubmission.objects.get()


def _listing_rows(admin_client, page) -> tuple[list, list[list[str]]]:
    """The listing's rows as the view gives them and as the table shows them."""
    response = admin_client.get(f"/admin/forms/submissions/{page.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    table = html[html.index('<table class="listing">') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    shown = [CELL.findall(row)[1:] for row in body.split("</tr>")[:-1]]
    return response.context["data_rows"], shown


def _download(admin_client, page, kind: str) -> tuple[object, bytes]:
    response = admin_client.get(f"/admin/forms/submissions/{page.pk}/?export={kind}")
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_the_listing_shows_words_and_local_time_to_the_second(
    admin_client, contact_form, submission
):
    rows, shown = _listing_rows(admin_client, contact_form)
    expected = [
        "2025-07-01 10:05:09",
        "Íñigo Núñez",
        "inigo@example.org",
        "Añadid «más» árboles, por favor",
        "",
        "Sí",
    ]
    assert rows == [{"model_id": submission.pk, "fields": expected}]
    assert shown == [expected]


def test_the_csv_is_utf8_with_a_bom_and_the_listings_values(admin_client, contact_form, submission):
    response, content = _download(admin_client, contact_form, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert content.startswith(codecs.BOM_UTF8)
    assert (
        content
        == (
            "\ufeff"
            "Fecha de envío,Nombre,Correo,Mensaje,Currículum,Acepto la política de privacidad\r\n"
            '2025-07-01 10:05:09,Íñigo Núñez,inigo@example.org,"Añadid «más» árboles, por favor",'
            ",Sí\r\n"
        ).encode()
    )


def test_the_xlsx_has_the_listings_values_and_a_local_time_cell(
    admin_client, contact_form, submission
):
    _response, content = _download(admin_client, contact_form, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        [
            "Fecha de envío",
            "Nombre",
            "Correo",
            "Mensaje",
            "Currículum",
            "Acepto la política de privacidad",
        ],
        [
            datetime.datetime(2025, 7, 1, 10, 5, 9),
            "Íñigo Núñez",
            "inigo@example.org",
            "Añadid «más» árboles, por favor",
            None,
            "Sí",
        ],
    ]
    assert sheet["A2"].number_format == "yyyy-mm-dd hh:mm:ss"


def test_stored_choices_dates_and_boxes_read_as_in_the_email(admin_client, site_structure):
    page = make_contact_form(
        site_structure.homes["es"], title="Encuesta", slug="encuesta", fields=SURVEY_ES
    )
    stored = FormSubmission.objects.create(
        page=page,
        form_data={
            "nombre": "Ana",
            "correo": "ana@example.org",
            "mensaje": "",
            "telefono": "",
            "temas": ["Cultura", "Barrio"],
            "dia": "2025-03-01",
            "cita": "2025-03-01T10:30:00+01:00",
            "boletin": False,
            "privacidad": True,
        },
    )
    FormSubmission.objects.filter(pk=stored.pk).update(submit_time=SENT_AT)
    expected = [
        "2025-07-01 10:05:09",
        "Ana",
        "ana@example.org",
        "",
        "",
        "Cultura y Barrio",
        "1 de marzo de 2025",
        "1 de marzo de 2025 a las 10:30",
        "No",
        "Sí",
    ]
    rows, shown = _listing_rows(admin_client, page)
    assert rows == [{"model_id": stored.pk, "fields": expected}]
    assert shown == [expected]
    _response, content = _download(admin_client, page, "csv")
    assert content.decode("utf-8-sig").splitlines()[1] == ",".join(expected)
