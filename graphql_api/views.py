"""The /graphql/ endpoint: queries by POST or GET, GraphiQL only where enabled."""

import json
import re
import sys
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
from .inputs import text_problem
from .schema import schema

# Room for the operation, the map and the form's other parts around the largest upload.
MULTIPART_OVERHEAD = 1024 * 1024


# The headers the API reads (the others are the web server's and Django's): the origin of
# an upload, the validator of a cached answer, and the visitor's address behind proxies or
# a relaying site (contact.models.client_address).
READ_HEADERS = (
    "Origin",
    "If-None-Match",
    "X-Forwarded-For",
    "X-Civic-Visitor",
    "X-Civic-Visitor-Signature",
)
MAX_HEADER_LENGTH = 1024
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# Deeper than any request needs (the arguments' own limit is CIVIC_GRAPHQL_MAX_INPUT_DEPTH),
# shallow enough for every reader of the JSON after this (the response cache, the view,
# graphql-core's coercion of variables) to stay far from Python's recursion limit.
MAX_JSON_DEPTH = 64
_CHECKED = "_civic_edge_checked"


def _refused(message: str, code: ErrorCode, status: int) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"message": message, "extensions": {"code": code.value}}]}, status=status
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def header_refusal(request: HttpRequest) -> HttpResponse | None:
    """A header the API reads that holds a control character or is too long, refused."""
    for name in READ_HEADERS:
        value = request.headers.get(name)
        if value is None:
            continue
        if len(value) > MAX_HEADER_LENGTH:
            return _refused(
                f"The {name} header is longer than {MAX_HEADER_LENGTH:,} characters.",
                ErrorCode.INVALID_HEADER,
                400,
            )
        if control := CONTROL_CHARACTER.search(value):
            return _refused(
                f"The {name} header holds a control character (U+{ord(control.group()):04X}).",
                ErrorCode.INVALID_HEADER,
                400,
            )
    return None


def upload_refusal(request: HttpRequest) -> HttpResponse | None:
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
    limit = settings.CIVIC_CONTACT_MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD
    if _content_length(request) > limit:
        return _refused(
            f"The request is larger than {limit // (1024 * 1024)} MB.",
            ErrorCode.REQUEST_TOO_LARGE,
            413,
        )
    return None


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_deep(value: Any) -> bool:
    """Whether parsed JSON nests objects and arrays deeper than MAX_JSON_DEPTH."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if depth > MAX_JSON_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _read_json(text: str, where: str) -> tuple[HttpResponse | None, Any]:
    """JSON that no reader after this could read safely, refused; else its value (None for
    JSON that is merely malformed: the view answers that in the words of the
    GraphQL-over-HTTP spec)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None, None
    except RecursionError:
        value, deep = None, True
    except ValueError:
        # The only other failure of json.loads: an integer longer than Python reads.
        return _refused(
            f"{where} holds a number too long to read.", ErrorCode.BAD_REQUEST, 400
        ), None
    else:
        deep = (text.count("[") + text.count("{") > MAX_JSON_DEPTH) and _too_deep(value)
    if deep:
        return _refused(
            f"{where} nests objects and arrays more than {MAX_JSON_DEPTH} levels deep.",
            ErrorCode.BAD_REQUEST,
            400,
        ), None
    return None, value


def _params_refusal(text: str, where: str) -> HttpResponse | None:
    """A request's parameters as JSON (a body, a multipart request's operations): readable,
    and their text Unicode."""
    refusal, value = _read_json(text, where)
    if refusal is None and isinstance(value, dict):
        refusal = _request_text_refusal(value)
    return refusal


def _request_text_refusal(params: dict[str, Any]) -> HttpResponse | None:
    """Text the server reads before GraphQL does (the document, the operation's name, the
    extensions: persisted-query hashes) that is not Unicode text, refused.

    Variables are left to the arguments' checks, which answer per field.
    """
    texts: list[tuple[str, Any]] = [
        ("query", params.get("query")),
        ("operationName", params.get("operationName")),
    ]
    stack: list[tuple[str, Any]] = [("extensions", params.get("extensions"))]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{where}.{key}", item) for key, item in value.items())
            texts.extend((f"{where} (a key)", key) for key in value)
        elif isinstance(value, list):
            stack.extend((f"{where}[{index}]", item) for index, item in enumerate(value))
        else:
            texts.append((where, value))
    for where, text in texts:
        if isinstance(text, str):
            problem = text_problem(text, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or sys.maxsize)
            if problem is not None:
                return _refused(f"{where} {problem[1]}.", problem[0], 400)
    return None


def body_refusal(request: HttpRequest) -> HttpResponse | None:
    """A request body (or GET parameters) that could not be read safely, refused.

    Larger than Django reads into memory (``DATA_UPLOAD_MAX_MEMORY_SIZE``), not UTF-8,
    JSON nested too deep or holding a number Python refuses to read, or a document,
    operation name or extension that is not Unicode text.
    """
    if request.method == "GET":
        params: dict[str, Any] = {
            "query": request.GET.get("query"),
            "operationName": request.GET.get("operationName"),
        }
        for key in ("variables", "extensions"):
            if text := request.GET.get(key):
                refusal, params[key] = _read_json(text, f"The {key} parameter")
                if refusal is not None:
                    return refusal
        return _request_text_refusal(params)
    if request.method != "POST":
        return None
    if request.content_type == "multipart/form-data":
        operations = request.POST.get("operations")
        return _params_refusal(operations, "The operations part") if operations else None
    if request.content_type != "application/json":
        return None
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and _content_length(request) > limit:
        return _refused(
            f"The request is larger than {_megabytes(limit)}.", ErrorCode.REQUEST_TOO_LARGE, 413
        )
    try:
        text = request.body.decode()
    except UnicodeDecodeError as error:
        return _refused(
            f"The request body is not UTF-8 text: byte 0x{request.body[error.start]:02X} at "
            f"position {error.start + 1} is not part of a character.",
            ErrorCode.INVALID_TEXT,
            400,
        )
    return _params_refusal(text, "The request body") if text else None


def edge_refusal(request: HttpRequest) -> HttpResponse | None:
    """Why a request is refused before anything reads it, or None.

    In order: the headers the API reads, an upload's origin and size (before its body is
    read), then the body. Asked by the response cache (delivery.graphql_cache) before it
    reads the request and again by the view; the second time costs nothing.
    """
    if getattr(request, _CHECKED, False):
        return None
    refusal = header_refusal(request) or upload_refusal(request) or body_refusal(request)
    if refusal is None:
        setattr(request, _CHECKED, True)
    return refusal


# A public, token-less API (reads, and contact forms anyone may send): there is no session
# state for CSRF to protect, and decoupled frontends post from other origins. Multipart
# posts, which browsers send cross-origin without a preflight, are held to the CORS
# origins (upload_refusal).
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
        refusal = edge_refusal(request)
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
