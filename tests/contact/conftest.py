"""A contact form page like the site's cta-contact-service, built in the test database."""

import pytest

from contact.models import ContactFormField, ContactFormPage


@pytest.fixture
def contact_form(site_structure, settings, tmp_path):
    settings.CIVIC_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.CIVIC_CONTACT_RATE_PER_HOUR = 3
    page = ContactFormPage(
        title="Contacto",
        slug="cta-contact-service",
        intro="Si lo deseas, **escríbenos**.",
        button_label="Enviar",
        to_address="hola@example.org",
        subject="Nuevo mensaje",
    )
    site_structure.homes["es"].add_child(instance=page)
    fields = [
        ("name", "Nombre", "singleline", True),
        ("email", "Correo", "email", True),
        ("message", "Mensaje", "multiline", False),
        ("cv", "Currículum", "file", False),
        ("privacy_policy", "Acepto la política de privacidad", "checkbox", True),
    ]
    for order, (name, label, kind, required) in enumerate(fields):
        page.form_fields.add(
            ContactFormField(
                clean_name=name,
                label=label,
                field_type=kind,
                required=required,
                sort_order=order,
                locale=page.locale,
            )
        )
    page.save_revision().publish()
    page.refresh_from_db()
    return page
