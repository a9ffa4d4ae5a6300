"""Abusive queries over HTTP: each refused with a clear error and a non-5xx status.

Every answer is also checked for what must never reach a client: a Python traceback or
the title of a page the visitor may not see.
"""

import json

import pytest
from django.test import override_settings

from tests.factories import make_service

HIDDEN_TITLE = "Borrador secreto del presupuesto"


@pytest.fixture
def hidden_page(site_structure):
    """A draft service page whose title must never appear in an answer."""
    return make_service(
        site_structure.service_indexes["es"],
        title=HIDDEN_TITLE,
        slug="borrador-secreto",
        publish=False,
    )


@pytest.fixture
def post(client, hidden_page):
    """POST a raw body to /graphql/; return (status, decoded JSON), checked for leaks."""

    def run(body) -> tuple[int, dict | list | str]:
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        response = client.post("/graphql/", data=data, content_type="application/json")
        text = response.content.decode()
        assert "Traceback" not in text
        assert 'File "' not in text
        assert HIDDEN_TITLE not in text
        if response["Content-Type"].startswith("application/json"):
            return response.status_code, response.json()
        return response.status_code, text

    return run


def messages(result: dict) -> list[str]:
    return [error["message"] for error in result["errors"]]


@override_settings(CIVIC_GRAPHQL_MAX_DEPTH=4)
def test_depth_through_nested_fragments(post):
    query = """
    query Deep { services { ...A } }
    fragment A on ServicePageConnection { edges { ...B } }
    fragment B on ServicePageCursorEdge { node { ...C } }
    fragment C on ServicePage { body { ... on QuoteBlock { text { html } } } }
    """
    assert post({"query": query}) == (
        200,
        {
            "data": None,
            "errors": [
                {
                    "message": "'Deep' exceeds maximum operation depth of 4",
                    "locations": [{"line": 5, "column": 67}],
                    "extensions": {"code": "QUERY_TOO_DEEP"},
                }
            ],
        },
    )


def test_depth_at_the_default_limit(post):
    # Deeper than 12 levels through fragments that refer to each other in a chain.
    fragments = "".join(
        f"fragment F{i} on ServicePage {{ translations {{ ...F{i + 1} }} }}\n" for i in range(14)
    )
    fragments += "fragment F14 on ServicePage { title }\n"
    query = 'query Deep { service(slug: "x") { ...F0 } }\n' + fragments
    status, result = post({"query": query})
    assert status == 200
    assert result["data"] is None
    assert messages(result)[:1] == ["'Deep' exceeds maximum operation depth of 12"]


def test_circular_fragments_are_refused(post):
    query = """
    query Loop { services { ...A } }
    fragment A on ServicePageConnection { edges { node { ...B } } }
    fragment B on ServicePage { slug ...C }
    fragment C on ServicePage { title ...B }
    """
    status, result = post({"query": query})
    assert status == 200
    assert result["data"] is None
    assert messages(result) == ["Cannot spread fragment 'B' within itself via 'C'."]


def test_self_spreading_fragment_is_refused(post):
    query = "query Loop { ...Q } fragment Q on Query { locales { code } ...Q }"
    status, result = post({"query": query})
    assert status == 200
    assert result["data"] is None
    assert messages(result) == ["Cannot spread fragment 'Q' within itself."]


def test_aliases_through_fragments_at_the_default_limit(post):
    aliases = " ".join(f"a{i}: locales {{ code }}" for i in range(8))
    more = " ".join(f"b{i}: locales {{ code }}" for i in range(8))
    query = f"{{ ...A ...B }} fragment A on Query {{ {aliases} }} fragment B on Query {{ {more} }}"
    assert post({"query": query}) == (
        200,
        {
            "data": None,
            "errors": [
                {
                    "message": "16 aliases found. Allowed: 15",
                    "extensions": {"code": "TOO_MANY_ALIASES"},
                }
            ],
        },
    )


def test_alias_bomb_on_one_field(post):
    query = "{ " + " ".join(f"x{i}: services {{ totalCount }}" for i in range(100)) + " }"
    assert post({"query": query}) == (
        200,
        {
            "data": None,
            "errors": [
                {
                    "message": "100 aliases found. Allowed: 15",
                    "extensions": {"code": "TOO_MANY_ALIASES"},
                }
            ],
        },
    )


def test_token_flood(post):
    query = "{ " + "locales { code } " * 1000 + "}"
    status, result = post({"query": query})
    assert status == 200
    assert result["data"] is None
    assert messages(result) == [
        "Syntax Error: Document contains more than 2000 tokens. Parsing aborted."
    ]


@pytest.mark.parametrize(
    ("first", "shown"),
    [(51, "51"), (10_000, "10000"), (-5, "-5")],
)
def test_page_size_abuse(post, first, shown):
    status, result = post({"query": f"{{ services(first: {first}) {{ totalCount }} }}"})
    assert status == 200
    assert result["data"] == {"services": None}
    assert messages(result) == [
        f"first must be between 1 and 50 (got {shown}); use pageInfo.endCursor with after "
        "to get more."
    ]


def test_page_size_beyond_a_graphql_int(post):
    status, result = post({"query": "{ services(first: 99999999999) { totalCount } }"})
    assert status == 200
    assert result["data"] is None
    assert messages(result) == ["Int cannot represent non 32-bit signed integer value: 99999999999"]


def test_batched_queries_are_refused(post):
    batch = [{"query": "{ locales { code } }"}] * 50
    status, result = post(batch)
    assert 400 <= status < 500
    assert result == refusal(BATCH_REFUSAL)


def test_hidden_page_is_not_named_by_errors(post):
    query = """
    { service(slug: "borrador-secreto") { title }
      page(path: "/es/servicios/borrador-secreto/") { title }
      services(first: 0) { totalCount } }
    """
    status, result = post({"query": query})
    assert status == 200
    # The refused list is null; the draft is null as it always is; nothing names it.
    assert result["data"] == {"service": None, "page": None, "services": None}
    assert messages(result) == [
        "first must be between 1 and 50 (got 0); use pageInfo.endCursor with after to get more."
    ]
    assert "borrador" not in json.dumps(result["errors"])


@pytest.mark.parametrize(
    "body",
    [
        "",
        "not json",
        "[]",
        "{}",
        '{"query": 5}',
        '{"query": ["{ locales { code } }"]}',
        '{"query": "{ locales { code } }", "variables": "x"}',
        '{"query": "{ locales { code } }", "extensions": "x"}',
        '{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": 5}}}',
        '{"query": "{ locales { code } }", ',
    ],
)
def test_malformed_bodies_are_refused_cleanly(post, body):
    status, result = post(body)
    assert (status, result) == (400, refusal(MALFORMED_REFUSALS[body]))


def test_unknown_extension_shapes_are_ignored(post):
    body = '{"query": "{ locales { isDefault } }", "extensions": {"persistedQuery": 1}}'
    status, result = post(body)
    assert (status, sorted(result["data"]["locales"], key=str)) == (
        200,
        [{"isDefault": False}, {"isDefault": False}, {"isDefault": True}],
    )


def refusal(message: str) -> dict:
    """The answer to a request the GraphQL protocol refuses (HTTP 400)."""
    return {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}


BATCH_REFUSAL = "Batching is not enabled"
NO_QUERY = "No GraphQL query found in the request"
NOT_JSON = "Unable to parse request body as JSON"
QUERY_NOT_STRING = "The GraphQL operation's `query` must be a string or null, if provided."
MALFORMED_REFUSALS = {
    "": "Unsupported content type",
    "not json": NOT_JSON,
    "[]": BATCH_REFUSAL,
    "{}": NO_QUERY,
    '{"query": 5}': QUERY_NOT_STRING,
    '{"query": ["{ locales { code } }"]}': QUERY_NOT_STRING,
    '{"query": "{ locales { code } }", "variables": "x"}': (
        "The GraphQL operation's `variables` must be an object or null, if provided."
    ),
    '{"query": "{ locales { code } }", "extensions": "x"}': (
        "The GraphQL operation's `extensions` must be an object or null, if provided."
    ),
    '{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": 5}}}': NO_QUERY,
    '{"query": "{ locales { code } }", ': NOT_JSON,
}
