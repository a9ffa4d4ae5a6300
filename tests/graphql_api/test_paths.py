"""paths: every public page of the site, a page at a time, for static builds and sitemaps."""

import pytest
from wagtail.models import Page, PageViewRestriction

from tests import query_costs
from tests.factories import make_contact_form, make_service, make_standard_page
from tests.query_costs import cold_then_again

FRONTEND = "https://www.example.org"

PATHS = """
query ($locale: String, $first: Int, $after: String) {
  paths(locale: $locale, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { path url locale type lastModified } }
  }
}
"""


@pytest.fixture(autouse=True)
def _frontend(settings):
    settings.CIVIC_FRONTEND_URL = FRONTEND


def _node(page) -> dict:
    page = Page.objects.get(pk=page.pk)
    return {
        "path": page.url,
        "url": FRONTEND + page.url,
        "locale": page.locale.language_code,
        "type": type(page.specific).__name__
        if type(page.specific).__name__ != "ContactFormPage"
        else "Form",
        "lastModified": page.last_published_at.isoformat(),
    }


def test_every_public_page_of_a_language(site_structure, graphql):
    home = site_structure.homes["ca"]
    service = make_service(site_structure.service_indexes["ca"], title="Servei", slug="servei")
    about = make_standard_page(home, title="Qui som", slug="qui-som")
    form = make_contact_form(home, slug="contacte")
    make_service(site_structure.service_indexes["ca"], title="Esborrany", slug="x", publish=False)
    private = make_standard_page(home, title="Privada", slug="privada")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    make_standard_page(private, title="Sota privada", slug="sota")
    expected = [
        home,
        site_structure.service_indexes["ca"],
        service,
        site_structure.project_indexes["ca"],
        site_structure.category_indexes["ca"],
        about,
        form,
    ]
    expected.sort(key=lambda page: Page.objects.get(pk=page.pk).path)
    response = graphql(PATHS, {"locale": "ca"})
    assert response == {
        "data": {
            "paths": {
                "totalCount": len(expected),
                "pageInfo": {
                    "hasNextPage": False,
                    "endCursor": response["data"]["paths"]["pageInfo"]["endCursor"],
                },
                "edges": [{"node": _node(page)} for page in expected],
            }
        }
    }
    types = {edge["node"]["type"] for edge in response["data"]["paths"]["edges"]}
    assert types == {
        "HomePage",
        "ServiceIndexPage",
        "ServicePage",
        "ProjectIndexPage",
        "CategoryIndexPage",
        "StandardPage",
        "Form",
    }


def test_every_language_a_page_at_a_time(site_structure, graphql):
    everything = graphql(PATHS, {"first": 50})["data"]["paths"]
    # Three languages, each with its home page and three indexes.
    assert everything["totalCount"] == 12
    assert {edge["node"]["locale"] for edge in everything["edges"]} == {"es", "en", "ca"}
    walked, after = [], None
    while True:
        page = graphql(PATHS, {"first": 5, "after": after})["data"]["paths"]
        assert page["totalCount"] == 12
        walked += page["edges"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert walked == everything["edges"]


@pytest.mark.parametrize(
    ("variables", "code", "message"),
    [
        ({"locale": "fr"}, "UNKNOWN_LOCALE", "Unknown locale 'fr'. Use one of: es, en, ca."),
        (
            {"first": 51},
            "PAGE_SIZE_EXCEEDED",
            "first must be between 1 and 50 (got 51); use pageInfo.endCursor with after to "
            "get more.",
        ),
        (
            {"after": "nonsense"},
            "INVALID_CURSOR",
            "Invalid cursor 'nonsense': pass a cursor this API returned (pageInfo.endCursor).",
        ),
    ],
)
def test_bad_arguments(site_structure, graphql, variables, code, message):
    assert graphql(PATHS, variables) == {
        "data": {"paths": None},
        "errors": [
            {
                "message": message,
                "locations": [{"line": 3, "column": 3}],
                "path": ["paths"],
                "extensions": {"code": code},
            }
        ],
    }


def test_paths_cost_does_not_grow_with_pages(site_structure, graphql):
    for number in range(50):
        make_service(site_structure.service_indexes["es"], title=f"S{number}", slug=f"s-{number}")
    graphql(PATHS, {"first": 50})
    costs = {}
    for first in (1, 50):
        cold, again, answer = cold_then_again(graphql, PATHS, {"first": first})
        assert len(answer["data"]["paths"]["edges"]) == first
        costs[first] = (cold, again)
    assert costs[1] == costs[50]
    assert costs[50][0] <= query_costs.PATHS, costs
