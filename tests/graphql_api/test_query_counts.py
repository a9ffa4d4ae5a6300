"""The cost of a query does not grow with the number of pages or blocks.

Two costs are pinned for each query. *Cold*: the first request after a content change (a
new content generation, and here an emptied cache): it reads the site, Wagtail's site root
paths, the languages and the view restrictions, then what every request reads. *Warm*: a
later request in the same generation: the site, languages and restrictions come from the
process's generation memo (plain values, see graphql_api.visibility), rendition URLs from
the rendition memo (keyed by file and spec); the pages and everything they point to are
read again, one query per model, through the visibility hooks.
"""

from django.core.cache import cache
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from tests.graphql_api.queries import SERVICE, SERVICES

# Warm: the window of services; the pages' translations and ancestors (one query);
# collaborators with their translations; documents; linked pages; images. The count comes
# from the process's count memo (graphql_api.pagination: keyed by the generation and the
# window up to the next page date).
SERVICES_WARM = 6
# Cold: also the languages, the site, Wagtail's site root paths (sites, then their root
# pages' translations), the view restrictions (pages' and collections' in one query), the
# count, and the next page date (pages, then scheduled revisions) that keys the count.
# With the response cache on, the cache has read that date for the same request already.
SERVICES_COLD = SERVICES_WARM + 5 + 1 + 2
# Warm: the page by slug, then as for the listing.
SERVICE_WARM = 6
SERVICE_COLD = SERVICE_WARM + 5


def _new_generation():
    # What a content change does (a new generation), and more: Wagtail's cached site root
    # paths go too.
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
    # The demo page has no document (1 query fewer); its call to action opens a form, a
    # chosen page like the rich page's link.
    assert (cold, warm) == (SERVICE_COLD - 1, SERVICE_WARM - 1)


def test_service_with_every_block_stays_within_budget(make_rich_service, graphql):
    make_rich_service("todo")
    graphql(SERVICE, {"slug": "todo"})
    _new_generation()
    cold, answer = _count(graphql, SERVICE, {"slug": "todo"})
    warm, again = _count(graphql, SERVICE, {"slug": "todo"})
    assert again == answer
    assert len(answer["data"]["service"]["body"]) == 17
    assert (cold, warm) == (SERVICE_COLD, SERVICE_WARM)
