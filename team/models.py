"""The team listing: the page above the organisation's team members of its language."""

from wagtail.models import Page
from wagtail.search import index

from cms.fields import MarkdownField, RefuseNullCharactersMixin
from cms.listing import ListingFields
from cms.markdown_html import StoresMarkdownHtml
from cms.models import Member
from cms.paths import ComposedSlugMixin
from cms.public import Public
from delivery.preview import FrontendPreviewMixin

# The team listing's slug in every language: the public site serves it at /<lang>/team/.
TEAM_SLUG = "team"


class TeamIndexPage(
    ListingFields,
    ComposedSlugMixin,
    RefuseNullCharactersMixin,
    FrontendPreviewMixin,
    StoresMarkdownHtml,
    Page,
):
    """Lists the team members of its language, under a title, an introduction and a picture."""

    intro = MarkdownField(
        blank=True, help_text="A short Markdown introduction shown above the team."
    )

    content_panels = [*Page.content_panels, "intro", *ListingFields.listing_panels]
    settings_panels = [*Page.settings_panels, "notes"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "team page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["members"] = (
            Public.for_request(request)
            .snippets(Member.objects.filter(locale_id=self.locale_id))
            .order_by("name")
        )
        return context
