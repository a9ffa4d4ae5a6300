"""Project pages: the `project` and `projects` queries, with filters and ordering."""

import strawberry
import strawberry_django
from django.db.models import F, Q, QuerySet
from strawberry_django import Ordering
from wagtail.search.backends import get_search_backend

from categories.models import CategoryPage
from cms.models import Collaborator, Member
from projects.models import (
    ProjectCategory,
    ProjectCollaborator,
    ProjectMember,
    ProjectPage,
    ProjectService,
    ProjectState,
)
from services.models import ServicePage

from .errors import ApiError, ErrorCode
from .hooks import visible
from .pages import ProjectPageType, by_slug, listed
from .pagination import KeysetConnection


def _naming(info: strawberry.Info, through, field: str, model, slug: str) -> QuerySet:
    """The projects whose ``through`` link rows name a visible version of whatever ``slug``
    (case-insensitive) names among ``model``: by translation key, so a link to any language
    version counts."""
    keys = visible(info, model.objects.filter(slug__iexact=slug)).values("translation_key")
    return through.objects.filter(**{f"{field}__translation_key__in": keys}).values("project_id")


@strawberry_django.filter_type(
    ProjectPage,
    name="ProjectFilter",
    description="Narrows a list of projects: every condition given must hold; AND, OR and "
    "NOT combine filters. Slugs match case-insensitively and name any language version.",
)
class ProjectFilter:
    """Narrows a list of projects; the conditions given must all hold."""

    @strawberry_django.filter_field(
        description="Only the projects in this state (a ProjectState slug, e.g. open)."
    )
    def state(self, info: strawberry.Info, queryset: QuerySet, value: str, prefix: str):
        keys = visible(info, ProjectState.objects.filter(slug__iexact=value)).values(
            "translation_key"
        )
        return queryset, Q(**{f"{prefix}state__translation_key__in": keys})

    @strawberry_django.filter_field(
        description="Only the projects in this category (a CategoryPage slug)."
    )
    def category(self, info: strawberry.Info, queryset: QuerySet, value: str, prefix: str):
        projects = _naming(info, ProjectCategory, "category", CategoryPage, value)
        return queryset, Q(**{f"{prefix}pk__in": projects})

    @strawberry_django.filter_field(
        description="Only the projects that name this service (a ServicePage slug)."
    )
    def service(self, info: strawberry.Info, queryset: QuerySet, value: str, prefix: str):
        projects = _naming(info, ProjectService, "service", ServicePage, value)
        return queryset, Q(**{f"{prefix}pk__in": projects})

    @strawberry_django.filter_field(
        description="Only the projects this team member works on (a Member slug)."
    )
    def member(self, info: strawberry.Info, queryset: QuerySet, value: str, prefix: str):
        projects = _naming(info, ProjectMember, "member", Member, value)
        return queryset, Q(**{f"{prefix}pk__in": projects})

    @strawberry_django.filter_field(
        description="Only the projects of this partner organisation (a Collaborator slug)."
    )
    def collaborator(self, info: strawberry.Info, queryset: QuerySet, value: str, prefix: str):
        projects = _naming(info, ProjectCollaborator, "collaborator", Collaborator, value)
        return queryset, Q(**{f"{prefix}pk__in": projects})

    @strawberry_django.filter_field(
        description="Only the projects whose text (title, subtitle, description, blocks) "
        "matches these words."
    )
    def search(self, info: strawberry.Info, queryset: QuerySet, value: str, prefix: str):
        terms = value.strip()
        if not terms:
            raise ApiError("search needs at least one word.", ErrorCode.EMPTY_SEARCH)
        # As for services: the visible ids go in, the matching ids come back as a condition.
        allowed = ProjectPage.objects.filter(pk__in=list(queryset.values_list("pk", flat=True)))
        found = get_search_backend().search(terms, allowed, order_by_relevance=False)
        return queryset, Q(**{f"{prefix}pk__in": [page.pk for page in found]})


@strawberry_django.order_type(
    ProjectPage,
    name="ProjectOrder",
    description="One ordering key of a list of projects (give one field per entry, several "
    "entries for ties). Without ordering: newest first by date, undated projects last.",
)
class ProjectOrder:
    """One ordering key of a list of projects; give several for ties. Default: date, newest
    first."""

    date: Ordering | None = strawberry_django.order_field(
        description="By the project's own date (when it was announced)."
    )
    title: Ordering | None = strawberry_django.order_field(description="By title.")
    start_date: Ordering | None = strawberry_django.order_field(
        description="By when the project began."
    )
    end_date: Ordering | None = strawberry_django.order_field(
        description="By when the project ended."
    )
    first_published_at: Ordering | None = strawberry_django.order_field(
        description="By when the project was first published."
    )


@strawberry.type(name="ProjectPageConnection", description="A page of a list of projects.")
class ProjectPageConnection(KeysetConnection[ProjectPageType]):
    pass


@strawberry.type
class ProjectQueries:
    @strawberry_django.field(
        description="One project page by slug, case-insensitive, in `locale` (default "
        "language when omitted). Null when it has no public version in that language, "
        "unless `fallback: true` picks the best version along the server's language chain."
    )
    def project(
        self,
        info: strawberry.Info,
        slug: str,
        locale: str | None = None,
        fallback: bool = False,
    ) -> ProjectPageType | None:
        return by_slug(info, ProjectPage, slug, locale, fallback)

    @strawberry_django.connection(
        ProjectPageConnection | None,
        filters=ProjectFilter,
        ordering=ProjectOrder,
        description="The public project pages of a language, a page at a time, newest first "
        "(by date, undated last) unless `ordering` says otherwise. `filters` narrow by "
        "state, category, service, member or collaborator slug and by text. `first` (or "
        "`last`) is at most the server's maximum (50 by default); pass `pageInfo.endCursor` "
        "as `after` for the next page, `startCursor` as `before` (with `last`) for the "
        "previous one.",
    )
    def projects(
        self,
        info: strawberry.Info,
        locale: str | None = None,
        fallback: bool = False,
    ) -> QuerySet[ProjectPage]:
        return listed(info, ProjectPage, locale, fallback).order_by(
            F("date").desc(nulls_last=True), "title"
        )
