"""A quotation with its author."""

from wagtail.blocks import CharBlock, StructBlock

from .markdown import MarkdownBlock
from .tags import SourceTag


class QuoteBlock(StructBlock):
    """A quotation in Markdown, optionally attributed to an author."""

    source_tag = SourceTag("quote", ("author",), encloses=True)

    text = MarkdownBlock(
        help_text="The quoted words, in Markdown, without quotation marks.", label="Quotation"
    )
    author = CharBlock(
        required=False,
        max_length=200,
        help_text="Who said it (optional).",
        label="Quotation's author",
    )

    class Meta:
        icon = "openquote"
        label = "Quote"
        template = "blocks/quote.html"
        description = "A quotation with its author."
        preview_value = {
            "text": "Tu capital depende de la confianza: las contribuciones no ocurren "
            "de manera automática.",
            "author": "Kapipal",
        }
