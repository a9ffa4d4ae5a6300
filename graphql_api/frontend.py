"""Where the site's public frontend lives: the base of every absolute page URL the API gives.

The per-site ``FrontendSettings.frontend_url`` (delivery), else ``CIVIC_FRONTEND_URL``. The
setting's row is read through its visibility hook once per request, when an answer holds a
page URL.
"""

from typing import Any

import strawberry
from django.conf import settings
from django.db.models import QuerySet
from wagtail.models import Page

from delivery.models import FrontendSettings

from .context import get_context
from .hooks import visible


class FrontendSettingsRule:
    """What of the frontend settings the API reads: the row of the site answering."""

    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: strawberry.Info, **kwargs: Any) -> QuerySet:
        return queryset.filter(site_id=get_context(info).visibility.site_pk)


def frontend_base(info: strawberry.Info) -> str:
    """The frontend's base URL for the site answering, without a trailing slash."""
    context = get_context(info)
    if "frontend_base" not in context.extra:
        rows = visible(info, FrontendSettings.objects.all())
        configured = rows.values_list("frontend_url", flat=True).first()
        base = configured or getattr(settings, "CIVIC_FRONTEND_URL", "") or ""
        context.extra["frontend_base"] = base.rstrip("/")
    return context.extra["frontend_base"]


def page_path(info: strawberry.Info, page: Page) -> str:
    """The page's site-relative URL with its language prefix, e.g. /es/services/x/."""
    return page.get_url(get_context(info).request) or ""


def frontend_url(info: strawberry.Info, path: str) -> str:
    """``path`` (site-relative) as an absolute URL on the frontend's domain."""
    return frontend_base(info) + path
