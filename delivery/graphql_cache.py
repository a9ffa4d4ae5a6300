"""HTTP delivery of the GraphQL endpoint: persisted queries, a shared response cache,
ETags and Cache-Control.

It wraps the GraphQL view without knowing its internals: it reads the request
(query, variables, persisted-query hash), answers from the cache when it can, and
otherwise lets the view run and keeps its answer once it has been sent.

An answer is kept under the content generation and the time window the request started
in (graphql_api.invalidation): the generation is renewed by every change that can alter a
public answer, and the window ends at the next go-live or expiry date of any page
(``next_change``). So a kept answer is never read after a change nor after that date; its
TTL is the setting capped at the seconds left in the window, and an answer finished after
its window closed is not kept at all (it may show what the date has since changed). A
resolver that marks its request uncacheable (a preview) is neither kept nor sent as public.
"""

import hashlib
import json
import logging
import math
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache, wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse, QueryDict
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse

from graphql_api.errors import ErrorCode
from graphql_api.invalidation import is_uncacheable, next_change, request_generation

from .models import PersistedQuery

APQ_PREFIX = "civic:apq:"
RESPONSE_PREFIX = "civic:gql:"
logger = logging.getLogger(__name__)


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class RequestError(Exception):
    """A request the protocol refuses, with the GraphQL error to answer."""

    def __init__(self, message: str, code: ErrorCode, status: int = 200):
        super().__init__(message)
        self.response = JsonResponse(
            {"errors": [{"message": message, "extensions": {"code": code.value}}]}, status=status
        )


def _params(request: HttpRequest) -> dict[str, Any] | None:
    """The GraphQL parameters of a request, or None when they are not ours to read."""
    if request.method == "GET":
        params: dict[str, Any] = {k: request.GET.get(k) for k in request.GET}
        for key in ("variables", "extensions"):
            if isinstance(params.get(key), str):
                try:
                    params[key] = json.loads(params[key])
                except ValueError:
                    return None
        return _well_formed(params)
    if request.method == "POST" and request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return None
        return _well_formed(body) if isinstance(body, dict) else None
    if request.method == "POST" and request.content_type == "multipart/form-data":
        # A GraphQL multipart request (an upload): the operation is in `operations`.
        try:
            body = json.loads(request.POST.get("operations") or "{}")
        except ValueError:
            return None
        return _well_formed(body) if isinstance(body, dict) else None
    return None


@lru_cache(maxsize=256)
def _operation_types(query: str) -> frozenset[tuple[str | None, OperationType]]:
    try:
        document = parse(query)
    except GraphQLError:
        return frozenset()
    return frozenset(
        (node.name.value if node.name else None, node.operation)
        for node in document.definitions
        if isinstance(node, OperationDefinitionNode)
    )


def is_mutation(query: str, operation_name: str | None) -> bool:
    """Whether the operation a request runs is a mutation (then it is never cached).

    A document the server cannot parse runs nothing; the view answers it with an error.
    """
    operations = _operation_types(query)
    if operation_name:
        return (operation_name, OperationType.MUTATION) in operations
    return any(kind is OperationType.MUTATION for _name, kind in operations)


def _well_formed(params: dict[str, Any]) -> dict[str, Any] | None:
    """The parameters when each has the type the protocol says, else None.

    A malformed request (``{"query": 5}``) is left to the view, which refuses it with a 400
    and a message; reading it here would fail with a server error.
    """
    if not isinstance(params.get("query"), (str, type(None))):
        return None
    for key in ("variables", "extensions"):
        if not isinstance(params.get(key), (dict, type(None))):
            return None
    persisted = (params.get("extensions") or {}).get("persistedQuery")
    if persisted is not None and (
        not isinstance(persisted, dict)
        or not isinstance(persisted.get("sha256Hash"), (str, type(None)))
    ):
        return None
    return params


def _known_query(digest: str) -> str | None:
    query = cache.get(APQ_PREFIX + digest)
    if query is None:
        registered = PersistedQuery.objects.filter(sha256=digest).values_list("query", flat=True)
        query = next(iter(registered), None)
        if query is not None:
            cache.set(APQ_PREFIX + digest, query, timeout=None)
    return query


def _resolve_query(params: dict[str, Any]) -> str | None:
    """Apply the persisted-query protocol and the allowlist; return the query text."""
    query = params.get("query")
    persisted = (params.get("extensions") or {}).get("persistedQuery") or {}
    digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    allowlist = _setting("CIVIC_GRAPHQL_ALLOWLIST", False)

    if digest:
        if query:
            if sha256(query) != digest:
                raise RequestError(
                    "provided sha does not match query",
                    ErrorCode.PERSISTED_QUERY_HASH_MISMATCH,
                    400,
                )
        else:
            query = _known_query(digest)
            if query is None:
                if allowlist:
                    raise RequestError(
                        "This server only runs registered queries; this hash is not one.",
                        ErrorCode.QUERY_NOT_ALLOWED,
                        400,
                    )
                raise RequestError("PersistedQueryNotFound", ErrorCode.PERSISTED_QUERY_NOT_FOUND)
    if query and allowlist and _known_query(digest or sha256(query)) != query:
        raise RequestError(
            "This server only runs registered queries; register this one first.",
            ErrorCode.QUERY_NOT_ALLOWED,
            400,
        )
    if query and digest and not allowlist and cache.get(APQ_PREFIX + digest) is None:
        cache.set(APQ_PREFIX + digest, query, timeout=_setting("CIVIC_APQ_TTL_SECONDS", 86400))
    return query


def _with_query(request: HttpRequest, params: dict[str, Any], query: str) -> None:
    """Hand the resolved query text on to the GraphQL view."""
    if params.get("query") == query:
        return
    if request.method == "GET":
        data: QueryDict = request.GET.copy()
        data["query"] = query
        request.GET = data
    elif request.content_type == "multipart/form-data":
        form: QueryDict = request.POST.copy()
        form["operations"] = json.dumps({**params, "query": query})
        request.POST = form
    else:
        request._body = json.dumps({**params, "query": query}).encode()


class Window:
    """The time window a request started in: from its start to the next page date."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.started = timezone.now()
        self._end: datetime | None = None
        self._read = False

    @property
    def end(self) -> datetime | None:
        """The next go-live or expiry date after the request started (None: no date ahead)."""
        if not self._read:
            self._end = next_change(self.started, request_generation(self.request))
            self._read = True
        return self._end

    def seconds_left(self, limit: int) -> int:
        """``limit`` capped at the whole seconds left before the window closes (0: closed).

        A limit of 0 (that layer turned off) reads no date."""
        if limit <= 0:
            return 0
        if self.end is None:
            return limit
        left = (self.end - timezone.now()).total_seconds()
        return max(0, min(limit, math.floor(left)))


def _key(request: HttpRequest, window: Window, what: Any) -> str:
    material = json.dumps(
        [
            request_generation(request),
            window.end.isoformat() if window.end else None,
            # Media URLs in an answer are absolute on the origin the request reached.
            request.scheme,
            request.get_host(),
            # Display names (e.g. of languages) follow the request's language.
            get_language(),
            what,
        ],
        sort_keys=True,
        default=str,
    )
    return RESPONSE_PREFIX + sha256(material)


def _cache_key(request: HttpRequest, params: dict[str, Any], query: str, window: Window) -> str:
    """The key of a request's answer, from its parsed parameters (any method)."""
    what = [query, params.get("variables") or {}, params.get("operationName") or ""]
    return _key(request, window, what)


def _get_key(request: HttpRequest, window: Window) -> str:
    """The key of a GET's answer, from its raw query string, read before parsing it.

    The same query string always asks the same thing, so a hit needs neither the string
    parsed (for a full query text, most of a hit's time) nor the query resolved. Only GETs
    that passed every check of a miss are kept: mutations, refusals and errors never are.
    Two spellings of one request are two keys; the second one is a miss, never wrong.
    """
    return _key(request, window, ["GET", request.META.get("QUERY_STRING", "")])


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def _finish(
    request: HttpRequest,
    response: HttpResponse,
    body: bytes,
    cacheable: bool,
    window: Window,
    etag: str | None = None,
):
    etag = etag or _etag(body)
    response["ETag"] = etag
    patch_vary_headers(response, ("Origin", "Accept-Encoding"))
    if request.method == "GET" and cacheable:
        # HTTP caches keep the answer no longer than the window either.
        max_age = window.seconds_left(_setting("CIVIC_GRAPHQL_HTTP_MAX_AGE", 30))
        swr = window.seconds_left(
            max_age + _setting("CIVIC_GRAPHQL_HTTP_STALE_WHILE_REVALIDATE", 30)
        )
        swr = max(0, swr - max_age)
        response["Cache-Control"] = f"public, max-age={max_age}" + (
            f", stale-while-revalidate={swr}" if swr else ""
        )
        if etag in [t.strip() for t in request.META.get("HTTP_IF_NONE_MATCH", "").split(",")]:
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Cache-Control", "Vary"):
                not_modified[header] = response[header]
            return not_modified
    else:
        response["Cache-Control"] = "private, no-store" if not cacheable else "no-cache"
    return response


def cached_graphql(view: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Wrap the GraphQL view with persisted queries, the response cache and HTTP caching."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        window = Window(request)
        from graphql_api.views import edge_refusal

        ttl = _setting("CIVIC_GRAPHQL_CACHE_SECONDS", 600)
        keys: list[str] = []
        if ttl > 0 and request.method == "GET" and not _setting("CIVIC_GRAPHQL_ALLOWLIST", False):
            # Under an allowlist every request is checked against it first (below).
            # A GET is a hit only for the very query string of a GET that passed every
            # check of a miss, the edge's included: its key is that string, unparsed.
            keys.append(_get_key(request, window))
            hit = _hit(request, keys, window)
            if hit is not None:
                return hit
        refusal = edge_refusal(request)
        if refusal is not None:
            return refusal
        params = _params(request)
        if params is None:
            return view(request, *args, **kwargs)
        try:
            query = _resolve_query(params)
        except RequestError as refused:
            return refused.response
        if not query:
            return view(request, *args, **kwargs)
        _with_query(request, params, query)
        if request.method != "GET" and (
            request.content_type == "multipart/form-data"
            or is_mutation(query, params.get("operationName"))
        ):
            # Mutations change things: never answered from the cache nor kept. (Over GET
            # the view refuses them with METHOD_NOT_ALLOWED; nothing was kept for them.)
            response = view(request, *args, **kwargs)
            response["Cache-Control"] = "private, no-store"
            patch_vary_headers(response, ("Origin",))
            return response

        if ttl > 0:
            # The same request over GET or POST shares this key; a hit here is copied to
            # the GET's own key, so that its next hit needs no parsing.
            keys.insert(0, _cache_key(request, params, query, window))
            hit = _hit(request, keys, window)
            if hit is not None:
                return hit

        response = view(request, *args, **kwargs)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        body = response.content
        etag = _etag(body)
        # Previews and whatever else a resolver marks: never kept, never public. An answer
        # with errors is never kept: the text "errors" as a key anywhere (an alias too)
        # keeps nothing, which is never wrong.
        cacheable = not is_uncacheable(request)
        if keys and cacheable and b'"errors"' not in body and window.seconds_left(ttl) > 0:
            _keep_once_sent(response, keys, (etag, body), window, ttl)
            response["X-Civic-Cache"] = "miss"
        return _finish(request, response, body, cacheable, window, etag)

    return wrapped


def _keep_once_sent(
    response: HttpResponse, keys: list[str], stored: tuple[str, bytes], window: Window, ttl: int
) -> None:
    """Keep the answer under ``keys`` once it has been sent, not before.

    The server closes a response after its last byte went out (WSGI ``close()``; Django's
    test client does the same), and Django then runs the response's closers: the reader
    does not wait for the write. Kept no longer than the window, and not at all once it
    has closed, as judged at the write. A failed write is logged: the answer went out.
    """

    def keep() -> None:
        timeout = window.seconds_left(ttl)
        if timeout <= 0:
            return
        try:
            cache.set_many(dict.fromkeys(keys, stored), timeout=timeout)
        except Exception:
            logger.warning("An answer was not kept in the response cache.", exc_info=True)

    # The hook Django's own responses use to release what they hold once sent.
    response._resource_closers.append(keep)


def _hit(request: HttpRequest, keys: list[str], window: Window) -> HttpResponse | None:
    """The answer kept under the first of ``keys`` (also kept under the others), or None."""
    stored = cache.get(keys[0])
    if not isinstance(stored, tuple):
        return None
    if len(keys) > 1:
        timeout = window.seconds_left(_setting("CIVIC_GRAPHQL_CACHE_SECONDS", 600))
        if timeout > 0:
            cache.set_many(dict.fromkeys(keys[1:], stored), timeout=timeout)
    etag, body = stored
    response = HttpResponse(body, content_type="application/json")
    response["X-Civic-Cache"] = "hit"
    return _finish(request, response, body, True, window, etag)
