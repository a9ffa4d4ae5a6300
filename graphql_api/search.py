"""Full-text search over the public pages of one language."""

import strawberry
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from .context import get_context
from .errors import ApiError
from .locales import resolve_locale
from .pages import PageInterface, page_types
from .pagination import page_size


@strawberry.type
class SearchQueries:
    @strawberry.field(
        description="Public pages of one language (default language when omitted) matching "
        "`query`, most relevant first. `first` is at most the server's maximum (50)."
    )
    def search(
        self,
        info: strawberry.Info,
        query: str,
        locale: str | None = None,
        first: int | None = None,
    ) -> list[PageInterface]:
        ctx = get_context(info)
        terms = query.strip()
        if not terms:
            raise ApiError("query needs at least one word.")
        size = page_size(first, "CIVIC_GRAPHQL_MAX_SEARCH_RESULTS")
        asked = resolve_locale(ctx.visibility, locale)
        # The backend can only filter on indexed fields, so the visibility rules run first
        # and the search is confined to the ids they allow.
        ids = list(ctx.visibility.pages(locale=asked).values_list("pk", flat=True))
        results = get_search_backend().search(terms, Page.objects.filter(pk__in=ids))
        pages = list(results[:size])
        specific = Page.objects.filter(pk__in=[p.pk for p in pages]).specific()
        by_id = {page.pk: page for page in specific}
        return page_types(ctx, [by_id[p.pk] for p in pages if p.pk in by_id])
