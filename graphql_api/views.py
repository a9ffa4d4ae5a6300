"""The /graphql/ endpoint: queries by POST or GET, GraphiQL only where enabled."""

from typing import Any

from cross_web import HTTPException
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import GraphQLView
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from .conf import api_setting
from .context import ApiContext
from .errors import ErrorCode
from .extensions import with_codes
from .schema import schema


# A public, token-less and read-only API: there is no session state for CSRF to protect,
# and decoupled frontends post from other origins.
@method_decorator(csrf_exempt, name="dispatch")
class ContentAPIView(GraphQLView):
    """Serves the content API; GET runs queries only (strawberry refuses mutations on GET)."""

    allow_queries_via_get = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(schema=schema, **kwargs)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Requests the protocol refuses are answered as GraphQL errors with a code too."""
        try:
            return self.run(request=request)
        except HTTPException as refused:
            code = (
                ErrorCode.METHOD_NOT_ALLOWED
                if refused.status_code == 405
                else ErrorCode.BAD_REQUEST
            )
            response = JsonResponse(
                {"errors": [{"message": refused.reason, "extensions": {"code": code.value}}]},
                status=refused.status_code,
            )
            if refused.status_code == 405:
                response["Allow"] = "GET, POST"
            return response

    def render_graphql_ide(self, request: HttpRequest) -> HttpResponse:
        # Not a 404: the language middleware would redirect that to /es/graphql/.
        if not api_setting("CIVIC_GRAPHQL_GRAPHIQL"):
            raise HTTPException(
                400, "GraphiQL is disabled on this server. Send queries with POST or ?query=."
            )
        return super().render_graphql_ide(request)

    def process_result(self, request: HttpRequest, result: ExecutionResult) -> GraphQLHTTPResponse:
        with_codes(result.errors or [])
        return super().process_result(request, result)

    def get_context(self, request: HttpRequest, response: HttpResponse) -> ApiContext:
        return ApiContext(request=request, response=response)


graphql_view = ContentAPIView.as_view()
