"""Partner organisations: the Collaborator type and its queries."""

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django
from django.db.models import Model, QuerySet

from cms.models import Collaborator

from .context import get_context
from .hooks import visible
from .images import ImageType, placed_image
from .links import with_chain
from .locales import chain_rank, fallback_chain, resolve_locale
from .markdown import safe_web_url
from .translations import KEY_FIELDS, locale_field, status_field

if TYPE_CHECKING:
    from .pages import ProjectPageType, ServicePageType


@strawberry_django.type(
    Collaborator,
    name="Collaborator",
    description="A partner organisation, in the asked language or else the default language.",
)
class CollaboratorType:
    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: strawberry.Info, **kwargs: Any) -> QuerySet:
        """The public rule of snippets (cms.public): the languages the site serves."""
        return get_context(info).visibility.snippets(queryset)

    slug: str = strawberry_django.field(
        description="Stable identifier shared by every language, e.g. goteo."
    )
    name: str = strawberry_django.field(description="The organisation's name.")

    @strawberry_django.field(description="The organisation's website (http or https), if any.")
    def url(self) -> str | None:
        return safe_web_url(self.url)

    @strawberry_django.field(description="The organisation's logo, with its alt text.")
    def logo(self, info: strawberry.Info) -> ImageType | None:
        image = get_context(info).loader.image(info, self.logo_id)
        return placed_image(image, self.logo_alt_text)

    locale = locale_field(KEY_FIELDS)
    translation = status_field(KEY_FIELDS)

    @strawberry_django.field(
        description="The public projects that name this organisation, newest first, in the "
        "reader's language (else along its fallback chain)."
    )
    def projects(
        self, info: strawberry.Info
    ) -> list[Annotated["ProjectPageType", strawberry.lazy("graphql_api.pages")]]:
        return get_context(info).links.reverse(info, self, "project.collaborators")

    @strawberry_django.field(
        description="The public service pages whose content names this organisation (in a "
        "collaborators block), in the editors' order, in the reader's language (else along "
        "its fallback chain)."
    )
    def services(
        self, info: strawberry.Info
    ) -> list[Annotated["ServicePageType", strawberry.lazy("graphql_api.pages")]]:
        return get_context(info).links.services_naming(info, self)


def registered(info: strawberry.Info, objects: list) -> list:
    """Snippets a resolver returns, their logos registered to load with the other images."""
    return get_context(info).links.returned(objects)


def asked_in(info: strawberry.Info, objects: list, locale: str | None) -> list:
    """Snippets a root query returns: the pages they link to follow the asked language's
    fallback chain (snippets always fall back, and so do their links)."""
    visibility = get_context(info).visibility
    chain = fallback_chain(visibility, resolve_locale(visibility, locale), True)
    return registered(info, with_chain(objects, chain))


def snippet_versions(info: strawberry.Info, model: type[Model], locale: str | None) -> QuerySet:
    """The visible versions of a snippet model in ``locale`` and in the default language,
    annotated with ``rank`` (0: the asked language), ordered by translation key, then rank:
    the first of each key is the version to show."""
    visibility = get_context(info).visibility
    chain = [resolve_locale(visibility, locale)]
    if visibility.default_locale is not None and visibility.default_locale not in chain:
        chain.append(visibility.default_locale)
    return (
        visible(info, model.objects.filter(locale_id__in=[loc.pk for loc in chain]))
        .annotate(rank=chain_rank(chain))
        .order_by("translation_key", "rank")
    )


def best_versions(info: strawberry.Info, locale: str | None) -> QuerySet:
    """Each collaborator once: its version in ``locale``, else in the default language."""
    return snippet_versions(info, Collaborator, locale)


@strawberry.type
class CollaboratorQueries:
    @strawberry_django.field(
        description="Every partner organisation, ordered by name: the version in `locale` "
        "(default language when omitted), else the default-language version."
    )
    def collaborators(
        self, info: strawberry.Info, locale: str | None = None
    ) -> list[CollaboratorType] | None:
        chosen: dict[str, Collaborator] = {}
        for obj in best_versions(info, locale):
            chosen.setdefault(obj.translation_key, obj)
        ordered = sorted(chosen.values(), key=lambda obj: (obj.name.lower(), obj.slug))
        return asked_in(info, ordered, locale)

    @strawberry_django.field(
        description="One partner organisation by slug (case-insensitive), in `locale` or "
        "else the default language; null when there is none."
    )
    def collaborator(
        self, info: strawberry.Info, slug: str, locale: str | None = None
    ) -> CollaboratorType | None:
        best = best_versions(info, locale).filter(slug__iexact=slug).order_by("rank").first()
        return asked_in(info, [best], locale)[0] if best else None
