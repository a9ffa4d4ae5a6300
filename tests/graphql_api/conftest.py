"""Helpers for GraphQL tests: run a query over HTTP and return the decoded response."""

import json

import pytest


@pytest.fixture
def graphql(client):
    """POST a query to /graphql/ and return the JSON response."""

    def run(query: str, variables: dict | None = None, **extra) -> dict:
        response = client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            **extra,
        )
        assert response["Content-Type"].startswith("application/json"), response.content
        return response.json()

    return run
