"""Every block of every stream has one GraphQL type, and every block renders safely."""

import pytest
from django.apps import apps
from wagtail.fields import StreamField

from graphql_api.schema import schema
from graphql_api.stream import BLOCK_TYPES, STRUCTURED_STREAMS
from services.models import ServicePage
from tests.factories import make_image, make_service, make_svg_image
from tests.graphql_api.expected import absolute
from tests.graphql_api.queries import FRAGMENTS, SERVICE


def _stream_label(model, field_name: str) -> str:
    return f"{model._meta.label}.{field_name}"


def _stream_children(structured: bool = False):
    """(model, field, child name, block) of every StreamField: the content streams (read
    through the StreamBlock interface), or with ``structured`` those STRUCTURED_STREAMS
    names (read by their own types)."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, StreamField):
                if (_stream_label(model, field.name) in STRUCTURED_STREAMS) != structured:
                    continue
                for name, block in field.stream_block.child_blocks.items():
                    yield model, field.name, name, block


def test_every_block_of_every_stream_has_a_graphql_type():
    children = list(_stream_children())
    assert children, "no StreamField found"
    for model, field_name, name, block in children:
        where = f"{model.__name__}.{field_name} block {name!r}"
        assert name in BLOCK_TYPES, f"{where} has no GraphQL type in graphql_api.stream"
        graphql_name = BLOCK_TYPES[name].__strawberry_definition__.name
        assert graphql_name == type(block).__name__, f"{where} maps to {graphql_name}"
        assert schema.get_type_by_name(graphql_name) is not None, f"{where} not in schema"


def test_mapping_has_no_stale_entries():
    names = {name for _model, _field, name, _block in _stream_children()}
    assert set(BLOCK_TYPES) == names


def test_every_block_of_every_structured_stream_has_its_type():
    """The streams read by their own types: each child block named, its type in the schema,
    and no entry left for a stream or block that no longer exists."""
    found: dict[str, set[str]] = {}
    for model, field_name, name, _block in _stream_children(structured=True):
        label = _stream_label(model, field_name)
        found.setdefault(label, set()).add(name)
        where = f"{label} block {name!r}"
        assert name in STRUCTURED_STREAMS[label], f"{where} is not mapped in STRUCTURED_STREAMS"
        graphql_name = STRUCTURED_STREAMS[label][name]
        assert schema.get_type_by_name(graphql_name) is not None, f"{where}: no {graphql_name}"
    assert {label: set(children) for label, children in STRUCTURED_STREAMS.items()} == found


def test_every_block_renders(make_rich_service, rich_content, graphql):
    page = make_rich_service("todo", title="Todo")
    response = graphql(SERVICE, {"slug": "todo"})
    assert "errors" not in response, response.get("errors")
    body = {block["blockType"]: block for block in response["data"]["service"]["body"]}
    stored = {block.block_type: block.id for block in ServicePage.objects.get(pk=page.pk).body}
    assert {k: v["id"] for k, v in body.items()} == stored
    assert {k: v["__typename"] for k, v in body.items()} == {
        name: cls.__strawberry_definition__.name for name, cls in BLOCK_TYPES.items()
    }
    image = rich_content["images"][1]
    rendition = image.get_rendition("fill-640x360")
    document = rich_content["document"]
    index = rich_content["index"]
    assert body["image"]["image"]["alt"] == "Una foto"
    assert body["image"]["image"]["rendition"] == {
        "url": absolute(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
    }
    assert body["image"]["caption"] == "Pie"
    assert body["call_to_action"]["url"] == index.url
    assert body["call_to_action"]["image"]["alt"] == rich_content["images"][0].default_alt_text
    assert body["numbers"]["numbers"] == [{"number": "12", "label": "ciudades"}]
    assert body["gallery"]["simple"] is True
    assert [i["caption"] for i in body["gallery"]["images"]] == ["Uno", ""]
    assert body["video"] == {
        "__typename": "VideoBlock",
        "id": stored["video"],
        "blockType": "video",
        "title": "Vídeo",
        "url": "https://www.youtube.com/watch?v=5bzfj2IkznQ",
        "embedUrl": "https://www.youtube-nocookie.com/embed/5bzfj2IkznQ",
        "provider": "youtube",
    }
    assert body["questions"]["questions"] == [{"question": "¿Quién decide?"}]
    assert body["links"]["links"] == [{"url": "https://goteo.org/", "title": "G"}]
    assert body["documents"]["documents"] == [
        {"title": document.title, "url": absolute(document.url), "fileExtension": "pdf"}
    ]
    assert body["file"]["document"]["url"] == absolute(document.url)
    assert (body["file"]["buttonText"], body["file"]["buttonIcon"]) == ("Descargar", "download")
    assert body["author"]["description"] == {"markdown": "Bio.", "html": "<p>Bio.</p>"}
    assert body["stickers"]["stickerOne"]["alt"] == ""
    assert body["stickers"]["stickerOneAnimation"] == "spin"
    assert body["separator"] == {
        "__typename": "SeparatorBlock",
        "id": stored["separator"],
        "blockType": "separator",
    }
    # Importer leftovers: only the id and kind, never the source text.
    assert body["verbatim"] == {
        "__typename": "VerbatimBlock",
        "id": stored["verbatim"],
        "blockType": "verbatim",
    }
    assert "secret_tag" not in str(response)


MALICIOUS = (
    "<script>alert(1)</script>\n\n"
    '<img src="x" onerror="alert(2)">\n\n'
    "[click](javascript:alert(3)) "
    '<a href="javascript:alert(4)" onclick="alert(5)" style="color:red" id="i" class="c">a</a>'
)


def test_markdown_html_is_sanitised(site_structure, graphql):
    make_service(
        site_structure.service_indexes["es"],
        title="Peligro",
        slug="peligro",
        description=MALICIOUS,
        body=[
            ("markdown", MALICIOUS),
            ("quote", {"text": MALICIOUS, "author": "X"}),
            ("author", {"name": "Y", "description": MALICIOUS}),
        ],
    )
    query = """
    { service(slug: "peligro") {
        description { html }
        body {
          ... on MarkdownBlock { html }
          ... on QuoteBlock { quote: text { html } }
          ... on AuthorBlock { description { html } }
        }
    } }
    """
    service = graphql(query)["data"]["service"]
    htmls = [
        service["description"]["html"],
        service["body"][0]["html"],
        service["body"][1]["quote"]["html"],
        service["body"][2]["description"]["html"],
    ]
    for html in htmls:
        lowered = html.lower()
        for forbidden in (
            "<script",
            "onerror",
            "onclick",
            "javascript:",
            "style=",
            "id=",
            "class=",
        ):
            assert forbidden not in lowered, (forbidden, html)
        assert "<a" in lowered


def test_unsafe_urls_never_reach_the_api(site_structure, locales, graphql):
    """Stored values that bypassed validation (e.g. written by a script) are still checked."""
    from cms.models import Collaborator

    Collaborator.objects.create(
        name="Mala", slug="mala", url="javascript:alert(1)", locale=locales["es"]
    )
    make_service(
        site_structure.service_indexes["es"],
        title="URLs",
        slug="urls",
        body=[
            (
                "call_to_action",
                {"text": "t", "button_label": "b", "url": "javascript:alert(1)", "image": None},
            ),
            (
                "links",
                {
                    "title": "L",
                    "items": [
                        {"url": "JavaScript:alert(1)", "title": "bad"},
                        {"url": "/es/contacto/", "title": "good"},
                    ],
                },
            ),
            ("video", {"title": "v", "url": "javascript:alert(1)"}),
        ],
    )
    query = """
    { service(slug: "urls") {
        callToAction { url }
        body {
          ... on LinksBlock { links { url title } }
          ... on VideoBlock { url embedUrl provider }
        }
      }
      collaborator(slug: "mala") { url } }
    """
    assert graphql(query) == {
        "data": {
            "service": {
                "callToAction": {"url": None},
                "body": [
                    {},
                    {"links": [{"url": "/es/contacto/", "title": "good"}]},
                    {"url": None, "embedUrl": None, "provider": None},
                ],
            },
            "collaborator": {"url": None},
        }
    }


@pytest.mark.parametrize("preset", ["CARD", "CARD_WEBP", "THUMBNAIL_WEBP", "HERO", "LOGO"])
def test_svg_images_are_served_as_they_are(site_structure, graphql, preset):
    svg = make_svg_image()
    make_service(site_structure.service_indexes["es"], title="SVG", slug="svg", image=svg)
    query = (
        'query ($preset: RenditionPreset!) { service(slug: "svg") {'
        " image { url rendition(preset: $preset) { url width height } srcset(preset: $preset) }"
        " } }"
    )
    image = graphql(query, {"preset": preset})["data"]["service"]["image"]
    url = absolute(svg.file.url)
    assert image == {
        "url": url,
        "rendition": {"url": url, "width": 120, "height": 40},
        "srcset": f"{url} 120w",
    }


def test_webp_presets_and_srcset(site_structure, graphql):
    photo = make_image("Grande", size=(3000, 2000))
    make_service(site_structure.service_indexes["es"], title="Foto", slug="foto", image=photo)
    query = """
    { service(slug: "foto") { image {
        webp: rendition(preset: HERO_WEBP) { url width height }
        srcset(preset: HERO_WEBP)
    } } }
    """
    image = graphql(query)["data"]["service"]["image"]
    specs = ["width-800|format-webp", "width-1600|format-webp", "width-2400|format-webp"]
    renditions = [photo.get_rendition(spec) for spec in specs]
    assert image == {
        "webp": {
            "url": absolute(renditions[1].url),
            "width": 1600,
            "height": renditions[1].height,
        },
        "srcset": ", ".join(f"{absolute(r.url)} {r.width}w" for r in renditions),
    }
    assert all(r.url.endswith(".webp") for r in renditions)


def test_presets_are_an_enum_not_a_filter_string(site_structure, graphql):
    response = graphql(
        '{ service(slug: "x") { image { rendition(preset: "fill-9999x9999") { url } } } }'
    )
    assert response["data"] is None
    assert response["errors"][0]["message"].startswith(
        "Enum 'RenditionPreset' cannot represent non-enum value"
    )


def test_collaborators_block_uses_the_page_language(demo_page, locales, graphql):
    query = (
        'query ($locale: String) { service(slug: "democratic-funding", locale: $locale) {'
        " body { ... on CollaboratorsBlock { collaborators { locale { code } } } } } }"
    )
    for code in ("es", "en"):
        body = graphql(query, {"locale": code})["data"]["service"]["body"]
        codes = {c["locale"]["code"] for b in body for c in b.get("collaborators", [])}
        assert codes == {code}


FRAGMENT_CHECK = FRAGMENTS  # the shared fragments must stay valid against the schema


def test_shared_fragments_are_valid(site_structure, graphql):
    response = graphql('{ service(slug: "none") { ...ServiceFields } }' + FRAGMENT_CHECK)
    assert response == {"data": {"service": None}}
