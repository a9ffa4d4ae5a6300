"""Page.seo: what a page's <head> needs, for every page type, with nothing hidden in it."""

from datetime import date

import pytest

from delivery.models import FrontendSettings
from delivery.preview import issue_token
from graphql_api.seo import shortened
from tests import query_costs
from tests.factories import (
    make_image,
    make_project,
    make_service,
    make_standard_page,
    make_svg_image,
    set_social_links,
)
from tests.graphql_api.conftest import translate_page
from tests.query_costs import cold_then_again

FRONTEND = "https://www.example.org"
CDN = "https://cdn.example.org"
ORG = {
    "@type": "Organization",
    "@id": f"{FRONTEND}/#organization",
    "name": "Civic CMS",
    "url": f"{FRONTEND}/",
}

SEO_FIELDS = """
  seo {
    title description canonicalUrl robots
    image { url width height alt }
    alternates { hreflang url }
    jsonLd
  }
"""
SEO = "query ($path: String!) { page(path: $path) { __typename " + SEO_FIELDS + " } }"


@pytest.fixture(autouse=True)
def _frontend(settings):
    settings.CIVIC_FRONTEND_URL = FRONTEND + "/"
    settings.CIVIC_MEDIA_BASE_URL = CDN


def _web_page(url: str, name: str, description: str, language: str = "es") -> dict:
    page = {
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "name": name,
        "inLanguage": language,
        "isPartOf": {"@id": ORG["@id"]},
    }
    if description:
        page["description"] = description
    return page


def test_service_seo(site_structure, locales, graphql):
    image = make_image(
        "Cabecera",
        size=(1600, 900),
        focal_point_x=1200,
        focal_point_y=450,
        focal_point_width=100,
        focal_point_height=100,
    )
    page = make_service(
        site_structure.service_indexes["es"],
        title="Financiación democrática",
        slug="financiacion",
        description="La **financiación** cívica. " + "Palabra " * 40,
        image=image,
        image_alt="Gente reunida",
    )
    translate_page(page, locales["en"], title="Democratic funding", slug="democratic-funding")
    set_social_links(("twitter", "https://twitter.com/platoniq"), ("bad", "javascript:x"))
    rendition = image.get_rendition("fill-1200x630")
    url = f"{FRONTEND}/es/services/financiacion/"
    description = "La financiación cívica. " + " ".join(["Palabra"] * 16) + "…"
    response = graphql(SEO, {"path": page.url})
    assert response == {
        "data": {
            "page": {
                "__typename": "ServicePage",
                "seo": {
                    "title": "Financiación democrática",
                    "description": description,
                    "canonicalUrl": url,
                    "robots": "index, follow",
                    "image": {
                        "url": f"{CDN}{rendition.url}",
                        "width": 1200,
                        "height": 630,
                        "alt": "Gente reunida",
                    },
                    "alternates": [
                        {"hreflang": "es", "url": url},
                        {"hreflang": "en", "url": f"{FRONTEND}/en/services/democratic-funding/"},
                        {"hreflang": "x-default", "url": url},
                    ],
                    "jsonLd": {
                        "@context": "https://schema.org",
                        "@graph": [
                            {**ORG, "sameAs": ["https://twitter.com/platoniq"]},
                            _web_page(url, "Financiación democrática", description),
                            {
                                "@type": "Service",
                                "name": "Financiación democrática",
                                "description": description,
                                "provider": {"@id": ORG["@id"]},
                                "url": url,
                            },
                        ],
                    },
                },
            }
        }
    }
    # The crop keeps the focal point (x 1150-1250 of 1600) in the frame.
    assert rendition.width == 1200
    assert len(description) <= 160


def test_editor_values_first_and_hidden_translations_left_out(site_structure, locales, graphql):
    page = make_service(
        site_structure.service_indexes["en"],
        title="Only in English",
        slug="english",
        seo_title="English, for search engines",
        search_description="  Written   by the editor.  ",
        image=make_svg_image(),
    )
    # A draft Catalan translation: never an alternate.
    draft = page.copy_for_translation(locales["ca"])
    draft.save_revision()
    response = graphql(
        "query ($path: String!) { page(path: $path) { seo { title description image "
        "{ url } alternates { hreflang url } } } }",
        {"path": page.url},
    )
    url = f"{FRONTEND}/en/services/english/"
    assert response == {
        "data": {
            "page": {
                "seo": {
                    "title": "English, for search engines",
                    "description": "Written by the editor.",
                    # An SVG is no link preview image.
                    "image": None,
                    "alternates": [
                        {"hreflang": "en", "url": url},
                        {"hreflang": "x-default", "url": url},
                    ],
                }
            }
        }
    }


def test_project_home_and_404_pages(site_structure, locales, graphql):
    project = make_project(
        site_structure.project_indexes["es"],
        title="Goteo",
        slug="goteo",
        subtitle="Un *proyecto* de [todos](https://goteo.org/) & más.",
        start_date=date(2020, 1, 15),
    )
    home = site_structure.homes["ca"]
    home.subtitle = "Benvinguts"
    home.save_revision().publish()
    not_found = make_standard_page(
        site_structure.homes["es"], title="No encontrada", slug="404", layout="404"
    )
    query = """
    query ($project: String!, $nf: String!) {
      project: page(path: $project) { seo { description robots jsonLd } }
      home: page(path: "/ca/") { seo { title description robots canonicalUrl } }
      notFound: page(path: $nf) { seo { robots image { url } } }
    }
    """
    response = graphql(query, {"project": project.url, "nf": not_found.url})
    url = f"{FRONTEND}/es/projects/goteo/"
    text = "Un proyecto de todos & más."
    assert response == {
        "data": {
            "project": {
                "seo": {
                    "description": text,
                    "robots": "index, follow",
                    "jsonLd": {
                        "@context": "https://schema.org",
                        "@graph": [
                            ORG,
                            _web_page(url, "Goteo", text),
                            {
                                "@type": "Project",
                                "name": "Goteo",
                                "description": text,
                                "url": url,
                                "startDate": "2020-01-15",
                            },
                        ],
                    },
                }
            },
            "home": {
                "seo": {
                    "title": home.title,
                    "description": "Benvinguts",
                    "robots": "index, follow",
                    "canonicalUrl": f"{FRONTEND}/ca/",
                }
            },
            "notFound": {"seo": {"robots": "noindex, nofollow", "image": None}},
        }
    }


def test_a_preview_is_not_indexed(demo_page, graphql):
    demo_page.title = "Borrador"
    demo_page.save_revision()
    token = issue_token(demo_page.get_latest_revision_as_object())
    response = graphql(
        "query ($t: String) { page(previewToken: $t) { seo { title robots } } }", {"t": token}
    )
    assert response == {
        "data": {"page": {"seo": {"title": "Borrador", "robots": "noindex, nofollow"}}}
    }


def test_each_site_has_its_own_frontend(site_structure, graphql, renews):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    query = '{ page(path: "/es/") { seo { canonicalUrl } } }'
    assert graphql(query) == {"data": {"page": {"seo": {"canonicalUrl": f"{FRONTEND}/es/"}}}}
    # Wagtail creates the empty row the first time it is read (a preview does): no change.
    assert not renews(lambda: FrontendSettings.for_site(site))
    setting = FrontendSettings.objects.get(site=site)
    setting.frontend_url = "https://civic.example/"
    assert renews(setting.save)
    assert graphql(query) == {
        "data": {"page": {"seo": {"canonicalUrl": "https://civic.example/es/"}}}
    }


def test_shortened_cuts_on_a_word_boundary():
    assert shortened("corto") == "corto"
    assert shortened("uno dos tres cuatro", limit=12) == "uno dos…"
    assert shortened("x" * 200, limit=10) == "x" * 9 + "…"


SERVICES_SEO = (
    'query ($first: Int) { services(locale: "es", first: $first) { edges { node { '
    + SEO_FIELDS
    + " } } } }"
)


def test_seo_of_a_listing_costs_what_one_page_costs(site_structure, locales, graphql):
    image = make_image("Foto", size=(800, 600))
    for number in range(50):
        page = make_service(
            site_structure.service_indexes["es"],
            title=f"Servicio {number:02}",
            slug=f"servicio-{number:02}",
            description="Texto.",
            image=image,
        )
        if number % 2:
            translate_page(page, locales["en"], slug=f"service-{number:02}")
    set_social_links(("twitter", "https://twitter.com/x"))
    graphql(SERVICES_SEO, {"first": 50})
    costs = {}
    for first in (1, 50):
        cold, again, answer = cold_then_again(graphql, SERVICES_SEO, {"first": first})
        assert len(answer["data"]["services"]["edges"]) == first
        costs[first] = (cold, again)
    assert costs[1] == costs[50]
    assert costs[50][0] <= query_costs.PAGE + query_costs.LISTING_EXTRA, costs
    last = answer["data"]["services"]["edges"][49]["node"]["seo"]
    assert last["alternates"][1] == {
        "hreflang": "en",
        "url": f"{FRONTEND}/en/services/service-49/",
    }
