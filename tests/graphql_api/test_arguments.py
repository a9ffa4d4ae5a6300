"""Each argument of each query, and the messages a person reads when one is wrong."""

import pytest
from django.test import override_settings

from cms.models import Collaborator
from tests.factories import make_service


def _error(response: dict) -> list[str]:
    # A nullable field that fails is null; a non-null one nulls the whole data.
    assert response["data"] is None or set(response["data"].values()) == {None}
    return [error["message"] for error in response["errors"]]


def test_locales(site_structure, graphql):
    response = graphql("{ locales { code isDefault } }")
    assert response == {
        "data": {
            "locales": [
                {"code": "es", "isDefault": True},
                {"code": "en", "isDefault": False},
                {"code": "ca", "isDefault": False},
            ]
        }
    }


@pytest.mark.parametrize(
    ("path", "locale", "expected"),
    [
        ("/es/services/democratic-funding/", None, ("es", "/es/services/democratic-funding/")),
        ("/en/services/democratic-funding/", None, ("en", "/en/services/democratic-funding/")),
        ("services/democratic-funding", None, ("es", "/es/services/democratic-funding/")),
        ("services/democratic-funding", "en", ("en", "/en/services/democratic-funding/")),
        ("/en/services/", None, ("en", "/en/services/")),
        ("/", "en", ("en", "/en/")),
        ("/es/", None, ("es", "/es/")),
    ],
)
def test_page_by_path(demo_page, graphql, path, locale, expected):
    response = graphql(
        "query ($path: String, $locale: String) {"
        " page(path: $path, locale: $locale) { __typename locale { code } url } }",
        {"path": path, "locale": locale},
    )
    code, url = expected
    typename = {"/": "HomePage", "/services/": "ServiceIndexPage"}.get(
        url.removeprefix(f"/{code}"), "ServicePage"
    )
    assert response == {
        "data": {"page": {"__typename": typename, "locale": {"code": code}, "url": url}}
    }


def test_page_by_path_that_does_not_exist(demo_page, graphql):
    response = graphql('{ page(path: "/es/services/nada/") { id } }')
    assert response == {"data": {"page": None}}


def test_page_by_id_in_another_locale(demo_page, locales, graphql):
    english = demo_page.get_translation(locales["en"])
    catalan = demo_page.get_translation(locales["ca"])
    query = (
        "query ($id: ID!) { es: page(id: $id) { id locale { code } }"
        ' en: page(id: $id, locale: "en") { id locale { code } }'
        ' ca: page(id: $id, locale: "ca") { id } }'
    )
    response = graphql(query, {"id": str(demo_page.pk)})
    assert response == {
        "data": {
            "es": {"id": str(demo_page.pk), "locale": {"code": "es"}},
            "en": {"id": str(english.pk), "locale": {"code": "en"}},
            "ca": {"id": str(catalan.pk)},
        }
    }
    # A language the page has no version in: null.
    catalan.delete()
    assert graphql(query, {"id": str(demo_page.pk)})["data"]["ca"] is None


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ("", "Give exactly one of path or id."),
        ('path: "/es/", id: "1"', "Give exactly one of path or id."),
        ('id: "abc"', "Invalid page id 'abc': ids are numbers."),
        ('path: "/es/", locale: "xx"', "Unknown locale 'xx'. Use one of: es, en, ca."),
    ],
)
def test_page_bad_arguments(site_structure, graphql, arguments, message):
    response = graphql(f"{{ page({arguments}) {{ id }} }}" if arguments else "{ page { id } }")
    assert _error(response) == [message]


@pytest.mark.parametrize("slug", ["democratic-funding", "Democratic-Funding", "DEMOCRATIC-FUNDING"])
def test_service_slug_is_case_insensitive(demo_page, graphql, slug):
    response = graphql(
        "query ($slug: String!) { service(slug: $slug) { id locale { code } } }", {"slug": slug}
    )
    assert response == {"data": {"service": {"id": str(demo_page.pk), "locale": {"code": "es"}}}}


def test_service_locale(demo_page, locales, graphql):
    english = demo_page.get_translation(locales["en"])
    catalan = demo_page.get_translation(locales["ca"])
    query = (
        '{ en: service(slug: "democratic-funding", locale: "en") { id title }'
        ' ca: service(slug: "democratic-funding", locale: "ca") { id } }'
    )
    assert graphql(query) == {
        "data": {
            "en": {"id": str(english.pk), "title": english.title},
            "ca": {"id": str(catalan.pk)},
        }
    }
    # A language the service has no version in: null.
    catalan.delete()
    assert graphql(query)["data"]["ca"] is None


@pytest.fixture
def five_services(site_structure):
    index = site_structure.service_indexes["es"]
    titles = ["Cebra", "Abeja", "Delfín", "Burro", "Erizo"]
    return [
        make_service(index, title=title, slug=title.lower(), description=f"Sobre {title}")
        for title in titles
    ]


SERVICES = """
query (
  $first: Int, $after: String, $last: Int, $before: String,
  $ordering: [ServiceOrder!]! = [], $filters: ServiceFilter
) {
  services(
    first: $first, after: $after, last: $last, before: $before,
    ordering: $ordering, filters: $filters
  ) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { title } }
  }
}
"""


def _titles(data: dict) -> list[str]:
    return [edge["node"]["title"] for edge in data["edges"]]


def test_services_pages_through_with_cursors(five_services, graphql):
    first = graphql(SERVICES, {"first": 2})["data"]["services"]
    assert first["totalCount"] == 5
    assert _titles(first) == ["Cebra", "Abeja"]
    assert first["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": first["edges"][0]["cursor"],
        "endCursor": first["edges"][1]["cursor"],
    }
    second = graphql(SERVICES, {"first": 2, "after": first["pageInfo"]["endCursor"]})
    second = second["data"]["services"]
    assert _titles(second) == ["Delfín", "Burro"]
    # Every page says both ways: the first items lie before this one.
    assert (second["pageInfo"]["hasPreviousPage"], second["pageInfo"]["hasNextPage"]) == (
        True,
        True,
    )
    last = graphql(SERVICES, {"first": 2, "after": second["pageInfo"]["endCursor"]})
    last = last["data"]["services"]
    assert _titles(last) == ["Erizo"]
    assert (last["pageInfo"]["hasPreviousPage"], last["pageInfo"]["hasNextPage"]) == (True, False)


def test_services_pages_backwards_with_last_and_before(five_services, graphql):
    end = graphql(SERVICES, {"last": 2})["data"]["services"]
    assert _titles(end) == ["Burro", "Erizo"]
    assert (end["pageInfo"]["hasPreviousPage"], end["pageInfo"]["hasNextPage"]) == (True, False)
    before = graphql(SERVICES, {"last": 2, "before": end["pageInfo"]["startCursor"]})
    before = before["data"]["services"]
    assert _titles(before) == ["Abeja", "Delfín"]
    assert (before["pageInfo"]["hasPreviousPage"], before["pageInfo"]["hasNextPage"]) == (
        True,
        True,
    )
    start = graphql(SERVICES, {"last": 2, "before": before["pageInfo"]["startCursor"]})
    start = start["data"]["services"]
    assert _titles(start) == ["Cebra"]
    assert (start["pageInfo"]["hasPreviousPage"], start["pageInfo"]["hasNextPage"]) == (
        False,
        True,
    )


@pytest.mark.parametrize(
    "other",
    [
        {"ordering": [{"title": "DESC"}]},
        {"filters": {"slug": "burro", "OR": {"slug": "erizo"}}},
        {"locale": "en"},
    ],
)
def test_a_cursor_of_another_list_is_refused(five_services, graphql, other):
    """A cursor holds its item's place in its own list: read against another ordering,
    filter or language it would silently start anywhere, so it is refused."""
    query = SERVICES.replace("$filters: ServiceFilter", "$filters: ServiceFilter, $locale: String")
    query = query.replace("ordering: $ordering,", "ordering: $ordering, locale: $locale,")
    by_title = {"ordering": [{"title": "ASC"}]}
    cursor = graphql(query, {"first": 2, **by_title})["data"]["services"]["pageInfo"]["endCursor"]
    assert graphql(query, {"first": 2, "after": cursor, **by_title})["data"]["services"]
    assert _coded(graphql(query, {"first": 2, "after": cursor, **by_title, **other})) == [
        (
            f"Invalid cursor '{cursor}': it comes from another list (other language, filters "
            "or ordering); pass a cursor this same list returned.",
            "INVALID_CURSOR",
        )
    ]


def test_a_refused_argument_leaves_the_other_fields_answered(demo_page, graphql):
    response = graphql(
        '{ locales { code } services(first: 100) { totalCount } site(locale: "fr") { name } }'
    )
    assert response == {
        "data": {
            "locales": [{"code": "es"}, {"code": "en"}, {"code": "ca"}],
            "services": None,
            "site": None,
        },
        "errors": [
            {
                "message": "first must be between 1 and 50 (got 100); use pageInfo.endCursor "
                "with after to get more.",
                "locations": [{"line": 1, "column": 20}],
                "path": ["services"],
                "extensions": {"code": "PAGE_SIZE_EXCEEDED"},
            },
            {
                "message": "Unknown locale 'fr'. Use one of: es, en, ca.",
                "locations": [{"line": 1, "column": 56}],
                "path": ["site"],
                "extensions": {"code": "UNKNOWN_LOCALE"},
            },
        ],
    }


def test_publishing_between_requests_shifts_no_page(five_services, site_structure, graphql):
    """Keyset cursors: an item published before the cursor, or one unpublished on the page
    already read, neither repeats nor skips an item of the next page."""
    by_title = {"ordering": [{"title": "ASC"}]}
    first = graphql(SERVICES, {"first": 2, **by_title})["data"]["services"]
    assert _titles(first) == ["Abeja", "Burro"]
    make_service(site_structure.service_indexes["es"], title="Aardvark", slug="aardvark")
    five_services[1].unpublish()  # Abeja, already read
    after = first["pageInfo"]["endCursor"]
    second = graphql(SERVICES, {"first": 2, "after": after, **by_title})["data"]["services"]
    assert _titles(second) == ["Cebra", "Delfín"]
    assert second["totalCount"] == 5


def test_services_default_page_size(site_structure, graphql):
    index = site_structure.service_indexes["es"]
    for number in range(21):
        make_service(index, title=f"S{number:02}", slug=f"s{number:02}")
    data = graphql(SERVICES)["data"]["services"]
    assert (data["totalCount"], len(data["edges"]), data["pageInfo"]["hasNextPage"]) == (
        21,
        20,
        True,
    )


@pytest.mark.parametrize(
    ("ordering", "titles"),
    [
        ([], ["Cebra", "Abeja", "Delfín", "Burro", "Erizo"]),
        ([{"position": "ASC"}], ["Cebra", "Abeja", "Delfín", "Burro", "Erizo"]),
        ([{"title": "ASC"}], ["Abeja", "Burro", "Cebra", "Delfín", "Erizo"]),
        ([{"title": "DESC"}], ["Erizo", "Delfín", "Cebra", "Burro", "Abeja"]),
        ([{"firstPublishedAt": "DESC"}], ["Erizo", "Burro", "Delfín", "Abeja", "Cebra"]),
        ([{"lastPublishedAt": "DESC"}], ["Erizo", "Burro", "Delfín", "Abeja", "Cebra"]),
    ],
)
def test_services_ordering(five_services, graphql, ordering, titles):
    data = graphql(SERVICES, {"ordering": ordering})["data"]["services"]
    assert _titles(data) == titles


def test_services_filters(five_services, graphql):
    search = graphql(SERVICES, {"filters": {"search": "Delfín"}})["data"]["services"]
    assert (search["totalCount"], _titles(search)) == (1, ["Delfín"])
    slug = graphql(SERVICES, {"filters": {"slug": "BURRO"}})["data"]["services"]
    assert (slug["totalCount"], _titles(slug)) == (1, ["Burro"])
    either = graphql(
        SERVICES,
        {"filters": {"slug": "burro", "OR": {"slug": "erizo"}}, "ordering": [{"title": "ASC"}]},
    )["data"]["services"]
    assert (either["totalCount"], _titles(either)) == (2, ["Burro", "Erizo"])


def _coded(response: dict) -> list[tuple[str, str]]:
    assert response["data"] is None or set(response["data"].values()) == {None}
    return [(e["message"], e["extensions"]["code"]) for e in response["errors"]]


def test_services_bad_arguments(site_structure, graphql):
    assert _coded(graphql(SERVICES, {"after": "not-a-cursor"})) == [
        (
            "Invalid cursor 'not-a-cursor': pass a cursor this API returned (pageInfo.endCursor).",
            "INVALID_CURSOR",
        )
    ]
    assert _coded(graphql(SERVICES, {"filters": {"search": "  "}})) == [
        ("search needs at least one word.", "EMPTY_SEARCH")
    ]
    assert _coded(graphql('{ services(locale: "de") { totalCount } }')) == [
        ("Unknown locale 'de'. Use one of: es, en, ca.", "UNKNOWN_LOCALE")
    ]
    assert _coded(graphql(SERVICES, {"first": 2, "last": 2})) == [
        ("Give first (with after) or last (with before), not both.", "INVALID_ARGUMENT")
    ]


def test_collaborators_fall_back_to_the_default_language(demo_page, locales, graphql):
    only_spanish = Collaborator.objects.create(
        name="Asociación", slug="asociacion", locale=locales["es"]
    )
    query = """
    query ($locale: String) {
      collaborators(locale: $locale) { slug name locale { code } }
    }
    """
    english = {c["slug"]: c for c in graphql(query, {"locale": "en"})["data"]["collaborators"]}
    assert english["asociacion"] == {
        "slug": "asociacion",
        "name": only_spanish.name,
        "locale": {"code": "es"},
    }
    assert english["goteo"]["locale"] == {"code": "en"}
    spanish = graphql(query, {"locale": None})["data"]["collaborators"]
    assert {c["locale"]["code"] for c in spanish} == {"es"}
    assert [c["slug"] for c in spanish] == sorted(c["slug"] for c in spanish)


def test_collaborator_by_slug(demo_page, locales, graphql):
    goteo_en = Collaborator.objects.get(slug="goteo", locale=locales["en"])
    query = (
        '{ en: collaborator(slug: "GOTEO", locale: "en") { name locale { code } }'
        ' ca: collaborator(slug: "goteo", locale: "ca") { locale { code } }'
        ' none: collaborator(slug: "nadie") { name } }'
    )
    assert graphql(query) == {
        "data": {
            "en": {"name": goteo_en.name, "locale": {"code": "en"}},
            "ca": {"locale": {"code": "ca"}},
            "none": None,
        }
    }
    # Not translated into Catalan: the default language's version.
    Collaborator.objects.filter(slug="goteo", locale=locales["ca"]).delete()
    assert graphql(query)["data"]["ca"] == {"locale": {"code": "es"}}


def test_search(five_services, locales, graphql):
    response = graphql(
        '{ es: search(query: "Burro") { __typename title locale { code } }'
        ' en: search(query: "Burro", locale: "en") { title }'
        ' few: search(query: "Sobre", first: 2) { title } }'
    )
    data = response["data"]
    assert data["es"] == [{"__typename": "ServicePage", "title": "Burro", "locale": {"code": "es"}}]
    assert data["en"] == []
    assert len(data["few"]) == 2
    assert _error(graphql('{ search(query: " ") { id } }')) == ["query needs at least one word."]


FALLBACK = """
query ($locale: String, $fallback: Boolean) {
  service(slug: "democratic-funding", locale: $locale, fallback: $fallback) { locale { code } }
  page(path: "/services/democratic-funding/", locale: $locale, fallback: $fallback) {
    locale { code }
  }
  services(locale: $locale, fallback: $fallback) { totalCount edges { node { locale { code } } } }
}
"""


@pytest.fixture
def not_in_catalan(demo_page, locales):
    """The demo service as if it had never been translated into Catalan."""
    demo_page.get_translation(locales["ca"]).delete()
    return demo_page


@pytest.mark.parametrize(
    ("locale", "fallback", "served"),
    [("ca", False, None), ("ca", True, "es"), ("en", True, "en"), ("es", True, "es")],
)
def test_fallback_along_the_configured_chain(not_in_catalan, graphql, locale, fallback, served):
    response = graphql(FALLBACK, {"locale": locale, "fallback": fallback})
    one = {"locale": {"code": served}} if served else None
    assert response == {
        "data": {
            "service": one,
            "page": one,
            "services": {"totalCount": 1 if served else 0, "edges": [{"node": one}] if one else []},
        }
    }


@pytest.mark.parametrize("fallback", [False, True])
def test_a_translation_is_served_before_any_fallback(demo_page, graphql, fallback):
    response = graphql(FALLBACK, {"locale": "ca", "fallback": fallback})
    one = {"locale": {"code": "ca"}}
    assert response == {
        "data": {
            "service": one,
            "page": one,
            "services": {"totalCount": 1, "edges": [{"node": one}]},
        }
    }


@override_settings(CIVIC_LANGUAGE_FALLBACKS={"ca": ["en", "es"]})
def test_fallback_chain_is_a_setting(not_in_catalan, graphql):
    response = graphql(FALLBACK, {"locale": "ca", "fallback": True})
    assert response["data"]["service"] == {"locale": {"code": "en"}}
    assert response["data"]["page"] == {"locale": {"code": "en"}}
    assert response["data"]["services"]["edges"] == [{"node": {"locale": {"code": "en"}}}]
