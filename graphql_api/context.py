"""The per-request context every resolver reads: the request, its visibility rules, its loader."""

from dataclasses import dataclass, field
from functools import cached_property

import strawberry
from django.http import HttpRequest, HttpResponse

from .loading import ContentLoader
from .visibility import Visibility


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


def get_context(info: strawberry.Info) -> ApiContext:
    return info.context
