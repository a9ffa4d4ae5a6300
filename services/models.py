"""Service pages: the listing of one language tree and the detail pages under it."""

from django.db import models
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from blocks.call_to_action import CallToActionBlock
from cms.fields import MarkdownField, RefuseNullCharactersMixin
from cms.links import categories_naming, projects_naming
from cms.listing import ListingFields
from cms.markdown_html import StoresMarkdownHtml
from cms.panels import ReverseLinksPanel
from cms.paths import ComposedSlugMixin
from cms.public import Public
from delivery.preview import FrontendPreviewMixin

from .stream import ServiceBodyBlock


class ServiceIndexPage(
    ListingFields,
    ComposedSlugMixin,
    RefuseNullCharactersMixin,
    FrontendPreviewMixin,
    StoresMarkdownHtml,
    Page,
):
    """Lists the live service pages of its language."""

    intro = MarkdownField(
        blank=True, help_text="A short Markdown introduction shown above the list of services."
    )

    content_panels = [*Page.content_panels, "intro", *ListingFields.listing_panels]
    settings_panels = [*Page.settings_panels, "notes"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["services.ServicePage"]

    class Meta:
        verbose_name = "services index"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = (
            Public.for_request(request)
            .pages(ServicePage.objects.child_of(self))
            .select_related("image")
        )
        return context


class ServicePage(
    ComposedSlugMixin,
    RefuseNullCharactersMixin,
    FrontendPreviewMixin,
    StoresMarkdownHtml,
    Page,
):
    """One service the organisation offers, told with a description and a stream of blocks."""

    description = MarkdownField(
        blank=True,
        help_text="A short summary in Markdown, shown at the top of the page and in listings.",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The header image of the page.",
    )
    image_alt = models.CharField(
        max_length=255,
        blank=True,
        help_text="Describes the header image; leave empty to use the image's own description.",
    )
    body = StreamField(
        ServiceBodyBlock(),
        blank=True,
        help_text="The page's content: text, metrics, quotes, collaborators, videos and more.",
    )
    call_to_action = StreamField(
        [("call_to_action", CallToActionBlock())],
        blank=True,
        max_num=1,
        verbose_name="call to action at the end of the page",
        help_text="The page's call to action: the invitation shown at the end of the page, "
        "after the body, e.g. ¿Quieres saber más? with a button that opens the contact form. "
        'For an invitation in the middle of the text, add a "Call to action in the text" '
        "block to the body instead.",
    )

    content_panels = [
        *Page.content_panels,
        "description",
        "image",
        "image_alt",
        "body",
        "call_to_action",
        ReverseLinksPanel(
            "linked_projects",
            heading="Projects using this service",
            help_text="Projects name their services; change this on the project's page.",
        ),
        ReverseLinksPanel(
            "linked_categories",
            heading="Categories",
            help_text="Categories group services; change this on the category's page.",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("body"),
        index.AutocompleteField("title"),
    ]

    parent_page_types = ["services.ServiceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "service page"

    @property
    def image_alt_text(self) -> str:
        if self.image_alt:
            return self.image_alt
        return self.image.default_alt_text if self.image else ""

    def linked_projects(self) -> list:
        """The projects that name this service (computed, for the edit screen)."""
        return projects_naming(self)

    def linked_categories(self) -> list:
        """The categories that group this service (computed, for the edit screen)."""
        return categories_naming(self)

    @property
    def collaborators(self) -> list:
        """Every collaborator named in the body, once each, in order of appearance."""
        seen: dict[int, object] = {}
        for block in self.body:
            if block.block_type == "collaborators":
                for collaborator in block.value["collaborators"]:
                    if collaborator is not None:
                        seen.setdefault(collaborator.pk, collaborator)
        return list(seen.values())
