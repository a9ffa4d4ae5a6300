"""The cost of a query does not grow with the number of pages or blocks.

Three costs are pinned. *Cold*: the first request after the cache lost everything (a
new content generation and structure token): it reads the site, Wagtail's site root
paths, the languages and the view restrictions, the images, documents and snippets the
pages point to, then what every request reads. *Warm*: a later request in the same
generation: the site, languages, restrictions and the rows of images, documents and
snippets come from the process's structure memo (plain values, see graphql_api.visibility),
rendition URLs from the rendition memo (keyed by file and spec); the pages and the pages
they link to are read again, one query per model, through the visibility hooks. *After a
publish*: a new generation, the same structure: what a warm request reads, and what is
kept per generation (a list's count; the next page date that keys it is computed by the
writer at its commit).
"""

from django.core.cache import cache
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from tests.graphql_api.queries import SERVICE, SERVICES

# Warm: the window of services; the pages' translations and ancestors (one query); linked
# pages. The count comes from the process's count memo (graphql_api.pagination: keyed by
# the generation and the window up to the next page date).
SERVICES_WARM = 3
# Read once per structure token: collaborators with their translations; documents; images.
KEPT_ROWS = 3
# Cold: also those rows, the languages, the site, Wagtail's site root paths (sites, then
# their root pages' translations), the view restrictions (pages' and collections' in one
# query), the count, and the next page date (pages' and scheduled revisions' in one query)
# that keys the count. With the response cache on, the cache has read that date for the
# same request already.
SERVICES_COLD = SERVICES_WARM + KEPT_ROWS + 5 + 1 + 1
# After a page is published: the count again, not the site; the next page date was
# computed by the publish, at its commit (invalidation._prime_next_change).
SERVICES_AFTER_PUBLISH = SERVICES_WARM + 1
# Warm: the page by slug, then as for the listing.
SERVICE_WARM = 3
SERVICE_COLD = SERVICE_WARM + KEPT_ROWS + 5
# After a page is published: nothing more than warm (a page has no count).
SERVICE_AFTER_PUBLISH = SERVICE_WARM


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
    # The demo page has no document (1 query fewer, when the rows are read); its call to
    # action opens a form, a chosen page like the rich page's link.
    assert (cold, warm) == (SERVICE_COLD - 1, SERVICE_WARM)


def test_service_with_every_block_stays_within_budget(make_rich_service, graphql):
    make_rich_service("todo")
    graphql(SERVICE, {"slug": "todo"})
    _new_generation()
    cold, answer = _count(graphql, SERVICE, {"slug": "todo"})
    warm, again = _count(graphql, SERVICE, {"slug": "todo"})
    assert again == answer
    assert len(answer["data"]["service"]["body"]) == 17
    assert (cold, warm) == (SERVICE_COLD, SERVICE_WARM)


def test_publishing_a_page_costs_the_next_request_no_site_lookup(
    make_rich_service, graphql, django_capture_on_commit_callbacks
):
    """A page publish renews the generation, not the structure token: the site, languages,
    restrictions and the rows of images and collaborators stay in the process's memo; the
    pages are read again."""
    page = make_rich_service("todo")
    for _ in range(2):
        make_rich_service(f"otro-{_}")
    graphql(SERVICE, {"slug": "todo"})
    graphql(SERVICES, {"first": 10})

    costs, answers = {}, {}
    for name, query, variables in (
        ("service", SERVICE, {"slug": "todo"}),
        ("services", SERVICES, {"first": 10}),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            page.title = f"Todo, otra vez ({name})"
            page.save_revision().publish()
        after, answers[name] = _count(graphql, query, variables)
        warm, again = _count(graphql, query, variables)
        assert again == answers[name]
        costs[name] = (after, warm)
    # Each answer shows the page as just published.
    assert answers["service"]["data"]["service"]["title"] == "Todo, otra vez (service)"
    assert "Todo, otra vez (services)" in {
        edge["node"]["title"] for edge in answers["services"]["data"]["services"]["edges"]
    }
    assert costs == {
        "service": (SERVICE_AFTER_PUBLISH, SERVICE_WARM),
        "services": (SERVICES_AFTER_PUBLISH, SERVICES_WARM),
    }
