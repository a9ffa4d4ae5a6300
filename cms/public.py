"""What is public: one definition of each kind's rule, read by every surface.

The API (graphql_api.visibility), the CMS's own pages and views, the sitemaps, the paths a
static build renders, the webhooks and the importer's reports all narrow their querysets
with ``Public``: the rules of one site at one moment.

A page is public when it is live, its go-live date has passed, it has not expired, neither
it nor any ancestor carries a view restriction of any kind (Wagtail's ``public()``), it is
in a language the site serves, and it belongs to the site (the site's root page or one of
that root's translations, and what is below them). An alias is an ordinary page row kept in
sync with its source: it is public under exactly the same rules, judged on the alias.

Translatable snippets (organisations, team members, project states, menus, site texts)
are public in the languages the site serves. Images and documents are public unless their
collection, or an ancestor collection, has a view restriction. The languages a site serves
are the configured content languages that have a Locale.

The time is read once, so every part of one answer agrees on it, and so is what the rules
read from the database (the site's root paths, the languages, the restrictions): nothing
is kept from one ``Public`` to the next.
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property

from django.conf import settings
from django.db.models import CharField, Q, QuerySet, Value
from django.http import HttpRequest
from django.utils import timezone
from wagtail.models import CollectionViewRestriction, Locale, PageViewRestriction, Site


class Public:
    """The rules of what is public on one site at one moment."""

    def __init__(self, site: Site | None, now: datetime | None = None) -> None:
        self._site = site
        self.now: datetime = now or timezone.now()

    @classmethod
    def for_request(cls, request: HttpRequest) -> Public:
        """The rules for the site answering ``request``, now."""
        return cls(Site.find_for_request(request))

    # Site and languages -----------------------------------------------------------------

    @property
    def site(self) -> Site | None:
        return self._site

    @property
    def site_pk(self) -> int | None:
        return self.site.pk if self.site is not None else None

    @cached_property
    def root_paths(self) -> dict[str, str]:
        """The url_path of the site's root page in each language, by language code."""
        if self.site is None:
            return {}
        return {
            root.language_code: root.root_path
            for root in Site.get_site_root_paths()
            if root.site_id == self.site.pk
        }

    @cached_property
    def locales(self) -> dict[str, Locale]:
        """The content languages that have a Locale, in the order of the settings."""
        pairs, _every = self._locale_rows
        return {code: Locale(pk=pk, language_code=code) for pk, code in pairs}

    @cached_property
    def _locale_rows(self) -> tuple[tuple[tuple[int, str], ...], bool]:
        return _content_locales()

    @cached_property
    def every_locale_served(self) -> bool:
        """Whether every Locale row is a content language (then no row is in another)."""
        return self._locale_rows[1]

    @cached_property
    def locales_by_id(self) -> dict[int, Locale]:
        return {locale.pk: locale for locale in self.locales.values()}

    @cached_property
    def default_locale(self) -> Locale | None:
        return self.locales.get(settings.LANGUAGE_CODE)

    # Pages ------------------------------------------------------------------------------

    @cached_property
    def restrictions(self) -> tuple[tuple[tuple[str, int], ...], tuple[str, ...]]:
        """The restricted sections: (path, depth) of each restricted page, and the tree
        path of each restricted collection; read in one query."""
        return _restrictions()

    @cached_property
    def private_pages(self) -> Q | None:
        """Pages in a private section, or None when no page is restricted.

        The condition of Wagtail's ``PageQuerySet.private_q`` (a restricted page and its
        descendants: ``descendant_of_q(page, inclusive=True)``), built from plain paths
        and depths. ``public()`` would read the restrictions again for every queryset and
        exclude an always-false condition when there are none; the restrictions are read
        once instead, with the collections' in the same query.
        """
        private = Q()
        for path, depth in self.restrictions[0]:
            private |= Q(path__startswith=path, depth__gte=depth)
        return private or None

    @cached_property
    def _page_rule(self) -> Q | None:
        rule = self._page_rule_without_restrictions
        if rule is not None and self.private_pages is not None:
            rule &= ~self.private_pages
        return rule

    @cached_property
    def _page_rule_without_restrictions(self) -> Q | None:
        # Built once: every page queryset read under these rules gets the same rule.
        roots = list(self.root_paths.values())
        if not roots:
            return None
        in_site = Q()
        for root in roots:
            in_site |= Q(url_path__startswith=root)
        # No go-live date ahead, no expiry passed. Written as negations: Django adds the
        # IS NOT NULL itself, so each is one condition to resolve rather than two.
        rule = in_site & ~Q(go_live_at__gt=self.now) & ~Q(expire_at__lte=self.now) & Q(live=True)
        if not self.every_locale_served:
            # Pages in a language the site does not serve (one left out of the settings).
            rule &= Q(locale_id__in=[locale.pk for locale in self.locales.values()])
        return rule

    def pages(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` narrowed to the public pages of the site."""
        rule = self._page_rule
        if rule is None:
            return queryset.none()
        return queryset.filter(rule)

    def serves(self, page) -> bool:
        """Whether ``page`` is public but for view restrictions: what Wagtail's serve view
        may render once its own check of restrictions (a password or login form) passed."""
        rule = self._page_rule_without_restrictions
        return rule is not None and type(page)._base_manager.filter(rule, pk=page.pk).exists()

    # Snippets ---------------------------------------------------------------------------

    def snippets(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` (a translatable snippet: organisations, team members, project
        states, menus, site texts) narrowed to the languages the site serves. Snippets have
        no drafts, dates or restrictions: that is their whole rule."""
        return queryset.filter(locale_id__in=[locale.pk for locale in self.locales.values()])

    # Images and documents ---------------------------------------------------------------

    def media(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` (images or documents) without those in a private collection.

        A collection is private when a restricted collection's tree path is a prefix of
        its own (itself or an ancestor). Without any restricted collection (the common
        case) nothing is filtered: no join, no subquery.
        """
        paths = self.restrictions[1]
        if paths:
            private = Q()
            for path in paths:
                private |= Q(collection__path__startswith=path)
            queryset = queryset.exclude(private)
        return queryset


def _restrictions() -> tuple[tuple[tuple[str, int], ...], tuple[str, ...]]:
    kind = CharField()
    pages = PageViewRestriction.objects.values_list(
        "page__path", "page__depth", Value("page", output_field=kind)
    )
    collections = CollectionViewRestriction.objects.values_list(
        "collection__path", "collection__depth", Value("collection", output_field=kind)
    )
    rows = set(pages.union(collections, all=True))
    return (
        tuple(sorted((path, depth) for path, depth, what in rows if what == "page")),
        tuple(sorted(path for path, _depth, what in rows if what == "collection")),
    )


def _content_locales() -> tuple[tuple[tuple[int, str], ...], bool]:
    """The (id, code) of the content languages that have a Locale, and whether they are
    every Locale there is."""
    found = {code: pk for pk, code in Locale.objects.values_list("pk", "language_code")}
    served = tuple(
        (found[code], code) for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES if code in found
    )
    return served, len(served) == len(found)
