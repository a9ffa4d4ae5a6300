"""redirect(path:): where an old URL now lives, as Wagtail's redirects say, never leaking a
hidden page."""

import json

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction, Site

from cms.models import HomePage
from tests import query_costs
from tests.factories import make_service
from tests.query_costs import cold_then_again

REDIRECT = "query ($path: String!) { redirect(path: $path) { to permanent } }"


@pytest.fixture
def default_site(site_structure):
    return Site.objects.get(is_default_site=True)


def test_redirects_to_a_page_and_to_elsewhere(site_structure, default_site, graphql):
    page = make_service(site_structure.service_indexes["ca"], title="Servei", slug="servei")
    Redirect.add_redirect("/cat/serveis/Servei.html", page, site=default_site)
    Redirect.add_redirect("/fora", "https://goteo.org/", is_permanent=False)
    answers = {
        path: graphql(REDIRECT, {"path": path})
        for path in (
            "/cat/serveis/Servei.html",
            "/cat/serveis/Servei.html/",
            "/fora?b=2&a=1",
            "/fora/",
            "/res/",
        )
    }
    assert answers == {
        "/cat/serveis/Servei.html": {
            "data": {"redirect": {"to": "/ca/services/servei/", "permanent": True}}
        },
        "/cat/serveis/Servei.html/": {
            "data": {"redirect": {"to": "/ca/services/servei/", "permanent": True}}
        },
        # A query string is part of the path compared, as in Wagtail's middleware.
        "/fora?b=2&a=1": {"data": {"redirect": None}},
        "/fora/": {"data": {"redirect": {"to": "https://goteo.org/", "permanent": False}}},
        "/res/": {"data": {"redirect": None}},
    }


def test_accented_paths_match_encoded_or_not(site_structure, default_site, graphql):
    page = make_service(site_structure.service_indexes["es"], title="Económica", slug="economica")
    Redirect.add_redirect("/es/categorias/Económica/", page, site=default_site)
    expected = {"data": {"redirect": {"to": "/es/services/economica/", "permanent": True}}}
    assert graphql(REDIRECT, {"path": "/es/categorias/Económica/"}) == expected
    assert graphql(REDIRECT, {"path": "/es/categorias/Econ%C3%B3mica"}) == expected


def test_the_sites_own_redirect_wins_and_other_sites_are_not_seen(
    site_structure, default_site, graphql
):
    mine = make_service(site_structure.service_indexes["es"], title="Mía", slug="mia")
    other_home = Page.get_first_root_node().add_child(
        instance=HomePage(title="Otra", slug="otra", locale=site_structure.homes["es"].locale)
    )
    other = Site.objects.create(hostname="other.example", port=80, root_page=other_home)
    Redirect.add_redirect("/viejo", "https://all.example/")
    Redirect.add_redirect("/viejo", mine, site=default_site)
    Redirect.add_redirect("/solo-otra", "https://other.example/x", site=other)
    assert graphql(REDIRECT, {"path": "/viejo"}) == {
        "data": {"redirect": {"to": "/es/services/mia/", "permanent": True}}
    }
    assert graphql(REDIRECT, {"path": "/solo-otra"}) == {"data": {"redirect": None}}
    assert graphql(REDIRECT, {"path": "/viejo"}, HTTP_HOST="other.example") == {
        "data": {"redirect": {"to": "https://all.example/", "permanent": True}}
    }


@pytest.mark.parametrize("kind", ["draft", "private", "unsafe"])
def test_a_redirect_to_a_hidden_page_answers_null(site_structure, default_site, graphql, kind):
    index = site_structure.service_indexes["es"]
    if kind == "draft":
        target = make_service(index, title="Zarzamora", slug="zarzamora", publish=False)
        Redirect.add_redirect("/viejo", target, site=default_site)
    elif kind == "private":
        target = make_service(index, title="Zarzamora", slug="zarzamora")
        PageViewRestriction.objects.create(page=target, restriction_type="login")
        Redirect.add_redirect("/viejo", target, site=default_site)
    else:
        Redirect.add_redirect("/viejo", "javascript:alert('zarzamora')", site=default_site)
    response = graphql(REDIRECT, {"path": "/viejo"})
    assert response == {"data": {"redirect": None}}
    assert "zarzamora" not in json.dumps(response).lower()


@pytest.mark.parametrize("kind", ["draft", "private"])
def test_a_redirect_to_a_hidden_translation_leads_to_its_public_version(
    site_structure, default_site, graphql, kind
):
    """An old Catalan URL whose translation is a draft (waiting for translators) or private
    leads to the Spanish page, the version the old site's readers saw; nothing of the
    Catalan page itself is answered."""
    source = make_service(site_structure.service_indexes["es"], title="Servicio", slug="servicio")
    catalan = source.copy_for_translation(site_structure.homes["ca"].locale, copy_parents=False)
    catalan.title, catalan.slug = "Zarzamora", "zarzamora"
    catalan.save_revision()
    if kind == "private":
        catalan.save_revision().publish()
        PageViewRestriction.objects.create(page=catalan, restriction_type="login")
    Redirect.add_redirect("/cat/serveis/Servei.html", catalan, site=default_site)
    cold, _again, response = cold_then_again(
        graphql, REDIRECT, {"path": "/cat/serveis/Servei.html"}
    )
    assert cold <= query_costs.REDIRECT
    assert response == {"data": {"redirect": {"to": "/es/services/servicio/", "permanent": True}}}
    assert "zarzamora" not in json.dumps(response).lower()
    # With the Spanish page hidden too, there is nowhere to go.
    source.unpublish()
    assert graphql(REDIRECT, {"path": "/cat/serveis/Servei.html"}) == {"data": {"redirect": None}}


@pytest.mark.parametrize(
    ("path", "code", "message"),
    [
        (
            "es/viejo",
            "INVALID_PATH",
            "path must start with / (a path on this site, e.g. /es/old-page/); got 'es/viejo'.",
        ),
        (
            "/" + "a" * 300,
            "INVALID_PATH",
            "path is 301 characters long; no redirect is longer than 255.",
        ),
        ("/vie\x00jo", "NUL_CHARACTER", "path cannot contain the NUL character (U+0000)."),
    ],
)
def test_bad_paths_are_refused_with_a_code(site_structure, graphql, path, code, message):
    response = graphql(REDIRECT, {"path": path})
    assert response == {
        "data": {"redirect": None},
        "errors": [
            {
                "message": message,
                "locations": [{"line": 1, "column": 26}],
                "path": ["redirect"],
                "extensions": {"code": code},
            }
        ],
    }


def test_a_redirect_change_renews_the_generation(site_structure, default_site, renews):
    page = make_service(site_structure.service_indexes["es"], title="A", slug="a")
    assert renews(lambda: Redirect.add_redirect("/x", page, site=default_site))
    redirect = Redirect.objects.get(old_path="/x")
    assert renews(lambda: redirect.delete())
