"""Concurrency (issue 13, point 7): readers never see what a committed change hid.

Reader threads run every root field through the real view (Django's test client, one per
thread) with the response cache on, then with nothing kept between requests, while a writer
applies every visibility change in a seeded random order, the clock passing a go-live and
an expiry with no save included (see visibility_changes).
After each change commits, no read that started later shows the old state; reads that
ended before it began show the old state, so the check is seen to bite.
Runs on the embedded defaults (SQLite, the embedded cache) and on PostgreSQL + Redis, whichever the
environment gives; the other variant is skipped with the reason.
"""

import json
import os
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from tests.cache import visibility_changes as vc

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Each layer runs with one seeded order per database, and with the other order on the
# other database: every layer meets both orders across the two runs of CI.
EMBEDDED = [("response cache", 13), ("nothing kept", 2026)]
SHARED = [("response cache", 2026), ("nothing kept", 13)]


def on_postgres() -> bool:
    return django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def on_redis() -> bool:
    return django_settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


def exercise(seed: int, structure, monkeypatch, layer: str) -> None:
    clock = vc.Clock(timezone.now)
    monkeypatch.setattr(timezone, "now", clock.now)
    names = [
        *("unpublish", "restriction added", "moved under a restricted parent"),
        *("image into a private collection", "document into a private collection"),
        *("collaborator deleted", "site hostname changed"),
        *("clock passes a go-live", "clock passes an expiry"),
    ]
    order = vc.shuffled(names, seed)
    # The clock only moves forward: the date met first in the plan is the earlier one.
    start = clock.now()
    dates = {
        name: start + timedelta(hours=1 + rank)
        for rank, name in enumerate(n for n in order if n.startswith("clock"))
    }
    go_live, expiry = dates["clock passes a go-live"], dates["clock passes an expiry"]
    world = vc.build_world(structure, go_live_at=go_live, expire_at=expiry)
    changes = {
        change.name: change
        for change in [
            *vc.database_changes(world),
            *vc.clock_changes(lambda: clock.jump_past(go_live), lambda: clock.jump_past(expiry)),
        ]
    }
    plan = [changes[name] for name in order]

    def make_fetch(_number):
        client = Client()

        def fetch(query: vc.Query):
            extra = {"HTTP_HOST": query.host} if query.host else {}
            params = {"query": query.text, "variables": json.dumps(query.variables)}
            response = client.get("/graphql/", params, **extra)
            served = vc.served_from(layer, response.get)
            return response.status_code, vc.decode(response.content), served

        return fetch

    outcome = vc.run(plan, make_fetch, readers=3, settle=0.8)
    assert vc.violations(outcome, plan) == []
    assert vc.evidence(outcome, plan) == dict.fromkeys(changes, (True, True))
    hits = [read for read in outcome.reads if read.cache == "hit"]
    if layer == "response cache":
        assert len(hits) > len(outcome.reads) // 4, f"the {layer} was not serving"
    else:
        assert hits == []


@pytest.fixture
def layer(request, settings):
    """The shared response cache (GET answers, all processes), then nothing kept between
    requests: the visibility rules alone, under the same writer."""
    on = request.param == "response cache"
    settings.CIVIC_GRAPHQL_CACHE_SECONDS = 600 if on else 0
    return request.param


@pytest.mark.parametrize(("layer", "seed"), EMBEDDED, indirect=["layer"])
def test_no_stale_read_on_the_embedded_defaults(
    seed, embedded_database, site_structure, layer, monkeypatch
):
    if on_postgres() or on_redis():
        pytest.skip("DATABASE_URL/REDIS_URL are set: the embedded defaults run without them")
    assert django_settings.CACHES["default"]["BACKEND"] == "cms.cache.EmbeddedCache"
    exercise(seed, site_structure, monkeypatch, layer)


@pytest.mark.parametrize(("layer", "seed"), SHARED, indirect=["layer"])
def test_no_stale_read_on_postgres_and_redis(
    seed, embedded_database, site_structure, layer, monkeypatch
):
    if not (on_postgres() and on_redis()):
        pytest.skip(
            "needs PostgreSQL and Redis: set DATABASE_URL and REDIS_URL "
            f"(DATABASE_URL {'set' if os.environ.get('DATABASE_URL') else 'unset'}, "
            f"REDIS_URL {'set' if os.environ.get('REDIS_URL') else 'unset'})"
        )
    exercise(seed, site_structure, monkeypatch, layer)
