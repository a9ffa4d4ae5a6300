"""Generic pages: the site's standing pages (about us, contact, legal texts, not found)."""

from django.db import models
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from cms.fields import MarkdownField, RefuseNullCharactersMixin
from cms.markdown_html import StoresMarkdownHtml
from cms.paths import ComposedSlugMixin
from delivery.preview import FrontendPreviewMixin
from services.stream import ServiceBodyBlock


class StandardPage(
    ComposedSlugMixin,
    RefuseNullCharactersMixin,
    FrontendPreviewMixin,
    StoresMarkdownHtml,
    Page,
):
    """A page of text and blocks: about us, who we are, transparency, legal, contact, 404."""

    # The layout names a template: the same in every language, never translated.
    override_translatable_fields = [SynchronizedField("layout", overridable=False)]

    subtitle = MarkdownField(blank=True, help_text="A line or two under the title, in Markdown.")
    description = MarkdownField(
        blank=True,
        help_text="A short summary in Markdown, shown at the top and in link previews.",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The page's picture, shown beside the title.",
    )
    image_alt = models.CharField(
        max_length=255,
        blank=True,
        help_text="Describes the picture; leave empty to use the image's own description.",
    )
    layout = models.CharField(
        max_length=50,
        blank=True,
        help_text="How frontends lay the page out, e.g. about-us, contact, legal or 404; "
        "empty for the plain layout.",
    )
    body = StreamField(
        ServiceBodyBlock(),
        blank=True,
        help_text="The page's content: text, metrics, quotes, videos and more.",
    )
    notes = models.TextField(
        blank=True,
        help_text="For editors only, never published: source values the import had no field "
        "for (layout switches such as hide or permalink), kept as they were.",
    )

    content_panels = [
        *Page.content_panels,
        "subtitle",
        "description",
        "image",
        "image_alt",
        "body",
    ]
    settings_panels = [*Page.settings_panels, "layout", "notes"]
    search_fields = [
        *Page.search_fields,
        index.SearchField("subtitle"),
        index.SearchField("description"),
        index.SearchField("body"),
        index.AutocompleteField("title"),
    ]

    parent_page_types = ["cms.HomePage", "generic.StandardPage"]
    subpage_types = ["generic.StandardPage"]

    class Meta:
        verbose_name = "standard page"

    @property
    def image_alt_text(self) -> str:
        if self.image_alt:
            return self.image_alt
        return self.image.default_alt_text if self.image else ""
