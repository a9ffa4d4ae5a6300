"""GraphQL over HTTP: ETags, Cache-Control, persisted queries, and a response cache that is
never stale after publish, unpublish, move, delete or a collaborator change."""

import hashlib
import json
import os
import uuid

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from cms.models import Collaborator
from delivery.models import PersistedQuery

pytestmark = pytest.mark.django_db

QUERY = """query Service($slug: String!, $locale: String) {
  service(slug: $slug, locale: $locale) {
    title
    url
    body { blockType ... on CollaboratorsBlock { collaborators { name } } }
  }
}"""
HASH = hashlib.sha256(QUERY.encode()).hexdigest()
VARIABLES = {"slug": "democratic-funding", "locale": "es"}

REDIS_URL = os.environ.get("REDIS_URL")
BACKENDS = [
    pytest.param(
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "http-cache"},
        id="local-memory",
    ),
    pytest.param(
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
         "KEY_PREFIX": f"civic-test-{uuid.uuid4().hex[:8]}"},
        id="redis",
        marks=pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: no Redis to test"),
    ),
]  # fmt: skip


@pytest.fixture(params=BACKENDS)
def response_cache(request, settings):
    """Turn the response cache on, on each cache backend."""
    settings.CACHES = {"default": request.param}
    settings.CIVIC_GRAPHQL_CACHE_SECONDS = 600
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


def get(client, query=QUERY, variables=VARIABLES, **headers):
    params = {"variables": json.dumps(variables)}
    if query:
        params["query"] = query
    return client.get("/graphql/", params, **headers)


def post(client, body):
    return client.post("/graphql/", json.dumps(body), content_type="application/json")


def titles(response) -> str | None:
    service = response.json()["data"]["service"]
    return service and service["title"]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run an editor's change and its commit callbacks, as a real request would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            action()

    return run


def test_get_carries_cache_control_etag_and_answers_304(client, demo_page, settings):
    settings.CIVIC_GRAPHQL_HTTP_MAX_AGE = 45
    settings.CIVIC_GRAPHQL_HTTP_STALE_WHILE_REVALIDATE = 90
    response = get(client)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=45, stale-while-revalidate=90"
    assert response["Vary"] == "Origin, Accept-Encoding, Accept-Language"
    etag = response["ETag"]
    assert etag == '"' + hashlib.sha256(response.content).hexdigest()[:40] + '"'
    assert titles(response) == "Crowdfunding cívico"

    again = get(client, HTTP_IF_NONE_MATCH=etag)
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
    assert again["Cache-Control"] == "public, max-age=45, stale-while-revalidate=90"
    changed = get(client, HTTP_IF_NONE_MATCH='"something-else"')
    assert (changed.status_code, changed["ETag"]) == (200, etag)


def test_post_is_not_cacheable_by_http_caches(client, demo_page):
    response = post(client, {"query": QUERY, "variables": VARIABLES})
    assert (response.status_code, response["Cache-Control"]) == (200, "no-cache")
    assert titles(response) == "Crowdfunding cívico"


def test_preview_queries_are_never_shared(client, demo_page, response_cache):
    query = 'query { page(previewToken: "x") { title } }'
    response = get(client, query=query, variables={})
    assert response["Cache-Control"] == "private, no-store"
    assert "X-Civic-Cache" not in response


def test_repeated_queries_are_served_without_the_database(client, demo_page, response_cache):
    first = get(client)
    assert first["X-Civic-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = post(client, {"query": QUERY, "variables": VARIABLES})
    assert (second["X-Civic-Cache"], len(queries)) == ("hit", 0)
    assert second.content == first.content


@pytest.mark.parametrize(
    "event",
    ["publish", "unpublish", "move", "delete", "collaborator"],
)
def test_no_stale_read_after_each_event(
    client, demo_page, response_cache, committed, event, site_structure
):
    assert titles(get(client)) == "Crowdfunding cívico"
    assert get(client)["X-Civic-Cache"] == "hit"

    if event == "publish":
        demo_page.title = "Crowdfunding cívico 2"
        committed(lambda: demo_page.save_revision().publish())
        expected = "Crowdfunding cívico 2"
    elif event == "unpublish":
        committed(demo_page.unpublish)
        expected = None
    elif event == "move":
        home = site_structure.homes["es"]
        committed(lambda: demo_page.move(home, pos="last-child"))
        expected = "Crowdfunding cívico"
    elif event == "delete":
        committed(lambda: Page.objects.get(pk=demo_page.pk).delete())
        expected = None
    else:
        decidim = Collaborator.objects.get(slug="decidim", locale__language_code="es")
        decidim.name = "Decidim (nuevo)"
        committed(decidim.save)
        expected = "Crowdfunding cívico"

    fresh = get(client)
    assert fresh["X-Civic-Cache"] == "miss"
    assert titles(fresh) == expected
    if event == "move":
        assert fresh.json()["data"]["service"]["url"] == "/es/democratic-funding/"
    if event == "collaborator":
        body = fresh.json()["data"]["service"]["body"]
        names = [
            c["name"] for b in body if b["blockType"] == "collaborators" for c in b["collaborators"]
        ]
        assert names == ["Decidim (nuevo)", "Goteo"]


def test_automatic_persisted_queries(client, demo_page, response_cache):
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": HASH}}
    # 1. The hash alone is unknown at first: the client is told to send the text.
    unknown = client.get(
        "/graphql/", {"variables": json.dumps(VARIABLES), "extensions": json.dumps(extensions)}
    )
    assert unknown.json() == {
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
    }
    # 2. Text and hash register the query...
    registered = post(client, {"query": QUERY, "variables": VARIABLES, "extensions": extensions})
    assert titles(registered) == "Crowdfunding cívico"
    # 3. ...and from then on the hash is enough, over GET.
    by_hash = client.get(
        "/graphql/", {"variables": json.dumps(VARIABLES), "extensions": json.dumps(extensions)}
    )
    assert titles(by_hash) == "Crowdfunding cívico"
    assert by_hash["Cache-Control"].startswith("public, max-age=")
    # A hash that does not match the text is refused.
    wrong = post(client, {"query": QUERY + " ", "extensions": extensions})
    assert (wrong.status_code, wrong.json()) == (
        400,
        {
            "errors": [
                {
                    "message": "provided sha does not match query",
                    "extensions": {"code": "PERSISTED_QUERY_HASH_MISMATCH"},
                }
            ]
        },
    )


def test_allowlist_runs_registered_queries_only(client, demo_page, settings):
    settings.CIVIC_GRAPHQL_ALLOWLIST = True
    PersistedQuery.objects.create(sha256=HASH, name="service page", query=QUERY)
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": HASH}}
    by_hash = client.get(
        "/graphql/", {"variables": json.dumps(VARIABLES), "extensions": json.dumps(extensions)}
    )
    assert titles(by_hash) == "Crowdfunding cívico"
    same_text = post(client, {"query": QUERY, "variables": VARIABLES})
    assert titles(same_text) == "Crowdfunding cívico"

    other = "query { locales { code } }"
    refused = post(client, {"query": other})
    assert (refused.status_code, refused.json()) == (
        400,
        {
            "errors": [
                {
                    "message": "This server only runs registered queries; register this one first.",
                    "extensions": {"code": "QUERY_NOT_ALLOWED"},
                }
            ]
        },
    )
    unknown_hash = {
        "persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(other.encode()).hexdigest()}
    }
    refused = post(client, {"query": other, "extensions": unknown_hash})
    assert refused.status_code == 400
    refused = client.get("/graphql/", {"extensions": json.dumps(unknown_hash)})
    assert refused.json()["errors"][0]["extensions"]["code"] == "QUERY_NOT_ALLOWED"
    # Registering a query from the client side is not possible in allowlist mode.
    assert not cache.get("civic:apq:" + unknown_hash["persistedQuery"]["sha256Hash"])
