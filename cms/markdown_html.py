"""Markdown's sanitised HTML: one renderer, and the HTML each model stores when saved.

**The renderer.** ``wagtailmarkdown.utils.render_markdown`` builds a Python-Markdown parser,
with every extension, and copies its sanitiser's options for each text it renders. The
same parser and the same options are made here once per thread from wagtail-markdown's
own helpers (private: this module is the one place that uses them, and
tests/cms/test_markdown_html.py checks every release we pin gives the same HTML as
``render_markdown``). The parser is reset before each text, as Python-Markdown documents
for reuse: nothing of one text reaches the next.

**Stored HTML.** Rendering is still most of the time of reading a page, so a model that
holds Markdown (``StoresMarkdownHtml``: its MarkdownFields, and the MarkdownBlocks anywhere
in its StreamFields) renders its texts when it is saved and keeps their HTML in
``rendered_markdown``, keyed by ``digest(text)``. The digest covers the text and the
renderer (wagtail-markdown's settings, the versions of Python-Markdown, nh3 and
wagtail-markdown), so a reader that looks its text up (``html_of``) gets the HTML of that
very text or nothing: a text changed without a save (``QuerySet.update``), a draft, an
older row or an upgraded renderer misses and is rendered when it is read.
"""

import hashlib
import threading
from collections.abc import Iterator
from importlib.metadata import version
from typing import Any

import markdown
import nh3
from django.conf import settings
from django.db import models
from django.utils.encoding import smart_str
from wagtail.blocks import ListBlock, StreamBlock, StructBlock
from wagtail.fields import StreamField
from wagtailmarkdown.blocks import MarkdownBlock
from wagtailmarkdown.fields import MarkdownField
from wagtailmarkdown.utils import _get_markdown_kwargs, _get_nh3_kwargs

from .text import lf

FIELD = "rendered_markdown"

_local = threading.local()


def _engine() -> tuple[markdown.Markdown, dict, bytes]:
    engine = getattr(_local, "engine", None)
    if engine is None:
        renderer = repr(
            (
                settings.WAGTAILMARKDOWN,
                version("markdown"),
                version("nh3"),
                version("wagtail-markdown"),
            )
        )
        engine = _local.engine = (
            markdown.Markdown(**_get_markdown_kwargs()),
            _get_nh3_kwargs(),
            hashlib.blake2b(renderer.encode(), digest_size=16).digest(),
        )
    return engine


def render(source: str) -> str:
    """Markdown to sanitised HTML, as ``wagtailmarkdown.utils.render_markdown`` gives it."""
    parser, sanitiser, _ = _engine()
    parser.reset()
    return nh3.clean(parser.convert(smart_str(source)), **sanitiser)


def digest(source: str) -> str:
    """The key of ``source``'s HTML as this renderer makes it."""
    return hashlib.blake2b(
        source.encode("utf-8", "surrogatepass"), digest_size=16, key=_engine()[2]
    ).hexdigest()


def html_of(source: str, stored: dict[str, str] | None) -> str:
    """``source`` as sanitised HTML: the stored HTML of this very text, else rendered now."""
    if not source:
        return ""
    if stored:
        html = stored.get(digest(source))
        if html is not None:
            return html
    return render(source)


def stored_html(obj: Any) -> dict[str, str] | None:
    """What ``obj`` stored, or None where it stores nothing or the column was not read
    (never a query: a reader that forgot to read it renders instead)."""
    if not isinstance(obj, StoresMarkdownHtml) or FIELD in obj.get_deferred_fields():
        return None
    return getattr(obj, FIELD)


# Saving ------------------------------------------------------------------------------------


def _in_stream(block: Any, raw: Any) -> Iterator[str]:
    """The MarkdownBlock texts of a stream's stored (raw JSON) value, in any nesting."""
    if isinstance(block, MarkdownBlock):
        if isinstance(raw, str) and raw:
            yield raw
    elif isinstance(block, StreamBlock):
        for item in raw or ():
            if isinstance(item, dict) and item.get("type") in block.child_blocks:
                yield from _in_stream(block.child_blocks[item["type"]], item.get("value"))
    elif isinstance(block, StructBlock):
        if isinstance(raw, dict):
            for name, child in block.child_blocks.items():
                yield from _in_stream(child, raw.get(name))
    elif isinstance(block, ListBlock):
        for item in raw or ():
            # Items are stored as {"type": "item", "value": …, "id": …} (older rows: bare).
            in_block_format = isinstance(item, dict) and item.get("type") == "item" and "id" in item
            yield from _in_stream(block.child_block, item["value"] if in_block_format else item)


def markdown_texts(instance: models.Model) -> Iterator[str]:
    """Every Markdown text ``instance`` holds, as it will be stored (lines ending in LF)."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, MarkdownField):
            value = getattr(instance, field.attname)
            if value:
                yield lf(value)
        elif isinstance(field, StreamField):
            raw = field.get_prep_value(getattr(instance, field.attname))
            for text in _in_stream(field.stream_block, raw):
                yield lf(text)


def _source_fields(model: type[models.Model]) -> set[str]:
    return {
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, MarkdownField | StreamField)
    }


def _stored_for(obj: models.Model) -> dict[str, str]:
    """The HTML of each of ``obj``'s texts: kept where ``obj`` holds it, else rendered."""
    before = getattr(obj, FIELD) or {}
    after: dict[str, str] = {}
    for text in markdown_texts(obj):
        key = digest(text)
        if key not in after:
            after[key] = before[key] if key in before else render(text)
    return after


class StoresMarkdownHtml(models.Model):
    """A model that renders its Markdown when saved (see the module's docstring)."""

    rendered_markdown = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="The sanitised HTML of each Markdown text, by cms.markdown_html.digest.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.store_markdown_html()
        elif set(update_fields) & _source_fields(type(self)):
            self.store_markdown_html()
            kwargs["update_fields"] = {*update_fields, FIELD}
        return super().save(*args, **kwargs)

    def store_markdown_html(self) -> None:
        """Render every text that has no stored HTML yet, and drop what no text uses."""
        self.rendered_markdown = _stored_for(self)


def store_everywhere(registry=None, using: str = "default") -> int:
    """Store the HTML of every row of every model that stores it (rows saved before it was
    stored, or after the renderer changed), with the models of ``registry`` (a
    migration's); returns how many rows changed. Writes with ``QuerySet.update``: no
    signal, no new revision."""
    from django.apps import apps

    changed = 0
    for model in (registry or apps).get_models():
        if model._meta.proxy or FIELD not in {f.name for f in model._meta.concrete_fields}:
            continue
        for obj in model._base_manager.using(using).order_by("pk").iterator(chunk_size=200):
            after = _stored_for(obj)
            if after != getattr(obj, FIELD):
                model._base_manager.using(using).filter(pk=obj.pk).update(**{FIELD: after})
                changed += 1
    return changed
