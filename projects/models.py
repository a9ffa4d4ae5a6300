"""Project pages: what the organisation did or does, the people and partners behind it."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, MultipleChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from blocks.call_to_action import CallToActionBlock
from cms.fields import MarkdownField, RefuseNullCharactersMixin
from cms.links import public_versions
from cms.listing import ListingFields
from cms.markdown_html import StoresMarkdownHtml
from cms.paths import ComposedSlugMixin
from cms.public import Public
from delivery.preview import FrontendPreviewMixin
from services.stream import ServiceBodyBlock


class ProjectState(RefuseNullCharactersMixin, TranslatableMixin, models.Model):
    """Where a project stands, e.g. open or closed, with the colour its badge is shown in."""

    slug = models.SlugField(
        max_length=100,
        allow_unicode=True,
        help_text="Stable identifier shared by every language version, e.g. open.",
    )
    title = models.CharField(max_length=255, help_text="The state as readers see it.")
    color = models.CharField(
        max_length=50,
        blank=True,
        help_text="The badge colour: a CSS colour name (green) or a hex value (#1a7f37).",
    )
    notes = models.TextField(
        blank=True,
        help_text="For editors only, never published: source values the import had no field "
        "for, kept as they were.",
    )

    panels = ["title", "slug", "color", "notes"]
    translatable_fields = [
        TranslatableField("title"),
        SynchronizedField("slug", overridable=False),
        SynchronizedField("color", overridable=False),
        SynchronizedField("notes"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = "project state"
        verbose_name_plural = "project states"
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_project_state_slug"),
        ]

    def __str__(self) -> str:
        return self.title


class ProjectIndexPage(
    ListingFields,
    ComposedSlugMixin,
    RefuseNullCharactersMixin,
    FrontendPreviewMixin,
    StoresMarkdownHtml,
    Page,
):
    """Lists the live projects of its language."""

    intro = MarkdownField(
        blank=True, help_text="A short Markdown introduction shown above the list of projects."
    )
    category_filter_label = models.CharField(
        max_length=80,
        blank=True,
        help_text="The label of the category selector above the list, e.g. Filtrar por "
        "categoría; empty for the site's own word.",
    )

    content_panels = [
        *Page.content_panels,
        "intro",
        *ListingFields.listing_panels,
        "category_filter_label",
    ]
    settings_panels = [*Page.settings_panels, "notes"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["projects.ProjectPage"]

    class Meta:
        verbose_name = "projects index"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["projects"] = (
            Public.for_request(request)
            .pages(ProjectPage.objects.child_of(self))
            .select_related("state")
            .order_by("-date", "title")
        )
        return context


class ProjectPage(
    ComposedSlugMixin,
    RefuseNullCharactersMixin,
    FrontendPreviewMixin,
    StoresMarkdownHtml,
    Page,
):
    """One project: its story, dates and funding, and who and what it involves."""

    # Figures are copied, not translated (an override can still reformat one).
    override_translatable_fields = [
        SynchronizedField("budget"),
        SynchronizedField("private_percentage"),
        SynchronizedField("public_percentage"),
        SynchronizedField("looking_for_finance_percentage"),
    ]

    subtitle = MarkdownField(
        blank=True, help_text="One or two Markdown paragraphs shown under the title."
    )
    description = MarkdownField(
        blank=True,
        help_text="A short summary in Markdown, shown in listings and link previews.",
    )
    banner_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The wide image at the top of the page.",
    )
    banner_image_alt = models.CharField(
        max_length=255,
        blank=True,
        help_text="Describes the banner image; leave empty to use the image's own description.",
    )
    start_date = models.DateField(null=True, blank=True, help_text="When the project began.")
    end_date = models.DateField(null=True, blank=True, help_text="When the project ended.")
    date = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The project's own date (when it was announced); newest first in listings.",
    )
    budget = models.CharField(
        max_length=100,
        blank=True,
        help_text="The budget as it should read, e.g. 600.000 (kept exactly as written).",
    )
    private_percentage = models.CharField(
        max_length=20,
        blank=True,
        help_text="Share of private funding as written, e.g. 60% or 60.",
    )
    public_percentage = models.CharField(
        max_length=20,
        blank=True,
        help_text="Share of public funding as written, e.g. 40% or 40.",
    )
    looking_for_finance_percentage = models.CharField(
        max_length=20,
        blank=True,
        help_text="Share of the budget still looking for funding, as written.",
    )
    state = models.ForeignKey(
        ProjectState,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Whether the project is open or closed.",
    )
    call_to_action = StreamField(
        [("call_to_action", CallToActionBlock())],
        blank=True,
        max_num=1,
        verbose_name="call to action at the end of the page",
        help_text="The page's call to action: the invitation shown at the end of the page, "
        "after everything else, e.g. ¿Quieres saber más? with a button that opens the contact "
        'form. For an invitation in the middle of the story, add a "Call to action in the '
        'text" block to the body instead.',
    )
    body = StreamField(
        ServiceBodyBlock(),
        blank=True,
        help_text="The project's story: text, metrics, quotes, collaborators, videos and more.",
    )

    content_panels = [
        *Page.content_panels,
        "subtitle",
        "description",
        MultiFieldPanel(["banner_image", "banner_image_alt"], heading="Banner"),
        MultiFieldPanel(
            [
                FieldRowPanel(["start_date", "end_date"]),
                "date",
                "state",
            ],
            heading="Dates and state",
        ),
        MultiFieldPanel(
            [
                "budget",
                FieldRowPanel(
                    [
                        FieldPanel("private_percentage", heading="Private %"),
                        FieldPanel("public_percentage", heading="Public %"),
                        FieldPanel("looking_for_finance_percentage", heading="Looking for %"),
                    ]
                ),
            ],
            heading="Funding",
        ),
        MultipleChooserPanel("service_links", chooser_field_name="service", heading="Services"),
        MultipleChooserPanel("category_links", chooser_field_name="category", heading="Categories"),
        MultipleChooserPanel("member_links", chooser_field_name="member", heading="Team"),
        MultipleChooserPanel(
            "collaborator_links", chooser_field_name="collaborator", heading="Collaborators"
        ),
        "body",
        # Last, where readers meet it: the page ends with its call to action.
        "call_to_action",
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("subtitle"),
        index.SearchField("description"),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.FilterField("state"),
    ]

    parent_page_types = ["projects.ProjectIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "project page"

    def get_context(self, request, *args, **kwargs):
        from categories.models import CategoryPage
        from cms.models import Member
        from services.models import ServicePage

        context = super().get_context(request, *args, **kwargs)
        links = {
            "services": (ServicePage, self.service_links, "service"),
            "categories": (CategoryPage, self.category_links, "category"),
            "members": (Member, self.member_links, "member"),
        }
        public = Public.for_request(request)
        for name, (model, rows, field) in links.items():
            keys = [getattr(row, field).translation_key for row in rows.select_related(field)]
            context[name] = public_versions(public, model, keys, self.locale)
        return context

    @property
    def banner_image_alt_text(self) -> str:
        if self.banner_image_alt:
            return self.banner_image_alt
        return self.banner_image.default_alt_text if self.banner_image else ""


class ProjectLink(Orderable):
    """A link from a project to something it names; stored once, on the project."""

    class Meta(Orderable.Meta):
        abstract = True


class ProjectService(ProjectLink):
    """A service the project was done with."""

    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="service_links")
    service = models.ForeignKey(
        "services.ServicePage",
        on_delete=models.CASCADE,
        related_name="project_links",
        help_text="A service the project used.",
    )
    panels = ["service"]

    class Meta(ProjectLink.Meta):
        verbose_name = "service"


class ProjectCategory(ProjectLink):
    """An area of work the project belongs to."""

    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="category_links")
    category = models.ForeignKey(
        "categories.CategoryPage",
        on_delete=models.CASCADE,
        related_name="project_links",
        help_text="A category the project belongs to.",
    )
    panels = ["category"]

    class Meta(ProjectLink.Meta):
        verbose_name = "category"


class ProjectMember(ProjectLink):
    """A team member who works or worked on the project."""

    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="member_links")
    member = models.ForeignKey(
        "cms.Member",
        on_delete=models.CASCADE,
        related_name="project_links",
        help_text="A team member on the project.",
    )
    panels = ["member"]

    class Meta(ProjectLink.Meta):
        verbose_name = "team member"


class ProjectCollaborator(ProjectLink):
    """A partner organisation of the project."""

    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="collaborator_links")
    collaborator = models.ForeignKey(
        "cms.Collaborator",
        on_delete=models.CASCADE,
        related_name="project_links",
        help_text="A partner organisation of the project.",
    )
    panels = ["collaborator"]

    class Meta(ProjectLink.Meta):
        verbose_name = "collaborator"
