"""Helpers for GraphQL tests: run queries over HTTP, build pages with every kind of block."""

import json
from datetime import UTC

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


def translate_page(page, locale, **fields):
    """A published translation of ``page`` in ``locale`` (its link rows copied unchanged,
    as wagtail-localize copies them), with ``fields`` changed."""
    copy = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy


def translate_snippet(obj, locale, **fields):
    """A saved translation of a snippet in ``locale``, with ``fields`` changed."""
    copy = obj.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    return copy


def call_to_action(text: str, image=None, page=None) -> list:
    return [
        (
            "call_to_action",
            {
                "text": text,
                "button_label": "Escríbenos",
                "page": page,
                "url": "" if page else "#contacto",
                "image": image,
                "image_alt": "",
            },
        )
    ]


@pytest.fixture
def project_world(site_structure, locales, rich_content):
    """A project naming two services, a category, two members and a collaborator, with an
    English translation of the project, a service, the category, a member and the state.

    The English project's link rows point at the Spanish versions (copied unchanged).
    """
    from datetime import date, datetime

    from tests.factories import make_category, make_member, make_project, make_state

    es, en = locales["es"], locales["en"]
    images = rich_content["images"]
    service = make_service(
        site_structure.service_indexes["es"], title="Financiación", slug="financiacion"
    )
    service_en = translate_page(service, en, title="Funding", slug="funding")
    consulting = make_service(
        site_structure.service_indexes["es"], title="Consultoría", slug="consultoria"
    )
    category = make_category(
        site_structure.category_indexes["es"],
        title="Cultura Futura",
        slug="cultura-futura",
        subtitle="Arte y *comunidad*.",
        symbol=images[2],
        symbol_alt="Símbolo",
        services=[service, consulting],
        call_to_action=call_to_action("¿Te unes?"),
    )
    category_en = translate_page(category, en, title="Future Culture", slug="future-culture")
    state = make_state(es, slug="open", title="Abierto", color="#1a7f37")
    state_en = translate_snippet(state, en, title="Open")
    ana = make_member(
        es,
        slug="ag",
        name="Ana García",
        kind="team",
        position="Directora",
        bio="Hola *mundo*.",
        email="ana@example.org",
        photo=images[1],
        photo_alt="Ana sonríe",
        twitter="https://twitter.com/ana",
        github="javascript:alert(1)",
        notes="Nunca público",
    )
    ana_en = translate_snippet(ana, en, position="Director", bio="Hello *world*.")
    bea = make_member(es, slug="bea", name="Bea López")
    collaborator = rich_content["collaborators"][0]
    project = make_project(
        site_structure.project_indexes["es"],
        title="Goteo Cultura",
        slug="goteo-cultura",
        subtitle="Un *proyecto*.",
        description="Resumen.",
        banner_image=images[0],
        banner_image_alt="Pancarta",
        start_date=date(2020, 1, 15),
        end_date=date(2021, 6, 30),
        date=datetime(2021, 3, 1, 10, 0, tzinfo=UTC),
        budget="600.000",
        private_percentage="60%",
        public_percentage="40",
        looking_for_finance_percentage="",
        state=state,
        call_to_action=call_to_action("¿Hablamos?", image=images[1]),
        body=every_block_body(
            images=images,
            collaborators=rich_content["collaborators"],
            document=rich_content["document"],
            link_page=rich_content["link_page"],
        ),
        links={
            "services": [service, consulting],
            "categories": [category],
            "members": [ana, bea],
            "collaborators": [collaborator],
        },
    )
    project_en = translate_page(project, en, title="Goteo Culture", slug="goteo-culture")
    return {
        "service": service,
        "service_en": service_en,
        "consulting": consulting,
        "category": category,
        "category_en": category_en,
        "state": state,
        "state_en": state_en,
        "ana": ana,
        "ana_en": ana_en,
        "bea": bea,
        "collaborator": collaborator,
        "project": project,
        "project_en": project_en,
        "images": images,
    }
