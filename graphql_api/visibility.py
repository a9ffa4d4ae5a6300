"""What a request may see. Every page, image and document the API returns comes through here.

A page is visible when it is live, its go-live date has passed, it has not expired, neither
it nor any ancestor carries a view restriction of any kind (password, login, groups), and it
belongs to the site that answers the request (the site's root page or one of that root's
translations). An alias is an ordinary page row kept in sync with its source: it is visible
under exactly the same rules, judged on the alias itself.

Images and documents are visible unless their collection, or an ancestor collection, has a
view restriction.

The site, the languages and the restrictions come from the process's store for the
request's content generation (``graphql_api.generation``): read once after each content
change, not on every request. The time-dependent rules stay in every page query.
"""

from functools import cached_property

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.http import HttpRequest
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site

from .generation import GenerationStore, store_for

# Up to this many restricted pages, pages under them are left out with one path prefix
# test each; beyond, one correlated subquery over the restrictions does it.
PREFIX_TESTS_MAX = 32


class Visibility:
    """The visibility rules of one request, with the few lookups they need done once."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.now = timezone.now()
        self._pages: dict[tuple, QuerySet] = {}

    @cached_property
    def store(self) -> GenerationStore:
        return store_for(self.request)

    @cached_property
    def site(self) -> Site | None:
        return self.store.site_for(self.request)

    @cached_property
    def site_pk(self) -> int | None:
        return self.site.pk if self.site is not None else None

    def page_entries(self) -> dict:
        """What the generation keeps about visible pages, valid at this request's time."""
        return self.store.page_entries(self.now)

    def remembered(self, key: tuple, compute):
        """``compute()``, kept for this site under ``key`` while page visibility holds."""
        entries = self.page_entries()
        key = (*key, self.site_pk)
        if key not in entries:
            entries[key] = compute()
        return entries[key]

    @cached_property
    def root_paths(self) -> dict[str, str]:
        """The url_path of the site's root page in each language, by language code."""
        if self.site is None:
            return {}
        return {
            root.language_code: root.root_path
            for root in self.store.site_root_paths
            if root.site_id == self.site.pk
        }

    @cached_property
    def locales(self) -> dict[str, Locale]:
        """The content languages that have a Locale, in the order of the settings."""
        return self.store.locales

    @cached_property
    def locales_by_id(self) -> dict[int, Locale]:
        return {locale.pk: locale for locale in self.locales.values()}

    @cached_property
    def default_locale(self) -> Locale | None:
        return self.locales.get(settings.LANGUAGE_CODE)

    def pages(self, model: type[Page] = Page, locale: Locale | None = None) -> QuerySet:
        """The visible pages of ``model``, optionally in one language.

        Built once per request for each model and language: a query reads it several
        times (the pages asked for, their translations, breadcrumbs, linked pages) and
        every caller narrows it further, which copies it.
        """
        key = (model, locale.pk if locale is not None else None)
        if key not in self._pages:
            self._pages[key] = self._visible_pages(model, locale)
        return self._pages[key]

    def _visible_pages(self, model: type[Page], locale: Locale | None) -> QuerySet:
        queryset = model.objects.live().filter(
            Q(go_live_at__isnull=True) | Q(go_live_at__lte=self.now),
            Q(expire_at__isnull=True) | Q(expire_at__gt=self.now),
        )
        roots = list(self.root_paths.values())
        if not roots:
            return queryset.none()
        in_site = Q()
        for root in roots:
            in_site |= Q(url_path__startswith=root)
        queryset = queryset.filter(in_site)
        # Restricted when a view restriction sits on the page or on an ancestor, i.e. on a
        # page whose tree path is a prefix of this page's path.
        restricted_paths = self.store.restricted_page_paths
        if len(restricted_paths) > PREFIX_TESTS_MAX:
            restricted = PageViewRestriction.objects.filter(
                page__path=Substr(OuterRef("path"), 1, Length("page__path"))
            )
            queryset = queryset.exclude(Exists(restricted))
        elif restricted_paths:
            under = Q()
            for path in restricted_paths:
                under |= Q(path__startswith=path)
            queryset = queryset.exclude(under)
        if locale is not None:
            queryset = queryset.filter(locale=locale)
        return queryset

    def _in_public_collection(self, queryset: QuerySet) -> QuerySet:
        private = self.store.private_collection_ids
        return queryset.exclude(collection_id__in=sorted(private)) if private else queryset

    def images(self) -> QuerySet:
        """Images outside private collections."""
        return self._in_public_collection(get_image_model().objects.all())

    def documents(self) -> QuerySet:
        """Documents outside private collections."""
        return self._in_public_collection(get_document_model().objects.all())
