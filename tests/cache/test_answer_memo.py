"""The per-process answer memo (graphql_api.answers) never answers what readers must not see.

Each test asks the real view (Django's test client) twice or more and reads the
``X-Civic-Answers`` header (root fields from the memo / root fields asked), the SQL run and
the whole answer. The response cache is off, so every answer here comes from the memo or
from the resolvers. The concurrency and two-server tests run the memo too.
"""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from delivery.preview import issue_token
from graphql_api.answers import AnswerMemo, answers
from tests.cache.test_response_window import dated

pytestmark = pytest.mark.django_db

SERVICE = '{ service(slug: "democratic-funding", locale: "es") { title } }'
SHOWN = {"data": {"service": {"title": "Crowdfunding cívico"}}}
HIDDEN = {"data": {"service": None}}


@pytest.fixture
def answer_memo(settings):
    settings.CIVIC_GRAPHQL_CACHE_SECONDS = 0
    settings.CIVIC_GRAPHQL_ANSWER_MEMO_BYTES = 1024 * 1024
    answers.clear()
    yield answers
    answers.clear()


def ask(client, query, variables=None, **extra):
    """(X-Civic-Answers, SQL queries run, the answer)."""
    body = json.dumps({"query": query, "variables": variables or {}})
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/graphql/", body, content_type="application/json", **extra)
    assert response.status_code == 200
    return response.get("X-Civic-Answers"), len(queries), response.json()


def test_a_repeated_query_is_answered_from_memory_without_sql(client, demo_page, answer_memo):
    header, sql, answer = ask(client, SERVICE)
    assert (header, answer) == ("0/1", SHOWN)
    assert sql > 0
    assert ask(client, SERVICE) == ("1/1", 0, SHOWN)


def test_the_memo_is_off_at_zero_bytes(client, demo_page, answer_memo, settings):
    settings.CIVIC_GRAPHQL_ANSWER_MEMO_BYTES = 0
    first, second = ask(client, SERVICE), ask(client, SERVICE)
    assert (first[0], first[2]) == (second[0], second[2]) == (None, SHOWN)
    # The resolvers ran again (fewer queries: the site and languages are read once per
    # generation, graphql_api.visibility).
    assert first[1] > second[1] > 0
    assert len(answer_memo) == 0


def test_documents_that_ask_a_field_alike_share_its_answer(client, demo_page, answer_memo):
    ask(client, SERVICE)
    other = (
        'query Other { locales { code } service(slug: "democratic-funding", locale: "es") '
        "{ title } }"
    )
    header, _sql, answer = ask(client, other)
    assert (header, answer) == (
        "1/2",
        {
            "data": {
                "locales": [{"code": "es"}, {"code": "en"}, {"code": "ca"}],
                "service": {"title": "Crowdfunding cívico"},
            }
        },
    )
    # Asked differently (an alias inside, another field), it is another answer.
    header, _sql, answer = ask(
        client, '{ service(slug: "democratic-funding", locale: "es") { name: title } }'
    )
    assert (header, answer) == ("0/1", {"data": {"service": {"name": "Crowdfunding cívico"}}})


def test_variables_and_fragments_are_part_of_the_key(client, demo_page, answer_memo):
    query = (
        "query ($slug: String!, $locale: String) { service(slug: $slug, locale: $locale) "
        "{ ...Card } } fragment Card on ServicePage { title }"
    )
    spanish = {"slug": "democratic-funding", "locale": "es"}
    english = {"slug": "democratic-funding", "locale": "en"}
    assert ask(client, query, spanish)[::2] == ("0/1", SHOWN)
    assert ask(client, query, english)[::2] == (
        "0/1",
        {"data": {"service": {"title": "Civic crowdfunding"}}},
    )
    assert ask(client, query, spanish) == ("1/1", 0, SHOWN)
    # The same selection through another fragment body is another key.
    changed = query.replace("{ title }", "{ title slug }")
    assert ask(client, changed, spanish)[::2] == (
        "0/1",
        {"data": {"service": {"title": "Crowdfunding cívico", "slug": "democratic-funding"}}},
    )


def test_the_origin_is_part_of_the_key(client, demo_page, answer_memo):
    query = '{ service(slug: "democratic-funding", locale: "es") { image { url } } }'
    first = ask(client, query)
    other = ask(client, query, HTTP_HOST="cdn-origin.test")
    assert (first[0], other[0]) == ("0/1", "0/1")
    url = first[2]["data"]["service"]["image"]["url"]
    assert url.startswith("http://testserver/media/")
    assert other[2]["data"]["service"]["image"]["url"] == url.replace(
        "http://testserver/", "http://cdn-origin.test/"
    )


def test_an_answer_with_an_error_is_not_kept(client, demo_page, answer_memo):
    query = '{ service(slug: "democratic-funding", locale: "xx") { title } }'
    for _ in range(2):
        header, _sql, answer = ask(client, query)
        assert header == "0/1"
        assert answer["data"] == {"service": None}
        assert [e["extensions"]["code"] for e in answer["errors"]] == ["UNKNOWN_LOCALE"]
    assert len(answer_memo) == 0


def test_a_preview_is_never_kept(client, demo_page, answer_memo):
    demo_page.title = "Crowdfunding cívico (borrador)"
    demo_page.save_revision()
    token = issue_token(demo_page.get_latest_revision_as_object())
    query = "query ($token: String) { page(previewToken: $token) { title } }"
    for _ in range(2):
        header, sql, answer = ask(client, query, {"token": token})
        assert (header, answer) == (
            "0/1",
            {"data": {"page": {"title": "Crowdfunding cívico (borrador)"}}},
        )
        assert sql > 0
    assert len(answer_memo) == 0


def test_a_draft_keeps_the_answer_and_a_publish_renews_it(
    client, demo_page, answer_memo, django_capture_on_commit_callbacks
):
    assert ask(client, SERVICE)[::2] == ("0/1", SHOWN)
    page = Page.objects.get(pk=demo_page.pk).specific
    page.title = "Crowdfunding cívico (nuevo)"
    with django_capture_on_commit_callbacks(execute=True):
        revision = page.save_revision()
    assert ask(client, SERVICE) == ("1/1", 0, SHOWN)
    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()
    published = {"data": {"service": {"title": "Crowdfunding cívico (nuevo)"}}}
    assert ask(client, SERVICE)[::2] == ("0/1", published)
    assert ask(client, SERVICE) == ("1/1", 0, published)


def test_an_expiry_with_no_save_ends_the_kept_answer(
    client, demo_page, clock, answer_memo, django_capture_on_commit_callbacks
):
    dated(demo_page.pk, django_capture_on_commit_callbacks, expire_at=clock.at + timedelta(0, 60))
    assert ask(client, SERVICE)[::2] == ("0/1", SHOWN)
    clock.advance(59)
    assert ask(client, SERVICE) == ("1/1", 0, SHOWN)
    clock.advance(1)
    assert ask(client, SERVICE)[::2] == ("0/1", HIDDEN)
    assert ask(client, SERVICE) == ("1/1", 0, HIDDEN)


def test_a_go_live_with_no_save_ends_the_kept_answer(
    client, demo_page, clock, answer_memo, django_capture_on_commit_callbacks
):
    dated(demo_page.pk, django_capture_on_commit_callbacks, go_live_at=clock.at + timedelta(0, 30))
    assert ask(client, SERVICE)[::2] == ("0/1", HIDDEN)
    clock.advance(29)
    assert ask(client, SERVICE) == ("1/1", 0, HIDDEN)
    clock.advance(1)
    assert ask(client, SERVICE)[::2] == ("0/1", SHOWN)


def test_each_request_gets_its_own_copy(client, demo_page, answer_memo):
    ask(client, SERVICE)
    # Kept as JSON text (decoded afresh for each request), never as objects to share.
    assert list(answer_memo._values.values()) == ['{"title":"Crowdfunding c\\u00edvico"}']


def test_the_memo_is_bounded_in_bytes_and_kept_for_one_generation():
    memo = AnswerMemo()
    memo.put("g1", ("a",), "x" * 10, limit=40)
    memo.put("g1", ("b",), "y" * 10, limit=40)
    memo.put("g1", ("c",), "z" * 10, limit=40)
    assert memo.get("g1", ("a",)) == "x" * 10  # now the most recently used
    memo.put("g1", ("d",), "w" * 10, limit=40)
    memo.put("g1", ("e",), "v" * 10, limit=40)
    # 40 bytes hold four answers of 10: the least recently used one ("b") went first.
    assert [memo.get("g1", (k,)) is not None for k in "abcde"] == [True, False, True, True, True]
    # An answer larger than a quarter of the memo is not kept.
    memo.put("g1", ("big",), "q" * 11, limit=40)
    assert memo.get("g1", ("big",)) is None
    # Another generation finds nothing, and storing under it drops the old one's answers.
    assert memo.get("g2", ("a",)) is None
    memo.put("g2", ("f",), "u" * 10, limit=40)
    assert (memo.get("g1", ("a",)), memo.get("g2", ("f",)), len(memo)) == (None, "u" * 10, 1)
