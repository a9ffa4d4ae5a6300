"""Partner organisations: the Collaborator type and its queries."""

from typing import Any

import strawberry
import strawberry_django
from django.db.models import QuerySet

from cms.models import Collaborator

from .context import get_context
from .hooks import visible
from .images import ImageType, placed_image
from .locales import LocaleType, chain_rank, resolve_locale
from .markdown import safe_web_url


@strawberry_django.type(
    Collaborator,
    name="Collaborator",
    description="A partner organisation, in the asked language or else the default language.",
)
class CollaboratorType:
    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: strawberry.Info, **kwargs: Any) -> QuerySet:
        """Collaborators in the content languages (snippets have no drafts or restrictions)."""
        locales = get_context(info).visibility.locales
        return queryset.filter(locale_id__in=[loc.pk for loc in locales.values()])

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

    @strawberry_django.field(description="The language this version is written in.")
    def locale(self, info: strawberry.Info) -> LocaleType:
        return get_context(info).visibility.locales_by_id[self.locale_id]


def registered(info: strawberry.Info, objects: list) -> list:
    """Snippets a resolver returns, their logos registered to load with the other images."""
    get_context(info).loader.want_images(getattr(obj, "logo_id", None) for obj in objects)
    return objects


def best_versions(info: strawberry.Info, locale: str | None) -> QuerySet:
    """Each collaborator once: its version in ``locale``, else in the default language."""
    visibility = get_context(info).visibility
    chain = [resolve_locale(visibility, locale)]
    if visibility.default_locale is not None and visibility.default_locale not in chain:
        chain.append(visibility.default_locale)
    return (
        visible(info, Collaborator.objects.filter(locale_id__in=[loc.pk for loc in chain]))
        .annotate(rank=chain_rank(chain))
        .order_by("translation_key", "rank")
    )


@strawberry.type
class CollaboratorQueries:
    @strawberry_django.field(
        description="Every partner organisation, ordered by name: the version in `locale` "
        "(default language when omitted), else the default-language version."
    )
    def collaborators(
        self, info: strawberry.Info, locale: str | None = None
    ) -> list[CollaboratorType]:
        chosen: dict[str, Collaborator] = {}
        for obj in best_versions(info, locale):
            chosen.setdefault(obj.translation_key, obj)
        ordered = sorted(chosen.values(), key=lambda obj: (obj.name.lower(), obj.slug))
        return registered(info, ordered)

    @strawberry_django.field(
        description="One partner organisation by slug (case-insensitive), in `locale` or "
        "else the default language; null when there is none."
    )
    def collaborator(
        self, info: strawberry.Info, slug: str, locale: str | None = None
    ) -> CollaboratorType | None:
        best = best_versions(info, locale).filter(slug__iexact=slug).order_by("rank").first()
        return registered(info, [best])[0] if best else None
