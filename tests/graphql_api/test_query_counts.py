"""The cost of a query does not grow with the number of pages or blocks.

Two costs are pinned for each query. *Cold*: the first request after a content change (a
new content generation), which reads the site, languages, restrictions and the next page
date, then everything the pages point to, each model once. *Warm*: a later request in the
same generation before the next go-live or expiry date of any page: everything comes from
the process's generation store, nothing from the database.
"""

from django.core.cache import cache
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from tests.graphql_api.queries import SERVICE, SERVICES

# Cold: site, its root paths, locales, restricted pages, private collections, the next
# page date; the count and the page list; collaborators, images, renditions, linked pages
# (2: base and specific), documents, translations, breadcrumbs.
SERVICES_COLD = 17
SERVICES_WARM = 0
# Cold: as above with the lookup by slug instead of the count and the list.
SERVICE_COLD = 16
SERVICE_WARM = 0


def _new_generation():
    # What a content change does: every process starts a new generation store.
    cache.clear()


def _count(graphql, query, variables):
    # Each request clears the query log when it starts; a log already longer than the
    # request's own queries would make the capture slice empty.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = graphql(query, variables)
    assert "errors" not in response, response["errors"]
    return len(captured.captured_queries), response


def test_services_cost_does_not_grow_with_pages(make_rich_service, graphql):
    for number in range(50):
        make_rich_service(f"servicio-{number:02}")
    # The first run generates the renditions; later runs only read them.
    graphql(SERVICES, {"first": 50})

    costs = {}
    for first in (1, 50):
        _new_generation()
        cold, answer = _count(graphql, SERVICES, {"first": first})
        warm, again = _count(graphql, SERVICES, {"first": first})
        assert again == answer
        assert len(answer["data"]["services"]["edges"]) == first
        costs[first] = (cold, warm)

    assert costs == {1: (SERVICES_COLD, SERVICES_WARM), 50: (SERVICES_COLD, SERVICES_WARM)}
    assert answer["data"]["services"]["edges"][49]["node"]["body"][5]["image"]["rendition"]


def test_demo_service_costs(demo_page, graphql):
    variables = {"slug": demo_page.slug, "locale": "es"}
    graphql(SERVICE, variables)
    _new_generation()
    cold, answer = _count(graphql, SERVICE, variables)
    warm, again = _count(graphql, SERVICE, variables)
    assert again == answer
    assert answer["data"]["service"]["title"] == demo_page.title
    # The demo page has no document and links to no page: 3 queries fewer when cold.
    assert (cold, warm) == (SERVICE_COLD - 3, SERVICE_WARM)


def test_service_with_every_block_stays_within_budget(make_rich_service, graphql):
    make_rich_service("todo")
    graphql(SERVICE, {"slug": "todo"})
    _new_generation()
    cold, answer = _count(graphql, SERVICE, {"slug": "todo"})
    warm, again = _count(graphql, SERVICE, {"slug": "todo"})
    assert again == answer
    assert len(answer["data"]["service"]["body"]) == 17
    assert (cold, warm) == (SERVICE_COLD, SERVICE_WARM)
