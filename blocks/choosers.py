"""Chooser blocks whose database reads a caller can batch across many streams.

Wagtail turns the ids stored in a stream into objects with each chooser block's
``bulk_to_python``: one ``in_bulk`` query per chooser block per call, through the model's
default manager. A reader of many pages (the API) wants every image, document, page and
snippet those pages name loaded once per model, through its own visibility rules. While
``resolving_with(resolver)`` is active, the choosers below hand their ids to ``resolver``
instead of querying; everywhere else (admin, templates, importer) they behave as Wagtail's.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from wagtail.blocks import PageChooserBlock as WagtailPageChooserBlock
from wagtail.documents.blocks import DocumentChooserBlock as WagtailDocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock as WagtailImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock as WagtailSnippetChooserBlock


class ChosenObjects(Protocol):
    """Turns the ids one chooser block holds into objects (or None), in order."""

    def objects(self, model: type, ids: list[Any]) -> list[Any]: ...


_resolver: ContextVar[ChosenObjects | None] = ContextVar("civic_chosen_objects", default=None)


@contextmanager
def resolving_with(resolver: ChosenObjects) -> Iterator[None]:
    """Within this block, chooser blocks take their objects from ``resolver``."""
    token = _resolver.set(resolver)
    try:
        yield
    finally:
        _resolver.reset(token)


class BatchedChooserMixin:
    """Asks the active resolver for the chosen objects, else loads them as Wagtail does."""

    def bulk_to_python(self, values):
        resolver = _resolver.get()
        if resolver is None:
            return super().bulk_to_python(values)
        return resolver.objects(self.model_class, list(values))


class ImageChooserBlock(BatchedChooserMixin, WagtailImageChooserBlock):
    """Wagtail's image chooser, batched when a resolver is active."""


class DocumentChooserBlock(BatchedChooserMixin, WagtailDocumentChooserBlock):
    """Wagtail's document chooser, batched when a resolver is active."""


class PageChooserBlock(BatchedChooserMixin, WagtailPageChooserBlock):
    """Wagtail's page chooser, batched when a resolver is active."""


class SnippetChooserBlock(BatchedChooserMixin, WagtailSnippetChooserBlock):
    """Wagtail's snippet chooser, batched when a resolver is active."""
