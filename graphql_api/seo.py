"""Search engines and link previews: `Page.seo` (title, description, canonical URL, Open
Graph image, robots, hreflang alternates and schema.org JSON-LD), on every page type.

Everything here is read through the request's loader and visibility hooks: the alternates
are the page's public translations (``ContentLoader.translations``), the image goes through
the image hook, the organisation's social links through the setting's hook. A listing of
pages asking for `seo` costs what one page costs (the translations, images and renditions
of every page of the answer are read together; the frontend's base URL once per content
generation; the social links once per request).
"""

from dataclasses import dataclass
from datetime import date
from html import unescape
from typing import Any

import strawberry
import strawberry_django
from django.conf import settings
from django.utils.html import strip_tags
from strawberry.scalars import JSON
from wagtail.models import Page

from categories.models import CategoryIndexPage, CategoryPage
from cms.markdown_html import html_of, stored_html
from cms.models import HomePage
from generic.models import StandardPage
from projects.models import ProjectIndexPage, ProjectPage
from services.models import ServiceIndexPage, ServicePage
from sitewide.models import SocialSettings
from team.models import TeamIndexPage

from .context import get_context
from .frontend import frontend_base, frontend_url, page_path
from .hooks import visible
from .images import renditions
from .markdown import safe_web_url
from .media_urls import absolute_file_url

DESCRIPTION_LIMIT = 160
INDEX = "index, follow"
NO_INDEX = "noindex, nofollow"
OPEN_GRAPH = "OPEN_GRAPH"


@dataclass(frozen=True)
class SeoSource:
    """Where a page type keeps what `seo` is made from."""

    descriptions: tuple[str, ...] = ()  # Markdown fields; the first one with text is used
    image: str | None = None  # the image's foreign key (attname)
    image_alt: str | None = None
    extra: tuple[str, ...] = ()  # other fields `seo` reads

    def fields(self) -> list[str]:
        """The columns `seo` reads, for the query optimizer (``only``)."""
        own = [*self.descriptions, *self.extra]
        if self.image:
            own += [self.image, self.image_alt or ""]
        return [name for name in own if name]


# The one mapping from page type to its SEO sources.
SOURCES: dict[type[Page], SeoSource] = {
    HomePage: SeoSource(("subtitle", "intro"), "image_id", "image_alt"),
    StandardPage: SeoSource(("description", "subtitle"), "image_id", "image_alt", ("layout",)),
    ServiceIndexPage: SeoSource(("intro",), "image_id", "image_alt"),
    ServicePage: SeoSource(("description",), "image_id", "image_alt"),
    ProjectIndexPage: SeoSource(("intro",), "image_id", "image_alt"),
    ProjectPage: SeoSource(
        ("description", "subtitle"),
        "banner_image_id",
        "banner_image_alt",
        ("start_date", "end_date"),
    ),
    CategoryIndexPage: SeoSource(("intro",), "image_id", "image_alt"),
    CategoryPage: SeoSource(("subtitle",), "symbol_id", "symbol_alt"),
    TeamIndexPage: SeoSource(("intro",), "image_id", "image_alt"),
}

# What every page's `seo` reads: its titles, URL, language and translations.
BASE_FIELDS = [
    "title",
    "seo_title",
    "search_description",
    "url_path",
    "locale_id",
    "translation_key",
    "path",
    "depth",
]


def plain_text(source: str | None, stored: dict[str, str] | None = None) -> str:
    """Markdown as one line of plain text: rendered (or as ``stored``, the HTML its owner
    stored), tags removed, entities decoded."""
    if not source:
        return ""
    return " ".join(unescape(strip_tags(html_of(source, stored))).split())


def shortened(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """``text`` cut to at most ``limit`` characters on a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-\u2013\u2014") + "…"


@strawberry.type(name="SeoImage", description="The image for link previews (Open Graph).")
class SeoImageType:
    url: str = strawberry.field(description="The image's absolute URL (og:image).")
    width: int = strawberry.field(description="Width in pixels (og:image:width).")
    height: int = strawberry.field(description="Height in pixels (og:image:height).")
    alt: str = strawberry.field(description="Text describing it (og:image:alt); may be empty.")


@strawberry.type(
    name="Alternate", description="One language version of a page, for <link rel=alternate>."
)
class AlternateType:
    hreflang: str = strawberry.field(
        description="The language code (e.g. es), or x-default for the version to show "
        "readers of any other language."
    )
    url: str = strawberry.field(description="The version's absolute URL on the frontend.")


def _source(page: Page) -> SeoSource:
    return SOURCES.get(type(page), SeoSource())


def _organization(info: strawberry.Info) -> dict[str, Any]:
    """The organisation behind the site, once per request."""
    context = get_context(info)
    if "seo_organization" not in context.extra:
        base = frontend_base(info)
        site = context.visibility.site
        organization: dict[str, Any] = {
            "@type": "Organization",
            "@id": f"{base}/#organization",
            "name": site.site_name if site is not None else "",
            "url": f"{base}/",
        }
        setting = visible(info, SocialSettings.objects.order_by("pk")).first()
        same_as = []
        if setting is not None:
            for block in setting.links:
                url = safe_web_url(block.value.get("url"))
                if url and url not in same_as:
                    same_as.append(url)
        if same_as:
            organization["sameAs"] = same_as
        context.extra["seo_organization"] = organization
    return context.extra["seo_organization"]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


@strawberry.type(
    name="Seo",
    description="What a page's <head> needs for search engines and link previews.",
)
class SeoType:
    page: strawberry.Private[Any]

    @strawberry.field(
        description="The <title>: the page's SEO title, else its title (add the site's "
        "name yourself if you want it)."
    )
    def title(self) -> str:
        return self.page.seo_title or self.page.title

    @strawberry.field(
        description="The meta description: the editor's search description, else the "
        "page's description (or subtitle, or introduction) as plain text, cut at about 160 "
        "characters on a word boundary; may be empty."
    )
    def description(self) -> str:
        own = " ".join((self.page.search_description or "").split())
        if own:
            return own
        for name in _source(self.page).descriptions:
            text = plain_text(getattr(self.page, name, ""), stored_html(self.page))
            if text:
                return shortened(text)
        return ""

    @strawberry.field(
        description="The canonical URL, absolute on the frontend's domain, e.g. "
        "https://www.example.org/es/services/democratic-funding/."
    )
    def canonical_url(self, info: strawberry.Info) -> str:
        return frontend_url(info, page_path(info, self.page))

    @strawberry.field(
        description="The page's own picture (header, banner, symbol) as a 1200x630 crop "
        "around its focal point, for og:image; null when the page has none, it is private, "
        "or it is an SVG (which link previews do not show)."
    )
    def image(self, info: strawberry.Info) -> SeoImageType | None:
        source = _source(self.page)
        if source.image is None:
            return None
        loader = get_context(info).loader
        loader.prepare(info, self.page)
        image = loader.image(info, getattr(self.page, source.image))
        if image is None or image.is_svg():
            return None
        rendition = renditions(info, image, OPEN_GRAPH, only_first=True)[0]
        alt = getattr(self.page, source.image_alt or "", "") or image.default_alt_text or ""
        return SeoImageType(
            url=absolute_file_url(get_context(info).request, rendition.url),
            width=rendition.width,
            height=rendition.height,
            alt=alt,
        )

    @strawberry.field(
        description='The robots meta tag: "index, follow" for public pages, "noindex, '
        'nofollow" for a preview and for the 404 page.'
    )
    def robots(self) -> str:
        if getattr(self.page, "api_draft", False):
            return NO_INDEX
        if isinstance(self.page, StandardPage) and self.page.layout == "404":
            return NO_INDEX
        return INDEX

    @strawberry.field(
        description="The page's language versions for hreflang links: the page itself, "
        "each public translation, then x-default (the default language's version, else "
        "the page itself). URLs are absolute on the frontend's domain."
    )
    def alternates(self, info: strawberry.Info) -> list[AlternateType]:
        return alternates(info, self.page)

    @strawberry.field(
        description='schema.org JSON-LD for a <script type="application/ld+json">: '
        '{"@context": "https://schema.org", "@graph": [...]} with the Organization, the '
        "WebPage, and a Service (service pages) or Project (project pages)."
    )
    def json_ld(self, info: strawberry.Info) -> JSON:
        return json_ld(info, self.page, self.description())


def alternates(info: strawberry.Info, page: Page) -> list[AlternateType]:
    """See SeoType.alternates."""
    visibility = get_context(info).visibility
    versions = [page, *get_context(info).loader.translations(info, page)]
    found = [
        AlternateType(
            hreflang=visibility.locales_by_id[version.locale_id].language_code,
            url=frontend_url(info, page_path(info, version)),
        )
        for version in versions
    ]
    default = next(
        (alternate for alternate in found if alternate.hreflang == settings.LANGUAGE_CODE),
        found[0],
    )
    return [*found, AlternateType(hreflang="x-default", url=default.url)]


def json_ld(info: strawberry.Info, page: Page, description: str) -> dict[str, Any]:
    """See SeoType.json_ld."""
    organization = _organization(info)
    url = frontend_url(info, page_path(info, page))
    language = get_context(info).visibility.locales_by_id[page.locale_id].language_code
    name = page.seo_title or page.title
    web_page: dict[str, Any] = {
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "name": name,
        "inLanguage": language,
        "isPartOf": {"@id": organization["@id"]},
    }
    if description:
        web_page["description"] = description
    graph: list[dict[str, Any]] = [organization, web_page]
    if isinstance(page, ServicePage):
        service = {
            "@type": "Service",
            "name": page.title,
            "description": description,
            "provider": {"@id": organization["@id"]},
            "url": url,
        }
        graph.append(service)
    elif isinstance(page, ProjectPage):
        project: dict[str, Any] = {
            "@type": "Project",
            "name": page.title,
            "description": description,
            "url": url,
        }
        for key, value in (("startDate", page.start_date), ("endDate", page.end_date)):
            if value is not None:
                project[key] = _iso(value)
        graph.append(project)
    return {"@context": "https://schema.org", "@graph": graph}


SEO_DESCRIPTION = (
    "What the page's <head> needs: title, meta description, canonical URL, Open Graph "
    "image, robots, hreflang alternates and schema.org JSON-LD."
)


def _resolve_seo(root: Any) -> SeoType:
    return SeoType(page=root)


def seo_field(model: type[Page], *content_fields: str) -> Any:
    """The `seo` field of a page type: ``content_fields`` are what the loader needs of the
    page when its image is asked (its streams and images, see graphql_api.pages)."""
    only = [*BASE_FIELDS, *_source_for(model).fields(), *content_fields]
    return strawberry_django.field(
        resolver=_resolve_seo, only=list(dict.fromkeys(only)), description=SEO_DESCRIPTION
    )


def _source_for(model: type[Page]) -> SeoSource:
    return SOURCES.get(model, SeoSource())
