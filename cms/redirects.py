"""Wagtail's redirects on the CMS's own pages, never to a page that is not public.

Wagtail's RedirectMiddleware answers a 404 with the redirect made for its path, whatever
the page it leads to: a redirect to a draft, a private, expired or not-yet-live page, or a
page of another site, would answer 301 and name that page's path. This middleware looks
the redirect up as Wagtail does and lets Wagtail answer only when the redirect leads to a
URL or to a page that is public (``cms.public``, the rule the API applies); otherwise the
404 stands and names nothing.
"""

from urllib.parse import urlparse

from wagtail.contrib.redirects.middleware import RedirectMiddleware, get_redirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from .public import Public


def _redirect_for(request) -> Redirect | None:
    path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
    found = get_redirect(request, path)
    without_query = urlparse(path).path
    if found is None and without_query != path:
        found = get_redirect(request, without_query)
    return found


class PublicRedirectMiddleware(RedirectMiddleware):
    """Wagtail's redirects, except those that lead to a page the public rules hide."""

    def process_response(self, request, response):
        if response.status_code != 404:
            return response
        redirect = _redirect_for(request)
        if redirect is None:
            return response
        if redirect.redirect_page_id is not None:
            public = Public.for_request(request).pages(
                Page.objects.filter(pk=redirect.redirect_page_id)
            )
            if not public.exists():
                return response
        return super().process_response(request, response)
