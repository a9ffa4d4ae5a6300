"""What one API request may see: the public rules (cms.public) of the site answering it.

Every type's ``get_queryset`` applies them (graphql_api.hooks); the rules themselves are
the ones every other surface reads.
"""

from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest
from wagtail.models import Site

from cms.public import Public


class Visibility(Public):
    """The public rules of one request: its site, and the time it started."""

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(site=None)
        self.request = request

    @cached_property
    def site(self) -> Site | None:
        """The site answering the request (Wagtail's own lookup, kept on the request)."""
        return Site.find_for_request(self.request)
