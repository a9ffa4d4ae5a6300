"""Helpers for GraphQL tests: run queries over HTTP, build pages with every kind of block."""

import json

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from cms.models import Collaborator
from tests.factories import make_image, make_service


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Site root paths and renditions are cached; each test starts from its own database."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def graphql(client):
    """POST a query to /graphql/ and return the decoded JSON response."""

    def run(query: str, variables: dict | None = None, **extra) -> dict:
        response = client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            **extra,
        )
        assert response["Content-Type"].startswith("application/json"), response.content
        return response.json()

    return run


def make_document(title: str = "Informe", **fields):
    document = get_document_model()(title=title, **fields)
    document.file = ContentFile(b"%PDF-1.4 test", name=f"{title}.pdf")
    document.save()
    return document


def every_block_body(*, images, collaborators, document, link_page):
    """A body with one block of every kind the service stream allows."""
    return [
        ("markdown", "## Título\n\nTexto con [enlace](https://example.org/)."),
        ("metrics", {"items": [{"number": "94", "text": "proyectos"}]}),
        ("numbers", {"items": [{"number": "12", "label": "ciudades"}]}),
        ("quote", {"text": "Una *cita*.", "author": "Ana"}),
        ("collaborators", {"title": "Socios", "collaborators": collaborators}),
        (
            "call_to_action",
            {
                "text": "¿Hablamos?",
                "button_label": "Escríbenos",
                "page": link_page,
                "url": "",
                "image": images[0],
                "image_alt": "",
            },
        ),
        ("image", {"image": images[1], "alt": "Una foto", "caption": "Pie"}),
        (
            "gallery",
            {
                "simple": True,
                "images": [
                    {"image": images[0], "alt": "", "caption": "Uno", "credits": "Bea"},
                    {"image": images[1], "alt": "Dos", "caption": "", "credits": ""},
                ],
            },
        ),
        ("video", {"title": "Vídeo", "url": "https://www.youtube.com/watch?v=5bzfj2IkznQ"}),
        ("questions", {"items": [{"question": "¿Quién decide?"}]}),
        ("links", {"title": "Enlaces", "items": [{"url": "https://goteo.org/", "title": "G"}]}),
        ("documents", {"title": "Docs", "items": [{"document": document, "title": ""}]}),
        (
            "file",
            {
                "title": "White Paper",
                "info": "El informe.",
                "document": document,
                "image": images[2],
                "button_text": "",
                "button_icon": "download",
            },
        ),
        (
            "author",
            {"name": "Luna", "position": "Autora", "image": images[2], "description": "Bio."},
        ),
        (
            "stickers",
            {
                "layout": "default",
                "sticker_one": images[0],
                "sticker_two": images[1],
                "sticker_one_animation": "spin",
                "sticker_two_animation": "",
            },
        ),
        ("separator", None),
        ("verbatim", {"source": "{% secret_tag %}", "reason": "Unknown tag"}),
    ]


@pytest.fixture
def rich_content(site_structure, locales):
    """Images, collaborators with logos, a document, and the services index to link to."""
    images = [make_image(f"Imagen {i}", size=(800, 600)) for i in range(3)]
    collaborators = [
        Collaborator.objects.create(
            name=f"Socio {i}",
            slug=f"socio-{i}",
            url=f"https://socio{i}.example/",
            logo=make_image(f"Logo {i}"),
            locale=locales["es"],
        )
        for i in range(2)
    ]
    index = site_structure.service_indexes["es"]
    return {
        "images": images,
        "collaborators": collaborators,
        "document": make_document(),
        "link_page": index,
        "index": index,
    }


@pytest.fixture
def make_rich_service(rich_content):
    """Build a service page whose body has every kind of block."""

    def build(slug: str, title: str | None = None, **fields):
        body = every_block_body(
            images=rich_content["images"],
            collaborators=rich_content["collaborators"],
            document=rich_content["document"],
            link_page=rich_content["link_page"],
        )
        return make_service(
            rich_content["index"],
            title=title or slug,
            slug=slug,
            body=body,
            image=rich_content["images"][0],
            **fields,
        )

    return build
