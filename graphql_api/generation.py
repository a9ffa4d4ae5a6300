"""What only a content change can change, kept in each process for one content generation.

Sites, languages, view restrictions, and the images, documents, snippets and renditions
pages point to change only through saves that renew the content generation
(``delivery.cache``: every save of a page, snippet, image, collection, restriction,
site or locale, every publish, unpublish, move and delete, and the deletion of a
rendition). So each process keeps what it read from the database under the generation it
read it in, and a request under the same generation takes it from memory instead of
asking the database again. A request under a new generation starts an empty store: the
first request after a change reads everything afresh.

Whether a page is visible also depends on the time (go-live and expiry dates). The page a
request asks for is always looked up in the database with every rule. What the store keeps
about other pages (the pages a block links to, translations, breadcrumbs, a page's built
body) is kept only until the next go-live or expiry date of any page: once that moment
passes, those entries are dropped and the next date is read again.

A request reads the generation once (``request_generation``) and keeps it. Data read in a
request is stored under that token even when a change commits meanwhile; the change has
renewed the token by then (at once and again on commit), so no later request reads it.
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Min, Q
from django.http import HttpRequest
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Locale,
    Page,
    PageViewRestriction,
    Site,
)

from delivery.cache import request_generation

# Objects (images, documents, snippet groups, renditions) one generation may hold before
# the store is emptied and refilled: a ceiling on memory for very large libraries.
MAX_ENTRIES = 20_000
# Entries about pages (lookups, listings, built bodies, translations, breadcrumbs): a body
# with every block is the largest thing kept, so fewer of these. A client walking more
# pages than this (a static-site build) empties and refills them: it pays the first
# request's cost again, never more.
MAX_PAGE_ENTRIES = 2_000


class GenerationStore:
    """The lookups and objects read under one content generation, in this process."""

    def __init__(self, token: str) -> None:
        self.token = token
        self._sites: dict[tuple[str, Any], Site | None] = {}
        self._entries: dict[tuple, Any] = {}
        self._page_entries: dict[tuple, Any] = {}
        self._pages_until: datetime | None = None
        self._pages_checked = False

    # Sites and languages --------------------------------------------------------------

    def site_for(self, request: HttpRequest) -> Site | None:
        """Wagtail's site for the request, looked up once per host and port."""
        if hasattr(request, "_wagtail_site"):
            return request._wagtail_site
        key = (request._get_raw_host(), request.get_port())
        if key not in self._sites:
            self._sites[key] = Site.find_for_request(request)
        site = request._wagtail_site = self._sites[key]
        return site

    @cached_property
    def site_root_paths(self) -> list:
        return list(Site.get_site_root_paths())

    @cached_property
    def locales(self) -> dict[str, Locale]:
        """The content languages that have a Locale, in the order of the settings."""
        found = {locale.language_code: locale for locale in Locale.objects.all()}
        return {
            code: found[code] for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES if code in found
        }

    # Restrictions ---------------------------------------------------------------------

    @cached_property
    def restricted_page_paths(self) -> tuple[str, ...]:
        """Tree paths of the pages that carry a view restriction of any kind."""
        return tuple(sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True))))

    @cached_property
    def private_collection_ids(self) -> frozenset[int]:
        """Collections with a view restriction, and every collection inside one."""
        paths = set(CollectionViewRestriction.objects.values_list("collection__path", flat=True))
        if not paths:
            return frozenset()
        inside = Q()
        for path in paths:
            inside |= Q(path__startswith=path)
        return frozenset(Collection.objects.filter(inside).values_list("pk", flat=True))

    # Objects --------------------------------------------------------------------------

    def get(self, key: tuple, default: Any = None) -> Any:
        return self._entries.get(key, default)

    def __contains__(self, key: tuple) -> bool:
        return key in self._entries

    def put(self, key: tuple, value: Any) -> None:
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        self._entries[key] = value

    # What depends on which pages are visible ------------------------------------------

    def page_entries(self, now: datetime) -> dict[tuple, Any]:
        """Entries that depend on page visibility, valid at ``now``.

        Emptied when ``now`` has reached the next go-live or expiry date of any page.
        """
        if not self._pages_checked or (self._pages_until is not None and now >= self._pages_until):
            self._page_entries = {}
            self._pages_until = self._next_page_date(now)
            self._pages_checked = True
        if len(self._page_entries) >= MAX_PAGE_ENTRIES:
            self._page_entries.clear()
        return self._page_entries

    @staticmethod
    def _next_page_date(now: datetime) -> datetime | None:
        dates = Page.objects.aggregate(
            go_live=Min("go_live_at", filter=Q(go_live_at__gt=now)),
            expire=Min("expire_at", filter=Q(expire_at__gt=now)),
        )
        upcoming = [date for date in dates.values() if date is not None]
        return min(upcoming) if upcoming else None


_held: GenerationStore | None = None


def store_for(request: HttpRequest) -> GenerationStore:
    """This process's store for the generation the request reads under."""
    global _held
    token = request_generation(request)
    held = _held
    if held is None or held.token != token:
        held = _held = GenerationStore(token)
    return held
