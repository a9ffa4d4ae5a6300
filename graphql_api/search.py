"""Full-text search over the public pages of one language."""

import strawberry
import strawberry_django
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from .context import get_context
from .errors import ApiError, ErrorCode
from .hooks import visible
from .locales import resolve_locale
from .pages import PageInterface, served
from .pagination import page_size


@strawberry.type
class SearchQueries:
    @strawberry_django.field(
        description="Public pages of one language (default language when omitted) matching "
        "`query`, most relevant first. `first` is at most the server's maximum (50); "
        "`query` at most 32 words and 256 characters (TOO_LONG)."
    )
    def search(
        self,
        info: strawberry.Info,
        query: str,
        locale: str | None = None,
        first: int | None = None,
    ) -> list[PageInterface] | None:
        terms = query.strip()
        if not terms:
            raise ApiError("query needs at least one word.", ErrorCode.EMPTY_SEARCH)
        size = page_size(first, "CIVIC_GRAPHQL_MAX_SEARCH_RESULTS")
        asked = resolve_locale(get_context(info).visibility, locale)
        # The backend can only filter on indexed fields, so the visibility rules run first
        # and the search is confined to the ids they allow.
        allowed = visible(info, Page.objects.filter(locale_id=asked.pk))
        ids = list(allowed.values_list("pk", flat=True))
        ranked = [
            page.pk
            for page in get_search_backend().search(terms, Page.objects.filter(pk__in=ids))[:size]
        ]
        by_id = {
            page.pk: page for page in visible(info, Page.objects.filter(pk__in=ranked)).specific()
        }
        return served(info, [by_id[pk] for pk in ranked if pk in by_id])
