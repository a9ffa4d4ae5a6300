"""The /graphql/ endpoint: queries by POST or GET, GraphiQL only where enabled."""

from typing import Any

from cross_web import HTTPException
from django.conf import settings
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

# Room for the operation, the map and the form's other parts around the largest upload.
MULTIPART_OVERHEAD = 1024 * 1024


def _refused(message: str, code: ErrorCode, status: int) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"message": message, "extensions": {"code": code.value}}]}, status=status
    )


def multipart_refusal(request: HttpRequest) -> HttpResponse | None:
    """Why a GraphQL multipart request (an upload) is refused before its body is read, or None.

    Browsers send multipart posts to any origin without asking first (no CORS preflight,
    unlike JSON posts): one from a page on an origin the API does not allow is refused, as
    the browser would refuse a JSON post. A body larger than the largest upload allowed is
    refused before it is read.
    """
    if request.method != "POST" or request.content_type != "multipart/form-data":
        return None
    origin = request.headers.get("Origin")
    if origin and not getattr(settings, "CORS_ALLOW_ALL_ORIGINS", False):
        own = f"{request.scheme}://{request.get_host()}"
        if origin != own and origin not in getattr(settings, "CORS_ALLOWED_ORIGINS", []):
            return _refused(
                f"Uploads are accepted from the site's own pages and the allowed frontends; "
                f"{origin} is not one of them.",
                ErrorCode.ORIGIN_NOT_ALLOWED,
                403,
            )
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.CIVIC_CONTACT_MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD
    if length > limit:
        return _refused(
            f"The request is larger than {limit // (1024 * 1024)} MB.",
            ErrorCode.REQUEST_TOO_LARGE,
            413,
        )
    return None


# A public, token-less API (reads, and contact forms anyone may send): there is no session
# state for CSRF to protect, and decoupled frontends post from other origins. Multipart
# posts, which browsers send cross-origin without a preflight, are held to the CORS
# origins (multipart_refusal).
@method_decorator(csrf_exempt, name="dispatch")
class ContentAPIView(GraphQLView):
    """Serves the content API; GET runs queries only (strawberry refuses mutations on GET).

    Its one mutation, submitForm, takes a file as a GraphQL multipart request.
    """

    allow_queries_via_get = True

    def __init__(self, **kwargs: Any) -> None:
        # Uploads (a contact form's file) come as GraphQL multipart requests; see dispatch.
        super().__init__(schema=schema, multipart_uploads_enabled=True, **kwargs)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Requests the protocol refuses are answered as GraphQL errors with a code too."""
        refusal = multipart_refusal(request)
        if refusal is not None:
            return refusal
        try:
            return self.run(request=request)
        except HTTPException as refused:
            if refused.reason.startswith("mutations are not allowed when using GET"):
                refused = HTTPException(
                    405, "Mutations are not allowed over GET: send submitForm with POST."
                )
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
                response["Allow"] = "POST" if request.method == "GET" else "GET, POST"
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
