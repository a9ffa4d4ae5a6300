"""The cost of a query does not grow with the number of pages, blocks or references.

Budgets and invariants are those of tests/query_costs.py: a cold request (nothing kept from
an earlier one) stays within its budget, a listing costs the same for 1 and 50 items, and
naming more things of the same kinds costs no extra query.
"""

from cms.models import Collaborator
from tests import query_costs
from tests.factories import make_image, make_service
from tests.graphql_api.conftest import every_block_body, make_document
from tests.graphql_api.queries import SERVICE, SERVICES
from tests.query_costs import cold_cost, cold_then_again


def test_services_cost_does_not_grow_with_pages(make_rich_service, graphql):
    for number in range(50):
        make_rich_service(f"servicio-{number:02}")
    # The first run generates the renditions; later runs only read them.
    graphql(SERVICES, {"first": 50})

    costs = {}
    for first in (1, 50):
        cold, again, answer = cold_then_again(graphql, SERVICES, {"first": first})
        assert len(answer["data"]["services"]["edges"]) == first
        costs[first] = (cold, again)

    assert costs[1] == costs[50]
    assert costs[50][0] <= query_costs.PAGE + query_costs.LISTING_EXTRA, costs
    assert answer["data"]["services"]["edges"][49]["node"]["body"][5]["image"]["rendition"]


def test_demo_service_within_budget(demo_page, graphql):
    variables = {"slug": demo_page.slug, "locale": "es"}
    graphql(SERVICE, variables)
    cold, _again, answer = cold_then_again(graphql, SERVICE, variables)
    assert answer["data"]["service"]["title"] == demo_page.title
    assert cold <= query_costs.PAGE


def test_service_with_every_block_within_budget(make_rich_service, graphql):
    make_rich_service("todo")
    graphql(SERVICE, {"slug": "todo"})
    cold, _again, answer = cold_then_again(graphql, SERVICE, {"slug": "todo"})
    assert len(answer["data"]["service"]["body"]) == 17
    assert cold <= query_costs.PAGE


def test_more_blocks_and_references_cost_no_extra_query(make_rich_service, rich_content, graphql):
    """A page naming each kind of thing (images, collaborators, documents, pages) three
    times over, in three times the blocks, costs what a page naming each once costs."""
    make_rich_service("una-vez")
    more = {
        "images": [make_image(f"Otra {i}", size=(800, 600)) for i in range(3)],
        "collaborators": [
            Collaborator.objects.create(
                name=f"Otro {i}",
                slug=f"otro-{i}",
                locale=rich_content["collaborators"][0].locale,
                logo=make_image(f"Logo otro {i}"),
            )
            for i in range(4)
        ],
    }
    body = [
        *every_block_body(
            images=rich_content["images"],
            collaborators=rich_content["collaborators"],
            document=rich_content["document"],
            link_page=rich_content["link_page"],
        ),
        *every_block_body(
            images=more["images"],
            collaborators=more["collaborators"],
            document=make_document("Otro informe"),
            link_page=rich_content["index"].get_parent(),
        ),
        *every_block_body(
            images=list(reversed(more["images"])),
            collaborators=more["collaborators"][:2],
            document=make_document("Tercer informe"),
            link_page=rich_content["index"],
        ),
    ]
    make_service(rich_content["index"], title="Tres veces", slug="tres-veces", body=body)
    costs = {}
    for slug, blocks in (("una-vez", 17), ("tres-veces", 51)):
        graphql(SERVICE, {"slug": slug})  # renditions made once
        cold, answer = cold_cost(graphql, SERVICE, {"slug": slug})
        assert len(answer["data"]["service"]["body"]) == blocks
        costs[slug] = cold
    assert costs["una-vez"] == costs["tres-veces"] <= query_costs.PAGE, costs


def test_the_request_after_a_publish_shows_it_within_budget(
    make_rich_service, graphql, django_capture_on_commit_callbacks
):
    page = make_rich_service("todo")
    for number in range(2):
        make_rich_service(f"otro-{number}")
    graphql(SERVICE, {"slug": "todo"})
    graphql(SERVICES, {"first": 10})

    for name, query, variables, budget in (
        ("service", SERVICE, {"slug": "todo"}, query_costs.PAGE),
        ("services", SERVICES, {"first": 10}, query_costs.PAGE + query_costs.LISTING_EXTRA),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            page.title = f"Todo, otra vez ({name})"
            page.save_revision().publish()
        after, answer = query_costs.cost(graphql, query, variables)
        assert after <= budget
        if name == "service":
            assert answer["data"]["service"]["title"] == "Todo, otra vez (service)"
        else:
            titles = {edge["node"]["title"] for edge in answer["data"]["services"]["edges"]}
            assert "Todo, otra vez (services)" in titles
