"""The site's chrome: its name, menus, interface texts, newsletter, contact details and
social links, per language, with the `site` query.

Menus and texts are written per language, not per site: every site of this installation
shares them (the home page is the answering site's own). The social links are one
setting for every language and site. What a menu links to goes through the page rules
(``graphql_api.hooks.visible``): an item whose page is not public is left out.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import strawberry
import strawberry_django
from django.db.models import QuerySet
from wagtail.models import Locale

from sitewide.models import Menu, SiteTexts, SocialSettings

from .context import get_context
from .hooks import visible
from .locales import LocaleType, fallback_chain, pick_best, resolve_locale
from .markdown import MarkdownType, markdown, safe_link, safe_web_url
from .members import SocialLinkType
from .pages import HomePageType, best_page


def _in_languages(queryset: QuerySet, info: strawberry.Info) -> QuerySet:
    """The public rule of snippets (cms.public): the languages the site serves."""
    return get_context(info).visibility.snippets(queryset)


@strawberry.type(name="PageLink", description="A public page a link leads to.")
class PageLinkType:
    id: strawberry.ID = strawberry.field(description="The page id, usable with page(id:).")
    title: str = strawberry.field(description="The page's title.")
    url: str | None = strawberry.field(description="The page's URL.")


@strawberry.type(
    name="MenuItem",
    description="A menu entry: its words, where it leads and the links under it.",
)
class MenuItemType:
    label: str = strawberry.field(description="The link's words.")
    url: str | None = strawberry.field(
        description="Where it leads: the page's URL, else the address the editor typed "
        "(https://…, a site path or an #anchor); null when that address is not safe."
    )
    page: PageLinkType | None = strawberry.field(
        description="The page it leads to, when the editor chose a page."
    )
    children: list[MenuItemType] = strawberry.field(
        description="The links shown under this entry (always empty on those links)."
    )


def _menu_item(info: strawberry.Info, value: Any, children: list[MenuItemType]) -> Any:
    page = value.get("page")
    if page is None:
        if not value.get("url"):
            # The item named a page that is not public (or no longer exists): left out.
            return None
        return MenuItemType(
            label=value.get("label") or "",
            url=safe_link(value["url"]),
            page=None,
            children=children,
        )
    url = page.get_url(get_context(info).request)
    return MenuItemType(
        label=value.get("label") or "",
        url=url,
        page=PageLinkType(id=strawberry.ID(str(page.pk)), title=page.title, url=url),
        children=children,
    )


@strawberry_django.type(
    Menu,
    name="Menu",
    description="A menu or list of links in one language, e.g. the footer or the legal links.",
)
class MenuType:
    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: strawberry.Info, **kwargs: Any) -> QuerySet:
        """Menus in the content languages."""
        return _in_languages(queryset, info)

    handle: str = strawberry_django.field(
        description="What frontends ask for, the same in every language: about_nav, footer, "
        "footer_links, legal_links…"
    )

    @strawberry_django.field(description="An optional heading shown above the links.")
    def title(self) -> str:
        return self.title or ""

    @strawberry_django.field(
        description="The entries, in order; those leading to a page that is not public are "
        "left out."
    )
    def items(self, info: strawberry.Info) -> list[MenuItemType]:
        get_context(info).loader.prepare(info, self)
        items = []
        for block in self.items:
            children = [
                child
                for link in block.value.get("children") or []
                if (child := _menu_item(info, link, [])) is not None
            ]
            item = _menu_item(info, block.value, children)
            if item is not None:
                items.append(item)
        return items


class SocialSettingsRule:
    """What of the social links setting is public: its one row, the same for every
    language and site (a setting has no drafts nor restrictions)."""

    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: strawberry.Info, **kwargs: Any) -> QuerySet:
        return queryset


@strawberry.type(name="SiteString", description="An interface text, looked up by its key.")
class SiteStringType:
    key: str = strawberry.field(
        description="The key, the same in every language, e.g. contact_btn."
    )
    value: str = strawberry.field(description="The words, in the language of `locale`.")
    locale: LocaleType = strawberry.field(
        description="The language the words are written in: the asked one, or with fallback "
        "a later one of the chain. A client with its own words for the asked language "
        "prefers them to a text in another language."
    )


@strawberry_django.type(
    SiteTexts,
    name="Newsletter",
    description="The newsletter block: heading, text, email label, consent and button.",
)
class NewsletterType:
    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: strawberry.Info, **kwargs: Any) -> QuerySet:
        """The site texts of the content languages (no drafts nor restrictions)."""
        return _in_languages(queryset, info)

    @strawberry_django.field(description="The block's heading.")
    def title(self) -> str:
        return self.newsletter_title or ""

    @strawberry_django.field(description="What subscribers get.")
    def text(self) -> MarkdownType:
        return markdown(self.newsletter_text, self)

    @strawberry_django.field(description="The label of the email field.")
    def email_label(self) -> str:
        return self.newsletter_email_label or ""

    @strawberry_django.field(description="The consent checkbox's words (may link a policy).")
    def consent(self) -> MarkdownType:
        return markdown(self.newsletter_consent, self)

    @strawberry_django.field(description="The subscribe button's words.")
    def button_label(self) -> str:
        return self.newsletter_button or ""


@strawberry_django.type(
    SiteTexts, name="ContactDetails", description="The organisation's public contact details."
)
class ContactDetailsType:
    @strawberry_django.field(description="A public email address; may be empty.")
    def email(self) -> str:
        return self.contact_email or ""

    @strawberry_django.field(description="A public phone number as written; may be empty.")
    def phone(self) -> str:
        return self.contact_phone or ""

    @strawberry_django.field(description="The postal address.")
    def address(self) -> MarkdownType:
        return markdown(self.contact_address, self)


def _has_newsletter(texts: SiteTexts) -> bool:
    return bool(texts.newsletter_title or texts.newsletter_text or texts.newsletter_button)


def _has_contact(texts: SiteTexts) -> bool:
    return bool(texts.contact_email or texts.contact_phone or texts.contact_address)


class _SiteReader:
    """What one `site` field reads, each kind once, in the reader's language chain."""

    def __init__(self, info: strawberry.Info, chain: list[Locale]) -> None:
        self.info = info
        self.chain = chain
        self.rank = {loc.pk: i for i, loc in enumerate(chain)}

    @cached_property
    def texts(self) -> list[SiteTexts]:
        """The site texts of the chain's languages, best first."""
        rows = visible(
            self.info, SiteTexts.objects.filter(locale_id__in=list(self.rank)).defer("notes")
        )
        return sorted(rows, key=lambda row: self.rank[row.locale_id])

    @cached_property
    def menus(self) -> dict[str, Menu]:
        """The best menu of each handle along the chain, by handle."""
        rows = list(visible(self.info, Menu.objects.filter(locale_id__in=list(self.rank))))
        by_handle: dict[str, list[Menu]] = {}
        for row in rows:
            by_handle.setdefault(row.handle, []).append(row)
        best = {handle: pick_best(same, self.chain) for handle, same in sorted(by_handle.items())}
        # Their items' pages are read together, whichever menus the query asks for.
        get_context(self.info).loader.add_pages(best.values())
        return best


@strawberry.type(
    name="Site",
    description="The site answering the request, in one language: its name, menus, texts, "
    "newsletter, contact details and social links. Menus and texts are per language (every "
    "site of the installation shares them); social links are the same everywhere.",
)
class SiteType:
    reader: strawberry.Private[_SiteReader]
    asked: strawberry.Private[Locale]

    @strawberry.field(description="The site's name as set in the CMS.")
    def name(self, info: strawberry.Info) -> str:
        site = get_context(info).visibility.site
        return site.site_name if site is not None else ""

    @strawberry.field(description="The language asked for (texts may come from fallbacks).")
    def locale(self) -> LocaleType:
        return self.asked  # type: ignore[return-value]

    @strawberry.field(
        description="The site's home page in this language (with fallback, the best one "
        "along the language chain); null when it is not public."
    )
    def home_page(self, info: strawberry.Info) -> HomePageType | None:
        from cms.models import HomePage

        roots = get_context(info).visibility.root_paths
        paths = [
            roots[loc.language_code] for loc in self.reader.chain if loc.language_code in roots
        ]
        return best_page(info, HomePage.objects.filter(url_path__in=paths), self.reader.chain)

    @strawberry.field(
        description="Menus by handle, in the order asked (every menu, by handle, when "
        "`handles` is omitted). A handle with no menu in the language (nor, with fallback, "
        "in the chain) is left out."
    )
    def menus(self, handles: list[str] | None = None) -> list[MenuType]:
        menus = self.reader.menus
        if handles is None:
            return list(menus.values())
        return [menus[handle] for handle in dict.fromkeys(handles) if handle in menus]

    @strawberry.field(description="One menu by handle, or null.")
    def menu(self, handle: str) -> MenuType | None:
        return self.reader.menus.get(handle)

    @strawberry.field(description="The organisation's social profiles, in the editors' order.")
    def social_links(self, info: strawberry.Info) -> list[SocialLinkType]:
        setting = visible(info, SocialSettings.objects.order_by("pk")).first()
        if setting is None:
            return []
        links = []
        for block in setting.links:
            url = safe_web_url(block.value.get("url"))
            if url:
                links.append(SocialLinkType(kind=block.value.get("kind") or "other", url=url))
        return links

    @strawberry.field(
        description="Interface texts. With `keys`, those keys in that order (a key with no "
        "text is left out: use your built-in words); without, every key. With fallback, "
        "each key missing in the language comes from the next language of the chain, and "
        "its `locale` says so."
    )
    def strings(self, keys: list[str] | None = None) -> list[SiteStringType]:
        found: dict[str, SiteStringType] = {}
        for texts in self.reader.texts:
            locale = self.reader.chain[self.reader.rank[texts.locale_id]]
            for block in texts.strings:
                key = block.value.get("key")
                if key and key not in found:
                    found[key] = SiteStringType(
                        key=key,
                        value=block.value.get("value") or "",
                        locale=locale,  # type: ignore[arg-type]
                    )
        wanted = list(dict.fromkeys(keys)) if keys is not None else list(found)
        return [found[key] for key in wanted if key in found]

    @strawberry.field(
        description="The newsletter block; null when the language (and, with fallback, the "
        "chain) has none."
    )
    def newsletter(self) -> NewsletterType | None:
        return next((t for t in self.reader.texts if _has_newsletter(t)), None)

    @strawberry.field(
        description="The contact details; null when the language (and, with fallback, the "
        "chain) has none."
    )
    def contact(self) -> ContactDetailsType | None:
        return next((t for t in self.reader.texts if _has_contact(t)), None)


@strawberry.type
class SiteQueries:
    @strawberry.field(
        description="The site answering this request in a language (the default language "
        "when omitted). With `fallback: true`, menus, the newsletter, the contact details "
        "and the home page missing in the language come from the next language of the "
        "server's chain, and interface texts key by key."
    )
    def site(
        self, info: strawberry.Info, locale: str | None = None, fallback: bool = False
    ) -> SiteType | None:
        visibility = get_context(info).visibility
        asked = resolve_locale(visibility, locale)
        chain = fallback_chain(visibility, asked, fallback)
        return SiteType(reader=_SiteReader(info, chain), asked=asked)
