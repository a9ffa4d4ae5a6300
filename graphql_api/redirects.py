"""Redirects: `redirect(path:)` tells a frontend where an old URL now lives.

The redirects are Wagtail's (wagtail.contrib.redirects): made by editors in the admin, or
by the importer for the URLs of the old site. They are looked up as Wagtail's
RedirectMiddleware does (the same normalised path, the site's own redirect before one for
every site), read through their visibility hook. A redirect to a page that is not public
(a draft, private, expired or other-site page) leads to the page's best public version
along the language chain of the page's language (an old Catalan URL whose translation
still waits for translators leads to the Spanish page, as the readers of the old site
saw it), or answers null when there is none: nothing of the hidden page itself (not even
its path) leaves the API.
"""

from typing import Any

import strawberry
from django.db.models import F, Q, QuerySet
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from cms.paths import site_path

from .context import get_context
from .errors import ApiError, ErrorCode
from .frontend import page_path
from .hooks import visible
from .locales import fallback_chain
from .markdown import safe_link
from .pages import best_page

MAX_PATH_LENGTH = Redirect._meta.get_field("old_path").max_length


class RedirectRule:
    """The redirects of the site answering: its own and those for every site."""

    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: strawberry.Info, **kwargs: Any) -> QuerySet:
        site_pk = get_context(info).visibility.site_pk
        if site_pk is None:
            return queryset.none()
        return queryset.filter(Q(site_id=site_pk) | Q(site__isnull=True))


@strawberry.type(name="Redirect", description="Where an old URL now lives.")
class RedirectType:
    to: str = strawberry.field(
        description="Where to send the reader: the page's path on this site (e.g. "
        "/ca/services/x/), or an absolute URL when the redirect leads elsewhere."
    )
    permanent: bool = strawberry.field(
        description="True for a permanent redirect (HTTP 301/308), false for a temporary "
        "one (302/307)."
    )


def _checked(path: str) -> str:
    if "\x00" in path:
        raise ApiError(
            "Text arguments cannot contain the NUL character (U+0000).", ErrorCode.NUL_CHARACTER
        )
    if not path.startswith("/"):
        raise ApiError(
            f"path must start with / (a path on this site, e.g. /es/old-page/); got {path[:80]!r}.",
            ErrorCode.INVALID_PATH,
        )
    if len(path) > MAX_PATH_LENGTH:
        raise ApiError(
            f"path is {len(path)} characters long; no redirect is longer than {MAX_PATH_LENGTH}.",
            ErrorCode.INVALID_PATH,
        )
    return path


def _public_version(info: strawberry.Info, pk: int) -> Page | None:
    """The best public version of a hidden page in another language, along the chain of
    the page's own language, or None. Only the version found is ever answered."""
    target = Page.objects.filter(pk=pk).values("translation_key", "locale_id").first()
    if target is None:
        return None
    visibility = get_context(info).visibility
    locale = next(
        (loc for loc in visibility.locales.values() if loc.pk == target["locale_id"]), None
    )
    if locale is None:
        return None
    others = fallback_chain(visibility, locale, fallback=True)[1:]
    if not others:
        return None
    versions = Page.objects.filter(translation_key=target["translation_key"])
    return best_page(info, versions, others, reader=False)


@strawberry.type
class RedirectQueries:
    @strawberry.field(
        description="The redirect for a path of this site (e.g. a URL of the old site, "
        "/cat/serveis/x/), or null when there is none. A redirect to a page that is not "
        "public leads to its best public version in another language (along the language "
        "chain of the page's own language), else answers null. The path is compared as "
        "Wagtail compares it (trailing slash, query order and percent-encoding do not matter). "
        "Errors: INVALID_PATH."
    )
    def redirect(self, info: strawberry.Info, path: str) -> RedirectType | None:
        path = _checked(path)
        candidates = list(
            dict.fromkeys(
                [
                    Redirect.normalise_path(site_path(path)),
                    Redirect.normalise_path(path),
                    Redirect.normalise_path(path, decode_unicode=False),
                ]
            )
        )
        rows = list(
            visible(info, Redirect.objects.filter(old_path__in=candidates))
            .order_by(F("site_id").asc(nulls_last=True), "pk")
            .values("old_path", "is_permanent", "redirect_page_id", "redirect_link")
        )
        # As the middleware: the decoded path first, and the site's own redirect first.
        rows.sort(key=lambda row: candidates.index(row["old_path"]))
        if not rows:
            return None
        found = rows[0]
        if found["redirect_page_id"] is not None:
            page = visible(info, Page.objects.filter(pk=found["redirect_page_id"])).first()
            if page is None:
                page = _public_version(info, found["redirect_page_id"])
            if page is None:
                return None
            to = page_path(info, page)
        else:
            to = safe_link(found["redirect_link"]) or ""
        if not to:
            return None
        return RedirectType(to=to, permanent=found["is_permanent"])
