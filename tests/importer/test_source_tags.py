"""Each block the old theme wrote as a Liquid tag declares that tag next to itself
(``source_tag``); the importer reads only those declarations, and a tag's limits are the
block's own validation."""

import pytest
from wagtail.blocks import ListBlock, StructBlock

from importer.source import SourceError, parse_file
from importer.tags import BODY_BLOCK, ENCLOSING_TAGS, LIST_FIELDS, SOURCE_TAGS, TAG_FIELDS
from services.models import ServicePage
from tests.importer.test_import_hostile import png, service

pytestmark = pytest.mark.django_db


def test_the_tags_are_the_blocks_declarations():
    declared = {
        name: type(block).__name__
        for name, block in BODY_BLOCK.child_blocks.items()
        if getattr(block, "source_tag", None) is not None
    }
    assert declared == {
        "metrics": "MetricsBlock",
        "numbers": "NumbersBlock",
        "quote": "QuoteBlock",
        "call_to_action": "CallToActionBlock",
        "gallery": "GalleryBlock",
        "video": "VideoBlock",
        "questions": "QuestionsBlock",
        "links": "LinksBlock",
        "documents": "DocumentsBlock",
        "file": "FileBlock",
        "author": "AuthorBlock",
        "stickers": "StickersBlock",
    }
    assert set(SOURCE_TAGS) == set(TAG_FIELDS) == set(declared)
    assert {"quote", "call_to_action"} == ENCLOSING_TAGS
    # A list argument's items are declared for each list argument, and only those.
    for name, tag in SOURCE_TAGS.items():
        assert set(tag.items) <= set(tag.arguments), name
    # The list fields the importer writes as list items are the blocks' own ListBlocks.
    assert {
        name: tuple(k for k, b in block.child_blocks.items() if isinstance(b, ListBlock))
        for name, block in BODY_BLOCK.child_blocks.items()
        if isinstance(block, StructBlock)
        and any(isinstance(b, ListBlock) for b in block.child_blocks.values())
    } == LIST_FIELDS


def test_the_parser_knows_the_tags_it_is_given():
    text = b'---\nslug: a\n---\n{% quote {"author": "Ana"} %}Hola{% endquote %}\n'
    default = parse_file(text, "_services/es/a.md")
    assert [(s.name, s.known, s.inner) for s in default.segments] == [("quote", True, "Hola")]
    none = parse_file(text, "_services/es/a.md", tags={})
    assert [(s.name, s.known) for s in none.segments if hasattr(s, "known")] == [
        ("quote", False),
        ("endquote", False),
    ]
    with pytest.raises(SourceError) as error:
        parse_file(b"---\nslug: a\n---\n{% quote %}Hola\n", "_services/es/a.md")
    assert str(error.value) == (
        "_services/es/a.md, line 4: {% quote %} is never closed by {% endquote %}"
    )


def test_a_tag_beyond_its_blocks_limits_is_kept_whole(run_import, write_site):
    """A gallery caption longer than the block allows is not cut: the block refuses it (its
    own validation) and the tag is kept verbatim, with the block's message."""
    long = "x" * 501
    gallery = (
        '{% gallery {"images": [{"path": "/media/a.png", "alt": "A", "caption": "'
        + long
        + '"}]} %}'
    )
    site = write_site({"_services/es/a.md": service("a", body=gallery)})
    png(site / "media" / "a.png")
    run = run_import(site)
    report = run.file("_services/es/a.md")
    assert report["status"] == "created"
    assert report["warnings"] == [
        "_services/es/a.md, line 6: gallery block is not valid (images.0.caption: Ensure "
        "this value has at most 500 characters (it has 501).); kept verbatim"
    ]
    page = ServicePage.objects.get(slug="a")
    assert [(b.block_type, b.value["source"]) for b in page.body] == [("verbatim", gallery)]
