"""The Liquid tags of the old site's page bodies, as the blocks they become declare them.

Each block the old theme wrote as a tag declares its ``source_tag`` (blocks.tags) next to
its own fields; this module only gathers those declarations from the body stream, by tag
name. A tag's limits are its block's own validation (``BodyBuilder.add`` cleans each value
with the block), never a copy here.
"""

from django.core.exceptions import ImproperlyConfigured
from wagtail.blocks import ListBlock, StructBlock

from blocks.tags import SourceTag
from services.stream import ServiceBodyBlock

BODY_BLOCK = ServiceBodyBlock()


def _declared() -> dict[str, SourceTag]:
    tags: dict[str, SourceTag] = {}
    for name, block in BODY_BLOCK.child_blocks.items():
        tag = getattr(block, "source_tag", None)
        if tag is None:
            continue
        if tag.name != name:
            raise ImproperlyConfigured(
                f"the body's '{name}' block declares the tag {{% {tag.name} %}}: a tag becomes "
                "the block of its own name"
            )
        tags[name] = tag
    return tags


# Every tag the importer reads, by name.
SOURCE_TAGS: dict[str, SourceTag] = _declared()
# The arguments each tag takes.
TAG_FIELDS: dict[str, frozenset[str]] = {
    name: frozenset(tag.arguments) for name, tag in SOURCE_TAGS.items()
}
# Tags that enclose Markdown up to their {% endname %}.
ENCLOSING_TAGS = frozenset(name for name, tag in SOURCE_TAGS.items() if tag.encloses)
# The list fields of each body block, whose items are written as the list's own items.
LIST_FIELDS: dict[str, tuple[str, ...]] = {
    name: lists
    for name, block in BODY_BLOCK.child_blocks.items()
    if isinstance(block, StructBlock)
    and (lists := tuple(k for k, b in block.child_blocks.items() if isinstance(b, ListBlock)))
}
