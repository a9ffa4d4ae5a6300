"""Site-wide models: the home page of each language, and the Collaborator and Member snippets."""

from django.db import models
from wagtail.admin.panels import MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField

from blocks.markdown import MarkdownBlock
from delivery.preview import FrontendPreviewMixin

from .fields import MarkdownField, RefuseNullCharactersMixin, WebURLField
from .links import projects_naming, services_naming
from .markdown_html import StoresMarkdownHtml
from .panels import ReverseLinksPanel
from .paths import ComposedSlugMixin


class HomePage(
    ComposedSlugMixin,
    RefuseNullCharactersMixin,
    FrontendPreviewMixin,
    StoresMarkdownHtml,
    Page,
):
    """The root page of one language tree: the hero, the values and the section titles."""

    # A colour is not words: the same in every language.
    override_translatable_fields = [SynchronizedField("highlight_color", overridable=False)]

    hero_title = models.TextField(
        blank=True,
        help_text="The big title at the top. Put ==double equals== around the words to "
        "highlight; a new line breaks the title where it does.",
    )
    highlight_color = models.CharField(
        max_length=30,
        blank=True,
        help_text="The colour of the highlighted words, e.g. #e30062; empty for the theme's.",
    )
    subtitle = models.CharField(max_length=255, blank=True, help_text="A line under the hero.")
    intro = MarkdownField(
        blank=True,
        help_text="A short Markdown introduction shown at the top of the home page.",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The hero's picture.",
    )
    image_alt = models.CharField(
        max_length=255,
        blank=True,
        help_text="Describes the picture; leave empty if it is decorative.",
    )
    values_title = models.CharField(
        max_length=255, blank=True, help_text="The heading of the values section."
    )
    values_text = MarkdownField(blank=True, help_text="A line under the values heading.")
    values_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The values section's picture.",
    )
    values = StreamField(
        [("value", MarkdownBlock())],
        blank=True,
        help_text="The organisation's values, one short Markdown line each (use **bold**).",
    )
    projects_title = models.CharField(
        max_length=255, blank=True, help_text="The heading of the recent projects section."
    )
    collaborators_title = models.CharField(
        max_length=255, blank=True, help_text='The heading of the "who we work with" section.'
    )
    journal_title = models.CharField(
        max_length=255, blank=True, help_text="The heading of the journal section."
    )
    notes = models.TextField(
        blank=True,
        help_text="For editors only, never published: source values the import had no field "
        "for, kept as they were.",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            ["hero_title", "highlight_color", "subtitle", "intro", "image", "image_alt"],
            heading="Hero",
        ),
        MultiFieldPanel(
            ["values_title", "values_text", "values_image", "values"], heading="Values"
        ),
        MultiFieldPanel(
            ["projects_title", "collaborators_title", "journal_title"], heading="Section titles"
        ),
    ]
    settings_panels = [*Page.settings_panels, "notes"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "services.ServiceIndexPage",
        "projects.ProjectIndexPage",
        "categories.CategoryIndexPage",
        "team.TeamIndexPage",
        "generic.StandardPage",
        "contact.ContactFormPage",
    ]
    max_count_per_parent = None

    class Meta:
        verbose_name = "home page"


class CollaboratorQuerySet(SearchableQuerySetMixin, models.QuerySet):
    """Collaborators, searchable with .search() and .autocomplete()."""


class Collaborator(RefuseNullCharactersMixin, TranslatableMixin, index.Indexed, models.Model):
    """A partner organisation shown on the pages it took part in."""

    name = models.CharField(
        max_length=255, help_text="The organisation's name as readers should see it."
    )
    slug = models.SlugField(
        max_length=100,
        allow_unicode=True,
        help_text="Stable identifier shared by every language version, e.g. ay-bcn; accented "
        "letters are allowed.",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organisation's logo.",
    )
    logo_alt = models.CharField(
        max_length=255,
        blank=True,
        help_text="Describes the logo; leave empty to use the organisation's name.",
    )
    url = WebURLField(
        blank=True,
        max_length=500,
        help_text="The organisation's website (http or https).",
    )

    notes = models.TextField(
        blank=True,
        help_text="For editors only, never published: source values the import had no field "
        "for, kept as they were.",
    )

    objects = CollaboratorQuerySet.as_manager()

    panels = [
        "name",
        "slug",
        "logo",
        "logo_alt",
        "url",
        "notes",
        ReverseLinksPanel(
            "linked_projects",
            heading="Projects",
            help_text="Projects name their collaborators; change this on the project's page.",
        ),
        ReverseLinksPanel(
            "linked_services",
            heading="Services",
            help_text="Service pages name collaborators in their body's collaborators blocks.",
        ),
    ]
    # What translators translate; the slug (shared by every language), the logo, the
    # website and the editors' notes are copied as they are. Identifiers (the slug, the
    # website) cannot be overridden in a translation: the API finds a collaborator by its
    # slug in every language.
    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("slug", overridable=False),
        SynchronizedField("logo"),
        TranslatableField("logo_alt"),
        SynchronizedField("url", overridable=False),
        SynchronizedField("notes"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("slug"),
        index.FilterField("locale_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = "collaborator"
        verbose_name_plural = "collaborators"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_collaborator_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def logo_alt_text(self) -> str:
        return self.logo_alt or self.name

    def linked_projects(self) -> list:
        """The projects that name this collaborator (computed, for the edit screen)."""
        return projects_naming(self)

    def linked_services(self) -> list:
        """The service pages whose body names this collaborator."""
        return services_naming(self)


class MemberQuerySet(SearchableQuerySetMixin, models.QuerySet):
    """Team members, searchable with .search()."""


class Member(
    RefuseNullCharactersMixin,
    TranslatableMixin,
    index.Indexed,
    StoresMarkdownHtml,
    models.Model,
):
    """A person on the organisation's team, shown on the team page and on their projects."""

    SOCIAL_LINKS = ("twitter", "linkedin", "facebook", "github")

    slug = models.SlugField(
        max_length=100,
        allow_unicode=True,
        help_text="Stable identifier shared by every language version, often initials (ag).",
    )
    name = models.CharField(max_length=255, help_text="The person's name.")
    kind = models.CharField(
        max_length=50,
        blank=True,
        help_text="What kind of member this is on the team page, e.g. author.",
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A portrait.",
    )
    photo_alt = models.CharField(
        max_length=255,
        blank=True,
        help_text="Describes the photo; leave empty to use the person's name.",
    )
    position = models.CharField(
        max_length=255, blank=True, help_text="Their role, e.g. Strategic Director."
    )
    bio = MarkdownField(blank=True, help_text="A few words about them, in Markdown.")
    email = models.EmailField(blank=True, help_text="A public contact address.")
    twitter = WebURLField(blank=True, max_length=500, help_text="Profile URL on X/Twitter.")
    linkedin = WebURLField(blank=True, max_length=500, help_text="Profile URL on LinkedIn.")
    facebook = WebURLField(blank=True, max_length=500, help_text="Profile URL on Facebook.")
    github = WebURLField(blank=True, max_length=500, help_text="Profile URL on GitHub.")
    notes = models.TextField(
        blank=True,
        help_text="For editors only, never published: source values the import had no field "
        "for, kept as they were.",
    )

    objects = MemberQuerySet.as_manager()

    panels = [
        "name",
        "slug",
        "kind",
        "position",
        "photo",
        "photo_alt",
        "bio",
        "email",
        "twitter",
        "linkedin",
        "facebook",
        "github",
        "notes",
        ReverseLinksPanel(
            "linked_projects",
            heading="Projects",
            help_text="Projects name their team; change this on the project's page.",
        ),
    ]
    # Identifiers and addresses (slug, kind, email, the social links) are the same in every
    # language and cannot be overridden in a translation: member(slug:, locale:) finds a
    # person by the one slug.
    translatable_fields = [
        SynchronizedField("slug", overridable=False),
        SynchronizedField("name"),
        SynchronizedField("kind", overridable=False),
        SynchronizedField("photo"),
        TranslatableField("photo_alt"),
        TranslatableField("position"),
        TranslatableField("bio"),
        SynchronizedField("email", overridable=False),
        *(SynchronizedField(name, overridable=False) for name in SOCIAL_LINKS),
        SynchronizedField("notes"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("position"),
        index.AutocompleteField("name"),
        index.FilterField("slug"),
        index.FilterField("locale_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = "team member"
        verbose_name_plural = "team members"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_member_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def photo_alt_text(self) -> str:
        return self.photo_alt or self.name

    def social_links(self) -> list[tuple[str, str]]:
        """(kind, url) for each social profile given, in a fixed order."""
        return [(kind, url) for kind in self.SOCIAL_LINKS if (url := getattr(self, kind))]

    def linked_projects(self) -> list:
        """The projects that name this member (computed, for the edit screen)."""
        return projects_naming(self)


class ImportRecord(models.Model):
    """What the Jekyll importer made from one source file, so a re-run can tell what changed."""

    collection = models.CharField(max_length=100, help_text="Source collection, e.g. services.")
    slug = models.CharField(max_length=255, help_text="The front-matter slug of the file.")
    language_code = models.CharField(max_length=20, help_text="Language of the file.")
    source_path = models.CharField(
        max_length=1000, help_text="The file's path relative to the site's root."
    )
    content_hash = models.CharField(
        max_length=64, help_text="Fingerprint of the file, its media and the import options."
    )
    source_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="Fingerprint of the source-language file this translation was linked to.",
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The kind of object the file became.",
    )
    object_id = models.PositiveBigIntegerField(help_text="The id of the object the file became.")
    warnings = models.JSONField(
        default=list, blank=True, help_text="Warnings of the import that wrote this version."
    )
    untranslated = models.BooleanField(
        default=False, help_text="The file had no text of its own; the source language's is used."
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "import record"
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "slug", "language_code"], name="unique_import_record"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collection}/{self.language_code}/{self.slug}"
