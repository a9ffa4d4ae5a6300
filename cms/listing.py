"""What every listing page (the services, projects, categories and team indexes) says
above its list, beside its title and introduction."""

from django.db import models


class ListingFields(models.Model):
    """A listing page's picture and the editors' notes."""

    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The listing's picture, shown beside its title.",
    )
    image_alt = models.CharField(
        max_length=255,
        blank=True,
        help_text="Describes the picture; leave empty to use the image's own description.",
    )
    notes = models.TextField(
        blank=True,
        help_text="For editors only, never published: source values the import had no field "
        "for (layout switches such as hide or permalink), kept as they were.",
    )

    listing_panels = ["image", "image_alt"]

    class Meta:
        abstract = True

    @property
    def image_alt_text(self) -> str:
        if self.image_alt:
            return self.image_alt
        return self.image.default_alt_text if self.image else ""
