"""A service page with one block of every kind, built inside the end-to-end CMS process.

The servers fixture runs ``build_every_block_page()`` through ``manage.py shell`` so the
frontend and the accessibility check see every renderer with real images and documents.
"""

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from cms.models import Collaborator
from services.models import ServiceIndexPage
from tests.factories import make_image, make_service

SLUG = "todos-los-bloques"
TITLE = "Todos los bloques"


def build_every_block_page():
    index = ServiceIndexPage.objects.get(locale__language_code="es")
    if index.get_children().filter(slug=SLUG).exists():
        return
    photo, wide, portrait = (
        make_image(f"E2E {name}", size=size)
        for name, size in (
            ("foto", (1600, 900)),
            ("panorámica", (1200, 500)),
            ("retrato", (400, 400)),
        )
    )
    document = get_document_model()(title="Memoria anual")
    document.file = ContentFile(b"%PDF-1.4 memoria", name="memoria-anual.pdf")
    document.save()
    collaborators = list(Collaborator.objects.filter(locale__language_code="es").order_by("name"))
    body = [
        ("markdown", "## Qué hacemos\n\nTexto con un [enlace](https://example.org/)."),
        (
            "metrics",
            {"items": [{"number": "94", "text": "Proyectos"}, {"number": "3", "text": "Ciudades"}]},
        ),
        ("numbers", {"items": [{"number": "12", "label": "Talleres"}]}),
        ("quote", {"text": "Lo común se construye *juntas*.", "author": "Ana"}),
        ("collaborators", {"title": "Colaboradoras", "collaborators": collaborators}),
        (
            "call_to_action",
            {
                "text": "¿Hablamos?",
                "button_label": "Escríbenos",
                "page": index,
                "url": "",
                "image": photo,
                "image_alt": "Una asamblea en la plaza",
            },
        ),
        ("image", {"image": wide, "alt": "Vista del barrio", "caption": "El barrio en 2026"}),
        (
            "gallery",
            {
                "simple": True,
                "images": [
                    {
                        "image": photo,
                        "alt": "Taller de compostaje",
                        "caption": "Taller",
                        "credits": "Bea",
                    },
                    {"image": wide, "alt": "Huerto", "caption": "", "credits": ""},
                ],
            },
        ),
        (
            "video",
            {
                "title": "Presentación del proyecto",
                "url": "https://www.youtube.com/watch?v=5bzfj2IkznQ",
            },
        ),
        (
            "questions",
            {"items": [{"question": "¿Quién decide?"}, {"question": "¿Cómo participo?"}]},
        ),
        ("links", {"title": "Enlaces", "items": [{"url": "https://goteo.org/", "title": "Goteo"}]}),
        ("documents", {"title": "Documentos", "items": [{"document": document, "title": ""}]}),
        (
            "file",
            {
                "title": "Informe",
                "info": "El informe del año.",
                "document": document,
                "image": photo,
                "button_text": "",
                "button_icon": "download",
            },
        ),
        (
            "author",
            {
                "name": "Luna Gil",
                "position": "Coordinadora",
                "image": portrait,
                "description": "Trabaja en *economía social*.",
            },
        ),
        (
            "stickers",
            {
                "layout": "default",
                "sticker_one": portrait,
                "sticker_two": photo,
                "sticker_one_animation": "spin",
                "sticker_two_animation": "",
            },
        ),
        ("separator", None),
        ("verbatim", {"source": "{% raw_liquid %}", "reason": "Unknown tag"}),
    ]
    make_service(
        index, title=TITLE, slug=SLUG, body=body, image=wide, description="Un **resumen**."
    )
