"""The email the organisation gets for a submission: in the form's language, answers as
words, empty ones left out, a reply going to the visitor, sent from the configured sender."""

import pytest
from django.core import mail
from django.utils.datastructures import MultiValueDict

from tests.factories import make_contact_form

pytestmark = pytest.mark.django_db

# Every kind of answer the email words: text, several lines, an empty one, several choices,
# a date, a date and time, an unticked box and a ticked one.
SURVEY_ES = (
    ("nombre", "Nombre", "singleline", True),
    ("correo", "Correo", "email", True),
    ("mensaje", "Mensaje", "multiline", False),
    ("telefono", "Teléfono", "singleline", False),
    ("temas", "Temas", "checkboxes", False, {"choices": "Cultura\nCiencia\nBarrio"}),
    ("dia", "Día", "date", False),
    ("cita", "Cita", "datetime", False),
    ("boletin", "Quiero el boletín", "checkbox", False),
    (
        "privacidad",
        "Acepto la política de privacidad",
        "checkbox",
        True,
        {"help_text": "/es/privacy-policy"},
    ),
)
SURVEY_EN = (
    ("name", "Name", "singleline", True),
    ("email", "Email", "email", True),
    ("message", "Message", "multiline", False),
    ("phone", "Phone", "singleline", False),
    ("topics", "Topics", "multiselect", False, {"choices": "Culture\nScience\nNeighbourhood"}),
    ("day", "Day", "date", False),
    ("newsletter", "I want the newsletter", "checkbox", False),
    ("privacy", "I accept the privacy policy", "checkbox", True),
)


def _submit(page, data: dict, capture) -> None:
    """The page's own form filled in as a browser posts it (several values per name), and
    stored as every way in stores it."""
    form = page.get_form(MultiValueDict(data), page=page)
    assert form.is_valid(), form.errors
    with capture(execute=True):
        page.process_form_submission(form)


def test_the_email_of_a_spanish_form_is_in_spanish(
    site_structure, settings, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "web@civic.example"
    page = make_contact_form(
        site_structure.homes["es"],
        title="Encuesta del barrio",
        slug="encuesta",
        subject="",
        fields=SURVEY_ES,
    )
    _submit(
        page,
        {
            "nombre": ["Íñigo Núñez"],
            "correo": ["inigo@example.org"],
            "mensaje": ["Hola,\r\n¿podéis llamarme?"],
            "telefono": [""],
            "temas": ["Cultura", "Ciencia", "Barrio"],
            "dia": ["2025-03-01"],
            "cita": ["2025-03-01 10:30"],
            "privacidad": ["on"],
        },
        django_capture_on_commit_callbacks,
    )
    [message] = mail.outbox
    assert (message.subject, message.from_email, message.to, message.reply_to) == (
        "Encuesta del barrio: nuevo mensaje",
        "web@civic.example",
        ["hola@example.org"],
        ["inigo@example.org"],
    )
    assert message.body == (
        "Nuevo mensaje del formulario «Encuesta del barrio»:\n"
        "\n"
        "Nombre: Íñigo Núñez\n"
        "Correo: inigo@example.org\n"
        "Mensaje:\n"
        "Hola,\n"
        "¿podéis llamarme?\n"
        "Temas: Cultura, Ciencia y Barrio\n"
        "Día: 1 de marzo de 2025\n"
        "Cita: 1 de marzo de 2025 a las 10:30\n"
        "Quiero el boletín: No\n"
        "Acepto la política de privacidad: Sí"
    )
    assert message.extra_headers == {"Auto-Submitted": "auto-generated"}


def test_the_email_of_an_english_form_is_in_english(
    site_structure, settings, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "web@civic.example"
    page = make_contact_form(
        site_structure.homes["en"],
        title="Neighbourhood survey",
        slug="survey",
        subject="New answer to the survey",
        from_address="survey@civic.example",
        to_address="team@example.org, board@example.org",
        fields=SURVEY_EN,
    )
    _submit(
        page,
        {
            "name": ["Ada"],
            "email": ["ada@example.org"],
            "message": [""],
            "topics": ["Culture", "Science"],
            "day": ["2025-12-24"],
            "newsletter": ["on"],
            "privacy": ["on"],
        },
        django_capture_on_commit_callbacks,
    )
    [message] = mail.outbox
    assert (message.subject, message.from_email, message.to, message.reply_to) == (
        "New answer to the survey",
        "survey@civic.example",
        ["team@example.org", "board@example.org"],
        ["ada@example.org"],
    )
    assert message.body == (
        "New message from the form “Neighbourhood survey”:\n"
        "\n"
        "Name: Ada\n"
        "Email: ada@example.org\n"
        "Topics: Culture and Science\n"
        "Day: Dec. 24, 2025\n"
        "I want the newsletter: Yes\n"
        "I accept the privacy policy: Yes"
    )


def test_the_email_of_a_catalan_form_is_in_catalan(
    site_structure, django_capture_on_commit_callbacks
):
    page = make_contact_form(
        site_structure.homes["ca"],
        title="Contacte",
        slug="contacte",
        subject="",
        fields=(
            ("nom", "Nom", "singleline", True),
            ("butlleti", "Vull el butlletí", "checkbox", False),
            ("privacitat", "Accepto la política de privadesa", "checkbox", True),
        ),
    )
    _submit(page, {"nom": ["Jordi"], "privacitat": ["on"]}, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert (message.subject, message.body, message.reply_to) == (
        "Contacte: nou missatge",
        "Nou missatge del formulari «Contacte»:\n"
        "\n"
        "Nom: Jordi\n"
        "Vull el butlletí: No\n"
        "Accepto la política de privadesa: Sí",
        [],  # no email field: nobody to reply to
    )


def test_no_reply_to_without_a_valid_address(site_structure, django_capture_on_commit_callbacks):
    page = make_contact_form(
        site_structure.homes["es"],
        slug="sin-correo",
        fields=(("correo", "Correo", "email", False), ("nombre", "Nombre", "singleline", True)),
    )
    _submit(page, {"correo": [""], "nombre": ["Ana"]}, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert (message.reply_to, message.body) == (
        [],
        "Nuevo mensaje del formulario «Contacto»:\n\nNombre: Ana",
    )
