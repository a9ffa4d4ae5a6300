"""Contact forms through the API: `form`, a call to action's form and `submitForm` (every
error code, honeypot, rate limit, uploads over a real multipart request, the XSS corpus),
never cached."""

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from wagtail.contrib.forms.models import FormSubmission

from contact.models import ContactUpload
from delivery.models import WebhookEndpoint
from delivery.relay import sign
from tests import query_costs
from tests.factories import (
    call_to_action_form,
    make_category,
    make_contact_form,
    make_image,
    make_project,
    make_service,
)
from tests.query_costs import cold_then_again
from tests.reliability.xss_payloads import PAYLOADS

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db

TAG = re.compile(r"<[a-zA-Z!/?][^>]*>")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FORM = """
query ($handle: String!, $locale: String, $fallback: Boolean! = false) {
  form(handle: $handle, locale: $locale, fallback: $fallback) {
    id handle title url locale { code } intro { html } buttonLabel image { alt }
    fields { name label type required helpText choices } thankYou { markdown }
  }
}
"""
SUBMIT = """
mutation ($handle: String!, $locale: String!, $values: [FieldValueInput!]!, $file: Upload) {
  submitForm(handle: $handle, locale: $locale, values: $values, file: $file) {
    ok errors { field code message }
  }
}
"""
VALID = [
    {"name": "name", "value": "Ana"},
    {"name": "email", "value": "ana@example.org"},
    {"name": "message", "value": "Hola"},
    {"name": "privacy_policy", "value": "true"},
]


@pytest.fixture
def form(site_structure, settings, tmp_path):
    settings.CIVIC_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.CIVIC_CONTACT_RATE_PER_HOUR = 3
    return make_contact_form(
        site_structure.homes["es"],
        image=make_image("Buzón"),
        image_alt="Un buzón",
        thank_you_text="¡Gracias!",
        notes="Nunca público",
    )


def _send(graphql, values=VALID, handle="cta-contact-service", locale="es", **extra):
    return graphql(SUBMIT, {"handle": handle, "locale": locale, "values": values}, **extra)


def _result(ok: bool, *errors) -> dict:
    return {
        "data": {
            "submitForm": {
                "ok": ok,
                "errors": [{"field": f, "code": c, "message": m} for f, c, m in errors],
            }
        }
    }


def test_form_whole(form, locales, graphql):
    graphql(FORM, {"handle": "cta-contact-service"})  # renditions made once
    cold, _again, response = cold_then_again(graphql, FORM, {"handle": "cta-contact-service"})
    assert cold <= query_costs.PAGE
    assert response == {
        "data": {
            "form": {
                "id": str(form.pk),
                "handle": "cta-contact-service",
                "title": "Contacto",
                "url": "/es/cta-contact-service/",
                "locale": {"code": "es"},
                "intro": {"html": "<p>Si lo deseas, <strong>escríbenos</strong>.</p>"},
                "buttonLabel": "Enviar",
                "image": {"alt": "Un buzón"},
                "fields": [
                    {
                        "name": "name",
                        "label": "Nombre",
                        "type": "SINGLELINE",
                        "required": True,
                        "helpText": "",
                        "choices": [],
                    },
                    {
                        "name": "email",
                        "label": "Correo",
                        "type": "EMAIL",
                        "required": True,
                        "helpText": "",
                        "choices": [],
                    },
                    {
                        "name": "message",
                        "label": "Mensaje",
                        "type": "MULTILINE",
                        "required": False,
                        "helpText": "",
                        "choices": [],
                    },
                    {
                        "name": "cv",
                        "label": "Currículum",
                        "type": "FILE",
                        "required": False,
                        "helpText": "",
                        "choices": [],
                    },
                    {
                        "name": "privacy_policy",
                        "label": "Acepto la política de privacidad",
                        "type": "CHECKBOX",
                        "required": True,
                        "helpText": "",
                        "choices": [],
                    },
                ],
                "thankYou": {"markdown": "¡Gracias!"},
            }
        }
    }
    assert "Nunca" not in str(response)


def test_form_types_help_and_choices(site_structure, graphql):
    make_contact_form(
        site_structure.homes["es"],
        slug="encuesta",
        fields=[
            ("tema", "Tema", "dropdown", True, {"choices": "Cultura\nCiencia", "help_text": "Uno"}),
            ("cuando", "Cuándo", "date", False),
            ("cuantos", "Cuántos", "number", False),
            ("web", "Web", "url", False),
            ("temas", "Temas", "checkboxes", False, {"choices": "a, b"}),
            ("oculto", "Oculto", "hiddenfield", False),
        ],
    )
    fields = graphql(FORM, {"handle": "encuesta"})["data"]["form"]["fields"]
    assert [(f["name"], f["type"], f["choices"], f["helpText"]) for f in fields] == [
        ("tema", "DROPDOWN", ["Cultura", "Ciencia"], "Uno"),
        ("cuando", "DATE", [], ""),
        ("cuantos", "NUMBER", [], ""),
        ("web", "URL", [], ""),
        ("temas", "CHECKBOXES", ["a", "b"], ""),
        ("oculto", "HIDDEN", [], ""),
    ]


def _english(form, site_structure):
    """The form's English version (as wagtail-localize makes it: same translation key)."""
    return make_contact_form(
        site_structure.homes["en"],
        title="Contact",
        button_label="Send",
        translation_key=form.translation_key,
        fields=[("name", "Name", "singleline", True), ("email", "Correo", "email", True)],
    )


def test_form_translations_and_fallback(form, site_structure, graphql):
    english = _english(form, site_structure)
    found = graphql(FORM, {"handle": "cta-contact-service", "locale": "en"})["data"]["form"]
    assert (found["id"], found["title"], found["locale"], found["buttonLabel"]) == (
        str(english.pk),
        "Contact",
        {"code": "en"},
        "Send",
    )
    assert [f["label"] for f in found["fields"]][:2] == ["Name", "Correo"]
    assert graphql(FORM, {"handle": "cta-contact-service", "locale": "ca"}) == {
        "data": {"form": None}
    }
    fallback = graphql(FORM, {"handle": "cta-contact-service", "locale": "ca", "fallback": True})
    assert fallback["data"]["form"]["locale"] == {"code": "es"}


CTA = """
query {
  service(slug: "financiacion") { callToAction { ...Cta } }
  project(slug: "goteo") { callToAction { ...Cta } }
  category(slug: "cultura") { callToAction { ...Cta } }
}
fragment Cta on CallToActionBlock { buttonLabel url form { handle title fields { name } } }
"""


def test_calls_to_action_open_their_form(form, site_structure, graphql):
    cta = call_to_action_form("¿Hablamos?", form)
    make_service(
        site_structure.service_indexes["es"],
        title="Financiación",
        slug="financiacion",
        call_to_action=cta,
    )
    make_project(site_structure.project_indexes["es"], slug="goteo", call_to_action=cta)
    make_category(site_structure.category_indexes["es"], slug="cultura", call_to_action=cta)
    graphql(CTA)  # renditions made once
    # Three pages of three kinds, each opening the form: one page's budget.
    cold, _again, response = cold_then_again(graphql, CTA)
    assert cold <= query_costs.PAGE
    block = {
        "callToAction": {
            "buttonLabel": "Escríbenos",
            "url": "/es/cta-contact-service/",
            "form": {
                "handle": "cta-contact-service",
                "title": "Contacto",
                "fields": [
                    {"name": n} for n in ("name", "email", "message", "cv", "privacy_policy")
                ],
            },
        }
    }
    assert response == {"data": {"service": block, "project": block, "category": block}}


def test_a_valid_submission_is_stored_and_told_after_commit(
    form, graphql, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _send(graphql)
        assert mail.outbox == []  # not before the commit
    assert response == _result(True)
    for callback in callbacks:
        callback()
    submission = FormSubmission.objects.get()
    assert submission.page_id == form.pk
    assert submission.form_data == {
        "name": "Ana",
        "email": "ana@example.org",
        "message": "Hola",
        "cv": None,
        "privacy_policy": True,
    }
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hola@example.org"]


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        (
            [*VALID[1:]],
            [("name", "REQUIRED", "Este campo es necesario.")],
        ),
        (
            [VALID[0], {"name": "email", "value": "ana-at"}, *VALID[2:]],
            [
                (
                    "email",
                    "INVALID_EMAIL",
                    "Introduzca una dirección de correo electrónico válida.",
                )
            ],
        ),
        (
            VALID[:3],
            [("privacy_policy", "CONSENT_REQUIRED", "Este campo es necesario.")],
        ),
        (
            [*VALID, {"name": "telefono", "value": "1"}],
            [("telefono", "UNKNOWN_FIELD", "Este formulario no tiene el campo 'telefono'.")],
        ),
    ],
)
def test_each_field_error_stores_nothing(form, graphql, values, errors):
    assert _send(graphql, values) == _result(False, *errors)
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


def test_messages_in_the_forms_language(form, site_structure, graphql):
    _english(form, site_structure)
    response = _send(graphql, [VALID[1]], locale="en")
    assert response == _result(False, ("name", "REQUIRED", "This field is required."))


def test_unknown_or_hidden_form_is_refused(form, graphql):
    for handle, locale in (("nope", "es"), ("cta-contact-service", "ca")):
        response = _send(graphql, handle=handle, locale=locale)
        assert response["data"] is None
        assert response["errors"][0]["message"] == f"No public form '{handle}' in '{locale}'."
        assert response["errors"][0]["extensions"]["code"] == "FORM_NOT_FOUND"
    response = _send(graphql, locale="fr")
    assert response["errors"][0]["extensions"]["code"] == "UNKNOWN_LOCALE"
    assert FormSubmission.objects.count() == 0


def test_a_field_given_twice_and_two_submissions_are_refused(form, graphql):
    response = _send(graphql, [*VALID, VALID[0]])
    assert response["errors"][0]["message"] == (
        "The field 'name' is given twice; send each field once."
    )
    twice = graphql(
        'mutation { a: submitForm(handle: "cta-contact-service", locale: "es", values: []) '
        '{ ok } b: submitForm(handle: "cta-contact-service", locale: "es", values: []) { ok } }'
    )
    assert [e["message"] for e in twice["errors"]] == ["Send one submitForm per request."]
    assert FormSubmission.objects.count() == 0


def test_honeypot_answers_ok_and_stores_nothing(form, graphql):
    response = _send(graphql, [*VALID, {"name": "website", "value": "http://spam.example"}])
    assert response == _result(True)
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


def test_a_flood_from_one_address_is_limited_across_requests(form, graphql):
    message = "Has enviado demasiados mensajes; inténtalo más tarde."
    answers = [_send(graphql, REMOTE_ADDR="198.51.100.7") for _ in range(5)]
    assert answers[:3] == [_result(True)] * 3
    assert answers[3:] == [_result(False, ("", "RATE_LIMITED", message))] * 2
    assert FormSubmission.objects.count() == 3
    # Another address is not limited by the first one's flood.
    assert _send(graphql, REMOTE_ADDR="198.51.100.8") == _result(True)


def _multipart(client, values, upload, **extra):
    operations = {
        "query": SUBMIT,
        "variables": {
            "handle": "cta-contact-service",
            "locale": "es",
            "values": values,
            "file": None,
        },
    }
    data = {"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})}
    data["0"] = upload
    return client.post("/graphql/", data=data, **extra)


def test_upload_over_a_multipart_request(form, client):
    response = _multipart(client, VALID, SimpleUploadedFile("cv.pdf", PDF, "application/pdf"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response.json() == _result(True)
    upload = ContactUpload.objects.get()
    assert (upload.field_name, upload.original_name, upload.content_type) == (
        "cv",
        "cv.pdf",
        "application/pdf",
    )
    assert upload.file.read() == PDF
    with pytest.raises(ValueError, match="not accessible via a URL"):
        upload.file.url  # noqa: B018 - stored privately, never served


def test_upload_of_a_bad_type_or_too_large_is_refused(form, client, settings):
    fake = SimpleUploadedFile("cv.pdf", b"<script>alert(1)</script>", "application/pdf")
    response = _multipart(client, VALID, fake)
    assert response.json() == _result(
        False,
        (
            "cv",
            "FILE_TYPE",
            "Envía un documento PDF, ODT o DOCX o una imagen (PNG, JPEG, GIF, WebP).",
        ),
    )
    settings.CIVIC_CONTACT_MAX_UPLOAD_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
    response = _multipart(client, VALID, big)
    assert response.json() == _result(
        False, ("cv", "FILE_TOO_LARGE", "El archivo ocupa más de 1 MB.")
    )
    huge = SimpleUploadedFile("huge.pdf", PDF + b"0" * (2 * 1024 * 1024 + 10), "application/pdf")
    response = _multipart(client, VALID, huge)
    assert response.status_code == 413
    assert response.json() == {
        "errors": [
            {
                "message": "The request is larger than 2 MB.",
                "extensions": {"code": "REQUEST_TOO_LARGE"},
            }
        ]
    }
    assert FormSubmission.objects.count() == 0
    assert ContactUpload.objects.count() == 0


def test_a_file_for_a_form_without_file_field(site_structure, settings, tmp_path, client):
    settings.CIVIC_PRIVATE_MEDIA_ROOT = tmp_path
    make_contact_form(site_structure.homes["es"], fields=[("name", "Nombre", "singleline", True)])
    response = _multipart(client, [VALID[0]], SimpleUploadedFile("cv.pdf", PDF, "application/pdf"))
    assert response.json() == _result(
        False, ("file", "UNKNOWN_FIELD", "Este formulario no tiene el campo 'file'.")
    )
    assert FormSubmission.objects.count() == 0


def test_multipart_from_a_foreign_origin_is_refused(form, client):
    upload = SimpleUploadedFile("cv.pdf", PDF, "application/pdf")
    response = _multipart(client, VALID, upload, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "ORIGIN_NOT_ALLOWED"
    allowed = _multipart(
        client, VALID, SimpleUploadedFile("cv.pdf", PDF), HTTP_ORIGIN="http://127.0.0.1:3000"
    )
    assert allowed.json() == _result(True)
    assert allowed["Access-Control-Allow-Origin"] == "http://127.0.0.1:3000"


def test_mutations_are_never_cached(form, client, graphql):
    body = json.dumps(
        {
            "query": SUBMIT,
            "variables": {"handle": "cta-contact-service", "locale": "es", "values": VALID},
        }
    )
    answers = [
        client.post("/graphql/", data=body, content_type="application/json") for _ in range(2)
    ]
    for answer in answers:
        assert answer.json() == _result(True)
        assert answer["Cache-Control"] == "private, no-store"
        assert "X-Civic-Cache" not in answer
    assert FormSubmission.objects.count() == 2


def test_the_allowlist_applies_to_multipart_requests(form, client, settings):
    settings.CIVIC_GRAPHQL_ALLOWLIST = True
    response = _multipart(client, VALID, SimpleUploadedFile("cv.pdf", PDF))
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_NOT_ALLOWED"
    assert FormSubmission.objects.count() == 0


def test_the_xss_corpus_through_every_field(
    form, client, graphql, admin_client, django_capture_on_commit_callbacks, settings
):
    """Every payload in every text field: stored without tags, shown escaped in the admin's
    submissions listing and in the email."""
    settings.CIVIC_CONTACT_RATE_PER_HOUR = 0
    for payload in PAYLOADS:
        values = [
            {"name": "name", "value": f"Ana {payload}"},
            {"name": "email", "value": "ana@example.org"},
            {"name": "message", "value": payload},
            {"name": "privacy_policy", "value": "true"},
        ]
        with django_capture_on_commit_callbacks(execute=True):
            response = _send(graphql, values)
        if response["data"] is None:
            # A NUL character is refused before anything runs.
            assert response["errors"][0]["extensions"]["code"] == "NUL_CHARACTER"
            continue
        if not response["data"]["submitForm"]["ok"]:
            # Refused (e.g. the name is empty once the tags are gone): nothing stored.
            assert {e["code"] for e in response["data"]["submitForm"]["errors"]} <= {"REQUIRED"}
    submissions = list(FormSubmission.objects.all())
    assert submissions
    for submission in submissions:
        for key in ("name", "message"):
            text = submission.form_data[key]
            assert not TAG.search(text), text
    listing = admin_client.get(f"/admin/forms/submissions/{form.pk}/")
    assert listing.status_code == 200
    html = listing.content.decode()
    newest = FormSubmission.objects.order_by("-submit_time", "-pk").first()
    assert escape(newest.form_data["name"]) in html
    for submission in submissions:
        for key in ("name", "message"):
            text = submission.form_data[key]
            if "<" in text and len(text) >= 6:
                assert text not in html, text  # only ever shown escaped
    assert "<script>alert" not in html.lower()
    assert mail.outbox
    for message in mail.outbox:
        assert "<script" not in message.body.lower()
        for alternative, _kind in getattr(message, "alternatives", []):
            assert "<script" not in alternative.lower()


def test_a_public_sites_relayed_posts_count_per_visitor_it_signed(form, graphql):
    """Forms posted without JavaScript reach the API from the public site's server: each
    counts under the visitor's address it signed, never under a forged or stale one."""
    endpoint = WebhookEndpoint.objects.create(name="Site", url="https://web.example.org/h")
    limited = _result(
        False, ("", "RATE_LIMITED", "Has enviado demasiados mensajes; inténtalo más tarde.")
    )

    def relayed(visitor: str, *, secret: str = endpoint.secret, at: float | None = None):
        value = f"{visitor}; t={int(time.time() if at is None else at)}"
        return _send(
            graphql,
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_CIVIC_VISITOR=value,
            HTTP_X_CIVIC_VISITOR_SIGNATURE=sign(secret, value),
        )

    assert [relayed("203.0.113.1") for _ in range(4)] == [_result(True)] * 3 + [limited]
    # Another visitor through the same server is not limited by the first one.
    assert relayed("203.0.113.2") == _result(True)
    # A forged signature, a stale stamp or an inactive endpoint's secret vouch for nobody:
    # those posts count under the server's own address (3 of them are allowed).
    assert relayed("203.0.113.3", secret="guessed") == _result(True)
    assert relayed("203.0.113.4", at=time.time() - 301) == _result(True)
    endpoint.active = False
    endpoint.save()
    assert relayed("203.0.113.5") == _result(True)
    assert _send(graphql, REMOTE_ADDR="127.0.0.1") == limited
    assert FormSubmission.objects.count() == 7


def test_the_public_sites_signature_is_the_one_the_cms_checks():
    script = (
        "import { visitorHeaders } from './frontend/ssr/render.mjs';"
        "console.log(JSON.stringify(visitorHeaders('203.0.113.9', 's3cret', 1796650720000)));"
    )
    out = subprocess.run(  # noqa: S603 - our own renderer module
        [shutil.which("node") or "node", "--input-type=module", "-e", script],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    value = "203.0.113.9; t=1796650720"
    assert json.loads(out) == {
        "X-Civic-Visitor": value,
        "X-Civic-Visitor-Signature": sign("s3cret", value),
    }


def test_several_choices_are_sent_joined_and_stored_as_a_list(site_structure, graphql):
    page = make_contact_form(
        site_structure.homes["es"],
        slug="encuesta",
        fields=[
            (
                "temas",
                "Temas",
                "checkboxes",
                True,
                {"choices": "Cultura\nCiencia, tecnología\nBarrio"},
            ),
            ("zona", "Zona", "multiselect", False, {"choices": "Norte\nSur"}),
        ],
    )
    values = [
        {"name": "temas", "value": "Cultura, Ciencia, tecnología"},
        {"name": "zona", "value": "Sur"},
    ]
    assert _send(graphql, values, handle="encuesta") == _result(True)
    stored = FormSubmission.objects.get(page=page).get_data()
    assert (stored["temas"], stored["zona"]) == (["Cultura", "Ciencia, tecnología"], ["Sur"])
    refused = _send(graphql, [{"name": "temas", "value": "Cultura, Deporte"}], handle="encuesta")
    assert refused == _result(
        False,
        (
            "temas",
            "INVALID",
            "Escoja una opción válida. Cultura, Deporte no es una de las opciones disponibles.",
        ),
    )


def test_a_help_texts_addresses_are_links_in_the_api_too(site_structure, graphql):
    hint = "Lee la política: /es/privacy-policy."
    make_contact_form(
        site_structure.homes["es"],
        fields=[("privacy_policy", "Acepto", "checkbox", True, {"help_text": hint})],
    )
    query = 'query { form(handle: "cta-contact-service") { fields { name helpText helpHtml } } }'
    assert graphql(query) == {
        "data": {
            "form": {
                "fields": [
                    {
                        "name": "privacy_policy",
                        "helpText": hint,
                        "helpHtml": 'Lee la política: <a href="/es/privacy-policy">'
                        "/es/privacy-policy</a>.",
                    }
                ]
            }
        }
    }
