"""Redirects from the URLs the old Jekyll site served to the pages the CMS serves them at.

``old_urls`` is the one statement of the old site's URL scheme (docs/IMPORTING.md, "The old
site's URLs"); ``sync_redirects`` turns every old URL that differs from the page's URL in
the CMS into a permanent Wagtail redirect bound to the site. Re-running an import updates
those redirects in place. A redirect an editor made by hand (Wagtail's
``automatically_created`` is false) is never changed: it is reported instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from cms.paths import site_path

# The old site's collections that were pages of their own, and the URL segment each was
# served under (the CMS serves them under its language's index: graphql_api, site_structure).
OLD_SEGMENTS = {"services": "services", "projects": "projects", "categories": "categories"}
HOME_SLUG = "home"
MAX_OLD_PATH = Redirect._meta.get_field("old_path").max_length


@dataclass
class RedirectCounts:
    """What syncing the redirects did, for the import's JSON report."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # editors' redirects left as they are

    def to_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "kept_editors": self.kept,
        }


def old_urls(
    collection: str, rel: str, slug: str, permalink: object = None, home: bool = False
) -> list[str]:
    """Every URL the old site served one source file at.

    ``rel`` is the file's path in the source (``_services/cat/financiación-democrática.md``):
    its language folder is the old URL prefix (``cat``, not the CMS's ``ca``) and its name
    the file-name form Jekyll also wrote. ``slug`` is the front-matter slug as written
    (capitals and accents kept), ``permalink`` the page's own front-matter permalink.
    """
    parts = PurePosixPath(rel).parts
    if len(parts) < 3:
        return []
    folder = parts[1]
    stem = PurePosixPath(*parts[2:]).with_suffix("").as_posix()
    urls: list[str] = []
    if collection in OLD_SEGMENTS:
        segment = OLD_SEGMENTS[collection]
        urls += [
            f"/{folder}/{segment}/{slug}/",
            f"/{segment}/{folder}/{stem}/",
            f"/{segment}/{folder}/{stem}.html",
        ]
    elif collection == "pages":
        if home:
            urls.append(f"/{folder}/")
        urls += [f"/{folder}/{slug}/", f"/{folder}/{slug}.html"]
    if isinstance(permalink, str) and permalink.strip():
        urls.append("/" + permalink.strip().lstrip("/"))
    return list(dict.fromkeys(urls))


def _normalised(url: str) -> str:
    # Composed (NFC) as the CMS compares paths: a file system may give a name decomposed.
    return Redirect.normalise_path(site_path(url))


def sync_redirects(site: Site, targets: list[tuple[list[str], Page]]) -> RedirectCounts:
    """Make each old URL of ``targets`` (old URLs, the page they became) a permanent
    redirect to that page on ``site``, when it is not already the page's own URL."""
    counts = RedirectCounts()
    served = {
        _normalised(url)
        for url in (
            page.get_url(None, site) or ""
            for page in Page.objects.filter(pk__in=[page.pk for _urls, page in targets]).specific(
                defer=True
            )
        )
        if url
    }
    wanted: dict[str, Page] = {}
    for urls, page in targets:
        own = _normalised(page.get_url(None, site) or "")
        for url in urls:
            old = _normalised(url)
            if old != own and old not in served and len(old) <= MAX_OLD_PATH:
                wanted.setdefault(old, page)
    existing = {
        redirect.old_path: redirect
        for redirect in Redirect.objects.filter(site=site, old_path__in=list(wanted))
    }
    for old, page in wanted.items():
        redirect = existing.get(old)
        if redirect is None:
            Redirect.objects.create(
                old_path=old,
                site=site,
                redirect_page=page,
                is_permanent=True,
                automatically_created=True,
            )
            counts.created += 1
        elif not redirect.automatically_created:
            counts.kept.append(
                f"{old}: an editor's redirect (to {redirect.link or 'nowhere'}) was kept; "
                f"the old site served {page.title!r} there"
            )
        elif (
            redirect.redirect_page_id == page.pk
            and redirect.is_permanent
            and not redirect.redirect_link
            and not redirect.redirect_page_route_path
        ):
            counts.unchanged += 1
        else:
            redirect.redirect_page = page
            redirect.redirect_link = ""
            redirect.redirect_page_route_path = ""
            redirect.is_permanent = True
            redirect.save()
            counts.updated += 1
    return counts
