"""Query depth, aliases (also through fragments), tokens and page size are limited."""

import pytest
from django.test import override_settings


@override_settings(CIVIC_GRAPHQL_MAX_DEPTH=3)
def test_depth_limit(site_structure, graphql):
    query = "query Deep { services { edges { node { body { id } } } } }"
    response = graphql(query)
    assert response == {
        "data": None,
        "errors": [
            {
                "message": "'Deep' exceeds maximum operation depth of 3",
                "locations": [{"line": 1, "column": 47}],
                "extensions": {"code": "QUERY_TOO_DEEP"},
            }
        ],
    }


@override_settings(CIVIC_GRAPHQL_MAX_DEPTH=3)
def test_depth_limit_counts_fragments(site_structure, graphql):
    query = """
    query Deep { services { ...Edges } }
    fragment Edges on ServicePageConnection { edges { node { body { id } } } }
    """
    response = graphql(query)
    assert [(e["message"], e["extensions"]["code"]) for e in response["errors"]] == [
        ("'Deep' exceeds maximum operation depth of 3", "QUERY_TOO_DEEP")
    ]
    assert response["data"] is None


def test_default_depth_allows_the_deepest_real_query(demo_page, graphql):
    query = """
    { services { edges { node { body { ... on CollaboratorsBlock {
        collaborators { logo { rendition(preset: LOGO) { url } } } } } } } } }
    """
    response = graphql(query)
    assert "errors" not in response
    assert response["data"]["services"]["edges"]


@override_settings(CIVIC_GRAPHQL_MAX_ALIASES=3)
def test_alias_limit(site_structure, graphql):
    query = "{ a: locales { code } b: locales { code } c: locales { code } d: locales { code } }"
    response = graphql(query)
    assert response == {
        "data": None,
        "errors": [
            {"message": "4 aliases found. Allowed: 3", "extensions": {"code": "TOO_MANY_ALIASES"}}
        ],
    }


@override_settings(CIVIC_GRAPHQL_MAX_ALIASES=3)
def test_alias_limit_counts_fragments(site_structure, graphql):
    query = """
    { ...Twice  x: locales { code } y: locales { code } }
    fragment Twice on Query { a: locales { code } b: locales { code } }
    """
    response = graphql(query)
    assert response == {
        "data": None,
        "errors": [
            {"message": "4 aliases found. Allowed: 3", "extensions": {"code": "TOO_MANY_ALIASES"}}
        ],
    }


@override_settings(CIVIC_GRAPHQL_MAX_TOKENS=50)
def test_token_limit(site_structure, graphql):
    query = "{ " + " ".join(["locales { code }"] * 20) + " }"
    response = graphql(query)
    assert response == {
        "data": None,
        "errors": [
            {
                "message": "Syntax Error: Document contains more than 50 tokens. Parsing aborted.",
                "locations": [{"line": 1, "column": 215}],
                "extensions": {"code": "TOO_MANY_TOKENS"},
            }
        ],
    }


@pytest.mark.parametrize("first", [0, -1, 51, 1000])
def test_page_size_limit(site_structure, graphql, first):
    response = graphql(
        "query ($first: Int) { services(first: $first) { totalCount } }", {"first": first}
    )
    assert response == {
        "data": {"services": None},
        "errors": [
            {
                "message": f"first must be between 1 and 50 (got {first}); "
                "use pageInfo.endCursor with after to get more.",
                "locations": [{"line": 1, "column": 23}],
                "path": ["services"],
                "extensions": {"code": "PAGE_SIZE_EXCEEDED"},
            }
        ],
    }


@override_settings(CIVIC_GRAPHQL_MAX_SEARCH_RESULTS=5)
def test_search_size_limit(site_structure, graphql):
    response = graphql('{ search(query: "x", first: 6) { id } }')
    assert response["data"] == {"search": None}
    assert [(e["message"], e["extensions"]["code"]) for e in response["errors"]] == [
        (
            "first must be between 1 and 5 (got 6); use pageInfo.endCursor with after to get more.",
            "PAGE_SIZE_EXCEEDED",
        )
    ]


def test_a_document_checked_once_is_checked_again_under_stricter_limits(site_structure, graphql):
    """Parsed and validated documents are reused per process (strawberry's ParserCache and
    ValidationCache), keyed by the limits too."""
    query = "query Deep { services { edges { node { body { id } } } } }"
    assert "errors" not in graphql(query)
    assert "errors" not in graphql(query)  # served from the document caches
    with override_settings(CIVIC_GRAPHQL_MAX_DEPTH=3):
        assert [e["message"] for e in graphql(query)["errors"]] == [
            "'Deep' exceeds maximum operation depth of 3"
        ]
    with override_settings(CIVIC_GRAPHQL_MAX_TOKENS=5):
        assert graphql(query)["errors"]
    with override_settings(CIVIC_GRAPHQL_INTROSPECTION=False):
        assert graphql("{ __schema { queryType { name } } }")["errors"]


def test_an_invalid_document_is_refused_every_time(site_structure, graphql):
    for _ in range(2):
        assert graphql("{ services { nope } }")["errors"]
