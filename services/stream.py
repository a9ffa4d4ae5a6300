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
    call_to_action = CallToActionBlock()
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
