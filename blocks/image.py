"""Images with alt text and captions."""

from wagtail.blocks import BooleanBlock, CharBlock, ListBlock, StructBlock, StructValue

from .choosers import ImageChooserBlock
from .tags import SourceTag


class ImageValue(StructValue):
    """Alt text falls back to the image's own description, so no image goes without one."""

    @property
    def alt_text(self) -> str:
        image = self.get("image")
        return (self.get("alt") or "").strip() or (image.default_alt_text if image else "")


class ImageBlock(StructBlock):
    """One image with its alt text and an optional caption."""

    image = ImageChooserBlock(
        help_text="The image file, chosen from the image library.", label="Image"
    )
    alt = CharBlock(
        required=False,
        max_length=255,
        help_text="Describes the image for people who cannot see it. Leave empty to use "
        "the image's own description.",
        label="Alt text",
    )
    caption = CharBlock(
        required=False, max_length=500, help_text="Shown under the image.", label="Caption"
    )

    class Meta:
        icon = "image"
        label = "Image"
        template = "blocks/image.html"
        value_class = ImageValue
        description = "An image with alt text and an optional caption."
        preview_value = {"alt": "", "caption": "Datos y resultados"}


class GalleryImageBlock(ImageBlock):
    """An image of a gallery, with the credits of its author."""

    credits = CharBlock(
        required=False, max_length=255, help_text="Who made the image.", label="Credits"
    )

    class Meta:
        icon = "image"
        label = "Gallery image"
        value_class = ImageValue


class GalleryBlock(StructBlock):
    """A set of images shown together."""

    source_tag = SourceTag(
        "gallery", ("simple", "images"), {"images": ("path", "alt", "caption", "credits")}
    )

    simple = BooleanBlock(
        required=False,
        help_text="Show the images in a plain grid instead of a slideshow.",
        label="Plain grid",
    )
    images = ListBlock(
        GalleryImageBlock(), min_num=1, help_text="The images, in order.", label="Images"
    )

    class Meta:
        icon = "image"
        label = "Gallery"
        template = "blocks/gallery.html"
        description = "Several images shown together."
        preview_value = {"simple": True, "images": []}
