"""The API's Markdown rendering (graphql_api.markdown_engine) gives what wagtail-markdown's
own ``render_markdown`` gives, text after text, for the release the project pins."""

from importlib.metadata import version

from wagtailmarkdown.utils import render_markdown

from graphql_api.markdown_engine import render

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
