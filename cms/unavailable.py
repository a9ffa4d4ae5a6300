"""Clean 503 answers while the database cannot be reached.

A database restart, failover or network cut makes every query fail for a few seconds.
Readers then get ``503 Service Unavailable`` with ``Retry-After`` instead of a 500: an
HTML (or plain) page for the site, a GraphQL-style JSON error for ``/graphql/``, never
the exception's text. Answers the response cache holds are still served (it lives in
Redis, see delivery.graphql_cache), and once the database is back the next request
succeeds: persistent connections are health-checked (``CONN_HEALTH_CHECKS``).

Two places catch the outage:

- ``server_error`` is the project's ``handler500``: Django calls it for any exception a
  view or middleware let through, with that exception being handled, so a
  ``django.db`` ``OperationalError`` or ``InterfaceError`` from anywhere becomes a 503.
- ``graphql_unavailable`` wraps the GraphQL view. A resolver's exception never leaves
  the view: GraphQL turns it into an error in a 200 answer (masked as "Unexpected
  error."), which clients and HTTP caches would take for an answer. The wrapper opens
  the request's connection before the view runs, so a database that is down fails
  there, and watches every query the view runs; a query that fails because the
  database went away turns the whole answer into the 503.
"""

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.defaults import server_error as default_server_error

# The errors that mean "the database cannot be reached now", as Django raises them.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5
MESSAGE = "The service is temporarily unavailable; please try again in a few seconds."
CODE = "SERVICE_UNAVAILABLE"
HTML = (
    "<!doctype html>\n"
    '<html lang="en">\n'
    '<head><meta charset="utf-8"><title>Service unavailable</title></head>\n'
    "<body><h1>Service unavailable</h1><p>" + MESSAGE + "</p></body>\n"
    "</html>\n"
)


def _unavailable_headers(response: HttpResponse) -> HttpResponse:
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def graphql_unavailable_response() -> JsonResponse:
    """The 503 of the GraphQL endpoint, shaped like a GraphQL error."""
    body = {"errors": [{"message": MESSAGE, "extensions": {"code": CODE}}]}
    return _unavailable_headers(JsonResponse(body, status=503))


def html_unavailable_response() -> HttpResponse:
    """The 503 of every other path: a small page that needs no database to render."""
    response = HttpResponse(HTML, status=503, content_type="text/html; charset=utf-8")
    return _unavailable_headers(response)


def _is_graphql(request: HttpRequest) -> bool:
    return request.path_info.rstrip("/") == reverse("graphql").rstrip("/")


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """``handler500``: a 503 when the database is unreachable, Django's 500 page otherwise."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        if _is_graphql(request):
            return graphql_unavailable_response()
        return html_unavailable_response()
    return default_server_error(request, *args, **kwargs)


def graphql_unavailable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 503 when the database fails under a GraphQL request (see the module's text)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        failures: list[Exception] = []

        def watch(execute, sql, params, many, context):
            try:
                return execute(sql, params, many, context)
            except DATABASE_UNAVAILABLE as error:
                failures.append(error)
                raise

        # Connect now (after the health check of a persistent connection): connecting
        # happens outside the query wrappers, and an error here reaches server_error.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        with connection.execute_wrapper(watch):
            response = view(request, *args, **kwargs)
        if failures:
            return graphql_unavailable_response()
        return response

    return wrapped
