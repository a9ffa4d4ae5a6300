"""The API's Markdown rendering (cms.markdown_html) gives what wagtail-markdown's
own ``render_markdown`` gives, text after text, for the release the project pins."""

from importlib.metadata import version

from wagtailmarkdown.utils import render_markdown

from cms.markdown_html import digest, render

TEXTS = [
    "## Título\n\nTexto con [enlace](https://example.org/) y **negrita**.",
    "Una nota[^1].\n\n[^1]: Al pie.",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "- uno\n- dos\n\n1. tres\n2. cuatro",
    '<script>alert(1)</script><a href="javascript:alert(1)" onclick="x()">x</a>',
    "> Cita\n\n```\ncódigo <b>\n```",
    "*[HTML]: Hyper Text\n\nHTML en una línea.",
    "Línea uno  \nlínea dos\n\n---\n\n![Alt](/media/images/a.png)",
    "",
]


def test_the_release_is_one_the_adapter_was_checked_with():
    assert version("wagtail-markdown").startswith("0.15.")


def test_each_text_renders_as_wagtail_markdown_renders_it_alone():
    # In a row through the one parser, and each compared with a fresh render: a footnote,
    # an abbreviation or a heading id of one text never reaches the next.
    for text in TEXTS + list(reversed(TEXTS)):
        assert render(text) == str(render_markdown(text)), text


# Stored HTML ------------------------------------------------------------------------------


def _expected(*texts: str) -> dict[str, str]:
    return {digest(text): render(text) for text in texts}


def test_a_save_stores_the_html_of_every_markdown_text_in_any_nesting(demo_page):
    from services.models import ServicePage

    page = ServicePage.objects.get(pk=demo_page.pk)
    page.description = "Una **descripción**.\r\nEn dos líneas."
    page.body = [
        ("markdown", "## Título\r\n\nTexto."),
        ("quote", {"text": "Una _cita_.", "author": "Kapipal"}),
        ("author", {"name": "Ana", "position": "", "image": None, "description": "Su **bio**."}),
        ("markdown", "## Título\n\nTexto."),  # the same text twice: stored once
    ]
    page.save_revision().publish()
    stored = ServicePage.objects.get(pk=page.pk).rendered_markdown
    # Keyed by the text as stored, with LF line endings: what a reader looks up.
    assert stored == _expected(
        "Una **descripción**.\nEn dos líneas.",
        "## Título\n\nTexto.",
        "Una _cita_.",
        "Su **bio**.",
    )


def test_saving_some_fields_stores_the_html_of_the_texts_among_them(demo_page):
    from services.models import ServicePage

    page = ServicePage.objects.get(pk=demo_page.pk)
    page.description = "Otra descripción."
    page.save(update_fields=["description"])
    stored = ServicePage.objects.get(pk=page.pk).rendered_markdown
    assert stored[digest("Otra descripción.")] == "<p>Otra descripción.</p>"
    page.title = "Otro título"
    ServicePage.objects.filter(pk=page.pk).update(rendered_markdown={})
    page.save(update_fields=["title"])  # no text among them: nothing rendered, nothing stored
    assert ServicePage.objects.get(pk=page.pk).rendered_markdown == {}


def test_store_everywhere_fills_the_rows_saved_before_and_keeps_the_rest(demo_page):
    from django.apps import apps

    from cms.markdown_html import FIELD, StoresMarkdownHtml, markdown_texts, store_everywhere

    models = [m for m in apps.get_models() if issubclass(m, StoresMarkdownHtml)]
    saved = {(m, o.pk): o.rendered_markdown for m in models for o in m.objects.all()}
    holding = [key for key, value in saved.items() if value]
    assert len(holding) > 10
    for model in models:
        model.objects.update(**{FIELD: {}})
    assert store_everywhere() == len(holding)
    refilled = {(m, o.pk): o.rendered_markdown for m in models for o in m.objects.all()}
    assert refilled == saved
    for (model, pk), value in refilled.items():
        assert value == _expected(*markdown_texts(model.objects.get(pk=pk)))
    assert store_everywhere() == 0
