"""CORS: the GraphQL endpoint answers the configured frontend origins, and nothing else does."""

import pytest
from django.test import override_settings

QUERY = {"query": "{ locales { code } }"}
FRONTEND = "http://127.0.0.1:3000"


def test_default_allows_the_reference_frontend_on_graphql_only():
    from django.conf import settings

    assert settings.CORS_ALLOWED_ORIGINS == [FRONTEND]
    assert settings.CORS_ALLOW_CREDENTIALS is False


def test_graphql_get_from_an_allowed_origin(site_structure, client):
    response = client.get("/graphql/", QUERY, HTTP_ORIGIN=FRONTEND)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONTEND
    assert "Access-Control-Allow-Credentials" not in response
    locales = [{"code": "es"}, {"code": "en"}, {"code": "ca"}]
    assert response.json() == {"data": {"locales": locales}}


def test_graphql_preflight_for_a_json_post(db, client):
    response = client.options(
        "/graphql/",
        HTTP_ORIGIN=FRONTEND,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONTEND
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "content-type" in response["Access-Control-Allow-Headers"]


def test_other_origins_get_no_cors_headers(site_structure, client):
    response = client.get("/graphql/", QUERY, HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize("path", ["/admin/login/", "/es/"])
def test_only_graphql_is_shared(site_structure, client, path):
    response = client.get(path, HTTP_ORIGIN=FRONTEND)
    assert "Access-Control-Allow-Origin" not in response


@override_settings(CORS_ALLOWED_ORIGINS=["https://www.example.org", "https://preview.example.org"])
def test_origins_come_from_configuration(site_structure, client):
    allowed = client.get("/graphql/", QUERY, HTTP_ORIGIN="https://preview.example.org")
    refused = client.get("/graphql/", QUERY, HTTP_ORIGIN=FRONTEND)
    assert allowed["Access-Control-Allow-Origin"] == "https://preview.example.org"
    assert "Access-Control-Allow-Origin" not in refused
