"""Category pages: the organisation's areas of work, each grouping services."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import MultipleChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from blocks.call_to_action import CallToActionBlock
from cms.fields import MarkdownField, RefuseNullCharactersMixin
from cms.links import projects_naming, public_versions
from cms.listing import ListingFields
from cms.markdown_html import StoresMarkdownHtml
from cms.panels import ReverseLinksPanel
from cms.paths import ComposedSlugMixin
from cms.public import Public
from delivery.preview import FrontendPreviewMixin


class CategoryIndexPage(
    ListingFields,
    ComposedSlugMixin,
    RefuseNullCharactersMixin,
    FrontendPreviewMixin,
    StoresMarkdownHtml,
    Page,
):
    """Lists the live categories of its language."""

    intro = MarkdownField(
        blank=True, help_text="A short Markdown introduction shown above the categories."
    )

    content_panels = [*Page.content_panels, "intro", *ListingFields.listing_panels]
    settings_panels = [*Page.settings_panels, "notes"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["categories.CategoryPage"]

    class Meta:
        verbose_name = "categories index"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["categories"] = (
            Public.for_request(request).pages(CategoryPage.objects.child_of(self)).order_by("path")
        )
        return context


class CategoryPage(
    ComposedSlugMixin,
    RefuseNullCharactersMixin,
    FrontendPreviewMixin,
    StoresMarkdownHtml,
    Page,
):
    """An area of work, e.g. Cultura Futura: what it means and the services in it."""

    subtitle = MarkdownField(
        blank=True, help_text="What the area of work is about, in Markdown paragraphs."
    )
    symbol = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The category's symbol, shown beside its title.",
    )
    symbol_alt = models.CharField(
        max_length=255,
        blank=True,
        help_text="Describes the symbol; leave empty to use the image's own description.",
    )
    call_to_action = StreamField(
        [("call_to_action", CallToActionBlock())],
        blank=True,
        max_num=1,
        help_text="The invitation at the end of the page, e.g. a contact button.",
    )
    notes = models.TextField(
        blank=True,
        help_text="For editors only, never published: source values the import had no field "
        "for, kept as they were.",
    )

    content_panels = [
        *Page.content_panels,
        "subtitle",
        "symbol",
        "symbol_alt",
        MultipleChooserPanel("service_links", chooser_field_name="service", heading="Services"),
        "call_to_action",
        "notes",
        ReverseLinksPanel(
            "linked_projects",
            heading="Projects in this category",
            help_text="Projects name their categories; change this on the project's page.",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("subtitle"),
        index.AutocompleteField("title"),
    ]

    parent_page_types = ["categories.CategoryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "category page"

    @property
    def symbol_alt_text(self) -> str:
        if self.symbol_alt:
            return self.symbol_alt
        return self.symbol.default_alt_text if self.symbol else ""

    def get_context(self, request, *args, **kwargs):
        from projects.models import ProjectPage
        from services.models import ServicePage

        context = super().get_context(request, *args, **kwargs)
        keys = [row.service.translation_key for row in self.service_links.select_related("service")]
        public = Public.for_request(request)
        context["services"] = public_versions(public, ServicePage, keys, self.locale)
        project_keys = [project.translation_key for project in projects_naming(self)]
        context["projects"] = public_versions(public, ProjectPage, project_keys, self.locale)
        return context

    def linked_projects(self) -> list:
        """The projects that name this category (computed, for the edit screen)."""
        return projects_naming(self)


class CategoryService(Orderable):
    """A service grouped under a category; stored once, on the category."""

    category = ParentalKey(CategoryPage, on_delete=models.CASCADE, related_name="service_links")
    service = models.ForeignKey(
        "services.ServicePage",
        on_delete=models.CASCADE,
        related_name="category_links",
        help_text="A service in this area of work.",
    )
    panels = ["service"]

    class Meta(Orderable.Meta):
        verbose_name = "service"
