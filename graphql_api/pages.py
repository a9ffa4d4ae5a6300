"""Pages: the Page interface, one type per page model, and the `page` query."""

from datetime import date, datetime
from typing import Annotated, Any

import strawberry
import strawberry_django
from django.db.models import QuerySet
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Page

from categories.models import CategoryIndexPage, CategoryPage
from cms.markdown_html import FIELD as MARKDOWN_HTML
from cms.markdown_html import StoresMarkdownHtml
from cms.models import HomePage
from cms.paths import site_path
from delivery.preview import PreviewError, resolve_token
from generic.models import StandardPage
from projects.models import ProjectIndexPage, ProjectPage
from services.models import ServiceIndexPage, ServicePage
from team.models import TeamIndexPage

from .collaborators import CollaboratorType, registered
from .context import get_context
from .errors import ApiError, ErrorCode
from .highlighted import HighlightedTextType, highlighted
from .hooks import visible
from .images import ImageType, placed_image
from .invalidation import mark_uncacheable
from .links import with_chain
from .loading import mark_draft
from .locales import chain_rank, fallback_chain, pick_best, resolve_locale
from .markdown import MarkdownType, markdown
from .members import MemberType, ProjectStateType
from .seo import seo_field
from .stream import CallToActionBlockType, StreamBlockInterface, stream_blocks
from .translations import KEY_FIELDS, PAGE_FIELDS, locale_field, status_field

# What the optimizer must load for the fields computed in Python (it loads only the columns
# a query selects): a page's URL, its related pages, and the content the loader builds.
URL_FIELDS = ["url_path", "locale_id"]
RELATED_FIELDS = ["translation_key", "path", "depth"]


# MARKDOWN_HTML, the column of the HTML a page stored of its Markdown (cms.markdown_html),
# is read with every Markdown field and stream, or the text is rendered on each request.
def content_fields(model: type[Page], *extra: str) -> list[str]:
    """What the loader reads of a page when any of its content is asked: every StreamField
    and image of the model (it builds them all at once), so no column is read again page
    by page, whatever fields a model gains."""
    image_model = get_image_model()
    names = [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, StreamField) or getattr(field, "related_model", None) is image_model
    ]
    if issubclass(model, StoresMarkdownHtml):
        names.append(MARKDOWN_HTML)  # the HTML of the streams' Markdown
    return [*names, "locale_id", *extra]


CONTENT_FIELDS = content_fields(ServicePage, "image_alt")
PROJECT_CONTENT_FIELDS = content_fields(ProjectPage, "banner_image_alt")
CATEGORY_CONTENT_FIELDS = content_fields(CategoryPage, "symbol_alt")
HOME_CONTENT_FIELDS = content_fields(HomePage, "image_alt")
STANDARD_CONTENT_FIELDS = content_fields(StandardPage, "image_alt")
# Links are followed by translation key, in the reader's chain (graphql_api.links).
LINK_FIELDS = ["translation_key", "locale_id"]


def _links(info: strawberry.Info):
    return get_context(info).links


def _first_call_to_action(info: strawberry.Info, page: Page, *fields: str):
    # The streams are read after prepare(): the loader replaces them with the ones whose
    # choosers went through the visibility hooks.
    get_context(info).loader.prepare(info, page)
    for field in fields:
        for block in stream_blocks(getattr(page, field), page):
            if isinstance(block, CallToActionBlockType):
                return block
    return None


def _image(info: strawberry.Info, page: Page, image_id: int | None, alt: str) -> Any:
    loader = get_context(info).loader
    loader.prepare(info, page)
    image = loader.image(info, image_id)
    if image is None:
        return None
    return placed_image(image, alt or image.default_alt_text)


def listing_image() -> Any:
    """The `image` field of a listing page (cms.listing.ListingFields)."""

    def resolve(root: Any, info: strawberry.Info) -> ImageType | None:
        return _image(info, root, root.image_id, root.image_alt)

    return strawberry_django.field(
        resolver=resolve,
        only=["image_id", "image_alt"],
        description="The listing's picture, with its alt text; null when there is none or it "
        "is private.",
    )


@strawberry_django.type(Page, name="Translation", description="Another language version of a page.")
class TranslationType:
    locale = locale_field(KEY_FIELDS)

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

    locale = locale_field(KEY_FIELDS)
    translation = status_field(PAGE_FIELDS)

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

    seo = seo_field(Page)


@strawberry.type(
    name="HomeValues",
    description="The home page's values section: a heading, a line, a picture and the values.",
)
class HomeValuesType:
    title: str = strawberry.field(description="The section's heading.")
    text: MarkdownType = strawberry.field(description="A line under the heading.")
    image: ImageType | None = strawberry.field(
        description="The section's picture; null when there is none or it is private."
    )
    items: list[MarkdownType] = strawberry.field(
        description="The values, in order, one short Markdown text each."
    )


@strawberry_django.type(HomePage, name="HomePage", description=HomePage.__doc__)
class HomePageType(PageInterface):
    seo = seo_field(HomePage, *HOME_CONTENT_FIELDS)

    @strawberry_django.field(
        only=["intro", MARKDOWN_HTML],
        description="A short introduction shown at the top of the home page.",
    )
    def intro(self) -> MarkdownType:
        return markdown(self.intro, self)

    @strawberry_django.field(
        only=["hero_title"],
        description="The big title at the top, with its highlighted words and line breaks.",
    )
    def hero_title(self) -> HighlightedTextType:
        return highlighted(self.hero_title)

    @strawberry_django.field(
        only=["highlight_color"],
        description="The colour of the highlighted words as the editor wrote it, e.g. "
        "#e30062; null for the theme's own.",
    )
    def highlight_color(self) -> str | None:
        return self.highlight_color or None

    # Markdown like every other page's subtitle: one field name has one type across the
    # Page interface (a frontend's fragments on several page types must merge). The editor
    # writes one plain line, which is valid Markdown.
    @strawberry_django.field(
        only=["subtitle", MARKDOWN_HTML],
        description="A line under the hero (plain text); may be empty.",
    )
    def subtitle(self) -> MarkdownType:
        return markdown(self.subtitle, self)

    @strawberry_django.field(
        only=HOME_CONTENT_FIELDS,
        description="The hero's picture; null when there is none or it is private. Its alt "
        "text is empty when the editor marked it decorative.",
    )
    def image(self, info: strawberry.Info) -> ImageType | None:
        loader = get_context(info).loader
        loader.prepare(info, self)
        # The editors' rule for this picture: no alt text means decorative.
        return placed_image(loader.image(info, self.image_id), self.image_alt or "")

    @strawberry_django.field(
        only=[*HOME_CONTENT_FIELDS, "values_title", "values_text"],
        description="The values section; null when the home page has none.",
    )
    def values(self, info: strawberry.Info) -> HomeValuesType | None:
        get_context(info).loader.prepare(info, self)
        items = [markdown(block.value, self) for block in self.values if block.value]
        if not (self.values_title or self.values_text or items or self.values_image_id):
            return None
        return HomeValuesType(
            title=self.values_title or "",
            text=markdown(self.values_text, self),
            image=_image(info, self, self.values_image_id, ""),
            items=items,
        )

    @strawberry_django.field(
        only=["projects_title"], description="The heading of the recent projects section."
    )
    def projects_title(self) -> str:
        return self.projects_title or ""

    @strawberry_django.field(
        only=["collaborators_title"],
        description='The heading of the "who we work with" section.',
    )
    def collaborators_title(self) -> str:
        return self.collaborators_title or ""

    @strawberry_django.field(
        only=["journal_title"], description="The heading of the journal section."
    )
    def journal_title(self) -> str:
        return self.journal_title or ""


@strawberry_django.type(StandardPage, name="StandardPage", description=StandardPage.__doc__)
class StandardPageType(PageInterface):
    seo = seo_field(StandardPage, *STANDARD_CONTENT_FIELDS)

    @strawberry_django.field(
        only=["subtitle", MARKDOWN_HTML], description="A line or two under the title."
    )
    def subtitle(self) -> MarkdownType:
        return markdown(self.subtitle, self)

    @strawberry_django.field(
        only=["description", MARKDOWN_HTML],
        description="A short summary, shown at the top and in link previews.",
    )
    def description(self) -> MarkdownType:
        return markdown(self.description, self)

    @strawberry_django.field(
        only=STANDARD_CONTENT_FIELDS,
        description="The page's picture, with its alt text; null when there is none or it "
        "is private.",
    )
    def image(self, info: strawberry.Info) -> ImageType | None:
        return _image(info, self, self.image_id, self.image_alt)

    @strawberry_django.field(
        only=["layout"],
        description="How to lay the page out, e.g. about-us, contact, legal or 404; empty "
        "for the plain layout. Unknown names: use the plain layout.",
    )
    def layout(self) -> str:
        return self.layout or ""

    @strawberry_django.field(
        only=STANDARD_CONTENT_FIELDS, description="The page's content, block by block."
    )
    def body(self, info: strawberry.Info) -> list[StreamBlockInterface]:
        get_context(info).loader.prepare(info, self)
        return stream_blocks(self.body, self)


@strawberry_django.type(
    ServiceIndexPage, name="ServiceIndexPage", description=ServiceIndexPage.__doc__
)
class ServiceIndexPageType(PageInterface):
    seo = seo_field(ServiceIndexPage)

    @strawberry_django.field(
        only=["intro", MARKDOWN_HTML],
        description="A short introduction shown above the list of services.",
    )
    def intro(self) -> MarkdownType:
        return markdown(self.intro, self)

    image = listing_image()


@strawberry_django.type(ServicePage, name="ServicePage", description=ServicePage.__doc__)
class ServicePageType(PageInterface):
    seo = seo_field(ServicePage, *CONTENT_FIELDS)

    @strawberry_django.field(
        only=["description", MARKDOWN_HTML],
        description="A short summary, shown at the top of the page and in lists.",
    )
    def description(self) -> MarkdownType:
        return markdown(self.description, self)

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
        return stream_blocks(self.body, self)

    @strawberry_django.field(
        only=CONTENT_FIELDS,
        description="Every organisation named in the page's blocks, once each, in order of "
        "appearance, in the page's language (else the default language).",
    )
    def collaborators(self, info: strawberry.Info) -> list[CollaboratorType]:
        get_context(info).loader.prepare(info, self)
        return registered(info, self.collaborators)

    @strawberry_django.field(
        only=CONTENT_FIELDS,
        description="The page's call to action (its own field, else the first call to "
        "action block of its body), or null.",
    )
    def call_to_action(self, info: strawberry.Info) -> CallToActionBlockType | None:
        return _first_call_to_action(info, self, "call_to_action", "body")

    @strawberry_django.field(
        only=LINK_FIELDS,
        description="The public projects that name this service (any language version of "
        "it), newest first, in the reader's language (with fallback when asked).",
    )
    def projects(
        self, info: strawberry.Info
    ) -> list[Annotated["ProjectPageType", strawberry.lazy("graphql_api.pages")]]:
        return _links(info).reverse(info, self, "project.services")

    @strawberry_django.field(
        only=LINK_FIELDS,
        description="The public categories that group this service, in the editors' order, "
        "in the reader's language (with fallback when asked).",
    )
    def categories(
        self, info: strawberry.Info
    ) -> list[Annotated["CategoryPageType", strawberry.lazy("graphql_api.pages")]]:
        return _links(info).reverse(info, self, "category.services")


@strawberry.type(
    name="Funding",
    description="How a project is funded: each share kept exactly as the editor wrote it "
    "(e.g. 60%, 60 or empty); format them as they are.",
)
class FundingType:
    private_percentage: str = strawberry.field(description="Share of private funding.")
    public_percentage: str = strawberry.field(description="Share of public funding.")
    looking_for_finance_percentage: str = strawberry.field(
        description="Share of the budget still looking for funding."
    )


@strawberry_django.type(
    ProjectIndexPage, name="ProjectIndexPage", description=ProjectIndexPage.__doc__
)
class ProjectIndexPageType(PageInterface):
    seo = seo_field(ProjectIndexPage)

    @strawberry_django.field(
        only=["intro", MARKDOWN_HTML],
        description="A short introduction shown above the list of projects.",
    )
    def intro(self) -> MarkdownType:
        return markdown(self.intro, self)

    image = listing_image()

    category_filter_label: str = strawberry_django.field(
        description="The label of the category selector above the list; empty for the "
        "site's own word."
    )


@strawberry_django.type(ProjectPage, name="ProjectPage", description=ProjectPage.__doc__)
class ProjectPageType(PageInterface):
    seo = seo_field(ProjectPage, *PROJECT_CONTENT_FIELDS)

    @strawberry_django.field(
        only=["subtitle", MARKDOWN_HTML], description="One or two paragraphs shown under the title."
    )
    def subtitle(self) -> MarkdownType:
        return markdown(self.subtitle, self)

    @strawberry_django.field(
        only=["description", MARKDOWN_HTML],
        description="A short summary, shown in listings and link previews.",
    )
    def description(self) -> MarkdownType:
        return markdown(self.description, self)

    @strawberry_django.field(
        only=PROJECT_CONTENT_FIELDS,
        description="The wide image at the top of the page, with its alt text; null when "
        "there is none or it is private.",
    )
    def banner_image(self, info: strawberry.Info) -> ImageType | None:
        return _image(info, self, self.banner_image_id, self.banner_image_alt)

    start_date: date | None = strawberry_django.field(description="When the project began.")
    end_date: date | None = strawberry_django.field(
        description="When the project ended; null while it runs or when unknown."
    )
    date: datetime | None = strawberry_django.field(
        description="The project's own date (when it was announced); lists are newest first by it."
    )

    @strawberry_django.field(
        only=["budget"],
        description="The budget as it should read, e.g. 600.000 (kept exactly as written; "
        "may be empty).",
    )
    def budget(self) -> str:
        return self.budget or ""

    @strawberry_django.field(
        only=["private_percentage", "public_percentage", "looking_for_finance_percentage"],
        description="The shares of private, public and still-sought funding, as written.",
    )
    def funding(self) -> FundingType:
        return FundingType(
            private_percentage=self.private_percentage or "",
            public_percentage=self.public_percentage or "",
            looking_for_finance_percentage=self.looking_for_finance_percentage or "",
        )

    @strawberry_django.field(
        only=["state_id", "locale_id"],
        description="Where the project stands, in the reader's language (else the default "
        "language); null when it has none.",
    )
    def state(self, info: strawberry.Info) -> ProjectStateType | None:
        return _links(info).state(info, self)

    @strawberry_django.field(
        only=LINK_FIELDS,
        description="The public services the project names, in the editors' order, in the "
        "reader's language (with fallback when asked).",
    )
    def services(self, info: strawberry.Info) -> list[ServicePageType]:
        return _links(info).forward(info, self, "project.services")

    @strawberry_django.field(
        only=LINK_FIELDS,
        description="The public categories the project belongs to, in the editors' order, "
        "in the reader's language (with fallback when asked).",
    )
    def categories(
        self, info: strawberry.Info
    ) -> list[Annotated["CategoryPageType", strawberry.lazy("graphql_api.pages")]]:
        return _links(info).forward(info, self, "project.categories")

    @strawberry_django.field(
        only=LINK_FIELDS,
        description="The team members on the project, in the editors' order, in the "
        "reader's language (else the default language).",
    )
    def members(self, info: strawberry.Info) -> list[MemberType]:
        return _links(info).forward(info, self, "project.members")

    @strawberry_django.field(
        only=LINK_FIELDS,
        description="The project's partner organisations, in the editors' order, in the "
        "reader's language (else the default language).",
    )
    def collaborators(self, info: strawberry.Info) -> list[CollaboratorType]:
        return _links(info).forward(info, self, "project.collaborators")

    @strawberry_django.field(
        only=PROJECT_CONTENT_FIELDS,
        description="The invitation at the end of the page, or null.",
    )
    def call_to_action(self, info: strawberry.Info) -> CallToActionBlockType | None:
        return _first_call_to_action(info, self, "call_to_action")

    @strawberry_django.field(
        only=PROJECT_CONTENT_FIELDS, description="The project's story, block by block."
    )
    def body(self, info: strawberry.Info) -> list[StreamBlockInterface]:
        get_context(info).loader.prepare(info, self)
        return stream_blocks(self.body, self)


@strawberry_django.type(
    CategoryIndexPage, name="CategoryIndexPage", description=CategoryIndexPage.__doc__
)
class CategoryIndexPageType(PageInterface):
    seo = seo_field(CategoryIndexPage)

    @strawberry_django.field(
        only=["intro", MARKDOWN_HTML],
        description="A short introduction shown above the categories.",
    )
    def intro(self) -> MarkdownType:
        return markdown(self.intro, self)

    image = listing_image()


@strawberry_django.type(TeamIndexPage, name="TeamIndexPage", description=TeamIndexPage.__doc__)
class TeamIndexPageType(PageInterface):
    seo = seo_field(TeamIndexPage)

    @strawberry_django.field(
        only=["intro", MARKDOWN_HTML],
        description="A short introduction shown above the team.",
    )
    def intro(self) -> MarkdownType:
        return markdown(self.intro, self)

    image = listing_image()


@strawberry_django.type(CategoryPage, name="CategoryPage", description=CategoryPage.__doc__)
class CategoryPageType(PageInterface):
    seo = seo_field(CategoryPage, *CATEGORY_CONTENT_FIELDS)

    @strawberry_django.field(
        only=["subtitle", MARKDOWN_HTML], description="What the area of work is about."
    )
    def subtitle(self) -> MarkdownType:
        return markdown(self.subtitle, self)

    @strawberry_django.field(
        only=CATEGORY_CONTENT_FIELDS,
        description="The category's symbol, with its alt text; null when there is none or "
        "it is private.",
    )
    def symbol(self, info: strawberry.Info) -> ImageType | None:
        return _image(info, self, self.symbol_id, self.symbol_alt)

    @strawberry_django.field(
        only=LINK_FIELDS,
        description="The public services in this area of work, in the editors' order, in "
        "the reader's language (with fallback when asked).",
    )
    def services(self, info: strawberry.Info) -> list[ServicePageType]:
        return _links(info).forward(info, self, "category.services")

    @strawberry_django.field(
        only=LINK_FIELDS,
        description="The public projects in this category, newest first, in the reader's "
        "language (with fallback when asked).",
    )
    def projects(self, info: strawberry.Info) -> list[ProjectPageType]:
        return _links(info).reverse(info, self, "project.categories")

    @strawberry_django.field(
        only=CATEGORY_CONTENT_FIELDS,
        description="The invitation at the end of the page, or null.",
    )
    def call_to_action(self, info: strawberry.Info) -> CallToActionBlockType | None:
        return _first_call_to_action(info, self, "call_to_action")


# The one mapping from page model to GraphQL type. Pages of other models are not served.
PAGE_TYPES: dict[type[Page], type[PageInterface]] = {
    HomePage: HomePageType,
    ServiceIndexPage: ServiceIndexPageType,
    ServicePage: ServicePageType,
    ProjectIndexPage: ProjectIndexPageType,
    ProjectPage: ProjectPageType,
    CategoryIndexPage: CategoryIndexPageType,
    CategoryPage: CategoryPageType,
    StandardPage: StandardPageType,
    TeamIndexPage: TeamIndexPageType,
}


def served(info: strawberry.Info, pages: list[Page], chain: list | None = None) -> list[Page]:
    """The pages of a served type, registered to load their content and links together.

    ``chain``: the reader's languages, which the pages' links follow (graphql_api.links);
    without it a page's links are shown in its own language.
    """
    kept = [page for page in pages if type(page) in PAGE_TYPES]
    if chain is not None:
        kept = with_chain(kept, chain)
    return get_context(info).links.returned(kept)


def _path_parts(path: str) -> list[str]:
    return [part for part in site_path(path.strip()).split("/") if part]


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


def best_page(
    info: strawberry.Info, queryset: QuerySet, chain: list, reader: bool = True
) -> Page | None:
    """The visible page of ``queryset`` whose language comes first in ``chain``, specific.

    The candidates are a page's versions in the chain's languages, so at most a few rows:
    they are ranked here rather than by a CASE expression in SQL. Ties keep the tree order.
    ``reader``: ``chain`` is the reader's (its links follow it), not just a ranking.
    """
    if len(chain) == 1:
        queryset = queryset.filter(locale_id=chain[0].pk)
    else:
        queryset = queryset.filter(locale_id__in=[loc.pk for loc in chain])
    # Unordered in SQL (compiling the default order costs more than sorting these few
    # rows): tree order is what ranks versions in the same language.
    candidates = sorted(visible(info, queryset).order_by(), key=lambda page: page.path)
    best = pick_best(candidates, chain)
    if best is None:
        return None
    found = served(info, [best.specific], chain if reader else None)
    return found[0] if found else None


def by_slug(
    info: strawberry.Info, model: type[Page], slug: str, locale: str | None, fallback: bool
) -> Page | None:
    """One page of ``model`` by slug (case-insensitive) in the asked language, else (with
    fallback) the best version of the page the slug names along the language chain."""
    visibility = get_context(info).visibility
    chain = fallback_chain(visibility, resolve_locale(visibility, locale), fallback)
    pages = model.objects.filter(slug__iexact=slug)
    if fallback:
        keys = visible(info, pages).values("translation_key")
        pages = model.objects.filter(translation_key__in=keys)
    return best_page(info, pages, chain)


def listed(
    info: strawberry.Info, model: type[Page], locale: str | None, fallback: bool
) -> QuerySet:
    """The visible pages of ``model`` in a language; with fallback, the best version of
    each along the chain. Unordered; marked with the reader's chain for their links."""
    from .pagination import for_reader

    visibility = get_context(info).visibility
    asked = resolve_locale(visibility, locale)
    chain = fallback_chain(visibility, asked, fallback)
    if not fallback:
        return for_reader(visible(info, model.objects.filter(locale_id=asked.pk)), chain)
    ranked = (
        visible(info, model.objects.filter(locale_id__in=[loc.pk for loc in chain]))
        .annotate(rank=chain_rank(chain))
        .order_by("translation_key", "rank")
        .values_list("pk", "translation_key")
    )
    best: dict[str, int] = {}
    for pk, key in ranked:
        best.setdefault(key, pk)
    return for_reader(visible(info, model.objects.filter(pk__in=best.values())), chain)


@strawberry.type
class PageQueries:
    @strawberry_django.field(
        description="One page by its URL path (e.g. /es/services/democratic-funding/) or by "
        "id. A path without language prefix is read in `locale` (default language when "
        "omitted). With `id` and `locale`, the page's version in that language is returned. "
        "With `fallback: true`, a missing version is replaced by the best one along the "
        "server's language chain; `locale` on the result says which. Null when no public "
        "page matches. With `previewToken` (from the CMS's preview in the public site), and no "
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
                    info,
                    Page.objects.filter(pk=pk),
                    list(visibility.locales.values()),
                    reader=False,
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
