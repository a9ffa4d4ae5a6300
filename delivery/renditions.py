"""Renditions are made by the task worker, never while the API reads.

When an image is saved (uploaded, its file or focal point changed), the worker makes the
rendition of every preset the API offers (graphql_api.presets) and the image's placeholder
(``ImagePlaceholder``). The API reads what exists. Where a preset's renditions are missing
(the worker has not run yet, or a rendition was deleted), it answers the original file for
that preset, keeps that answer out of every cache (``mark_uncacheable``) and asks the
worker to make the image's renditions again: the next answer names files that exist.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_save
from django_tasks import task
from wagtail.images import get_image_model

from graphql_api.presets import ALL_SPECS, PLACEHOLDER_SPEC

from .models import ImagePlaceholder

QUEUE = "renditions"
# How long one request's ask stands before another request may ask again for the same file.
ASKED_SECONDS = 300
# A transparent 1x1 GIF: the placeholder of an image that has no small raster version.
NEUTRAL_PLACEHOLDER = (
    "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
)
PLACEHOLDER_MAX_BYTES = 1024
# Image fields that change what the renditions are; a save writing none of them (Wagtail
# updates file_size or file_hash alone after the upload) asks for nothing.
RENDERED_FROM = frozenset(
    {"file", "focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height"}
)
logger = logging.getLogger(__name__)


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _read(field_file: Any) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


def placeholder_of(image: Any) -> str:
    """The placeholder data: URI of an image: an SVG gives itself when tiny; a raster image
    its PLACEHOLDER_SPEC rendition (made when missing); else the neutral pixel."""
    if image.is_svg():
        data, mime = _read(image.file), "image/svg+xml"
    else:
        data, mime = _read(image.get_rendition(PLACEHOLDER_SPEC).file), "image/webp"
    return _data_uri(mime, data) if len(data) <= PLACEHOLDER_MAX_BYTES else NEUTRAL_PLACEHOLDER


@task(queue_name=QUEUE, backend="media")
def make_renditions(image_id: int) -> str:
    """Make every preset's rendition of one image, and its placeholder (what is made
    already is kept)."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return "gone"
    if not image.is_svg():
        image.get_renditions(*ALL_SPECS)
    ImagePlaceholder.objects.update_or_create(
        image=image,
        defaults={"file_hash": image.file_hash or "", "data_uri": placeholder_of(image)},
    )
    return "made"


def ask_worker(image: Any) -> None:
    """Ask the worker to make ``image``'s renditions, once per file for ASKED_SECONDS."""
    if cache.add(f"civic:rendering:{image.pk}:{image.file_hash}", True, timeout=ASKED_SECONDS):
        make_renditions.enqueue(image.pk)


# The images saved within ``renditions_at_end`` in this thread or task (None: outside one).
_held: ContextVar[set[int] | None] = ContextVar("civic_held_renditions", default=None)


@contextmanager
def renditions_at_end() -> Iterator[None]:
    """Ask for the renditions of the images saved within the block when it ends, and only
    of those that still exist then: for a run of many writes that may be rolled back (an
    import, a dry run), whose images the worker should not render before that is known."""
    held: set[int] = set()
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
        if held:
            existing = get_image_model().objects.filter(pk__in=held)
            for pk in existing.order_by("pk").values_list("pk", flat=True):
                make_renditions.enqueue(pk)


def _on_image_save(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    if update_fields is not None and not (set(update_fields) & RENDERED_FROM):
        return
    held = _held.get()
    if held is not None:
        held.add(instance.pk)
        return
    make_renditions.enqueue(instance.pk)


def connect() -> None:
    post_save.connect(
        _on_image_save, sender=get_image_model(), dispatch_uid="delivery.renditions.save"
    )
