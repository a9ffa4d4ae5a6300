"""Images and documents: the original file, its alt text and renditions from the presets."""

import copy
import logging
from enum import Enum
from typing import Any

import strawberry
import strawberry_django
from django.db.models import QuerySet
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from delivery.renditions import NEUTRAL_PLACEHOLDER, ask_worker

from .context import get_context
from .invalidation import mark_uncacheable
from .media_urls import absolute_file_url
from .presets import PRESETS

logger = logging.getLogger(__name__)

RenditionPreset = strawberry.enum(
    Enum("RenditionPreset", {name: name for name in PRESETS}),
    name="RenditionPreset",
    description="The image sizes the server offers. THUMBNAIL is a 160px square, CARD a "
    "640x360 crop, HERO up to 1600px wide, LOGO fits in 320x160 without cropping, "
    "OPEN_GRAPH a 1200x630 crop for link previews on social networks, SQUARE a 600px "
    "square. The crops (THUMBNAIL, CARD, OPEN_GRAPH, SQUARE) keep the image's focal point "
    "in the frame. Each has a _WEBP variant in WebP format.",
)


@strawberry.type(
    name="FocalPoint",
    description="The part of an image the editor marked as important, in the original's "
    "pixels: a box centred on (x, y). The cropping presets keep it in the frame.",
)
class FocalPointType:
    x: int = strawberry.field(description="The box's centre, from the left edge.")
    y: int = strawberry.field(description="The box's centre, from the top edge.")
    width: int = strawberry.field(description="The box's width.")
    height: int = strawberry.field(description="The box's height.")


@strawberry.type(name="Rendition", description="One resized version of an image.")
class RenditionType:
    url: str = strawberry.field(description="The file's URL.")
    width: int = strawberry.field(description="Width in pixels.")
    height: int = strawberry.field(description="Height in pixels.")


def placed_image(image: Any, alt: str | None = None) -> Any:
    """The image as shown in one place, with the alt text chosen there (None: the image's own).

    A copy, so two places showing the same image in one answer keep their own alt text.
    """
    if image is None:
        return None
    placed = copy.copy(image)
    placed.api_alt = (alt if alt is not None else image.default_alt_text) or ""
    return placed


@strawberry_django.type(
    get_image_model(),
    name="Image",
    description="An image with the alt text chosen for this place.",
)
class ImageType:
    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: strawberry.Info, **kwargs: Any) -> QuerySet:
        """Images outside private collections: the one rule for every path to an image."""
        return get_context(info).visibility.media(queryset)

    @strawberry_django.field(
        description="The original file's absolute URL. Prefer a rendition for display."
    )
    def url(self, info: strawberry.Info) -> str:
        return absolute_file_url(get_context(info).request, self.file.url)

    @strawberry_django.field(
        description="The part of the image the editor marked as important; null when none "
        "was set. Use it (e.g. as CSS object-position) when cropping the image yourself."
    )
    def focal_point(self) -> FocalPointType | None:
        values = (
            self.focal_point_x,
            self.focal_point_y,
            self.focal_point_width,
            self.focal_point_height,
        )
        if any(value is None for value in values):
            return None
        x, y, width, height = values
        return FocalPointType(x=x, y=y, width=width, height=height)

    @strawberry_django.field(
        description="A tiny version of the image (at most 16px on its longer side) as an "
        "inline data: URI of under 1 KB, to show blurred while the real image loads. SVG "
        "images give themselves when tiny, else a neutral transparent pixel."
    )
    def placeholder(self, info: strawberry.Info) -> str:
        return placeholder(info, self)

    @strawberry_django.field(description="Width of the original in pixels.")
    def width(self) -> int:
        return round(self.width)

    @strawberry_django.field(description="Height of the original in pixels.")
    def height(self) -> int:
        return round(self.height)

    @strawberry_django.field(
        description="Text describing the image for people who cannot see it; empty when "
        "the image is decorative."
    )
    def alt(self) -> str:
        return getattr(self, "api_alt", None) or ""

    @strawberry_django.field(
        description="The image resized to a preset. SVG images come back as the original."
    )
    def rendition(self, info: strawberry.Info, preset: RenditionPreset) -> RenditionType:  # type: ignore[valid-type]
        return absolute_renditions(info, self, preset.value, only_first=True)[0]

    @strawberry_django.field(
        description="A srcset attribute value (url and width pairs) for a preset, for "
        "responsive <img> tags."
    )
    def srcset(self, info: strawberry.Info, preset: RenditionPreset) -> str:  # type: ignore[valid-type]
        seen: dict[int, str] = {}
        for rendition in absolute_renditions(info, self, preset.value):
            seen.setdefault(rendition.width, rendition.url)
        return ", ".join(f"{url} {width}w" for width, url in sorted(seen.items()))


def renditions(
    info: strawberry.Info, image: Any, preset: str, only_first: bool = False
) -> tuple[RenditionType, ...]:
    """The renditions of one preset of an image: the preset's own first, then its srcset
    (with ``only_first``, the preset's own alone).

    Read, never made (delivery.renditions): while any of the preset's renditions is missing,
    the original file stands for the whole preset, the answer is kept nowhere, and the
    worker is asked to make them.
    """
    if not image.is_svg():
        made = get_context(info).loader.renditions(image)
        found = [made.get(spec) for spec in PRESETS[preset]]
        if all(rendition is not None for rendition in found):
            return tuple(
                RenditionType(url=r.url, width=r.width, height=r.height)
                for r in (found[:1] if only_first else found)  # type: ignore[union-attr]
            )
        _not_made_yet(info, image)
    # SVGs are served as they are: they scale by themselves and raster filters break them.
    # Wagtail may store an image's size as a float; GraphQL and srcset want integers.
    return (
        RenditionType(url=image.file.url, width=round(image.width), height=round(image.height)),
    )


def _not_made_yet(info: strawberry.Info, image: Any) -> None:
    """An answer that shows what the worker has not made yet: kept nowhere, and the worker
    asked to make it."""
    mark_uncacheable(get_context(info).request)
    ask_worker(image)


def placeholder(info: strawberry.Info, image: Any) -> str:
    """The image's placeholder data: URI (see ImageType.placeholder), as the worker made it
    for the image's current file; the neutral pixel until then."""
    made = get_context(info).loader.placeholder(image)
    if made is not None:
        return made
    _not_made_yet(info, image)
    return NEUTRAL_PLACEHOLDER


def absolute_renditions(
    info: strawberry.Info, image: Any, preset: str, only_first: bool = False
) -> tuple[RenditionType, ...]:
    """``renditions`` with absolute URLs (graphql_api.media_urls) for this request; with
    ``only_first``, the preset's own rendition alone."""
    request = get_context(info).request
    return tuple(
        RenditionType(url=absolute_file_url(request, one.url), width=one.width, height=one.height)
        for one in renditions(info, image, preset, only_first)
    )


@strawberry_django.type(get_document_model(), name="Document", description="A downloadable file.")
class DocumentType:
    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: strawberry.Info, **kwargs: Any) -> QuerySet:
        """Documents outside private collections: the one rule for every path to a document."""
        return get_context(info).visibility.media(queryset)

    @strawberry_django.field(
        description="The title to show: the editor's, else the document's own."
    )
    def title(self) -> str:
        return getattr(self, "api_label", None) or self.title

    @strawberry_django.field(description="The download URL (absolute).")
    def url(self, info: strawberry.Info) -> str:
        return absolute_file_url(get_context(info).request, self.url)

    @strawberry_django.field(description="The file extension in lower case, e.g. pdf.")
    def file_extension(self) -> str:
        return self.file_extension.lower()


def labelled_document(document: Any, label: str = "") -> Any:
    """The document as listed in one place, with the title the editor gave it there."""
    if document is None:
        return None
    placed = copy.copy(document)
    placed.api_label = label
    return placed
