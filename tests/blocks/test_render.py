"""Every block renders to plain, accessible HTML with its own template."""

import pytest
from django.core.files.base import ContentFile
from django.test.html import parse_html
from wagtail.documents import get_document_model

from cms.models import Collaborator
from services.stream import ServiceBodyBlock
from tests.factories import make_image, make_service, make_svg_image

STREAM = ServiceBodyBlock()


def render(name: str, raw) -> str:
    block = STREAM.child_blocks[name]
    return block.render(block.to_python(raw))


def assert_html(actual: str, expected: str) -> None:
    assert parse_html(actual) == parse_html(expected), actual


def test_markdown_is_rendered_and_sanitised():
    html = render(
        "markdown",
        "# Título\n\n* uno\n* [dos](https://goteo.org)\n\n<script>alert(1)</script>"
        '<a href="javascript:alert(1)" onclick="x()" style="color:red">mal</a>',
    )
    assert_html(
        html,
        # One level down: on a server-rendered page the title is the only h1.
        '<div class="markdown"><h2>Título</h2><ul><li>uno</li>'
        '<li><a href="https://goteo.org" rel="noopener noreferrer">dos</a></li></ul>'
        '<p><a rel="noopener noreferrer">mal</a></p></div>',
    )


def test_metrics_and_numbers():
    assert_html(
        render(
            "metrics",
            {
                "items": [
                    {"number": "83,8%", "text": "Proyectos exitosos"},
                    {"number": "", "text": "Mejor gobernanza"},
                ]
            },
        ),
        '<ul class="metrics">'
        '<li class="metric"><span class="metric__number">83,8%</span>'
        '<span class="metric__text">Proyectos exitosos</span></li>'
        '<li class="metric"><span class="metric__text">Mejor gobernanza</span></li></ul>',
    )
    assert_html(
        render("numbers", {"items": [{"number": "94", "label": "proyectos"}]}),
        '<dl class="numbers"><div class="number"><dt>94</dt><dd>proyectos</dd></div></dl>',
    )


def test_quote_questions_separator():
    assert_html(
        render("quote", {"text": "La *confianza*", "author": "Kapipal"}),
        '<figure class="quote"><blockquote><p>La <em>confianza</em></p></blockquote>'
        "<figcaption>— Kapipal</figcaption></figure>",
    )
    assert_html(
        render("questions", {"items": [{"question": "¿Quién <decide>?"}]}),
        '<ul class="questions"><li>¿Quién &lt;decide&gt;?</li></ul>',
    )
    assert_html(render("separator", None), '<hr class="separator">')


def test_video_renders_an_iframe_with_no_network_call():
    assert_html(
        render("video", {"title": "Crowdcoop", "url": "https://youtu.be/5bzfj2IkznQ"}),
        '<figure class="video"><iframe src="https://www.youtube-nocookie.com/embed/5bzfj2IkznQ"'
        ' title="Crowdcoop" loading="lazy" allow="fullscreen; picture-in-picture"'
        ' referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>'
        '<figcaption>Crowdcoop (<a href="https://youtu.be/5bzfj2IkznQ" rel="noopener">'
        "Youtube</a>)</figcaption></figure>",
    )


def test_links_and_verbatim_is_hidden_from_readers():
    assert_html(
        render("links", {"title": "Más", "items": [{"url": "#contact", "title": "Contacto"}]}),
        '<nav class="links" aria-label="Más"><h2>Más</h2>'
        '<ul><li><a href="#contact">Contacto</a></li></ul></nav>',
    )
    assert render("verbatim", {"source": "<script>x</script>", "reason": "unknown"}).strip() == ""


@pytest.mark.django_db
def test_image_gallery_and_author_use_renditions_and_alt_text():
    photo = make_image("Foto", size=(1600, 900), description="Una asamblea")
    rendition = photo.get_rendition("width-1200")
    assert_html(
        render("image", {"image": photo.pk, "alt": "", "caption": "Asamblea"}),
        f'<figure class="image"><img alt="Una asamblea" src="{rendition.url}" width="1200" '
        f'height="675"><figcaption>Asamblea</figcaption></figure>',
    )
    assert_html(
        render(
            "gallery",
            {
                "simple": True,
                "images": [{"image": photo.pk, "alt": "Gente", "caption": "", "credits": "Luna"}],
            },
        ),
        f'<div class="gallery gallery--simple"><figure class="image"><img alt="Gente" '
        f'src="{rendition.url}" width="1200" height="675"><figcaption> <small>Luna</small>'
        f"</figcaption></figure></div>",
    )
    portrait = photo.get_rendition("fill-160x160")
    assert_html(
        render(
            "author",
            {
                "name": "Luna",
                "position": "Autora",
                "image": photo.pk,
                "description": "Hace **vídeos**.",
            },
        ),
        f'<div class="author"><img alt="" src="{portrait.url}" width="160" height="160">'
        f'<p class="author__name"><strong>Luna</strong>, Autora</p>'
        f"<p>Hace <strong>vídeos</strong>.</p></div>",
    )


@pytest.mark.django_db
def test_collaborators_with_svg_and_raster_logos(locales):
    svg = make_svg_image("decidim-logo")
    png = make_image("goteo-logo", size=(480, 240))
    decidim = Collaborator.objects.create(
        name="Decidim", slug="decidim", logo=svg, url="https://decidim.org/", locale=locales["es"]
    )
    goteo = Collaborator.objects.create(
        name="Goteo", slug="goteo", logo=png, logo_alt="Gota", locale=locales["es"]
    )
    html = render("collaborators", {"title": "Colaboran", "collaborators": [decidim.pk, goteo.pk]})
    svg_url = svg.get_rendition("max-240x120").url
    png_url = png.get_rendition("max-240x120").url
    assert svg_url.endswith(".svg")
    assert_html(
        html,
        '<div class="collaborators"><h2>Colaboran</h2><ul>'
        f'<li class="collaborator"><a href="https://decidim.org/" rel="noopener">'
        f'<img alt="Decidim" src="{svg_url}" width="120.0" height="40.0"></a></li>'
        f'<li class="collaborator"><img alt="Gota" src="{png_url}" width="240" height="120">'
        "</li></ul></div>",
    )


@pytest.mark.django_db
def test_call_to_action_links_to_live_pages_only(site_structure):
    index = site_structure.service_indexes["es"]
    live = make_service(index, title="Contacto", slug="contacto")
    draft = make_service(index, title="Borrador", slug="borrador", publish=False)
    gif = make_image("cta", fmt="GIF", description="Manos")
    gif_url = gif.get_rendition("max-320x320").url
    assert_html(
        render(
            "call_to_action",
            {
                "text": "¿Quieres\nsaber más?",
                "button_label": "Pregúntanos",
                "page": live.pk,
                "url": "",
                "image": gif.pk,
                "image_alt": "",
            },
        ),
        f'<aside class="cta"><img alt="Manos" src="{gif_url}" width="64" height="48">'
        '<p class="cta__text">¿Quieres<br>saber más?</p>'
        '<a class="cta__button" href="/es/services/contacto/">Pregúntanos</a></aside>',
    )
    assert_html(
        render(
            "call_to_action",
            {
                "text": "Hola",
                "button_label": "Ir",
                "page": draft.pk,
                "url": "",
                "image": None,
                "image_alt": "",
            },
        ),
        '<aside class="cta"><p class="cta__text">Hola</p></aside>',
    )


@pytest.mark.django_db
def test_documents_file_and_stickers():
    document = get_document_model()(title="White Paper")
    document.file.save("white-paper.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    document.save()
    assert_html(
        render(
            "documents", {"title": "Informes", "items": [{"document": document.pk, "title": ""}]}
        ),
        f'<div class="documents"><h2>Informes</h2><ul><li><a href="{document.url}">White Paper'
        "</a> <small>(PDF)</small></li></ul></div>",
    )
    assert_html(
        render(
            "file",
            {
                "title": "Informe",
                "info": "Final",
                "document": document.pk,
                "image": None,
                "button_text": "",
                "button_icon": "",
            },
        ),
        f'<div class="file"><h2>Informe</h2><p>Final</p>'
        f'<a class="cta__button" href="{document.url}" download>Descargar</a></div>',
    )
    sticker = make_image("sticker")
    sticker_url = sticker.get_rendition("max-240x240").url
    assert_html(
        render(
            "stickers",
            {
                "layout": "Dos Columnas",
                "sticker_one": sticker.pk,
                "sticker_two": None,
                "sticker_one_animation": "spin",
                "sticker_two_animation": "",
            },
        ),
        f'<div class="stickers stickers--dos-columnas" aria-hidden="true">'
        f'<img alt="" src="{sticker_url}" width="64" height="48"></div>',
    )


def test_every_stream_block_is_covered_here():
    covered = {
        "markdown", "metrics", "numbers", "quote", "questions", "separator", "video", "links",
        "verbatim", "image", "gallery", "author", "collaborators", "call_to_action",
        "documents", "file", "stickers",
    }  # fmt: skip
    assert set(STREAM.child_blocks) == covered
