"""Partner organisations: the Collaborator type and its queries."""

import strawberry

from cms.models import Collaborator

from .context import get_context
from .images import ImageType, image_type
from .locales import LocaleType, fallback_chain, pick_best, resolve_locale
from .markdown import safe_web_url


@strawberry.type(
    name="Collaborator",
    description="A partner organisation, in the asked language or else the default language.",
)
class CollaboratorType:
    obj: strawberry.Private[Collaborator]

    @strawberry.field(description="Stable identifier shared by every language, e.g. goteo.")
    def slug(self) -> str:
        return self.obj.slug

    @strawberry.field(description="The organisation's name.")
    def name(self) -> str:
        return self.obj.name

    @strawberry.field(description="The organisation's website (http or https), if any.")
    def url(self) -> str | None:
        return safe_web_url(self.obj.url)

    @strawberry.field(description="The organisation's logo, with its alt text.")
    def logo(self, info: strawberry.Info) -> ImageType | None:
        image = get_context(info).loader.image(self.obj.logo_id)
        return image_type(image, self.obj.logo_alt_text)

    @strawberry.field(description="The language this version is written in.")
    def locale(self, info: strawberry.Info) -> LocaleType:
        return LocaleType(obj=get_context(info).loader.locale(self.obj.locale_id))


def collaborator_types(info: strawberry.Info, objects) -> list[CollaboratorType]:
    loader = get_context(info).loader
    return [CollaboratorType(obj=obj) for obj in loader.snippets(o for o in objects if o)]


@strawberry.type
class CollaboratorQueries:
    @strawberry.field(
        description="Every partner organisation, ordered by name: the version in `locale` "
        "(default language when omitted), else the default-language version."
    )
    def collaborators(
        self, info: strawberry.Info, locale: str | None = None
    ) -> list[CollaboratorType]:
        visibility = get_context(info).visibility
        chain = fallback_chain(visibility, resolve_locale(visibility, locale), fallback=False)
        if visibility.default_locale not in chain:
            chain.append(visibility.default_locale)
        by_key: dict[str, list[Collaborator]] = {}
        for obj in Collaborator.objects.filter(locale__in=chain):
            by_key.setdefault(obj.translation_key, []).append(obj)
        chosen = [pick_best(versions, chain) for versions in by_key.values()]
        chosen.sort(key=lambda obj: (obj.name.lower(), obj.slug))
        return collaborator_types(info, chosen)

    @strawberry.field(
        description="One partner organisation by slug (case-insensitive), in `locale` or "
        "else the default language; null when there is none."
    )
    def collaborator(
        self, info: strawberry.Info, slug: str, locale: str | None = None
    ) -> CollaboratorType | None:
        visibility = get_context(info).visibility
        chain = [resolve_locale(visibility, locale)]
        if visibility.default_locale not in chain:
            chain.append(visibility.default_locale)
        found = list(Collaborator.objects.filter(slug__iexact=slug, locale__in=chain))
        best = pick_best(found, chain)
        return collaborator_types(info, [best])[0] if best else None
