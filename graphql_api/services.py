"""Service pages: the `service` and `services` queries, with filters and ordering."""

import strawberry
import strawberry_django
from django.db.models import Q, QuerySet
from strawberry_django import Ordering
from wagtail.search.backends import get_search_backend

from services.models import ServicePage

from .errors import ApiError, ErrorCode
from .pages import ServicePageType, by_slug, listed
from .pagination import KeysetConnection


@strawberry_django.filter_type(
    ServicePage,
    name="ServiceFilter",
    description="Narrows a list of services: every condition given must hold; AND, OR and "
    "NOT combine filters.",
)
class ServiceFilter:
    """Narrows a list of services; the conditions given must all hold."""

    @strawberry_django.filter_field(
        description="Only the service with this slug (case-insensitive)."
    )
    def slug(self, queryset: QuerySet, value: str, prefix: str):
        return queryset, Q(**{f"{prefix}slug__iexact": value})

    @strawberry_django.filter_field(
        description="Only the services whose text (title, description, blocks) matches these words."
    )
    def search(self, info: strawberry.Info, queryset: QuerySet, value: str, prefix: str):
        terms = value.strip()
        if not terms:
            raise ApiError("search needs at least one word.", ErrorCode.EMPTY_SEARCH)
        # The search backend filters only on indexed fields: the ids the visibility rules
        # allow go in first, and the matching ids come back as an ordinary condition, so
        # ordering and keyset cursors work on the result as on any list.
        allowed = ServicePage.objects.filter(pk__in=list(queryset.values_list("pk", flat=True)))
        found = get_search_backend().search(terms, allowed, order_by_relevance=False)
        return queryset, Q(**{f"{prefix}pk__in": [page.pk for page in found]})


@strawberry_django.order_type(
    ServicePage,
    name="ServiceOrder",
    description="One ordering key of a list of services (give one field per entry, several "
    "entries for ties). Without ordering: position.",
)
class ServiceOrder:
    """One ordering key of a list of services; give several for ties. Default: position."""

    @strawberry_django.order_field(description="The editors' order in the page tree.")
    def position(self, queryset: QuerySet, prefix: str, value: Ordering):
        return queryset, [value.resolve(f"{prefix}path")]

    title: Ordering | None = strawberry_django.order_field(description="By title.")
    first_published_at: Ordering | None = strawberry_django.order_field(
        description="By when the service was first published."
    )
    last_published_at: Ordering | None = strawberry_django.order_field(
        description="By when the service was last published."
    )


@strawberry.type(name="ServicePageConnection", description="A page of a list of services.")
class ServicePageConnection(KeysetConnection[ServicePageType]):
    pass


def _services(info: strawberry.Info, locale: str | None, fallback: bool) -> QuerySet:
    """The visible services in a language; with fallback, the best version of each."""
    return listed(info, ServicePage, locale, fallback).order_by("path")


@strawberry.type
class ServiceQueries:
    @strawberry_django.field(
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
        return by_slug(info, ServicePage, slug, locale, fallback)

    @strawberry_django.connection(
        ServicePageConnection | None,
        filters=ServiceFilter,
        ordering=ServiceOrder,
        description="The public service pages of a language, a page at a time, in the "
        "editors' order unless `ordering` says otherwise. `first` (or `last`) is at most the "
        "server's maximum (50 by default); pass `pageInfo.endCursor` as `after` for the next "
        "page, `startCursor` as `before` (with `last`) for the previous one.",
    )
    def services(
        self,
        info: strawberry.Info,
        locale: str | None = None,
        fallback: bool = False,
    ) -> QuerySet[ServicePage]:
        return _services(info, locale, fallback)
