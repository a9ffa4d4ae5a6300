"""The response cache never outlives the next go-live or expiry date of any page.

The clock is Django's ``timezone.now``, replaced by one the test moves: nothing is saved
when it passes a page's date, so only the time window in the cache key (and the TTL capped
by it) can make the next answer fresh.
"""

import json
from datetime import timedelta

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.http import JsonResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from delivery.graphql_cache import cached_graphql
from delivery.preview import issue_token
from graphql_api.invalidation import mark_uncacheable, next_change
from graphql_api.views import graphql_view

pytestmark = pytest.mark.django_db

QUERY = 'query ($slug: String!) { service(slug: $slug, locale: "es") { title } }'
VARIABLES = {"slug": "democratic-funding"}
SHOWN = {"data": {"service": {"title": "Crowdfunding cívico"}}}
HIDDEN = {"data": {"service": None}}


@pytest.fixture
def response_cache(settings):
    settings.CIVIC_GRAPHQL_CACHE_SECONDS = 600
    settings.CIVIC_GRAPHQL_HTTP_MAX_AGE = 300
    settings.CIVIC_GRAPHQL_HTTP_STALE_WHILE_REVALIDATE = 0


def get(client, query=QUERY, variables=VARIABLES):
    return client.get("/graphql/", {"query": query, "variables": json.dumps(variables)})


def seen(response):
    return response.get("X-Civic-Cache"), response.json()


def dated(page_id: int, django_capture_on_commit_callbacks, **dates):
    """Give the page dates with a real save (which renews the generation, as an editor's)."""
    page = Page.objects.get(pk=page_id)
    for name, value in dates.items():
        setattr(page, name, value)
    with django_capture_on_commit_callbacks(execute=True):
        page.save()


def test_an_expiry_with_no_save_ends_the_cached_answer(
    client, demo_page, clock, response_cache, django_capture_on_commit_callbacks
):
    dated(demo_page.pk, django_capture_on_commit_callbacks, expire_at=clock.at + timedelta(0, 60))
    first = get(client)
    assert seen(first) == ("miss", SHOWN)
    # HTTP caches are told no more than the seconds left before the expiry either.
    assert first["Cache-Control"] == "public, max-age=60"
    clock.advance(59)
    again = get(client)
    assert (seen(again), again["Cache-Control"]) == (("hit", SHOWN), "public, max-age=1")
    clock.advance(1)
    assert seen(get(client)) == ("miss", HIDDEN)
    assert seen(get(client)) == ("hit", HIDDEN)


def test_a_go_live_with_no_save_ends_the_cached_answer(
    client, demo_page, clock, response_cache, django_capture_on_commit_callbacks
):
    dated(demo_page.pk, django_capture_on_commit_callbacks, go_live_at=clock.at + timedelta(0, 30))
    assert seen(get(client)) == ("miss", HIDDEN)
    clock.advance(29)
    assert seen(get(client)) == ("hit", HIDDEN)
    clock.advance(1)
    assert seen(get(client)) == ("miss", SHOWN)


def sent(response):
    """What the server does once a response went out: close it. As Django's test client
    does, without closing the test's database connection (request_finished would)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def api_request():
    return RequestFactory().get("/graphql/", {"query": QUERY, "variables": json.dumps(VARIABLES)})


def slow_view(clock, seconds):
    """The real GraphQL view, with the clock moved after it computed its answer."""

    def view(request, *args, **kwargs):
        response = graphql_view(request, *args, **kwargs)
        clock.advance(seconds)
        return response

    return view


@pytest.mark.parametrize(
    ("ends_after", "next_read"),
    [(5, "hit"), (11, "miss")],
    ids=["finished-in-its-window", "finished-after-the-expiry"],
)
def test_an_answer_finished_after_its_window_closed_is_not_kept(
    demo_page, clock, response_cache, django_capture_on_commit_callbacks, ends_after, next_read
):
    dated(demo_page.pk, django_capture_on_commit_callbacks, expire_at=clock.at + timedelta(0, 10))
    request = api_request()
    started = clock.at
    answer = cached_graphql(slow_view(clock, ends_after))(request)
    # Computed before the expiry, so it shows the page: the old window's answer.
    assert json.loads(answer.content) == SHOWN
    # The server closes the response once sent: the answer is kept then, if at all.
    sent(answer)
    # Another request that also started before the expiry reads the same window's key.
    clock.at = started + timedelta(seconds=1)
    again = api_request()
    with CaptureQueriesContext(connection) as queries:
        response = cached_graphql(lambda r: JsonResponse({"data": "recomputed"}))(again)
    assert (response.get("X-Civic-Cache"), len(queries)) == (next_read, 0)
    expected = SHOWN if next_read == "hit" else {"data": "recomputed"}
    assert json.loads(response.content) == expected


def test_an_answer_is_kept_once_sent_and_a_failed_write_loses_nothing(
    demo_page, response_cache, monkeypatch, caplog
):
    """The answer goes out first; the server's close() keeps it (the reader does not wait
    for the write). A write that fails is logged and changes nothing already sent."""
    view = cached_graphql(graphql_view)
    answer = view(api_request())
    assert (answer["X-Civic-Cache"], json.loads(answer.content)) == ("miss", SHOWN)
    recomputed = cached_graphql(lambda r: JsonResponse({"data": "recomputed"}))
    before = recomputed(api_request())
    assert (before.get("X-Civic-Cache"), json.loads(before.content)) == (
        "miss",
        {"data": "recomputed"},
    )
    sent(answer)
    with CaptureQueriesContext(connection) as queries:
        after = recomputed(api_request())
    assert (after["X-Civic-Cache"], json.loads(after.content), len(queries)) == ("hit", SHOWN, 0)

    def broken(*args, **kwargs):
        raise ConnectionError("the cache went away")

    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(cache, "set_many", broken)
    failed = view(api_request())
    sent(failed)
    assert (failed["X-Civic-Cache"], json.loads(failed.content)) == ("miss", SHOWN)
    assert [r.getMessage() for r in caplog.records if r.name == "delivery.graphql_cache"] == [
        "An answer was not kept in the response cache."
    ]


def test_a_marked_answer_is_never_kept_nor_public(demo_page, response_cache):
    calls = []

    def preview_view(request):
        calls.append(request)
        mark_uncacheable(request)
        return JsonResponse({"data": {"page": {"title": "Borrador"}}})

    view = cached_graphql(preview_view)
    for _ in range(2):
        request = RequestFactory().get("/graphql/", {"query": "query { locales { code } }"})
        response = view(request)
        assert (response.get("X-Civic-Cache"), response["Cache-Control"]) == (
            None,
            "private, no-store",
        )
    assert len(calls) == 2


def test_a_preview_through_the_api_is_never_kept(client, demo_page, response_cache):
    """The preview resolver marks its answer (graphql_api.pages calls mark_uncacheable)."""
    demo_page.title = "Crowdfunding cívico (borrador)"
    demo_page.save_revision()
    token = issue_token(demo_page.get_latest_revision_as_object())
    query = "query ($token: String) { page(previewToken: $token) { title } }"
    for _ in range(2):
        response = get(client, query, {"token": token})
        assert (seen(response), response["Cache-Control"]) == (
            (None, {"data": {"page": {"title": "Crowdfunding cívico (borrador)"}}}),
            "private, no-store",
        )


# next_change ---------------------------------------------------------------------------------


def test_next_change_is_the_nearest_page_date_and_is_kept_per_generation(
    demo_page, site_structure, clock, django_capture_on_commit_callbacks
):
    at = clock.at
    english = demo_page.get_translations().get(locale__language_code="en")
    index = site_structure.service_indexes["en"]
    dated(demo_page.pk, django_capture_on_commit_callbacks, expire_at=at + timedelta(0, 300))
    dated(english.pk, django_capture_on_commit_callbacks, go_live_at=at + timedelta(0, 200))
    # A page that is not live expires without changing any answer: not a date.
    with django_capture_on_commit_callbacks(execute=True):
        index.unpublish()
    dated(index.pk, django_capture_on_commit_callbacks, expire_at=at + timedelta(0, 100))
    # A revision scheduled on a live page: the page row keeps its old dates.
    page = Page.objects.get(pk=demo_page.pk).specific
    page.go_live_at = at + timedelta(0, 150)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    assert next_change(at) == at + timedelta(0, 150)
    with CaptureQueriesContext(connection) as queries:
        assert next_change(at + timedelta(0, 149)) == at + timedelta(0, 150)
    assert len(queries) == 0
    assert next_change(at + timedelta(0, 150)) == at + timedelta(0, 200)
    assert next_change(at + timedelta(0, 250)) == at + timedelta(0, 300)
    assert next_change(at + timedelta(0, 300)) is None


def test_the_change_computes_the_next_date_at_commit_for_the_first_reader(
    demo_page, clock, django_capture_on_commit_callbacks, monkeypatch
):
    """The writer reads the next page date once its new generation is set: the first
    request after the change needs no query for it. When the writer cannot read it, the
    reader does, and gets the same date."""
    from graphql_api import invalidation

    at = clock.at
    dated(demo_page.pk, django_capture_on_commit_callbacks, expire_at=at + timedelta(0, 90))
    with CaptureQueriesContext(connection) as queries:
        assert next_change(at) == at + timedelta(0, 90)
    assert len(queries) == 0

    def unreadable(now):
        raise invalidation.DatabaseError("the database went away")

    real = invalidation._next_date
    monkeypatch.setattr(invalidation, "_next_date", unreadable)
    dated(demo_page.pk, django_capture_on_commit_callbacks, expire_at=at + timedelta(0, 60))
    monkeypatch.setattr(invalidation, "_next_date", real)
    with CaptureQueriesContext(connection) as queries:
        assert next_change(at) == at + timedelta(0, 60)
    assert len(queries) == 1
