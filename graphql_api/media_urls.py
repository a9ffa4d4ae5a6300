"""Absolute URLs for the files the API points to (images, renditions, documents).

A statically built frontend copies the API's URLs into pages served from another domain:
a site-relative ``/media/...`` would point at the frontend. Every file URL therefore leaves
the API absolute: on ``CIVIC_MEDIA_BASE_URL`` (a CDN, e.g. https://cdn.example.org) for
files under ``MEDIA_URL`` when that setting is set, otherwise on the CMS's own origin as
the request reached it.
"""

import re

from django.conf import settings
from django.http import HttpRequest


def media_base_url() -> str:
    """The configured media base, without a trailing slash; empty when unset."""
    return (getattr(settings, "CIVIC_MEDIA_BASE_URL", "") or "").rstrip("/")


def absolute_file_url(request: HttpRequest | None, url: str) -> str:
    """``url`` (as Wagtail or the storage gives it) made absolute.

    Already absolute URLs (a remote storage's) are kept. Paths under ``MEDIA_URL`` go to
    the media base when one is set; every other path (the document download view, or media
    without a base) is made absolute on the origin the request reached.
    """
    if not url or url.startswith(("http://", "https://", "//", "data:")):
        return url
    base = media_base_url()
    if base and url.startswith(settings.MEDIA_URL):
        return base + url
    if request is None:
        return url
    return request.build_absolute_uri(url)


def _media_paths() -> re.Pattern:
    return re.compile(r'(\s(?:src|href)=")(' + re.escape(settings.MEDIA_URL) + r'[^"]*)(")')


def absolute_media_in_html(request: HttpRequest | None, html: str) -> str:
    """Sanitised HTML whose ``src``/``href`` attributes naming a media file are absolute."""
    if settings.MEDIA_URL not in html:
        return html
    return _media_paths().sub(
        lambda match: match.group(1) + absolute_file_url(request, match.group(2)) + match.group(3),
        html,
    )
