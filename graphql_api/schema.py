"""The schema: the per-concept queries merged into one Query, with the limits configured."""

import strawberry
from strawberry.tools import merge_types

from .collaborators import CollaboratorQueries
from .extensions import schema_extensions
from .locales import LocaleQueries
from .pages import PAGE_TYPES, PageQueries
from .search import SearchQueries
from .services import ServiceQueries
from .stream import BLOCK_TYPES

Query = merge_types(
    "Query",
    (LocaleQueries, PageQueries, ServiceQueries, CollaboratorQueries, SearchQueries),
)

schema = strawberry.Schema(
    query=Query,
    types=[*PAGE_TYPES.values(), *BLOCK_TYPES.values()],
    extensions=schema_extensions(),
)
