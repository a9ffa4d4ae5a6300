"""Markdown with its sanitised HTML, and the check every URL passes on its way out."""

import strawberry
from django.core.exceptions import ValidationError

from blocks.validators import validate_link, validate_web_url
from cms.markdown_html import html_of, stored_html

from .media_urls import absolute_media_in_html


@strawberry.type(
    name="Markdown",
    description="Text written in Markdown, with the same text as sanitised HTML: no scripts, "
    "no event attributes, no javascript: links.",
)
class MarkdownType:
    source: strawberry.Private[str]
    # The HTML its owner stored when saved (cms.markdown_html), by text digest.
    stored: strawberry.Private[dict[str, str] | None] = None

    @strawberry.field(description="The Markdown as the editor wrote it.")
    def markdown(self) -> str:
        return self.source or ""

    @strawberry.field(
        description="The Markdown rendered to sanitised HTML, safe to insert. Links to media "
        "files and images in it are absolute."
    )
    def html(self, info: strawberry.Info) -> str:
        if not self.source:
            return ""
        return absolute_media_in_html(info.context.request, html_of(self.source, self.stored))


def markdown(source: str | None, owner: object = None) -> MarkdownType:
    """``source`` for the API; ``owner``, the object that holds it (a page, a snippet), gives
    its stored HTML."""
    return MarkdownType(source=source or "", stored=stored_html(owner))


def safe_link(url: str | None) -> str | None:
    """A link target (http(s), site path, #anchor, mailto:) or None when it is anything else."""
    if not url:
        return None
    try:
        validate_link(url)
    except ValidationError:
        return None
    return url


def safe_web_url(url: str | None) -> str | None:
    """An absolute http(s) URL, or None."""
    if not url:
        return None
    try:
        validate_web_url(url)
    except ValidationError:
        return None
    return url
