"""Site-wide models: the home page of each language and the Collaborator snippet."""

from django.db import models
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtailmarkdown.fields import MarkdownField

from blocks.validators import validate_web_url


class HomePage(Page):
    """The root page of one language tree; the services listing lives under it."""

    intro = MarkdownField(
        blank=True,
        help_text="A short Markdown introduction shown at the top of the home page.",
    )

    content_panels = [*Page.content_panels, "intro"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["services.ServiceIndexPage"]
    max_count_per_parent = None

    class Meta:
        verbose_name = "home page"


class Collaborator(TranslatableMixin, index.Indexed, models.Model):
    """A partner organisation shown on the pages it took part in."""

    name = models.CharField(
        max_length=255, help_text="The organisation's name as readers should see it."
    )
    slug = models.SlugField(
        max_length=100,
        allow_unicode=False,
        help_text="Stable identifier shared by every language version, e.g. ay-bcn.",
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
    url = models.URLField(
        blank=True,
        max_length=500,
        validators=[validate_web_url],
        help_text="The organisation's website (http or https).",
    )

    panels = ["name", "slug", "logo", "logo_alt", "url"]
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
