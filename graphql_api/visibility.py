"""What one request may see: the rules every type's ``get_queryset`` applies.

A page is visible when it is live, its go-live date has passed, it has not expired, neither
it nor any ancestor carries a view restriction of any kind (Wagtail's ``public()``), and it
belongs to the site that answers the request (the site's root page or one of that root's
translations). An alias is an ordinary page row kept in sync with its source: it is visible
under exactly the same rules, judged on the alias itself.

Images and documents are visible unless their collection, or an ancestor collection, has a
view restriction. Languages are the configured content languages that have a Locale.

The time is read once per request, so every part of one answer agrees on it. What the
rules read from the database (the site, the languages, the restrictions) is read once per
request, or taken from a ``GenerationMemo``: plain values (ids, codes, paths, rows as
tuples), never model instances, kept per process under the token they were read in. The
site, languages and restrictions are kept under the *structure* token, which every change
to a site, locale, restriction, collection, tree path or site root's url_path renews
(``graphql_api.invalidation``), and so are the visible rows of images, documents and
snippets (``structure_rows``), whose every change renews it too; other values under the
content generation, which every change renews. Such a value cannot change for its key;
publishing an ordinary page leaves the structure's values in place.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.sql.where import AND
from django.http import HttpRequest
from django.utils import timezone
from wagtail.models import CollectionViewRestriction, Locale, PageViewRestriction, Site

from .invalidation import request_generation, request_structure

T = TypeVar("T")


class GenerationMemo:
    """Plain values read under one content generation, shared by the threads of a process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._token: str | None = None
        self._values: dict[tuple, Any] = {}

    def get(self, token: str, key: tuple, compute: Callable[[], T]) -> T:
        found = self.get_many(token, [key])
        if key in found:
            return found[key]
        value = compute()
        self.put_many(token, {key: value})
        return value

    def get_many(self, token: str, keys: Iterable[tuple]) -> dict[tuple, Any]:
        """The values kept under ``token`` for those of ``keys`` that are kept."""
        with self._lock:
            if self._token != token:
                return {}
            return {key: self._values[key] for key in keys if key in self._values}

    def put_many(self, token: str, values: dict[tuple, Any]) -> None:
        """Keep ``values`` under ``token`` (the values of another token are dropped)."""
        with self._lock:
            if self._token != token:
                self._token, self._values = token, {}
            self._values.update(values)

    def clear(self) -> None:
        with self._lock:
            self._token, self._values = None, {}


memo = GenerationMemo()
# The site, languages and restrictions, under the structure token.
structure_memo = GenerationMemo()


@dataclass(frozen=True)
class SiteInfo:
    """The site answering a request: its row's values and its root's path in each language."""

    pk: int
    hostname: str
    port: int
    site_name: str
    root_page_id: int
    is_default_site: bool
    root_paths: tuple[tuple[str, str], ...]  # (language code, url_path of the root)

    def instance(self) -> Site:
        """A Site object for this request only (Wagtail's URL helpers read it)."""
        return Site(
            pk=self.pk,
            hostname=self.hostname,
            port=self.port,
            site_name=self.site_name,
            root_page_id=self.root_page_id,
            is_default_site=self.is_default_site,
        )


class Visibility:
    """The visibility rules of one request."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.now: datetime = timezone.now()

    @cached_property
    def generation(self) -> str:
        return request_generation(self.request)

    @cached_property
    def structure(self) -> str:
        return request_structure(self.request)

    def _memo(self, key: tuple, compute: Callable[[], T]) -> T:
        return memo.get(self.generation, key, compute)

    def _structure_memo(self, key: tuple, compute: Callable[[], T]) -> T:
        return structure_memo.get(self.structure, key, compute)

    def structure_rows(
        self, kind: str, ids: list[int], read: Callable[[list[int]], dict[int, T]]
    ) -> dict[int, T | None]:
        """Plain rows of ``kind`` by id, kept under the structure token (see GenerationMemo):
        for models every change to which renews the structure, read through their
        visibility hook, whose rules read only the structure's values (kept per site, in
        case a rule reads the request's site). ``read(missing)`` reads those not kept yet;
        an id it does not give (hidden or gone) is kept as None.
        """
        token = self.structure
        site = self.site_pk
        wanted = {pk: (kind, site, pk) for pk in ids}
        kept = structure_memo.get_many(token, wanted.values())
        found = {pk: kept[key] for pk, key in wanted.items() if key in kept}
        missing = [pk for pk in ids if pk not in found]
        if missing:
            fresh = read(missing)
            rows = {pk: fresh.get(pk) for pk in missing}
            structure_memo.put_many(token, {wanted[pk]: row for pk, row in rows.items()})
            found.update(rows)
        return found

    def remember(self, key: tuple, compute: Callable[[], T]) -> T:
        """A plain value read under this request's content generation (see GenerationMemo):
        for values every change to which renews the generation."""
        return self._memo(key, compute)

    # Site and languages -----------------------------------------------------------------

    @cached_property
    def site(self) -> SiteInfo | None:
        request = self.request
        key = ("site", request._get_raw_host(), request.get_port())
        site = self._structure_memo(key, self._find_site)
        if site is not None and not hasattr(request, "_wagtail_site"):
            # What Site.find_for_request would read again for every URL Wagtail builds.
            request._wagtail_site = site.instance()
        return site

    def _find_site(self) -> SiteInfo | None:
        site = Site.find_for_request(self.request)
        if site is None:
            return None
        roots = tuple(
            (root.language_code, root.root_path)
            for root in Site.get_site_root_paths()
            if root.site_id == site.pk
        )
        return SiteInfo(
            pk=site.pk,
            hostname=site.hostname,
            port=site.port,
            site_name=site.site_name,
            root_page_id=site.root_page_id,
            is_default_site=site.is_default_site,
            root_paths=roots,
        )

    @property
    def site_pk(self) -> int | None:
        return self.site.pk if self.site is not None else None

    @cached_property
    def root_paths(self) -> dict[str, str]:
        """The url_path of the site's root page in each language, by language code."""
        return dict(self.site.root_paths) if self.site is not None else {}

    @cached_property
    def locales(self) -> dict[str, Locale]:
        """The content languages that have a Locale, in the order of the settings.

        Instances of this request, built from the (id, code) pairs of the generation.
        """
        pairs, _every = self._structure_memo(("locales",), _content_locales)
        return {code: Locale(pk=pk, language_code=code) for pk, code in pairs}

    @cached_property
    def every_locale_served(self) -> bool:
        """Whether every Locale row is a content language (then no row is in another)."""
        return self._structure_memo(("locales",), _content_locales)[1]

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
        path of each restricted collection; read in one query per structure token."""
        return self._structure_memo(("restrictions",), _restrictions)

    @cached_property
    def private_pages(self) -> Q | None:
        """Pages in a private section, or None when no page is restricted.

        The condition of Wagtail's ``PageQuerySet.private_q`` (a restricted page and its
        descendants: ``descendant_of_q(page, inclusive=True)``), built from plain paths
        and depths. ``public()`` would read the restrictions again for every queryset and
        exclude an always-false condition when there are none; the restrictions are read
        once per content generation instead, with the collections' in the same query.
        """
        private = Q()
        for path, depth in self.restrictions[0]:
            private |= Q(path__startswith=path, depth__gte=depth)
        return private or None

    @cached_property
    def _page_rule(self) -> Q | None:
        # Built once per request: every page queryset of the request gets the same rule.
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
        if self.private_pages is not None:
            rule &= ~self.private_pages
        return rule

    def _narrowed(self, queryset: QuerySet) -> bool:
        """Whether ``queryset`` already holds this request's rule (e.g. a resolver's
        queryset that strawberry-django hands to ``get_queryset`` again).

        The mark travels with the query through every clone; it is trusted only while
        the query is still a plain AND of conditions, which no later filter can widen.
        """
        query = queryset.query
        return (
            query.__dict__.get(_MARK) is self
            and query.combinator is None
            and query.where.connector == AND
            and not query.where.negated
        )

    def _mark(self, queryset: QuerySet) -> QuerySet:
        queryset.query.__dict__[_MARK] = self
        return queryset

    def pages(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` narrowed to the pages this request may see."""
        if self._narrowed(queryset):
            return queryset
        rule = self._page_rule
        if rule is None:
            return queryset.none()
        return self._mark(queryset.filter(rule))

    # Images and documents ---------------------------------------------------------------

    def media(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` (images or documents) without those in a private collection.

        A collection is private when a restricted collection's tree path is a prefix of
        its own (itself or an ancestor). Without any restricted collection (the common
        case) nothing is filtered: no join, no subquery.
        """
        if self._narrowed(queryset):
            return queryset
        paths = self.restrictions[1]
        if paths:
            private = Q()
            for path in paths:
                private |= Q(collection__path__startswith=path)
            queryset = queryset.exclude(private)
        return self._mark(queryset)


_MARK = "civic_visibility"


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
