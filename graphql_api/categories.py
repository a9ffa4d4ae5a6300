"""Category pages: the `category` and `categories` queries."""

import strawberry
import strawberry_django

from categories.models import CategoryPage

from .context import get_context
from .locales import fallback_chain, resolve_locale
from .pages import CategoryPageType, by_slug, listed, served


@strawberry.type
class CategoryQueries:
    @strawberry_django.field(
        description="One category page by slug, case-insensitive, in `locale` (default "
        "language when omitted). Null when it has no public version in that language, "
        "unless `fallback: true` picks the best version along the server's language chain."
    )
    def category(
        self,
        info: strawberry.Info,
        slug: str,
        locale: str | None = None,
        fallback: bool = False,
    ) -> CategoryPageType | None:
        return by_slug(info, CategoryPage, slug, locale, fallback)

    @strawberry_django.field(
        description="Every public category page of a language (default language when "
        "omitted), in the editors' order; with `fallback: true`, each category's best "
        "version along the server's language chain. Categories are few: no paging."
    )
    def categories(
        self,
        info: strawberry.Info,
        locale: str | None = None,
        fallback: bool = False,
    ) -> list[CategoryPageType] | None:
        visibility = get_context(info).visibility
        chain = fallback_chain(visibility, resolve_locale(visibility, locale), fallback)
        pages = list(listed(info, CategoryPage, locale, fallback).order_by("path"))
        return served(info, pages, chain)
