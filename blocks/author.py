"""A short presentation of a person."""

from wagtail.blocks import CharBlock, StructBlock

from .choosers import ImageChooserBlock
from .markdown import MarkdownBlock
from .tags import SourceTag


class AuthorBlock(StructBlock):
    """A person with their role, portrait and a short biography."""

    source_tag = SourceTag("author", ("name", "position", "image", "description"))

    name = CharBlock(max_length=200, help_text="The person's name.", label="Name")
    position = CharBlock(
        required=False, max_length=200, help_text="Role or organisation.", label="Role"
    )
    image = ImageChooserBlock(required=False, help_text="A portrait.", label="Portrait")
    description = MarkdownBlock(
        required=False, help_text="A short biography, in Markdown.", label="Biography"
    )

    class Meta:
        icon = "user"
        label = "Author"
        template = "blocks/author.html"
        description = "A person with their role and a short biography."
        preview_value = {
            "name": "Luna Andrade",
            "position": "Creadora de contenido",
            "description": "Autora de *Somos Migras*.",
        }
