"""Lists of links and of downloadable documents."""

from wagtail.blocks import CharBlock, ListBlock, StructBlock, TextBlock

from .choosers import DocumentChooserBlock, ImageChooserBlock
from .fields import LinkURLBlock
from .tags import SourceTag


class LinkItemBlock(StructBlock):
    """One link and its visible text."""

    url = LinkURLBlock(
        max_length=500, help_text="https://…, a path such as /es/… or #anchor.", label="Link URL"
    )
    title = CharBlock(max_length=255, help_text="The link's visible text.", label="Link text")

    class Meta:
        icon = "link"
        label = "Link"


class LinksBlock(StructBlock):
    """A titled list of links."""

    source_tag = SourceTag("links", ("title", "items"), {"items": ("url", "title")})

    title = CharBlock(
        required=False, max_length=200, help_text="Heading above the links.", label="Heading"
    )
    items = ListBlock(LinkItemBlock(), min_num=1, help_text="The links, in order.", label="Links")

    class Meta:
        icon = "link"
        label = "Links"
        template = "blocks/links.html"
        description = "A list of links."
        preview_value = {
            "title": "Más información",
            "items": [{"url": "https://www.goteo.org/", "title": "Goteo.org"}],
        }


class DocumentItemBlock(StructBlock):
    """One downloadable document and its visible title."""

    document = DocumentChooserBlock(
        help_text="The file, chosen from the document library.", label="Document"
    )
    title = CharBlock(
        required=False,
        max_length=255,
        help_text="Visible title; defaults to the document's.",
        label="Document title",
    )

    class Meta:
        icon = "doc-full"
        label = "Document"


class DocumentsBlock(StructBlock):
    """A titled list of downloadable documents."""

    source_tag = SourceTag("documents", ("title", "items"), {"items": ("file", "title")})

    title = CharBlock(
        required=False, max_length=200, help_text="Heading above the documents.", label="Heading"
    )
    items = ListBlock(
        DocumentItemBlock(), min_num=1, help_text="The documents, in order.", label="Documents"
    )

    class Meta:
        icon = "doc-full-inverse"
        label = "Documents"
        template = "blocks/documents.html"
        description = "A list of downloadable documents."
        preview_value = {"title": "Documentos", "items": []}


class FileBlock(StructBlock):
    """One featured download with a description, a picture and a button."""

    source_tag = SourceTag("file", ("title", "info", "file", "image", "button_text", "button_icon"))

    title = CharBlock(
        max_length=255, help_text="What the file is, e.g. White Paper.", label="File title"
    )
    info = TextBlock(
        required=False, help_text="A sentence or two about the file.", label="File description"
    )
    document = DocumentChooserBlock(help_text="The file to download.", label="File")
    image = ImageChooserBlock(
        required=False, help_text="An optional cover picture.", label="Cover picture"
    )
    button_text = CharBlock(
        required=False,
        max_length=80,
        help_text="The button's words; defaults to Descargar.",
        label="Button text",
    )
    button_icon = CharBlock(
        required=False,
        max_length=80,
        help_text="Name of the icon shown on the button, if any.",
        label="Button icon",
    )

    class Meta:
        icon = "download"
        label = "File"
        template = "blocks/file.html"
        description = "A featured download with a button."
        preview_value = {"title": "White Paper", "info": "El informe final del proceso."}
