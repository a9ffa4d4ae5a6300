"""Pages: the Page interface, one type per page model, and the `page` query."""

from datetime import datetime
from typing import Any

import strawberry
from wagtail.models import Page

from cms.models import HomePage
from delivery.preview import PreviewError, resolve_token
from services.models import ServiceIndexPage, ServicePage

from .collaborators import CollaboratorType, collaborator_types
from .context import ApiContext, get_context
from .errors import ApiError
from .images import ImageType, image_type
from .loading import mark_draft
from .locales import LocaleType, fallback_chain, pick_best, resolve_locale
from .markdown import MarkdownType, markdown
from .stream import CallToActionBlockType, StreamBlockInterface, stream_blocks


@strawberry.type(name="Translation", description="Another language version of a page.")
class TranslationType:
    obj: strawberry.Private[Page]

    @strawberry.field(description="The version's language, for hreflang.")
    def locale(self, info: strawberry.Info) -> LocaleType:
        return LocaleType(obj=get_context(info).loader.locale(self.obj.locale_id))

    @strawberry.field(description="The version's title, in its language.")
    def title(self) -> str:
        return self.obj.title

    @strawberry.field(description="The version's URL.")
    def url(self, info: strawberry.Info) -> str | None:
        return self.obj.get_url(get_context(info).request)


@strawberry.type(name="Breadcrumb", description="An ancestor of a page, for breadcrumbs.")
class BreadcrumbType:
    obj: strawberry.Private[Page]

    @strawberry.field(description="The ancestor's page id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.obj.pk))

    @strawberry.field(description="The ancestor's title.")
    def title(self) -> str:
        return self.obj.title

    @strawberry.field(description="The ancestor's URL.")
    def url(self, info: strawberry.Info) -> str | None:
        return self.obj.get_url(get_context(info).request)


@strawberry.interface(
    name="Page",
    description="A published, public page. Ask `__typename` to know its kind and use "
    "fragments such as `... on ServicePage` for the fields of that kind.",
)
class PageInterface:
    obj: strawberry.Private[Any]

    @strawberry.field(description="The page id; stable, usable with page(id:).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.obj.pk))

    @strawberry.field(description="The page title.")
    def title(self) -> str:
        return self.obj.title

    @strawberry.field(description="The last part of the page's URL.")
    def slug(self) -> str:
        return self.obj.slug

    @strawberry.field(
        description="The page's URL on this site, language prefix included, e.g. "
        "/es/services/democratic-funding/."
    )
    def url(self, info: strawberry.Info) -> str | None:
        return self.obj.get_url(get_context(info).request)

    @strawberry.field(
        description="The language this page is written in. With fallback, it tells which "
        "language was served."
    )
    def locale(self, info: strawberry.Info) -> LocaleType:
        return LocaleType(obj=get_context(info).loader.locale(self.obj.locale_id))

    @strawberry.field(description="The <title> for search engines: the SEO title, else the title.")
    def seo_title(self) -> str:
        return self.obj.seo_title or self.obj.title

    @strawberry.field(description="The meta description for search engines; may be empty.")
    def search_description(self) -> str:
        return self.obj.search_description or ""

    @strawberry.field(description="When the page was last published.")
    def last_published_at(self) -> datetime | None:
        return self.obj.last_published_at

    @strawberry.field(
        description="The page's other public language versions (itself excluded), for "
        "hreflang links and language switchers."
    )
    def translations(self, info: strawberry.Info) -> list[TranslationType]:
        loader = get_context(info).loader
        return [TranslationType(obj=page) for page in loader.translations(self.obj)]

    @strawberry.field(
        description="The public ancestors from the language's home page down to the parent "
        "(empty for a home page)."
    )
    def breadcrumbs(self, info: strawberry.Info) -> list[BreadcrumbType]:
        loader = get_context(info).loader
        return [BreadcrumbType(obj=page) for page in loader.breadcrumbs(self.obj)]


@strawberry.type(name="HomePage", description=HomePage.__doc__)
class HomePageType(PageInterface):
    @strawberry.field(description="A short introduction shown at the top of the home page.")
    def intro(self) -> MarkdownType:
        return markdown(self.obj.intro)


@strawberry.type(name="ServiceIndexPage", description=ServiceIndexPage.__doc__)
class ServiceIndexPageType(PageInterface):
    @strawberry.field(description="A short introduction shown above the list of services.")
    def intro(self) -> MarkdownType:
        return markdown(self.obj.intro)


@strawberry.type(name="ServicePage", description=ServicePage.__doc__)
class ServicePageType(PageInterface):
    @strawberry.field(description="A short summary, shown at the top of the page and in lists.")
    def description(self) -> MarkdownType:
        return markdown(self.obj.description)

    @strawberry.field(description="The header image; null when there is none or it is private.")
    def image(self, info: strawberry.Info) -> ImageType | None:
        image = get_context(info).loader.image(self.obj.image_id)
        if image is None:
            return None
        self.obj.image = image  # the loaded image, so the model's alt text logic needs no query
        return image_type(image, self.obj.image_alt_text)

    @strawberry.field(description="The page's content, block by block.")
    def body(self, info: strawberry.Info) -> list[StreamBlockInterface]:
        return stream_blocks(get_context(info).loader.stream(self.obj, "body"))

    @strawberry.field(
        description="Every organisation named in the page's blocks, once each, in order of "
        "appearance, in the page's language (else the default language)."
    )
    def collaborators(self, info: strawberry.Info) -> list[CollaboratorType]:
        get_context(info).loader.stream(self.obj, "body")
        return collaborator_types(info, self.obj.collaborators)

    @strawberry.field(description="The page's first call to action, or null.")
    def call_to_action(self, info: strawberry.Info) -> CallToActionBlockType | None:
        for block in self.body(info):
            if isinstance(block, CallToActionBlockType):
                return block
        return None


# The one mapping from page model to GraphQL type. Pages of other models are not served.
PAGE_TYPES: dict[type[Page], type[PageInterface]] = {
    HomePage: HomePageType,
    ServiceIndexPage: ServiceIndexPageType,
    ServicePage: ServicePageType,
}


def page_types(ctx: ApiContext, pages: list[Page]) -> list[PageInterface]:
    """The API objects for visible specific pages; registers them with the loader."""
    served = [page for page in pages if type(page) in PAGE_TYPES]
    ctx.loader.add_pages(served)
    return [PAGE_TYPES[type(page)](obj=page) for page in served]


def _path_parts(path: str) -> list[str]:
    return [part for part in path.strip().split("/") if part]


@strawberry.type
class PageQueries:
    @strawberry.field(
        description="One page by its URL path (e.g. /es/services/democratic-funding/) or by "
        "id. A path without language prefix is read in `locale` (default language when "
        "omitted). With `id` and `locale`, the page's version in that language is returned. "
        "With `fallback: true`, a missing version is replaced by the best one along the "
        "server's language chain; `locale` on the result says which. Null when no public "
        'page matches. With `previewToken` (from the CMS\'s "Preview in frontend"), and no '
        "path or id, the draft the token was issued for, with the same fields."
    )
    def page(
        self,
        info: strawberry.Info,
        path: str | None = None,
        id: strawberry.ID | None = None,
        locale: str | None = None,
        fallback: bool = False,
        preview_token: str | None = None,
    ) -> PageInterface | None:
        ctx = get_context(info)
        visibility = ctx.visibility
        if preview_token is not None:
            if path is not None or id is not None:
                raise ApiError("Give previewToken alone, without path or id.")
            try:
                preview = resolve_token(preview_token)
            except PreviewError as error:
                raise ApiError(str(error)) from None
            result = page_types(ctx, [mark_draft(preview.page)])
            return result[0] if result else None
        if (path is None) == (id is None):
            raise ApiError("Give exactly one of path or id.")
        if id is not None:
            try:
                pk = int(id)
            except (TypeError, ValueError):
                raise ApiError(f"Invalid page id '{id}': ids are numbers.") from None
            key = ("page-id", pk, locale, fallback)
            page = visibility.remembered(key, lambda: _page_by_id(visibility, pk, locale, fallback))
        else:
            parts = _path_parts(path or "")
            if parts and parts[0] in visibility.locales and locale in (None, parts[0]):
                locale, parts = parts[0], parts[1:]
            asked = resolve_locale(visibility, locale)
            chain = fallback_chain(visibility, asked, fallback)
            key = ("page-path", tuple(parts), tuple(loc.pk for loc in chain))
            page = visibility.remembered(key, lambda: _page_by_path(visibility, parts, chain))
        if page is None:
            return None
        result = page_types(ctx, [page])
        return result[0] if result else None


def _page_by_id(visibility, pk: int, locale: str | None, fallback: bool) -> Page | None:
    """The visible page with id ``pk`` (or its best version in ``locale``), specific."""
    page = visibility.pages().filter(pk=pk).first()
    if page is None:
        return None
    if locale is not None and page.locale_id != resolve_locale(visibility, locale).pk:
        chain = fallback_chain(visibility, resolve_locale(visibility, locale), fallback)
        versions = visibility.pages().filter(translation_key=page.translation_key, locale__in=chain)
        page = pick_best(list(versions), chain)
    return page.specific if page is not None else None


def _page_by_path(visibility, parts: list[str], chain: list) -> Page | None:
    """The visible page at ``parts`` under the site's root in the best language of ``chain``."""
    candidates = []
    for candidate_locale in chain:
        root = visibility.root_paths.get(candidate_locale.language_code)
        if root is not None:
            candidates.append(root + "".join(f"{part}/" for part in parts))
    found = list(visibility.pages().filter(url_path__in=candidates, locale__in=chain))
    page = pick_best(found, chain)
    return page.specific if page is not None else None
