"""The schema: the per-concept queries merged into one Query, with the limits configured."""

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from .categories import CategoryQueries
from .collaborators import CollaboratorQueries
from .errors import ApiError
from .extensions import schema_extensions
from .forms import FormQueries, Mutation
from .locales import LocaleQueries
from .members import MemberQueries
from .pages import PAGE_TYPES, PageQueries
from .paths import PathQueries
from .projects import ProjectQueries
from .redirects import RedirectQueries
from .search import SearchQueries
from .services import ServiceQueries
from .site import SiteQueries
from .stream import BLOCK_TYPES


@strawberry.type(
    name="Query",
    description="Civic CMS content: published, public pages of this site, by language.",
)
class Query(
    LocaleQueries,
    PageQueries,
    ServiceQueries,
    ProjectQueries,
    CategoryQueries,
    CollaboratorQueries,
    MemberQueries,
    SearchQueries,
    SiteQueries,
    FormQueries,
    PathQueries,
    RedirectQueries,
):
    pass


class ContentSchema(strawberry.Schema):
    """The schema, logging only the errors the server did not expect.

    A reader's mistake (an invalid query, a refused argument, a limit) is answered with its
    message and code and is not the server's problem: logging each with a traceback would
    bury the failures that are. Unexpected exceptions are logged as strawberry does.
    """

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        unexpected = [
            error
            for error in errors
            if error.original_error is not None
            and not isinstance(error.original_error, (ApiError, GraphQLError))
        ]
        super().process_errors(unexpected, execution_context)


schema = ContentSchema(
    query=Query,
    mutation=Mutation,
    types=[*PAGE_TYPES.values(), *BLOCK_TYPES.values()],
    extensions=schema_extensions(),
)
