"""Service pages: the `service` and `services` queries."""

from enum import Enum

import strawberry
from django.db.models import QuerySet
from wagtail.search.backends import get_search_backend

from services.models import ServicePage

from .context import get_context
from .errors import ApiError
from .locales import fallback_chain, pick_best, resolve_locale
from .pages import ServicePageType, page_types
from .pagination import PageInfoType, decode_cursor, encode_cursor, page_size


@strawberry.enum(name="ServiceOrder", description="How to sort a list of services.")
class ServiceOrder(Enum):
    TREE = strawberry.enum_value("tree", description="The editors' order in the page tree.")
    TITLE = strawberry.enum_value("title", description="By title, A to Z.")
    TITLE_DESC = strawberry.enum_value("title_desc", description="By title, Z to A.")
    NEWEST = strawberry.enum_value("newest", description="First published most recently first.")
    UPDATED = strawberry.enum_value("updated", description="Last published most recently first.")


ORDERINGS = {
    ServiceOrder.TREE: ["path"],
    ServiceOrder.TITLE: ["title", "path"],
    ServiceOrder.TITLE_DESC: ["-title", "path"],
    ServiceOrder.NEWEST: ["-first_published_at", "path"],
    ServiceOrder.UPDATED: ["-last_published_at", "path"],
}


@strawberry.type(name="ServicePageEdge", description="A service in a list, with its cursor.")
class ServicePageEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this service.")
    node: ServicePageType = strawberry.field(description="The service page.")


@strawberry.type(name="ServicePageConnection", description="A page of a list of services.")
class ServicePageConnection:
    total_count: int = strawberry.field(description="How many services match, in all pages.")
    edges: list[ServicePageEdge] = strawberry.field(description="The services of this page.")
    page_info: PageInfoType = strawberry.field(description="Cursors to move through the list.")


def _visible_services(info: strawberry.Info, locale: str | None, fallback: bool) -> QuerySet:
    """The visible service pages in a language; with fallback, the best version of each."""
    visibility = get_context(info).visibility
    asked = resolve_locale(visibility, locale)
    if not fallback:
        return visibility.pages(ServicePage, asked)
    chain = fallback_chain(visibility, asked, fallback)
    by_key: dict[str, list] = {}
    for row in (
        visibility.pages(ServicePage)
        .filter(locale__in=chain)
        .values("pk", "translation_key", "locale_id")
    ):
        by_key.setdefault(row["translation_key"], []).append(row)
    ids = [pick_best(rows, chain, key=lambda r: r["locale_id"])["pk"] for rows in by_key.values()]
    return ServicePage.objects.filter(pk__in=ids)


@strawberry.type
class ServiceQueries:
    @strawberry.field(
        description="One service page by slug, case-insensitive, in `locale` (default "
        "language when omitted). Null when it has no public version in that language, "
        "unless `fallback: true` picks the best version along the server's language chain."
    )
    def service(
        self,
        info: strawberry.Info,
        slug: str,
        locale: str | None = None,
        fallback: bool = False,
    ) -> ServicePageType | None:
        ctx = get_context(info)
        visibility = ctx.visibility
        chain = fallback_chain(visibility, resolve_locale(visibility, locale), fallback)

        def find() -> ServicePage | None:
            services = visibility.pages(ServicePage).filter(locale__in=chain)
            if fallback:
                keys = services.filter(slug__iexact=slug).values("translation_key")
                found = list(services.filter(translation_key__in=keys))
            else:
                found = list(services.filter(slug__iexact=slug))
            return pick_best(found, chain)

        key = ("service", slug.lower(), tuple(locale.pk for locale in chain), fallback)
        best = visibility.remembered(key, find)
        return page_types(ctx, [best])[0] if best else None

    @strawberry.field(
        description="The public service pages of a language, a page at a time. `first` is "
        "at most the server's maximum (50 by default). `search` keeps the services whose "
        "text matches, most relevant first unless `order` is given."
    )
    def services(
        self,
        info: strawberry.Info,
        locale: str | None = None,
        first: int | None = None,
        after: str | None = None,
        search: str | None = None,
        order: ServiceOrder | None = None,
        fallback: bool = False,
    ) -> ServicePageConnection:
        ctx = get_context(info)
        size = page_size(first)
        offset = decode_cursor(after)
        ordering = ORDERINGS[order or ServiceOrder.TREE]
        if search is not None:
            queryset = _visible_services(info, locale, fallback)
            terms = search.strip()
            if not terms:
                raise ApiError("search needs at least one word.")
            ids = list(queryset.values_list("pk", flat=True))
            base = ServicePage.objects.filter(pk__in=ids).order_by(*ordering)
            results = get_search_backend().search(terms, base, order_by_relevance=order is None)
            total = results.count()
            window = list(results[offset : offset + size])
        else:

            def window_and_total() -> tuple[list, int]:
                ordered = _visible_services(info, locale, fallback).order_by(*ordering)
                count = ordered.count()
                return (list(ordered[offset : offset + size]) if offset < count else []), count

            key = ("services", locale, fallback, order, offset, size)
            window, total = ctx.visibility.remembered(key, window_and_total)
        nodes = page_types(ctx, window)
        edges = [
            ServicePageEdge(cursor=encode_cursor(offset + index), node=node)
            for index, node in enumerate(nodes)
        ]
        return ServicePageConnection(
            total_count=total,
            edges=edges,
            page_info=PageInfoType(
                has_next_page=offset + len(edges) < total,
                has_previous_page=offset > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )
