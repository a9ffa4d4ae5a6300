"""Small builders for test content: images drawn in memory and service pages."""

import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from services.models import ServicePage


def make_image(title: str = "Test image", size=(64, 48), fmt: str = "PNG", **fields):
    """A real image file in the image library, drawn with Pillow."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 30, 60)).save(buffer, format=fmt)
    image = get_image_model()(title=title, **fields)
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name=f"{title}.{fmt.lower()}")
    image.save()
    return image


def make_svg_image(title: str = "Vector logo"):
    """An SVG file in the image library."""
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
        b'<rect width="120" height="40" fill="#123"/></svg>'
    )
    image = get_image_model()(title=title)
    image.file = ImageFile(io.BytesIO(svg), name=f"{title}.svg")
    image.save()
    return image


def make_service(index, *, title="Servicio", slug="servicio", body=(), publish=True, **fields):
    """A service page under the given services index, published unless asked otherwise."""
    page = ServicePage(title=title, slug=slug, body=list(body), live=publish, **fields)
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def make_project(index, *, title="Proyecto", slug="proyecto", publish=True, links=None, **fields):
    """A project page under the given projects index, published unless asked otherwise.

    ``links``: {"services": [...], "categories": [...], "members": [...],
    "collaborators": [...]}, the objects the project names, in order.
    """
    from projects.models import (
        ProjectCategory,
        ProjectCollaborator,
        ProjectMember,
        ProjectPage,
        ProjectService,
    )

    rows = {
        "services": (ProjectService, "service_links", "service"),
        "categories": (ProjectCategory, "category_links", "category"),
        "members": (ProjectMember, "member_links", "member"),
        "collaborators": (ProjectCollaborator, "collaborator_links", "collaborator"),
    }
    page = ProjectPage(title=title, slug=slug, live=publish, **fields)
    for name, targets in (links or {}).items():
        model, relation, field = rows[name]
        getattr(page, relation).set([model(**{field: target}) for target in targets])
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def make_category(
    index, *, title="Categoría", slug="categoria", publish=True, services=(), **fields
):
    """A category page under the given categories index, grouping ``services``."""
    from categories.models import CategoryPage, CategoryService

    page = CategoryPage(title=title, slug=slug, live=publish, **fields)
    page.service_links.set([CategoryService(service=service) for service in services])
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def make_member(locale, *, slug="ag", name="Ana García", **fields):
    """A team member snippet in ``locale``."""
    from cms.models import Member

    return Member.objects.create(slug=slug, name=name, locale=locale, **fields)


def make_state(locale, *, slug="open", title="Abierto", color="green", **fields):
    """A project state snippet in ``locale``."""
    from projects.models import ProjectState

    return ProjectState.objects.create(slug=slug, title=title, color=color, locale=locale, **fields)


def make_standard_page(
    parent, *, title="Sobre nosotros", slug="sobre-nosotros", publish=True, **fields
):
    """A generic page under ``parent`` (a home page or another standard page)."""
    from generic.models import StandardPage

    fields.setdefault("body", [])
    page = StandardPage(title=title, slug=slug, live=publish, **fields)
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


# The fields of the site's cta-contact-service form: (name, label, type, required).
CONTACT_FIELDS = (
    ("name", "Nombre", "singleline", True),
    ("email", "Correo", "email", True),
    ("message", "Mensaje", "multiline", False),
    ("cv", "Currículum", "file", False),
    ("privacy_policy", "Acepto la política de privacidad", "checkbox", True),
)


def make_contact_form(
    parent,
    *,
    slug="cta-contact-service",
    title="Contacto",
    fields=CONTACT_FIELDS,
    publish=True,
    **attrs,
):
    """A contact form page under ``parent`` with ``fields`` as (name, label, type, required)
    or (name, label, type, required, extra) rows, extra being help_text/choices."""
    from contact.models import ContactFormField, ContactFormPage

    attrs.setdefault("intro", "Si lo deseas, **escríbenos**.")
    attrs.setdefault("button_label", "Enviar")
    attrs.setdefault("to_address", "hola@example.org")
    attrs.setdefault("subject", "Nuevo mensaje")
    page = ContactFormPage(title=title, slug=slug, live=publish, **attrs)
    parent.add_child(instance=page)
    for order, (name, label, kind, required, *extra) in enumerate(fields):
        page.form_fields.add(
            ContactFormField(
                clean_name=name,
                label=label,
                field_type=kind,
                required=required,
                sort_order=order,
                locale=page.locale,
                **(extra[0] if extra else {}),
            )
        )
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    else:
        page.save()
    return page


def make_site_texts(locale, *, strings=(), **fields):
    """The site texts of a language; ``strings`` as (key, value) pairs."""
    from sitewide.models import SiteTexts

    return SiteTexts.objects.create(
        locale=locale,
        strings=[("string", {"key": key, "value": value}) for key, value in strings],
        **fields,
    )


def menu_item(label, *, page=None, url="", children=()):
    """A menu entry (for make_menu): a page or a URL, with (label, page, url) children."""
    return {
        "label": label,
        "page": page,
        "url": url,
        "children": [
            {"label": child_label, "page": child_page, "url": child_url or ""}
            for child_label, child_page, child_url in children
        ],
    }


def make_menu(locale, handle, items=(), title=""):
    """A menu of a language; ``items`` built with menu_item."""
    from sitewide.models import Menu

    return Menu.objects.create(
        locale=locale, handle=handle, title=title, items=[("item", item) for item in items]
    )


def set_social_links(*links):
    """The organisation's social links, as (kind, url) pairs."""
    from sitewide.models import SocialSettings

    setting = SocialSettings.objects.first() or SocialSettings()
    setting.links = [("link", {"kind": kind, "url": url}) for kind, url in links]
    setting.save()
    return setting


def call_to_action_form(text: str, form) -> list:
    """A call_to_action stream whose button opens ``form`` (a contact form page)."""
    return [
        (
            "call_to_action",
            {"text": text, "button_label": "Escríbenos", "form": form, "page": None, "url": ""},
        )
    ]
