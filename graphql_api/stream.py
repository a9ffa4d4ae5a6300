"""StreamField blocks: the StreamBlock interface and one concrete type per block.

BLOCK_TYPES is the one mapping from a stream child name (the block type stored in the
database) to its GraphQL type; each GraphQL type is named after its block class.
"""

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from wagtail.blocks import StreamValue

from blocks.author import AuthorBlock
from blocks.call_to_action import CallToActionBlock
from blocks.collaborators import CollaboratorsBlock
from blocks.image import GalleryBlock, ImageBlock
from blocks.links import DocumentsBlock, FileBlock, LinksBlock
from blocks.markdown import MarkdownBlock
from blocks.metrics import MetricsBlock, NumbersBlock
from blocks.questions import QuestionsBlock
from blocks.quote import QuoteBlock
from blocks.stickers import StickersBlock
from blocks.verbatim import SeparatorBlock
from blocks.video import VideoBlock
from cms.markdown_html import stored_html

from .collaborators import CollaboratorType, registered
from .images import DocumentType, ImageType, labelled_document, placed_image
from .markdown import MarkdownType, safe_link, safe_web_url

if TYPE_CHECKING:
    from .forms import FormType


@strawberry.interface(
    name="StreamBlock",
    description="One block of a page's body. Query `__typename` (or `blockType`) and use "
    "fragments such as `... on MarkdownBlock` to read each kind's fields.",
)
class StreamBlockInterface:
    id: strawberry.ID = strawberry.field(
        description="The block's id, stable across edits: use it as a key."
    )
    block_type: str = strawberry.field(
        description="The block's kind as stored, e.g. markdown, metrics, call_to_action."
    )
    value: strawberry.Private[Any]
    # The HTML the stream's owner stored of its Markdown (cms.markdown_html), by digest.
    stored: strawberry.Private[dict[str, str] | None] = None


@strawberry.type(name="MarkdownBlock", description=MarkdownBlock.__doc__)
class MarkdownBlockType(StreamBlockInterface):
    @strawberry.field(description="The Markdown as the editor wrote it.")
    def markdown(self) -> str:
        return self.value or ""

    @strawberry.field(
        description="The Markdown rendered to sanitised HTML, safe to insert. Links to media "
        "files and images in it are absolute."
    )
    def html(self, info: strawberry.Info) -> str:
        return MarkdownType(source=self.value or "", stored=self.stored).html(info)


@strawberry.type(name="MetricItem", description="One key figure and what it measures.")
class MetricItemType:
    number: str = strawberry.field(description="The figure as written, e.g. 83,8%; may be empty.")
    text: str = strawberry.field(description="What the figure measures.")


@strawberry.type(name="MetricsBlock", description=MetricsBlock.__doc__)
class MetricsBlockType(StreamBlockInterface):
    @strawberry.field(description="The figures, in reading order.")
    def metrics(self) -> list[MetricItemType]:
        return [
            MetricItemType(number=item["number"] or "", text=item["text"] or "")
            for item in self.value["items"]
        ]


@strawberry.type(name="NumberItem", description="One figure and its label.")
class NumberItemType:
    number: str = strawberry.field(description="The figure as written, e.g. 94.")
    label: str = strawberry.field(description="What it counts.")


@strawberry.type(name="NumbersBlock", description=NumbersBlock.__doc__)
class NumbersBlockType(StreamBlockInterface):
    @strawberry.field(description="The figures, in reading order.")
    def numbers(self) -> list[NumberItemType]:
        return [
            NumberItemType(number=item["number"] or "", label=item["label"] or "")
            for item in self.value["items"]
        ]


@strawberry.type(name="QuoteBlock", description=QuoteBlock.__doc__)
class QuoteBlockType(StreamBlockInterface):
    @strawberry.field(description="The quoted words, without quotation marks.")
    def text(self) -> MarkdownType:
        return MarkdownType(source=self.value["text"] or "", stored=self.stored)

    @strawberry.field(description="Who said it; empty when unknown.")
    def author(self) -> str:
        return self.value["author"] or ""


@strawberry.type(name="CollaboratorsBlock", description=CollaboratorsBlock.__doc__)
class CollaboratorsBlockType(StreamBlockInterface):
    @strawberry.field(description="Optional heading above the list.")
    def title(self) -> str:
        return self.value["title"] or ""

    @strawberry.field(description="The organisations, in the page's language where translated.")
    def collaborators(self, info: strawberry.Info) -> list[CollaboratorType]:
        return registered(info, [c for c in self.value["collaborators"] if c is not None])


@strawberry.type(name="CallToActionBlock", description=CallToActionBlock.__doc__)
class CallToActionBlockType(StreamBlockInterface):
    @strawberry.field(
        description="The invitation, as written (plain text is valid Markdown) and as HTML."
    )
    def text(self) -> MarkdownType:
        return MarkdownType(source=self.value["text"] or "", stored=self.stored)

    @strawberry.field(description="The button's words.")
    def button_label(self) -> str:
        return self.value["button_label"] or ""

    @strawberry.field(
        description="The contact form the button opens, to show in place; null when the "
        "button leads elsewhere or the form is not public (then follow `url`)."
    )
    def form(
        self, info: strawberry.Info
    ) -> Annotated["FormType", strawberry.lazy("graphql_api.forms")] | None:
        from .context import get_context

        chosen = self.value.get("form")  # None when not visible: it went through the hook
        if chosen is None:
            return None
        return get_context(info).loader.whole(info, chosen)

    @strawberry.field(
        description="Where the button leads: a page URL, a web address, an anchor such as "
        "#contact or a mailto: link. Null when its target page is not public."
    )
    def url(self) -> str | None:
        return safe_link(self.value.link_url)

    @strawberry.field(description="An optional picture beside the text.")
    def image(self) -> ImageType | None:
        return placed_image(self.value["image"], self.value.image_alt_text)


@strawberry.type(name="ImageBlock", description=ImageBlock.__doc__)
class ImageBlockType(StreamBlockInterface):
    @strawberry.field(description="The image; null when it is not public.")
    def image(self) -> ImageType | None:
        return placed_image(self.value["image"], self.value.alt_text)

    @strawberry.field(description="Shown under the image; may be empty.")
    def caption(self) -> str:
        return self.value["caption"] or ""


@strawberry.type(name="GalleryImage", description="An image of a gallery.")
class GalleryImageType:
    image: ImageType = strawberry.field(description="The image.")
    caption: str = strawberry.field(description="Shown under the image; may be empty.")
    credits: str = strawberry.field(description="Who made the image; may be empty.")


@strawberry.type(name="GalleryBlock", description=GalleryBlock.__doc__)
class GalleryBlockType(StreamBlockInterface):
    @strawberry.field(description="Show the images in a plain grid instead of a slideshow.")
    def simple(self) -> bool:
        return bool(self.value["simple"])

    @strawberry.field(description="The public images, in order.")
    def images(self) -> list[GalleryImageType]:
        return [
            GalleryImageType(
                image=placed_image(item["image"], item.alt_text),
                caption=item["caption"] or "",
                credits=item["credits"] or "",
            )
            for item in self.value["images"]
            if item["image"] is not None
        ]


@strawberry.type(name="VideoBlock", description=VideoBlock.__doc__)
class VideoBlockType(StreamBlockInterface):
    @strawberry.field(description="Describes the video; show it above the player.")
    def title(self) -> str:
        return self.value["title"] or ""

    @strawberry.field(description="The video's page on its provider.")
    def url(self) -> str | None:
        return safe_web_url(self.value["url"])

    @strawberry.field(
        description="The player URL for an iframe (YouTube without tracking cookies, Vimeo "
        "or an allowed PeerTube instance); null if the address is not recognised."
    )
    def embed_url(self) -> str | None:
        return safe_web_url(self.value.embed_url)

    @strawberry.field(description="youtube, vimeo or peertube; null if not recognised.")
    def provider(self) -> str | None:
        return self.value.provider


@strawberry.type(name="QuestionItem", description="One question.")
class QuestionItemType:
    question: str = strawberry.field(description="The question.")


@strawberry.type(name="QuestionsBlock", description=QuestionsBlock.__doc__)
class QuestionsBlockType(StreamBlockInterface):
    @strawberry.field(description="The questions, in order.")
    def questions(self) -> list[QuestionItemType]:
        return [QuestionItemType(question=item["question"] or "") for item in self.value["items"]]


@strawberry.type(name="LinkItem", description="One link and its visible text.")
class LinkItemType:
    url: str = strawberry.field(description="https://…, a site path or an #anchor.")
    title: str = strawberry.field(description="The link's visible text.")


@strawberry.type(name="LinksBlock", description=LinksBlock.__doc__)
class LinksBlockType(StreamBlockInterface):
    @strawberry.field(description="Heading above the links; may be empty.")
    def title(self) -> str:
        return self.value["title"] or ""

    @strawberry.field(description="The links, in order; unsafe addresses are left out.")
    def links(self) -> list[LinkItemType]:
        items = []
        for item in self.value["items"]:
            url = safe_link(item["url"])
            if url:
                items.append(LinkItemType(url=url, title=item["title"] or ""))
        return items


@strawberry.type(name="DocumentsBlock", description=DocumentsBlock.__doc__)
class DocumentsBlockType(StreamBlockInterface):
    @strawberry.field(description="Heading above the documents; may be empty.")
    def title(self) -> str:
        return self.value["title"] or ""

    @strawberry.field(description="The public documents, in order.")
    def documents(self) -> list[DocumentType]:
        return [
            labelled_document(item["document"], item["title"] or "")
            for item in self.value["items"]
            if item["document"] is not None
        ]


@strawberry.type(name="FileBlock", description=FileBlock.__doc__)
class FileBlockType(StreamBlockInterface):
    @strawberry.field(description="What the file is, e.g. White Paper.")
    def title(self) -> str:
        return self.value["title"] or ""

    @strawberry.field(description="A sentence or two about the file; may be empty.")
    def info(self) -> str:
        return self.value["info"] or ""

    @strawberry.field(description="The file; null when it is not public.")
    def document(self) -> DocumentType | None:
        return labelled_document(self.value["document"])

    @strawberry.field(description="An optional cover picture.")
    def image(self) -> ImageType | None:
        return placed_image(self.value["image"])

    @strawberry.field(description="The button's words; Descargar when the editor left it empty.")
    def button_text(self) -> str:
        return self.value["button_text"] or "Descargar"

    @strawberry.field(description="Name of the icon shown on the button; may be empty.")
    def button_icon(self) -> str:
        return self.value["button_icon"] or ""


@strawberry.type(name="AuthorBlock", description=AuthorBlock.__doc__)
class AuthorBlockType(StreamBlockInterface):
    @strawberry.field(description="The person's name.")
    def name(self) -> str:
        return self.value["name"] or ""

    @strawberry.field(description="Role or organisation; may be empty.")
    def position(self) -> str:
        return self.value["position"] or ""

    @strawberry.field(description="A portrait.")
    def image(self) -> ImageType | None:
        return placed_image(self.value["image"], self.value["name"] or None)

    @strawberry.field(description="A short biography.")
    def description(self) -> MarkdownType:
        return MarkdownType(source=self.value["description"] or "", stored=self.stored)


@strawberry.type(name="StickersBlock", description=StickersBlock.__doc__)
class StickersBlockType(StreamBlockInterface):
    @strawberry.field(description="The theme's layout name; may be empty.")
    def layout(self) -> str:
        return self.value["layout"] or ""

    @strawberry.field(description="The first sticker (decorative: its alt text is empty).")
    def sticker_one(self) -> ImageType | None:
        return placed_image(self.value["sticker_one"], "")

    @strawberry.field(description="The second sticker (decorative: its alt text is empty).")
    def sticker_two(self) -> ImageType | None:
        return placed_image(self.value["sticker_two"], "")

    @strawberry.field(description="Animation name of the first sticker; may be empty.")
    def sticker_one_animation(self) -> str:
        return self.value["sticker_one_animation"] or ""

    @strawberry.field(description="Animation name of the second sticker; may be empty.")
    def sticker_two_animation(self) -> str:
        return self.value["sticker_two_animation"] or ""


@strawberry.type(name="SeparatorBlock", description=SeparatorBlock.__doc__)
class SeparatorBlockType(StreamBlockInterface):
    pass


@strawberry.type(
    name="VerbatimBlock",
    description="Imported content waiting for an editor. Readers never see it: render "
    "nothing. Its source text is deliberately not exposed.",
)
class VerbatimBlockType(StreamBlockInterface):
    pass


# The one mapping from stream child name to GraphQL type. A test fails when any block of
# any StreamField is missing here or when a type is not named after its block class.
BLOCK_TYPES: dict[str, type[StreamBlockInterface]] = {
    "markdown": MarkdownBlockType,
    "metrics": MetricsBlockType,
    "numbers": NumbersBlockType,
    "quote": QuoteBlockType,
    "collaborators": CollaboratorsBlockType,
    "call_to_action": CallToActionBlockType,
    "image": ImageBlockType,
    "gallery": GalleryBlockType,
    "video": VideoBlockType,
    "questions": QuestionsBlockType,
    "links": LinksBlockType,
    "documents": DocumentsBlockType,
    "file": FileBlockType,
    "author": AuthorBlockType,
    "stickers": StickersBlockType,
    "separator": SeparatorBlockType,
    "verbatim": VerbatimBlockType,
}


# Streams that are not content for the StreamBlock interface: lists of one kind of item
# that one explicit type reads field by field (a home page's values, a menu's items, the
# interface texts, the social links). Each maps its child blocks to the GraphQL type that
# shows them; every other stream maps through BLOCK_TYPES. A test checks both mappings
# against every StreamField of every model.
STRUCTURED_STREAMS: dict[str, dict[str, str]] = {
    "cms.HomePage.values": {"value": "Markdown"},
    "sitewide.Menu.items": {"item": "MenuItem"},
    "sitewide.SiteTexts.strings": {"string": "SiteString"},
    "sitewide.SocialSettings.links": {"link": "SocialLink"},
}


def stream_blocks(value: StreamValue, owner: object = None) -> list[StreamBlockInterface]:
    """The API's blocks for a StreamValue built by the loader; ``owner``, the object that
    holds the stream, gives the HTML it stored of its Markdown."""
    stored = stored_html(owner)
    blocks = []
    for bound in value:
        block_class = BLOCK_TYPES.get(bound.block_type)
        if block_class is not None:
            blocks.append(
                block_class(
                    id=bound.id, block_type=bound.block_type, value=bound.value, stored=stored
                )
            )
    return blocks
