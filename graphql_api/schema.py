"""The schema: the per-concept queries merged into one Query, with the limits configured."""

import strawberry

from .collaborators import CollaboratorQueries
from .extensions import schema_extensions
from .locales import LocaleQueries
from .pages import PAGE_TYPES, PageQueries
from .search import SearchQueries
from .services import ServiceQueries
from .stream import BLOCK_TYPES


@strawberry.type(
    name="Query",
    description="Civic CMS content: published, public pages of this site, by language.",
)
class Query(LocaleQueries, PageQueries, ServiceQueries, CollaboratorQueries, SearchQueries):
    pass


schema = strawberry.Schema(
    query=Query,
    types=[*PAGE_TYPES.values(), *BLOCK_TYPES.values()],
    extensions=schema_extensions(),
)
