"""Images: the original file, its alt text and renditions from the server's presets."""

from enum import Enum
from typing import Any

import strawberry

from .context import get_context
from .presets import PRESETS

RenditionPreset = strawberry.enum(
    Enum("RenditionPreset", {name: name for name in PRESETS}),
    name="RenditionPreset",
    description="The image sizes the server offers. THUMBNAIL is a 160px square, CARD a "
    "640x360 crop, HERO up to 1600px wide, LOGO fits in 320x160 without cropping. Each "
    "has a _WEBP variant in WebP format.",
)


@strawberry.type(name="Rendition", description="One resized version of an image.")
class RenditionType:
    url: str = strawberry.field(description="The file's URL.")
    width: int = strawberry.field(description="Width in pixels.")
    height: int = strawberry.field(description="Height in pixels.")


@strawberry.type(name="Image", description="An image with the alt text chosen for this place.")
class ImageType:
    obj: strawberry.Private[Any]
    alt_text: strawberry.Private[str]

    @strawberry.field(description="The original file's URL. Prefer a rendition for display.")
    def url(self) -> str:
        return self.obj.file.url

    @strawberry.field(description="Width of the original in pixels.")
    def width(self) -> int:
        return round(self.obj.width)

    @strawberry.field(description="Height of the original in pixels.")
    def height(self) -> int:
        return round(self.obj.height)

    @strawberry.field(
        description="Text describing the image for people who cannot see it; empty when "
        "the image is decorative."
    )
    def alt(self) -> str:
        return self.alt_text

    @strawberry.field(
        description="The image resized to a preset. SVG images come back as the original."
    )
    def rendition(self, info: strawberry.Info, preset: RenditionPreset) -> RenditionType:  # type: ignore[valid-type]
        return _renditions(info, self.obj, preset)[0]

    @strawberry.field(
        description="A srcset attribute value (url and width pairs) for a preset, for "
        "responsive <img> tags."
    )
    def srcset(self, info: strawberry.Info, preset: RenditionPreset) -> str:  # type: ignore[valid-type]
        seen: dict[int, str] = {}
        for rendition in _renditions(info, self.obj, preset):
            seen.setdefault(rendition.width, rendition.url)
        return ", ".join(f"{url} {width}w" for width, url in sorted(seen.items()))


def _renditions(info: strawberry.Info, image: Any, preset: Any) -> list[RenditionType]:
    if image.is_svg():
        # SVGs are served as they are: they scale by themselves and raster filters break them.
        # Wagtail may store an SVG's size as a float; GraphQL and srcset want integers.
        return [
            RenditionType(url=image.file.url, width=round(image.width), height=round(image.height))
        ]
    loader = get_context(info).loader
    # An image often appears many times in one answer, and in many answers: each process
    # looks a preset of an image up once per content generation.
    store = loader.visibility.store
    key = ("renditions", image.pk, preset.value)
    found = store.get(key)
    if found is None:
        loader.rendition_ready(image)
        renditions = image.get_renditions(*PRESETS[preset.value])
        found = [
            RenditionType(url=r.url, width=r.width, height=r.height) for r in renditions.values()
        ]
        store.put(key, found)
    return found


def image_type(image: Any, alt: str | None = None) -> ImageType | None:
    """The API's Image for a visible image, or None."""
    if image is None:
        return None
    return ImageType(obj=image, alt_text=(alt if alt is not None else image.default_alt_text) or "")
