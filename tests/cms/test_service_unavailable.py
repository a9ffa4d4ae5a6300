"""A database outage answers 503 with Retry-After and a clean body, never a 500 or a traceback.

Two outages are simulated: the database refuses connections (connecting fails), and the
database goes away in the middle of a request (a query fails). Other failures keep their
own answers: Django's 500 page, GraphQL's masked "Unexpected error.".
"""

import json
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, ProgrammingError, connection
from django.test import Client

pytestmark = pytest.mark.django_db

MESSAGE = "The service is temporarily unavailable; please try again in a few seconds."
GRAPHQL_503 = {"errors": [{"message": MESSAGE, "extensions": {"code": "SERVICE_UNAVAILABLE"}}]}
HTML_503 = (
    "<!doctype html>\n"
    '<html lang="en">\n'
    '<head><meta charset="utf-8"><title>Service unavailable</title></head>\n'
    f"<body><h1>Service unavailable</h1><p>{MESSAGE}</p></body>\n"
    "</html>\n"
)
# What the security and clickjacking middleware add to every answer.
COMMON_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# Django's own 500 page (no 500.html template in the project).
SERVER_ERROR_500 = (
    '\n<!doctype html>\n<html lang="en">\n<head>\n  <title>Server Error (500)</title>\n'
    "</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n"
)
UNAVAILABLE_HEADERS = {"Retry-After": "5", "Cache-Control": "no-store"}
QUERY = '{ service(slug: "democratic-funding", locale: "es") { title } }'
PAGE = "/es/services/democratic-funding/"
REFUSED = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'


@pytest.fixture
def client():
    """A client that receives the answer of handler500 instead of the exception."""
    return Client(raise_request_exception=False)


def connecting_fails():
    return mock.patch.object(connection, "ensure_connection", side_effect=OperationalError(REFUSED))


def queries_fail(error: Exception):
    return mock.patch("django.db.backends.utils.CursorWrapper._execute", side_effect=error)


def post_graphql(client, query=QUERY):
    return client.post("/graphql/", {"query": query}, content_type="application/json")


def headers(response) -> dict:
    return {k: v for k, v in response.headers.items() if k != "Content-Length"}


def assert_graphql_503(response):
    assert response.status_code == 503
    assert headers(response) == {
        "Content-Type": "application/json",
        **UNAVAILABLE_HEADERS,
        "Vary": "Accept-Language, origin",
        "Content-Language": "es",
        **COMMON_HEADERS,
    }
    assert json.loads(response.content) == GRAPHQL_503


def assert_html_503(response):
    assert response.status_code == 503
    assert headers(response) == {
        "Content-Type": "text/html; charset=utf-8",
        **UNAVAILABLE_HEADERS,
        "Content-Language": "es",
        **COMMON_HEADERS,
    }
    assert response.content.decode() == HTML_503


def test_graphql_answers_503_when_the_database_refuses_connections(demo_page, client):
    with connecting_fails():
        response = post_graphql(client)
    assert_graphql_503(response)


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        InterfaceError("connection already closed"),
    ],
    ids=["operational", "interface"],
)
def test_graphql_answers_503_when_a_resolver_query_fails(demo_page, client, error):
    with queries_fail(error):
        response = post_graphql(client)
    assert_graphql_503(response)


def test_graphql_get_answers_503_and_is_not_cached(demo_page, client, settings):
    settings.CIVIC_GRAPHQL_CACHE_SECONDS = 600
    with connecting_fails():
        response = client.get("/graphql/", {"query": QUERY})
    assert_graphql_503(response)
    # Once the database is back the answer is computed, not a stored 503.
    response = client.get("/graphql/", {"query": QUERY})
    assert response.status_code == 200
    assert json.loads(response.content) == {"data": {"service": {"title": "Crowdfunding cívico"}}}
    assert response["X-Civic-Cache"] == "miss"


def test_graphql_answers_normally_with_the_database_up(demo_page, client):
    response = post_graphql(client)
    assert response.status_code == 200
    assert json.loads(response.content) == {"data": {"service": {"title": "Crowdfunding cívico"}}}


def test_other_database_errors_stay_masked_graphql_errors(demo_page, client):
    with queries_fail(ProgrammingError('relation "services_servicepage" does not exist')):
        response = post_graphql(client)
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "data": {"service": None},
        "errors": [
            {
                "message": "Unexpected error.",
                "locations": [{"line": 1, "column": 3}],
                "path": ["service"],
                "extensions": {"code": "INTERNAL_SERVER_ERROR"},
            }
        ],
    }


def test_page_answers_503_when_the_database_refuses_connections(demo_page, client):
    with connecting_fails():
        response = client.get(PAGE)
    assert_html_503(response)


def test_page_answers_503_when_a_query_fails(demo_page, client):
    with queries_fail(OperationalError("terminating connection due to administrator command")):
        response = client.get(PAGE)
    assert_html_503(response)


def test_other_errors_keep_the_500_page(demo_page, client):
    with queries_fail(RuntimeError("a bug")):
        response = client.get(PAGE)
    assert response.status_code == 500
    assert response.content.decode() == SERVER_ERROR_500
    assert "Retry-After" not in response
