"""The per-request context every resolver reads: the request, its visibility rules, its loader."""

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import strawberry
from django.http import HttpRequest, HttpResponse

from .loading import ContentLoader
from .visibility import Visibility

if TYPE_CHECKING:
    from .links import LinkLoader


@dataclass
class ApiContext:
    """What one GraphQL request shares between its resolvers; nothing outlives it."""

    request: HttpRequest
    response: HttpResponse | None = None
    extra: dict = field(default_factory=dict)

    @cached_property
    def visibility(self) -> Visibility:
        return Visibility(self.request)

    @cached_property
    def loader(self) -> ContentLoader:
        return ContentLoader(self.visibility)

    @cached_property
    def links(self) -> "LinkLoader":
        from .links import LinkLoader  # links reads the language rules, which read this module

        return LinkLoader(self.visibility, self.loader)


def get_context(info: strawberry.Info) -> ApiContext:
    return info.context
