"""Decorative stickers placed beside the text (the theme's "stickers" tag)."""

from wagtail.blocks import CharBlock, StructBlock

from .choosers import ImageChooserBlock
from .tags import SourceTag


class StickersBlock(StructBlock):
    """One or two decorative pictures with their layout and animation names."""

    source_tag = SourceTag(
        "stickers",
        ("layout", "sticker_one", "sticker_two", "sticker_one_animation", "sticker_two_animation"),
    )

    layout = CharBlock(
        required=False, max_length=80, help_text="The theme's layout name.", label="Layout"
    )
    sticker_one = ImageChooserBlock(
        required=False, help_text="The first sticker.", label="First sticker"
    )
    sticker_two = ImageChooserBlock(
        required=False, help_text="The second sticker.", label="Second sticker"
    )
    sticker_one_animation = CharBlock(
        required=False,
        max_length=80,
        help_text="Animation of the first sticker.",
        label="First sticker's animation",
    )
    sticker_two_animation = CharBlock(
        required=False,
        max_length=80,
        help_text="Animation of the second sticker.",
        label="Second sticker's animation",
    )

    class Meta:
        icon = "image"
        label = "Stickers"
        template = "blocks/stickers.html"
        description = "Decorative pictures; they carry no content."
        preview_value = {"layout": "default"}
