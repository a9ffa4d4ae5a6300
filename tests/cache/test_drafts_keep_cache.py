"""Drafts (issue 13, point 7): an editor saving a draft every 0.5 s empties no cache.

An editor thread saves drafts and autosaves of a page for a few seconds while the reader
asks every root field over and over: after the first round, every answer comes from the
response cache (``X-Civic-Cache: hit``) without one SQL query, and the content generation
never changes.
"""

import json
import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Revision

from graphql_api.invalidation import current_generation
from tests.cache import visibility_changes as vc

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DRAFTS = 8
EVERY = 0.5


def test_drafts_every_half_second_keep_answers_cached(embedded_database, site_structure, settings):
    layer = "response cache"
    settings.CIVIC_GRAPHQL_CACHE_SECONDS = 600
    start = vc.real_now()
    vc.build_world(
        site_structure,
        go_live_at=start + timedelta(hours=1),
        expire_at=start + timedelta(hours=2),
    )
    editor = get_user_model().objects.create_user("editora", password="x")
    delta = Page.objects.get(slug="delta").specific
    client = Client()
    queries = vc.queries()

    def ask(query):
        extra = {"HTTP_HOST": query.host} if query.host else {}
        params = {"query": query.text, "variables": json.dumps(query.variables)}
        return client.get("/graphql/", params, **extra)

    first = {query.name: ask(query) for query in queries}
    assert {name: vc.served_from(layer, r.get) for name, r in first.items()} == dict.fromkeys(
        first, "miss"
    )
    generation = current_generation()

    errors = []

    def edit():
        try:
            page = Page.objects.get(pk=delta.pk).specific
            latest = None
            for number in range(DRAFTS):
                page.title = f"Marcador Delta (borrador {number})"
                if number % 2 and latest is not None:
                    # What the admin's autosave does: overwrite the editor's own revision.
                    page.save_revision(user=editor, overwrite_revision=latest)
                else:
                    latest = page.save_revision(user=editor)
                time.sleep(EVERY)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    editor_thread = threading.Thread(target=edit)
    editor_thread.start()
    served = []
    while editor_thread.is_alive():
        for query in queries:
            with CaptureQueriesContext(connection) as sql:
                response = ask(query)
            served.append(
                (query.name, vc.served_from(layer, response.get), len(sql), response.content)
            )
    editor_thread.join()

    assert errors == []
    assert Revision.page_revisions.filter(object_id=str(delta.pk), user=editor).count() == (
        DRAFTS // 2
    )
    assert Page.objects.get(pk=delta.pk).draft_title == f"Marcador Delta (borrador {DRAFTS - 1})"
    assert current_generation() == generation
    assert len(served) >= len(queries) * 3
    not_from_cache = [
        (name, cache, count) for name, cache, count, _ in served if (cache, count) != ("hit", 0)
    ]
    assert not_from_cache == []
    assert {name: body for name, _, _, body in served} == {
        name: response.content for name, response in first.items()
    }
