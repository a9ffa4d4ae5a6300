"""The list totals kept per process (graphql_api.pagination.count_memo) are never wrong.

With the response cache off, so every answer is computed: the clock passing a page's
go-live or expiry date with no save, and a publish, each change ``totalCount`` at once.
"""

from datetime import timedelta

import pytest

from tests.factories import make_service

pytestmark = pytest.mark.django_db

COUNT = 'query { services(first: 1, locale: "es") { totalCount } }'


def total(graphql) -> int:
    answer = graphql(COUNT)
    assert "errors" not in answer, answer["errors"]
    return answer["data"]["services"]["totalCount"]


def dated(page, django_capture_on_commit_callbacks, **dates):
    """Give the page dates with a real save (which renews the generation, as an editor's)."""
    for name, value in dates.items():
        setattr(page, name, value)
    with django_capture_on_commit_callbacks(execute=True):
        page.save()


def test_count_follows_the_clock_and_publishing(
    site_structure, graphql, clock, django_capture_on_commit_callbacks
):
    index = site_structure.service_indexes["es"]
    with django_capture_on_commit_callbacks(execute=True):
        soon = make_service(index, slug="pronto")
        leaving = make_service(index, slug="se-va")
        make_service(index, slug="siempre")
    dated(soon, django_capture_on_commit_callbacks, go_live_at=clock.at + timedelta(0, 30))
    dated(leaving, django_capture_on_commit_callbacks, expire_at=clock.at + timedelta(0, 60))

    assert total(graphql) == 2
    clock.advance(29)
    assert total(graphql) == 2
    clock.advance(1)  # The go-live date passes: nothing is saved.
    assert total(graphql) == 3
    clock.advance(30)  # The expiry date passes.
    assert total(graphql) == 2
    with django_capture_on_commit_callbacks(execute=True):
        make_service(index, slug="nuevo")
    assert total(graphql) == 3
