"""Pages: the Page interface, one type per page model, and the `page` query."""

from datetime import datetime
from typing import Any

import strawberry
import strawberry_django
from django.db.models import QuerySet
from wagtail.models import Page

from cms.models import HomePage
from delivery.preview import PreviewError, resolve_token
from services.models import ServiceIndexPage, ServicePage

from .collaborators import CollaboratorType, registered
from .context import get_context
from .errors import ApiError, ErrorCode
from .hooks import visible
from .images import ImageType, placed_image
from .invalidation import mark_uncacheable
from .loading import mark_draft
from .locales import LocaleType, fallback_chain, pick_best, resolve_locale
from .markdown import MarkdownType, markdown
from .stream import CallToActionBlockType, StreamBlockInterface, stream_blocks

# What the optimizer must load for the fields computed in Python (it loads only the columns
# a query selects): a page's URL, its related pages, and the content the loader builds.
URL_FIELDS = ["url_path", "locale_id"]
RELATED_FIELDS = ["translation_key", "path", "depth"]
CONTENT_FIELDS = ["body", "image_id", "image_alt", "locale_id"]


@strawberry_django.type(Page, name="Translation", description="Another language version of a page.")
class TranslationType:
    @strawberry_django.field(description="The version's language, for hreflang.")
    def locale(self, info: strawberry.Info) -> LocaleType:
        return get_context(info).visibility.locales_by_id[self.locale_id]

    title: str = strawberry_django.field(description="The version's title, in its language.")

    @strawberry_django.field(description="The version's URL.")
    def url(self, info: strawberry.Info) -> str | None:
        return self.get_url(get_context(info).request)


@strawberry_django.type(
    Page, name="Breadcrumb", description="An ancestor of a page, for breadcrumbs."
)
class BreadcrumbType:
    id: strawberry.ID = strawberry_django.field(description="The ancestor's page id.")
    title: str = strawberry_django.field(description="The ancestor's title.")

    @strawberry_django.field(description="The ancestor's URL.")
    def url(self, info: strawberry.Info) -> str | None:
        return self.get_url(get_context(info).request)


@strawberry_django.interface(
    Page,
    name="Page",
    description="A published, public page. Ask `__typename` to know its kind and use "
    "fragments such as `... on ServicePage` for the fields of that kind.",
)
class PageInterface:
    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: strawberry.Info, **kwargs: Any) -> QuerySet:
        """The visibility hook of every page, on every path (see graphql_api.visibility)."""
        return get_context(info).visibility.pages(queryset)

    id: strawberry.ID = strawberry_django.field(
        description="The page id; stable, usable with page(id:)."
    )
    title: str = strawberry_django.field(description="The page title.")
    slug: str = strawberry_django.field(description="The last part of the page's URL.")

    @strawberry_django.field(
        only=URL_FIELDS,
        description="The page's URL on this site, language prefix included, e.g. "
        "/es/services/democratic-funding/.",
    )
    def url(self, info: strawberry.Info) -> str | None:
        return self.get_url(get_context(info).request)

    @strawberry_django.field(
        only=["locale_id"],
        description="The language this page is written in. With fallback, it tells which "
        "language was served.",
    )
    def locale(self, info: strawberry.Info) -> LocaleType:
        return get_context(info).visibility.locales_by_id[self.locale_id]

    @strawberry_django.field(
        only=["seo_title", "title"],
        description="The <title> for search engines: the SEO title, else the title.",
    )
    def seo_title(self) -> str:
        return self.seo_title or self.title

    @strawberry_django.field(
        only=["search_description"],
        description="The meta description for search engines; may be empty.",
    )
    def search_description(self) -> str:
        return self.search_description or ""

    last_published_at: datetime | None = strawberry_django.field(
        description="When the page was last published."
    )

    @strawberry_django.field(
        only=RELATED_FIELDS,
        description="The page's other public language versions (itself excluded), for "
        "hreflang links and language switchers.",
    )
    def translations(self, info: strawberry.Info) -> list[TranslationType]:
        return get_context(info).loader.translations(info, self)

    @strawberry_django.field(
        only=RELATED_FIELDS,
        description="The public ancestors from the language's home page down to the parent "
        "(empty for a home page).",
    )
    def breadcrumbs(self, info: strawberry.Info) -> list[BreadcrumbType]:
        return get_context(info).loader.breadcrumbs(info, self)


@strawberry_django.type(HomePage, name="HomePage", description=HomePage.__doc__)
class HomePageType(PageInterface):
    @strawberry_django.field(
        only=["intro"], description="A short introduction shown at the top of the home page."
    )
    def intro(self) -> MarkdownType:
        return markdown(self.intro)


@strawberry_django.type(
    ServiceIndexPage, name="ServiceIndexPage", description=ServiceIndexPage.__doc__
)
class ServiceIndexPageType(PageInterface):
    @strawberry_django.field(
        only=["intro"], description="A short introduction shown above the list of services."
    )
    def intro(self) -> MarkdownType:
        return markdown(self.intro)


@strawberry_django.type(ServicePage, name="ServicePage", description=ServicePage.__doc__)
class ServicePageType(PageInterface):
    @strawberry_django.field(
        only=["description"],
        description="A short summary, shown at the top of the page and in lists.",
    )
    def description(self) -> MarkdownType:
        return markdown(self.description)

    @strawberry_django.field(
        only=CONTENT_FIELDS,
        description="The header image; null when there is none or it is private.",
    )
    def image(self, info: strawberry.Info) -> ImageType | None:
        loader = get_context(info).loader
        loader.prepare(info, self)
        image = loader.image(info, self.image_id)
        if image is None:
            return None
        alt = self.image_alt or image.default_alt_text
        return placed_image(image, alt)

    @strawberry_django.field(only=CONTENT_FIELDS, description="The page's content, block by block.")
    def body(self, info: strawberry.Info) -> list[StreamBlockInterface]:
        get_context(info).loader.prepare(info, self)
        return stream_blocks(self.body)

    @strawberry_django.field(
        only=CONTENT_FIELDS,
        description="Every organisation named in the page's blocks, once each, in order of "
        "appearance, in the page's language (else the default language).",
    )
    def collaborators(self, info: strawberry.Info) -> list[CollaboratorType]:
        get_context(info).loader.prepare(info, self)
        return registered(info, self.collaborators)

    @strawberry_django.field(
        only=CONTENT_FIELDS, description="The page's first call to action, or null."
    )
    def call_to_action(self, info: strawberry.Info) -> CallToActionBlockType | None:
        get_context(info).loader.prepare(info, self)
        for block in stream_blocks(self.body):
            if isinstance(block, CallToActionBlockType):
                return block
        return None


# The one mapping from page model to GraphQL type. Pages of other models are not served.
PAGE_TYPES: dict[type[Page], type[PageInterface]] = {
    HomePage: HomePageType,
    ServiceIndexPage: ServiceIndexPageType,
    ServicePage: ServicePageType,
}


def served(info: strawberry.Info, pages: list[Page]) -> list[Page]:
    """The pages of a served type, registered with the loader to load their content together."""
    kept = [page for page in pages if type(page) in PAGE_TYPES]
    get_context(info).loader.add_pages(kept)
    return kept


def _path_parts(path: str) -> list[str]:
    return [part for part in path.strip().split("/") if part]


def _preview(info: strawberry.Info, token: str) -> Page | None:
    # A draft is shown only to whoever holds the token: never stored in a shared cache.
    mark_uncacheable(get_context(info).request)
    try:
        preview = resolve_token(token)
    except PreviewError as error:
        code = ErrorCode.PREVIEW_TOKEN_EXPIRED if error.expired else ErrorCode.PREVIEW_TOKEN_INVALID
        raise ApiError(str(error), code) from None
    found = served(info, [mark_draft(preview.page)])
    return found[0] if found else None


def best_page(info: strawberry.Info, queryset: QuerySet, chain: list) -> Page | None:
    """The visible page of ``queryset`` whose language comes first in ``chain``, specific.

    The candidates are a page's versions in the chain's languages, so at most a few rows:
    they are ranked here rather than by a CASE expression in SQL. Ties keep the tree order.
    """
    if len(chain) == 1:
        queryset = queryset.filter(locale_id=chain[0].pk)
    else:
        queryset = queryset.filter(locale_id__in=[loc.pk for loc in chain])
    best = pick_best(list(visible(info, queryset)), chain)
    if best is None:
        return None
    found = served(info, [best.specific])
    return found[0] if found else None


@strawberry.type
class PageQueries:
    @strawberry_django.field(
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
        visibility = get_context(info).visibility
        if preview_token is not None:
            if path is not None or id is not None:
                raise ApiError(
                    "Give previewToken alone, without path or id.", ErrorCode.INVALID_ARGUMENT
                )
            return _preview(info, preview_token)
        if (path is None) == (id is None):
            raise ApiError("Give exactly one of path or id.", ErrorCode.INVALID_ARGUMENT)
        if id is not None:
            try:
                pk = int(id)
            except (TypeError, ValueError):
                raise ApiError(
                    f"Invalid page id '{id}': ids are numbers.", ErrorCode.INVALID_ID
                ) from None
            if locale is None:
                return best_page(
                    info, Page.objects.filter(pk=pk), list(visibility.locales.values())
                )
            chain = fallback_chain(visibility, resolve_locale(visibility, locale), fallback)
            # The page asked for must itself be visible before its versions are looked at.
            same = visible(info, Page.objects.filter(pk=pk)).values("translation_key")
            return best_page(info, Page.objects.filter(translation_key__in=same), chain)
        parts = _path_parts(path or "")
        if parts and parts[0] in visibility.locales and locale in (None, parts[0]):
            locale, parts = parts[0], parts[1:]
        chain = fallback_chain(visibility, resolve_locale(visibility, locale), fallback)
        candidates = [
            visibility.root_paths[loc.language_code] + "".join(f"{part}/" for part in parts)
            for loc in chain
            if loc.language_code in visibility.root_paths
        ]
        return best_page(info, Page.objects.filter(url_path__in=candidates), chain)
