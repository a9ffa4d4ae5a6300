"""Content kept exactly as it came from an import, for an editor to rework."""

from wagtail.blocks import CharBlock, StaticBlock, StructBlock, TextBlock


class VerbatimBlock(StructBlock):
    """Source text the importer could not map to a block, kept as it was; hidden from readers."""

    source = TextBlock(
        help_text="The original text, exactly as it was in the source file.", label="Original text"
    )
    reason = CharBlock(
        required=False,
        max_length=255,
        help_text="Why it was kept verbatim, e.g. unknown tag {% stickers %}.",
        label="Why it was kept",
    )

    class Meta:
        icon = "code"
        label = "Kept verbatim"
        template = "blocks/verbatim.html"
        description = "Imported content that needs an editor's attention; hidden from readers."
        preview_value = {
            "source": '{% unknown_tag {"a": 1} %}',
            "reason": "Unknown tag unknown_tag",
        }


class SeparatorBlock(StaticBlock):
    """A visual break between two sections of the page."""

    class Meta:
        icon = "horizontalrule"
        label = "Separator"
        template = "blocks/separator.html"
        admin_text = "A visual break between sections; it has no content."
        description = "A visual break between two sections."
