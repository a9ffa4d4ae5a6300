"""Every public page's path: the `paths` query a statically built frontend (and its
sitemap) walks to know which pages to render."""

from datetime import UTC, datetime
from typing import Any

import strawberry
import strawberry_django
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from wagtail.models import Page

from contact.models import ContactFormPage

from .context import get_context
from .frontend import frontend_url, page_path
from .hooks import visible
from .locales import resolve_locale
from .pages import PAGE_TYPES, PageInterface
from .pagination import KeysetConnection

# The pages `paths` lists, with the GraphQL type that serves each (contact forms are served
# as `Form`, through form(handle:)).
PATH_TYPES: dict[type[Page], str] = {
    **{model: api_type.__strawberry_definition__.name for model, api_type in PAGE_TYPES.items()},
    ContactFormPage: "Form",
}

# For pages live without ever being published through Wagtail (created live by a script):
# they have no date at all.
NO_DATE = datetime(1970, 1, 1, tzinfo=UTC)


def _type_names(info: strawberry.Info) -> dict[int, str]:
    """Content type id -> GraphQL type name, once per request (Django keeps the content
    types in memory: no query after the first in a process)."""
    context = get_context(info)
    if "path_types" not in context.extra:
        found = ContentType.objects.get_for_models(*PATH_TYPES, for_concrete_models=False)
        context.extra["path_types"] = {found[model].pk: name for model, name in PATH_TYPES.items()}
    return context.extra["path_types"]


@strawberry_django.type(
    Page, name="PagePath", description="Where a public page is served, for static builds."
)
class PagePathType:
    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: strawberry.Info, **kwargs: Any) -> QuerySet:
        """The pages' visibility hook (graphql_api.pages.PageInterface)."""
        return PageInterface.get_queryset(queryset, info, **kwargs)

    @strawberry_django.field(
        only=["url_path", "locale_id"],
        description="The page's path on the site, with its language prefix, e.g. "
        "/es/services/democratic-funding/ (what page(path:) takes).",
    )
    def path(self, info: strawberry.Info) -> str:
        return page_path(info, self)

    @strawberry_django.field(
        only=["url_path", "locale_id"],
        description="The page's absolute URL on the frontend's domain.",
    )
    def url(self, info: strawberry.Info) -> str:
        return frontend_url(info, page_path(info, self))

    @strawberry_django.field(only=["locale_id"], description="The page's language code, e.g. es.")
    def locale(self, info: strawberry.Info) -> str:
        return get_context(info).visibility.locales_by_id[self.locale_id].language_code

    @strawberry_django.field(
        only=["content_type_id"],
        description="The GraphQL type that serves the page, e.g. ServicePage (Form for a "
        "contact form: read it with form(handle:)).",
    )
    def type(self, info: strawberry.Info) -> str:
        return _type_names(info)[self.content_type_id]

    @strawberry_django.field(
        only=["last_published_at", "latest_revision_created_at", "first_published_at"],
        description="When the page last changed: its last publication (else its latest "
        "revision, else its first publication), for sitemaps' lastmod.",
    )
    def last_modified(self) -> datetime:
        return (
            self.last_published_at
            or self.latest_revision_created_at
            or self.first_published_at
            or NO_DATE
        )


@strawberry.type(name="PagePathConnection", description="A page of the list of page paths.")
class PagePathConnection(KeysetConnection[PagePathType]):
    pass


@strawberry.type
class PathQueries:
    @strawberry_django.connection(
        PagePathConnection | None,
        description="Every public page of this site (home pages, indexes, services, "
        "projects, categories, standard pages and contact forms) in `locale`, or in every "
        "language when `locale` is null, in the page tree's order, a page at a time. "
        "`first` is at most the server's maximum (50 by default); pass "
        "`pageInfo.endCursor` as `after` for the next page.",
    )
    def paths(self, info: strawberry.Info, locale: str | None = None) -> QuerySet[Page]:
        visibility = get_context(info).visibility
        pages = Page.objects.filter(content_type_id__in=list(_type_names(info)))
        if locale is not None:
            pages = pages.filter(locale_id=resolve_locale(visibility, locale).pk)
        return visible(info, pages).order_by("path")
