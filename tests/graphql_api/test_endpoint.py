"""The /graphql/ endpoint: methods, CSRF, GraphiQL, introspection and error masking."""

import importlib
import json

import pytest
from django.test import Client, override_settings

from graphql_api import locales as locales_module

LOCALES = "{ locales { code name isDefault } }"
EXPECTED_LOCALES = {
    "data": {
        "locales": [
            {"code": "es", "name": "español", "isDefault": True},
            {"code": "en", "name": "English", "isDefault": False},
            {"code": "ca", "name": "català", "isDefault": False},
        ]
    }
}


def test_post_without_csrf_token_is_accepted(site_structure):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/graphql/", data=json.dumps({"query": LOCALES}), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json() == EXPECTED_LOCALES


def test_get_runs_queries(site_structure, client):
    response = client.get("/graphql/", {"query": LOCALES})
    assert response.status_code == 200
    assert response.json() == EXPECTED_LOCALES


def test_get_refuses_mutations(site_structure, client):
    query = 'mutation { submitForm(handle: "x", locale: "es", values: []) { ok } }'
    response = client.get("/graphql/", {"query": query})
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json() == {
        "errors": [
            {
                "message": "Mutations are not allowed over GET: send submitForm with POST.",
                "extensions": {"code": "METHOD_NOT_ALLOWED"},
            }
        ]
    }


def test_other_methods_are_refused(db, client):
    response = client.put("/graphql/", data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert response.json() == {
        "errors": [
            {
                "message": "GraphQL only supports GET and POST requests.",
                "extensions": {"code": "METHOD_NOT_ALLOWED"},
            }
        ]
    }


@override_settings(CIVIC_GRAPHQL_GRAPHIQL=True)
def test_graphiql_served_when_enabled(db, client):
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"graphiql" in response.content.lower()


@override_settings(CIVIC_GRAPHQL_GRAPHIQL=False)
def test_graphiql_off_when_disabled(db, client):
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": "GraphiQL is disabled on this server. Send queries with POST or "
                "?query=.",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ]
    }


def test_graphiql_on_in_development():
    dev = importlib.import_module("cms.settings.dev")
    assert (dev.CIVIC_GRAPHQL_GRAPHIQL, dev.CIVIC_GRAPHQL_MASK_ERRORS) == (True, False)


@pytest.mark.parametrize(("env", "expected"), [(None, False), ("true", True), ("no", False)])
def test_graphiql_in_production_only_when_the_environment_enables_it(monkeypatch, env, expected):
    monkeypatch.setenv("SECRET_KEY", "production-test-key")
    monkeypatch.setenv("ALLOWED_HOSTS", "cms.example.org")
    monkeypatch.setenv("CIVIC_SINGLE_HOST", "true")
    if env is None:
        monkeypatch.delenv("GRAPHQL_GRAPHIQL", raising=False)
    else:
        monkeypatch.setenv("GRAPHQL_GRAPHIQL", env)
    production = importlib.reload(importlib.import_module("cms.settings.production"))
    assert production.CIVIC_GRAPHQL_GRAPHIQL is expected
    assert production.CIVIC_GRAPHQL_MASK_ERRORS is True


@override_settings(CIVIC_GRAPHQL_INTROSPECTION=False)
def test_introspection_can_be_turned_off(site_structure, graphql):
    response = graphql("{ __schema { queryType { name } } }")
    assert response == {
        "data": None,
        "errors": [
            {
                "message": "GraphQL introspection has been disabled, but the requested query "
                "contained the field '__schema'.",
                "locations": [{"line": 1, "column": 3}],
                "extensions": {"code": "INTROSPECTION_DISABLED"},
            },
            {
                "message": "GraphQL introspection has been disabled, but the requested query "
                "contained the field 'queryType'.",
                "locations": [{"line": 1, "column": 14}],
                "extensions": {"code": "INTROSPECTION_DISABLED"},
            },
        ],
    }
    assert graphql(LOCALES) == EXPECTED_LOCALES


@override_settings(CIVIC_GRAPHQL_INTROSPECTION=True)
def test_introspection_on_by_default(db, graphql):
    response = graphql("{ __schema { queryType { name } } }")
    assert response == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


@override_settings(CIVIC_GRAPHQL_INTROSPECTION=True)
def test_introspection_fields_with_arguments_are_answered(db, graphql):
    """__type(name:) is graphql-core's own field: the arguments' checks leave it alone (the
    reference frontend asks it which query fields the API offers)."""
    response = graphql('{ __type(name: "Redirect") { fields { name } } }')
    assert response == {"data": {"__type": {"fields": [{"name": "to"}, {"name": "permanent"}]}}}


@pytest.fixture
def broken_locales(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(locales_module.LocaleType, "name", property(explode), raising=False)
    monkeypatch.setattr(locales_module, "get_language_info", explode)


@override_settings(CIVIC_GRAPHQL_MASK_ERRORS=True)
def test_unexpected_errors_are_masked(site_structure, graphql, broken_locales):
    response = graphql("{ locales { code name } }")
    assert response["data"] is None
    assert response["errors"] == [
        {
            "message": "Unexpected error.",
            "locations": [{"line": 1, "column": 18}],
            "path": ["locales", 0, "name"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR"},
        }
    ]
    assert "hunter2" not in json.dumps(response)
    assert "Traceback" not in json.dumps(response)


@override_settings(CIVIC_GRAPHQL_MASK_ERRORS=True)
def test_errors_meant_for_clients_are_not_masked(site_structure, graphql):
    response = graphql('{ services(locale: "fr") { totalCount } }')
    assert response == {
        "data": {"services": None},
        "errors": [
            {
                "message": "Unknown locale 'fr'. Use one of: es, en, ca.",
                "locations": [{"line": 1, "column": 3}],
                "path": ["services"],
                "extensions": {"code": "UNKNOWN_LOCALE"},
            }
        ],
    }


QUERIES_READERS_GET_WRONG = [
    '{ services(locale: "fr") { totalCount } }',  # refused argument (ApiError)
    "{ services(first: 0) { totalCount } }",  # limit
    "{ nothing }",  # validation
    "{ services { ",  # syntax
]


@pytest.mark.parametrize("query", QUERIES_READERS_GET_WRONG)
def test_readers_mistakes_are_answered_not_logged(site_structure, graphql, caplog, query):
    with caplog.at_level("DEBUG", logger="strawberry"):
        response = graphql(query)
    assert response["errors"]
    assert caplog.records == []


def test_unexpected_errors_are_logged_with_their_traceback(
    site_structure, graphql, broken_locales, caplog
):
    with caplog.at_level("ERROR", logger="strawberry"):
        graphql("{ locales { code name } }")
    assert len(caplog.records) == 1
    record = caplog.records[0]
    assert (record.name, record.levelname) == ("strawberry.execution", "ERROR")
    assert "database password is hunter2" in record.getMessage()
    assert record.exc_info is not None


def nul_refused(field: str, argument: str, column: int, data: dict | None) -> dict:
    """The answer to a NUL in a text argument: an error of that field alone."""
    return {
        "data": data,
        "errors": [
            {
                "message": f"{argument} cannot contain the NUL character (U+0000).",
                "locations": [{"line": 1, "column": column}],
                "path": [field],
                "extensions": {"code": "NUL_CHARACTER"},
            }
        ],
    }


@pytest.mark.parametrize(
    ("query", "variables", "expected"),
    [
        (
            '{ collaborator(slug: "a\\u0000b") { name } }',
            None,
            nul_refused("collaborator", "slug", 3, {"collaborator": None}),
        ),
        (
            '{ page(path: "/es/\\u0000/") { title } }',
            None,
            nul_refused("page", "path", 3, {"page": None}),
        ),
        (
            '{ collaborator(slug: "a\\u{0}b") { name } }',
            None,
            nul_refused("collaborator", "slug", 3, {"collaborator": None}),
        ),
        (
            "query ($s: String!) { service(slug: $s) { title } }",
            {"s": "x\x00"},
            nul_refused("service", "slug", 23, {"service": None}),
        ),
        (
            "query ($q: String!) { search(query: $q) { title } }",
            {"q": "\x00"},
            nul_refused("search", "query", 23, {"search": None}),
        ),
        (
            "query ($l: String) { services(locale: $l) { totalCount } }",
            {"l": "es\x00"},
            nul_refused("services", "locale", 22, {"services": None}),
        ),
    ],
)
def test_nul_characters_in_arguments_are_refused(
    site_structure, graphql, caplog, query, variables, expected
):
    """PostgreSQL cannot compare text with NUL: refused up front, the same on every database,
    as an error of the field (tests/graphql_api/test_hostile_input.py has the other
    refusals)."""
    with caplog.at_level("ERROR", logger="strawberry"):
        assert graphql(query, variables) == expected
    assert caplog.records == []
