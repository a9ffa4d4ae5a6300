"""Template helpers for the server-side pages (Wagtail's own serving and preview)."""

import re

from django import template
from django.utils.safestring import mark_safe
from wagtailmarkdown.utils import render_markdown

from cms.public import Public

register = template.Library()

_HEADING = re.compile(r"<(/?)h([1-5])\b", re.IGNORECASE)


@register.filter
def page_markdown(source: str | None) -> str:
    """Markdown as sanitised HTML with headings one level down: the page title is the h1."""
    if not source:
        return ""
    html = str(render_markdown(source))
    return mark_safe(  # noqa: S308 - render_markdown's output is sanitised by nh3
        _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)
    )


@register.simple_tag(takes_context=True)
def absolute_page_url(context, page) -> str:
    """The page's URL on the host the reader asked for (not the Site record's hostname)."""
    request = context.get("request")
    url = page.get_url(request=request)
    if request is None or url is None:
        return url or ""
    return request.build_absolute_uri(url)


@register.simple_tag(takes_context=True)
def public(context, obj):
    """``obj``, an image or a document, when the public rules show it, else None.

    An image or document of a private collection is not shown on the CMS's own pages, as the
    API does not show it (``cms.public``: one definition). The rules are read once per
    request, and an object is looked up only when some collection is private::

        {% public page.image as image %}{% if image %}{% image image width-800 %}{% endif %}
    """
    if obj is None:
        return None
    request = context.get("request")
    rules = getattr(request, "civic_public", None)
    if rules is None:
        rules = Public.for_request(request) if request is not None else Public(None)
        if request is not None:
            request.civic_public = rules
    if not rules.restrictions[1]:
        return obj
    return obj if rules.media(type(obj).objects.filter(pk=obj.pk)).exists() else None
