"""The blocks an editor may put in a service page's body."""

from wagtail.blocks import StreamBlock

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
from blocks.verbatim import SeparatorBlock, VerbatimBlock
from blocks.video import VideoBlock


class ServiceBodyBlock(StreamBlock):
    """The body of a service page: text, figures, quotes, partners, media and calls to action."""

    markdown = MarkdownBlock()
    metrics = MetricsBlock()
    numbers = NumbersBlock()
    quote = QuoteBlock()
    collaborators = CollaboratorsBlock()
    call_to_action = CallToActionBlock(
        label="Call to action in the text",
        description="An invitation with a button in the middle of the text.",
        help_text="An invitation in the middle of the text, next to the passage it follows "
        "from. The invitation at the end of a service or project page is not added here: it "
        'has its own field, "Call to action at the end of the page".',
    )
    image = ImageBlock()
    gallery = GalleryBlock()
    video = VideoBlock()
    questions = QuestionsBlock()
    links = LinksBlock()
    documents = DocumentsBlock()
    file = FileBlock()
    author = AuthorBlock()
    stickers = StickersBlock()
    separator = SeparatorBlock()
    verbatim = VerbatimBlock()
