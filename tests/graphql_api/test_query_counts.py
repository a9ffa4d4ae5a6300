"""The cost of a query does not grow with the number of pages or blocks."""

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from tests.graphql_api.queries import SERVICE, SERVICES

# Site, locales, count, the page list, collaborators, images, renditions, linked pages
# (2: base and specific), documents, translations, breadcrumbs.
SERVICES_QUERIES = 12
# The same without the count, the lookup by slug replacing the list.
SERVICE_QUERIES = 11


def _empty_query_log():
    # Each request clears the query log when it starts; a log already longer than the
    # request's own queries would make the capture slice empty.
    reset_queries()


def _count(graphql, query, variables):
    _empty_query_log()
    with CaptureQueriesContext(connection) as captured:
        response = graphql(query, variables)
    assert "errors" not in response, response["errors"]
    return len(captured.captured_queries), response


def test_services_cost_does_not_grow_with_pages(make_rich_service, graphql):
    for number in range(50):
        make_rich_service(f"servicio-{number:02}")
    # The first run generates the renditions; later runs only read them.
    graphql(SERVICES, {"first": 50})

    one, small = _count(graphql, SERVICES, {"first": 1})
    fifty, large = _count(graphql, SERVICES, {"first": 50})

    assert len(small["data"]["services"]["edges"]) == 1
    assert len(large["data"]["services"]["edges"]) == 50
    assert large["data"]["services"]["edges"][49]["node"]["body"][5]["image"]["rendition"]
    assert one == fifty == SERVICES_QUERIES


def test_full_service_stays_within_twelve_queries(demo_page, graphql, django_assert_num_queries):
    variables = {"slug": demo_page.slug, "locale": "es"}
    graphql(SERVICE, variables)
    _empty_query_log()
    with django_assert_num_queries(8):
        response = graphql(SERVICE, variables)
    assert response["data"]["service"]["title"] == demo_page.title


def test_service_with_every_block_stays_within_budget(
    make_rich_service, graphql, django_assert_num_queries
):
    make_rich_service("todo")
    graphql(SERVICE, {"slug": "todo"})
    _empty_query_log()
    with django_assert_num_queries(SERVICE_QUERIES):
        response = graphql(SERVICE, {"slug": "todo"})
    assert len(response["data"]["service"]["body"]) == 17
