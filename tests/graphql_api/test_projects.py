"""Projects, categories, team members and project states through the API (issue 14)."""

import pytest

from tests import query_costs
from tests.factories import make_category, make_project, make_service, make_state
from tests.graphql_api import expected
from tests.graphql_api.queries import BLOCK_FRAGMENTS, CATEGORY, MEMBERS, PROJECT, PROJECTS
from tests.query_costs import cold_then_again


def page_link(page, typename: str) -> dict:
    return {
        "__typename": typename,
        "id": str(page.pk),
        "title": page.title,
        "slug": page.slug,
        "url": page.url,
        "locale": {"code": page.locale.language_code},
    }


def member(obj, links=()) -> dict:
    return {
        "slug": obj.slug,
        "name": obj.name,
        "kind": obj.kind,
        "role": obj.position,
        "bio": expected.markdown(obj.bio),
        "email": obj.email or None,
        "links": [{"kind": kind, "url": url} for kind, url in links],
        "locale": {"code": obj.locale.language_code},
        "photo": expected.image(obj.photo, obj.photo_alt_text) if obj.photo else None,
    }


def cta(page, field="call_to_action") -> dict:
    (bound,) = getattr(page, field)
    value = bound.value
    return {
        "id": bound.id,
        "text": expected.markdown(value["text"]),
        "buttonLabel": value["button_label"],
        "url": value.link_url,
        "image": expected.image(value["image"], value.image_alt_text) if value["image"] else None,
    }


def without_ids(blocks: list) -> list:
    return [{k: v for k, v in block.items() if k != "id"} for block in blocks]


def run(graphql, query, variables):
    response = graphql(query, variables)
    assert "errors" not in response, response["errors"]
    return response["data"]


def test_project_in_spanish_whole_response(project_world, make_rich_service, graphql):
    w = project_world
    project, images = w["project"], w["images"]
    data = run(graphql, PROJECT, {"slug": "GOTEO-cultura", "locale": "es"})
    body = data["project"].pop("body")
    assert data == {
        "project": {
            "__typename": "ProjectPage",
            "id": str(project.pk),
            "title": "Goteo Cultura",
            "slug": "goteo-cultura",
            "url": "/es/projects/goteo-cultura/",
            "locale": {"code": "es"},
            "seoTitle": "Goteo Cultura",
            "searchDescription": "",
            "translations": [
                {"locale": {"code": "en"}, "title": "Goteo Culture", "url": w["project_en"].url}
            ],
            "breadcrumbs": [
                {"title": "Inicio", "url": "/es/"},
                {"title": "Proyectos", "url": "/es/projects/"},
            ],
            "subtitle": expected.markdown("Un *proyecto*."),
            "description": expected.markdown("Resumen."),
            "bannerImage": expected.image(images[0], "Pancarta"),
            "startDate": "2020-01-15",
            "endDate": "2021-06-30",
            "date": "2021-03-01T10:00:00+00:00",
            "budget": "600.000",
            "funding": {
                "privatePercentage": "60%",
                "publicPercentage": "40",
                "lookingForFinancePercentage": "",
            },
            "state": {
                "slug": "open",
                "title": "Abierto",
                "color": "#1a7f37",
                "locale": {"code": "es"},
            },
            "services": [
                page_link(w["service"], "ServicePage") | {"image": None},
                page_link(w["consulting"], "ServicePage") | {"image": None},
            ],
            "categories": [
                page_link(w["category"], "CategoryPage")
                | {"symbol": expected.image(images[2], "Símbolo")}
            ],
            "members": [
                member(w["ana"], [("twitter", "https://twitter.com/ana")]),
                member(w["bea"]),
            ],
            "collaborators": [expected.collaborator(w["collaborator"])],
            "callToAction": cta(project),
        }
    }
    # The body holds one block of every kind, rendered as a service's same blocks are.
    make_rich_service("todo")
    query = 'query { service(slug: "todo") { body { ...BlockFields } } }' + BLOCK_FRAGMENTS
    service_body = run(graphql, query, {})["service"]["body"]
    assert [block["id"] for block in body] == [bound.id for bound in project.body]
    assert without_ids(body) == without_ids(service_body)


LINKS = """
query ($slug: String!, $locale: String, $fallback: Boolean = false) {
  project(slug: $slug, locale: $locale, fallback: $fallback) {
    title locale { code }
    state { title locale { code } }
    services { title locale { code } }
    categories { title locale { code } }
    members { name role locale { code } }
    collaborators { name locale { code } }
  }
}
"""


def test_links_follow_translation_keys_into_the_readers_language(project_world, graphql):
    """The English project's rows point at the Spanish versions; the English reader gets
    the English versions where they exist (snippets: else the default language)."""
    assert run(graphql, LINKS, {"slug": "goteo-culture", "locale": "en"}) == {
        "project": {
            "title": "Goteo Culture",
            "locale": {"code": "en"},
            "state": {"title": "Open", "locale": {"code": "en"}},
            # Consultoría has no English version: without fallback it is left out.
            "services": [{"title": "Funding", "locale": {"code": "en"}}],
            "categories": [{"title": "Future Culture", "locale": {"code": "en"}}],
            "members": [
                {"name": "Ana García", "role": "Director", "locale": {"code": "en"}},
                {"name": "Bea López", "role": "", "locale": {"code": "es"}},
            ],
            "collaborators": [{"name": "Socio 0", "locale": {"code": "es"}}],
        }
    }
    with_fallback = run(graphql, LINKS, {"slug": "goteo-culture", "locale": "en", "fallback": True})
    assert with_fallback["project"]["services"] == [
        {"title": "Funding", "locale": {"code": "en"}},
        {"title": "Consultoría", "locale": {"code": "es"}},
    ]
    # Catalan has no version of anything: with fallback, each link's best version along
    # ca -> es -> en, and the project itself in Spanish.
    catalan = run(graphql, LINKS, {"slug": "goteo-cultura", "locale": "ca", "fallback": True})
    assert catalan["project"]["locale"] == {"code": "es"}
    assert catalan["project"]["services"] == [
        {"title": "Financiación", "locale": {"code": "es"}},
        {"title": "Consultoría", "locale": {"code": "es"}},
    ]
    assert run(graphql, LINKS, {"slug": "goteo-cultura", "locale": "ca"}) == {"project": None}


REVERSE = """
query ($locale: String, $fallback: Boolean = false) {
  financiacion: service(slug: "financiacion", locale: $locale, fallback: $fallback) {
    title projects { title locale { code } } categories { title locale { code } }
  }
  consultoria: service(slug: "consultoria", locale: $locale, fallback: $fallback) {
    title projects { title } categories { title }
  }
  category(slug: "cultura-futura", locale: $locale, fallback: $fallback) {
    title projects { title } services { title }
  }
  member(slug: "AG", locale: $locale) { name projects { title locale { code } } }
  collaborator(slug: "socio-0", locale: $locale) {
    name projects { title } services { title locale { code } }
  }
}
"""


def test_reverse_links(project_world, rich_content, site_structure, graphql):
    socio = project_world["collaborator"]
    # A service naming the collaborator in its body, and one naming it only in a draft.
    block = ("collaborators", {"title": "Socios", "collaborators": [socio]})
    make_service(
        site_structure.service_indexes["es"], title="Con socio", slug="con-socio", body=[block]
    )
    draft = make_service(site_structure.service_indexes["es"], title="Borrador", slug="borrador")
    draft.body = [block]
    draft.save_revision()
    assert run(graphql, REVERSE, {"locale": "es"}) == {
        "financiacion": {
            "title": "Financiación",
            "projects": [{"title": "Goteo Cultura", "locale": {"code": "es"}}],
            "categories": [{"title": "Cultura Futura", "locale": {"code": "es"}}],
        },
        "consultoria": {
            "title": "Consultoría",
            "projects": [{"title": "Goteo Cultura"}],
            "categories": [{"title": "Cultura Futura"}],
        },
        "category": {
            "title": "Cultura Futura",
            "projects": [{"title": "Goteo Cultura"}],
            "services": [{"title": "Financiación"}, {"title": "Consultoría"}],
        },
        "member": {
            "name": "Ana García",
            "projects": [{"title": "Goteo Cultura", "locale": {"code": "es"}}],
        },
        "collaborator": {
            "name": "Socio 0",
            "projects": [{"title": "Goteo Cultura"}],
            "services": [{"title": "Con socio", "locale": {"code": "es"}}],
        },
    }
    english = run(graphql, REVERSE, {"locale": "en", "fallback": True})
    assert english["financiacion"]["title"] == "Funding"
    assert english["financiacion"]["projects"] == [
        {"title": "Goteo Culture", "locale": {"code": "en"}}
    ]
    assert english["financiacion"]["categories"] == [
        {"title": "Future Culture", "locale": {"code": "en"}}
    ]
    assert english["consultoria"] == {
        "title": "Consultoría",
        "projects": [{"title": "Goteo Culture"}],
        "categories": [{"title": "Future Culture"}],
    }
    assert english["member"]["projects"] == [{"title": "Goteo Culture", "locale": {"code": "en"}}]
    # Snippets fall back, and so do their links: "Con socio" exists only in Spanish.
    assert english["collaborator"]["services"] == [{"title": "Con socio", "locale": {"code": "es"}}]


def test_category_whole_response_and_cost(project_world, graphql):
    w = project_world
    category, images = w["category"], w["images"]
    variables = {"slug": "Cultura-Futura", "locale": "es"}
    graphql(CATEGORY, variables)  # renditions made once
    cold, _again, response = cold_then_again(graphql, CATEGORY, variables)
    assert cold <= query_costs.CATEGORY
    data = response["data"]
    project = w["project"]
    assert data == {
        "category": page_link(category, "CategoryPage")
        | {
            "breadcrumbs": [
                {"title": "Inicio", "url": "/es/"},
                {"title": "Categorías", "url": "/es/categories/"},
            ],
            "subtitle": expected.markdown("Arte y *comunidad*."),
            "symbol": expected.image(images[2], "Símbolo"),
            "services": [
                page_link(w["service"], "ServicePage"),
                page_link(w["consulting"], "ServicePage"),
            ],
            "projects": [
                page_link(project, "ProjectPage")
                | {
                    "state": {"slug": "open", "title": "Abierto"},
                    "bannerImage": expected.image(images[0], "Pancarta"),
                }
            ],
            "callToAction": cta(category),
        }
    }


def test_members_whole_response_and_cost(project_world, graphql):
    w = project_world
    graphql(MEMBERS, {"locale": "en"})
    cold, _again, response = cold_then_again(graphql, MEMBERS, {"locale": "en"})
    assert cold <= query_costs.MEMBERS
    data = response["data"]
    project_en = w["project_en"]
    assert data == {
        "members": [
            member(w["ana_en"], [("twitter", "https://twitter.com/ana")])
            | {"projects": [page_link(project_en, "ProjectPage")]},
            member(w["bea"]) | {"projects": [page_link(project_en, "ProjectPage")]},
        ]
    }


def test_project_states_and_categories_lists(project_world, graphql):
    query = """
    query ($locale: String) {
      projectStates(locale: $locale) { slug title color locale { code } }
      categories(locale: $locale) { title }
      fallback: categories(locale: "ca", fallback: true) { title locale { code } }
    }
    """
    assert run(graphql, query, {"locale": "en"}) == {
        "projectStates": [
            {"slug": "open", "title": "Open", "color": "#1a7f37", "locale": {"code": "en"}}
        ],
        "categories": [{"title": "Future Culture"}],
        "fallback": [{"title": "Cultura Futura", "locale": {"code": "es"}}],
    }


def test_member_never_shows_notes_and_refuses_unsafe_links(project_world, graphql):
    data = run(graphql, '{ member(slug: "ag") { links { kind url } } }', {})
    assert data == {"member": {"links": [{"kind": "twitter", "url": "https://twitter.com/ana"}]}}
    assert "notes" not in {f.name for f in _type_fields("Member")}
    assert run(graphql, '{ member(slug: "nadie") { name } }', {}) == {"member": None}


def _type_fields(name):
    from graphql_api.schema import schema

    return [
        type("F", (), {"name": field_name}) for field_name in schema._schema.type_map[name].fields
    ]


def test_project_cost(project_world, graphql):
    variables = {"slug": "goteo-cultura", "locale": "es"}
    graphql(PROJECT, variables)
    cold, _again, answer = cold_then_again(graphql, PROJECT, variables)
    assert answer["data"]["project"]["members"][0]["photo"]["rendition"]
    assert cold <= query_costs.PROJECT


def test_projects_cost_does_not_grow_with_pages(project_world, site_structure, graphql):
    """projects(first: 50) with every relation and block costs what first: 1 costs."""
    from tests.graphql_api.conftest import every_block_body

    w = project_world
    project = w["project"]
    for number in range(49):
        make_project(
            site_structure.project_indexes["es"],
            title=f"Proyecto {number:02}",
            slug=f"proyecto-{number:02}",
            banner_image=w["images"][number % 3],
            state=w["state"],
            body=project.body.raw_data,
            call_to_action=project.call_to_action.raw_data,
            links={
                "services": [w["service"], w["consulting"]],
                "categories": [w["category"]],
                "members": [w["ana"], w["bea"]],
                "collaborators": [w["collaborator"]],
            },
        )
    assert every_block_body  # the body the fixture's project has, copied as raw data
    graphql(PROJECTS, {"first": 50})
    costs = {}
    for first in (1, 50):
        cold, again, answer = cold_then_again(graphql, PROJECTS, {"first": first})
        edges = answer["data"]["projects"]["edges"]
        assert len(edges) == first
        assert answer["data"]["projects"]["totalCount"] == 50
        costs[first] = (cold, again)
    assert costs[1] == costs[50]
    assert costs[50][0] <= query_costs.PROJECT + query_costs.LISTING_EXTRA, costs
    last = edges[49]["node"]
    assert [m["name"] for m in last["members"]] == ["Ana García", "Bea López"]
    assert last["state"]["title"] == "Abierto"
    assert len(last["body"]) == 17


FILTERED = """
query ($filters: ProjectFilter, $ordering: [ProjectOrder!], $locale: String) {
  projects(locale: $locale, filters: $filters, ordering: $ordering) {
    totalCount edges { node { title } }
  }
}
"""


@pytest.fixture
def three_projects(project_world, site_structure, locales):
    from datetime import UTC, date, datetime

    w = project_world
    closed = make_state(locales["es"], slug="closed", title="Cerrado")
    other = make_category(site_structure.category_indexes["es"], title="Otra", slug="otra")
    index = site_structure.project_indexes["es"]
    make_project(
        index,
        title="Antiguo",
        slug="antiguo",
        state=closed,
        start_date=date(2010, 1, 1),
        date=datetime(2011, 1, 1, tzinfo=UTC),
        links={"categories": [other], "members": [w["bea"]]},
    )
    make_project(index, title="Sin fecha", slug="sin-fecha", description="Zanahoria")
    return w


def titles(graphql, variables) -> tuple[int, list[str]]:
    data = run(graphql, FILTERED, variables)["projects"]
    return data["totalCount"], [edge["node"]["title"] for edge in data["edges"]]


@pytest.mark.parametrize(
    ("filters", "found"),
    [
        ({}, ["Goteo Cultura", "Antiguo", "Sin fecha"]),
        ({"state": "OPEN"}, ["Goteo Cultura"]),
        ({"state": "closed"}, ["Antiguo"]),
        ({"category": "Cultura-Futura"}, ["Goteo Cultura"]),
        ({"category": "future-culture"}, ["Goteo Cultura"]),  # any language version
        ({"service": "FUNDING"}, ["Goteo Cultura"]),
        ({"member": "bea"}, ["Goteo Cultura", "Antiguo"]),
        ({"collaborator": "Socio-0"}, ["Goteo Cultura"]),
        ({"search": "zanahoria"}, ["Sin fecha"]),
        ({"member": "bea", "state": "closed"}, ["Antiguo"]),
        ({"OR": {"state": "open"}, "state": "closed"}, ["Goteo Cultura", "Antiguo"]),
        ({"state": "nadie"}, []),
    ],
)
def test_filters(three_projects, graphql, filters, found):
    assert titles(graphql, {"filters": filters}) == (len(found), found)


@pytest.mark.parametrize(
    ("ordering", "found"),
    [
        ([{"title": "ASC"}], ["Antiguo", "Goteo Cultura", "Sin fecha"]),
        ([{"startDate": "ASC_NULLS_LAST"}], ["Antiguo", "Goteo Cultura", "Sin fecha"]),
        ([{"date": "DESC_NULLS_LAST"}], ["Goteo Cultura", "Antiguo", "Sin fecha"]),
        (
            [{"endDate": "DESC_NULLS_LAST"}, {"title": "ASC"}],
            ["Goteo Cultura", "Antiguo", "Sin fecha"],
        ),
    ],
)
def test_ordering(three_projects, graphql, ordering, found):
    assert titles(graphql, {"ordering": ordering}) == (3, found)


def test_paging_through_the_default_order(three_projects, graphql):
    query = """
    query ($after: String) {
      projects(first: 1, after: $after) {
        edges { node { title } } pageInfo { hasNextPage endCursor }
      }
    }
    """
    seen, after = [], None
    while True:
        page = run(graphql, query, {"after": after})["projects"]
        seen += [edge["node"]["title"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == ["Goteo Cultura", "Antiguo", "Sin fecha"]


def test_bad_arguments_are_explained(project_world, graphql):
    response = graphql('{ projects(filters: {search: "  "}) { totalCount } }')
    assert response["errors"][0]["message"] == "search needs at least one word."
    assert response["errors"][0]["extensions"]["code"] == "EMPTY_SEARCH"
    response = graphql('{ project(slug: "x", locale: "fr") { title } }')
    assert response["errors"][0]["message"] == "Unknown locale 'fr'. Use one of: es, en, ca."
    response = graphql("{ projects(first: 51) { totalCount } }")
    assert response["errors"][0]["extensions"]["code"] == "PAGE_SIZE_EXCEEDED"
