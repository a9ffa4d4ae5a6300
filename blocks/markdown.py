"""Markdown text, rendered by wagtail-markdown and sanitised by nh3."""

from wagtailmarkdown.blocks import MarkdownBlock as BaseMarkdownBlock


class MarkdownBlock(BaseMarkdownBlock):
    """A passage of Markdown text: headings, lists, links and images."""

    class Meta:
        icon = "doc-full"
        label = "Markdown"
        template = "blocks/markdown.html"
        description = "Formatted text written in Markdown."
        preview_value = (
            "## ¿Qué es Goteo?\n\n"
            "* Una incubadora de proyectos que conecta buenas ideas con quien las necesita;\n"
            "* una red social que posibilita micro-donaciones."
        )
