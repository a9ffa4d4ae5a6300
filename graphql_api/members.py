"""The team and the project states: the Member and ProjectState types and their queries."""

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django
from django.db.models import QuerySet

from cms.models import Member
from projects.models import ProjectState

from .collaborators import asked_in, snippet_versions
from .context import get_context
from .images import ImageType, placed_image
from .markdown import MarkdownType, markdown, safe_web_url
from .translations import KEY_FIELDS, locale_field, status_field

if TYPE_CHECKING:
    from .pages import ProjectPageType


def in_content_languages(queryset: QuerySet, info: strawberry.Info) -> QuerySet:
    """The public rule of snippets (cms.public): the languages the site serves."""
    return get_context(info).visibility.snippets(queryset)


def best_snippets(info: strawberry.Info, queryset: QuerySet) -> list:
    """One object per translation key: the first of each in ``snippet_versions`` order."""
    chosen: dict[str, Any] = {}
    for obj in queryset:
        chosen.setdefault(obj.translation_key, obj)
    return list(chosen.values())


@strawberry.type(name="SocialLink", description="A profile on a social network.")
class SocialLinkType:
    kind: str = strawberry.field(
        description="The network: twitter, linkedin, facebook or github for a team member; "
        "for the organisation also instagram, youtube, mastodon, bluesky, telegram or other."
    )
    url: str = strawberry.field(description="The profile's address (http or https).")


@strawberry_django.type(
    Member,
    name="Member",
    description="A person on the team, in the asked language or else the default language.",
)
class MemberType:
    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: strawberry.Info, **kwargs: Any) -> QuerySet:
        """Team members in the content languages (snippets have no drafts or restrictions)."""
        return in_content_languages(queryset, info)

    slug: str = strawberry_django.field(
        description="Stable identifier shared by every language, often initials, e.g. ag."
    )
    name: str = strawberry_django.field(description="The person's name.")
    kind: str = strawberry_django.field(
        description="What kind of member this is on the team page, e.g. author; may be empty."
    )

    @strawberry_django.field(description="Their role, e.g. Strategic Director; may be empty.")
    def role(self) -> str:
        return self.position or ""

    @strawberry_django.field(description="A few words about them.")
    def bio(self) -> MarkdownType:
        return markdown(self.bio, self)

    @strawberry_django.field(description="A portrait, with its alt text; null when none is public.")
    def photo(self, info: strawberry.Info) -> ImageType | None:
        image = get_context(info).loader.image(info, self.photo_id)
        return placed_image(image, self.photo_alt_text)

    @strawberry_django.field(description="A public contact address, or null.")
    def email(self) -> str | None:
        return self.email or None

    @strawberry_django.field(
        description="Their social profiles, in a fixed order (twitter, linkedin, facebook, "
        "github); unsafe addresses are left out."
    )
    def links(self) -> list[SocialLinkType]:
        return [
            SocialLinkType(kind=kind, url=url)
            for kind, raw in self.social_links()
            if (url := safe_web_url(raw))
        ]

    locale = locale_field(KEY_FIELDS)
    translation = status_field(KEY_FIELDS)

    @strawberry_django.field(
        description="The public projects that name this person, newest first, in the "
        "reader's language (else along its fallback chain)."
    )
    def projects(
        self, info: strawberry.Info
    ) -> list[Annotated["ProjectPageType", strawberry.lazy("graphql_api.pages")]]:
        return get_context(info).links.reverse(info, self, "project.members")


@strawberry_django.type(
    ProjectState,
    name="ProjectState",
    description="Where a project stands (e.g. open, closed), with its badge colour.",
)
class ProjectStateType:
    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: strawberry.Info, **kwargs: Any) -> QuerySet:
        """Project states in the content languages (snippets have no drafts or restrictions)."""
        return in_content_languages(queryset, info)

    slug: str = strawberry_django.field(
        description="Stable identifier shared by every language, e.g. open; filter projects "
        "with it."
    )
    title: str = strawberry_django.field(description="The state as readers see it.")

    @strawberry_django.field(
        description="The badge colour as the editor wrote it: a CSS colour name or a hex "
        "value; may be empty."
    )
    def color(self) -> str:
        return self.color or ""

    locale = locale_field(KEY_FIELDS)
    translation = status_field(KEY_FIELDS)


@strawberry.type
class MemberQueries:
    @strawberry_django.field(
        description="The team, ordered by name: each person's version in `locale` (default "
        "language when omitted), else the default-language version."
    )
    def members(self, info: strawberry.Info, locale: str | None = None) -> list[MemberType] | None:
        found = best_snippets(info, snippet_versions(info, Member, locale))
        ordered = sorted(found, key=lambda obj: (obj.name.lower(), obj.slug))
        return asked_in(info, ordered, locale)

    @strawberry_django.field(
        description="One team member by slug (case-insensitive), in `locale` or else the "
        "default language; null when there is none."
    )
    def member(
        self, info: strawberry.Info, slug: str, locale: str | None = None
    ) -> MemberType | None:
        best = snippet_versions(info, Member, locale).filter(slug__iexact=slug).order_by("rank")
        found = best.first()
        return asked_in(info, [found], locale)[0] if found else None

    @strawberry_django.field(
        description="Every project state, ordered by title: each in `locale` (default "
        "language when omitted), else in the default language."
    )
    def project_states(
        self, info: strawberry.Info, locale: str | None = None
    ) -> list[ProjectStateType] | None:
        found = best_snippets(info, snippet_versions(info, ProjectState, locale))
        ordered = sorted(found, key=lambda obj: (obj.title.lower(), obj.slug))
        return asked_in(info, ordered, locale)
