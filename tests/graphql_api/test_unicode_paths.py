"""Pages whose titles have accents are found by every form of their path.

A title such as "Crowdfunding cívico" gives the slug ``crowdfunding-cívico``. Its path
reaches the API percent-encoded (the API's own ``url``, a browser, a webhook) or decoded
(a file name, a path typed by hand), with its letters composed (NFC) or decomposed (NFD).
"""

import unicodedata
from urllib.parse import quote

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from tests.factories import make_service

# One title per language, with á, é, í, ó, ú, ñ, ç, l·l, ü and à between them.
TITLES = {
    "es": "Crowdfunding cívico para años de acción en Güímar",
    "en": "Niño's café: útil, qué",
    "ca": "Col·lectiu de ciència i acció a Lleó",
}
PAGE = """
query ($path: String!) { page(path: $path) { title url locale { code } } }
"""
PATHS = """
query ($locale: String) { paths(locale: $locale, first: 50) { edges { node { path url } } } }
"""


@pytest.fixture
def accented(site_structure):
    """A published service page per language; Wagtail makes each slug from the title, as
    the admin does."""
    return {
        code: make_service(site_structure.service_indexes[code], title=title, slug="")
        for code, title in TITLES.items()
    }


def test_the_slug_keeps_the_accents(accented):
    assert {code: page.slug for code, page in accented.items()} == {
        "es": "crowdfunding-cívico-para-años-de-acción-en-güímar",
        "en": "niños-café-útil-qué",
        "ca": "collectiu-de-ciència-i-acció-a-lleó",  # slugify drops the middle dot
    }


@pytest.mark.parametrize("code", TITLES)
def test_every_form_of_the_path_finds_the_page(accented, graphql, code):
    page = accented[code]
    decoded = f"/{code}/services/{page.slug}/"
    expected = {
        "data": {"page": {"title": TITLES[code], "url": page.url, "locale": {"code": code}}}
    }
    # The API's own url is percent-encoded, as Django writes URLs.
    assert page.url == quote(decoded)
    forms = {
        "decoded": decoded,
        "percent-encoded": quote(decoded),
        "decomposed": unicodedata.normalize("NFD", decoded),
        "decomposed and percent-encoded": quote(unicodedata.normalize("NFD", decoded)),
        "lower-case escapes": quote(decoded).lower(),
    }
    for name, path in forms.items():
        assert graphql(PAGE, {"path": path}) == expected, name


def test_each_listed_path_finds_its_page(accented, graphql):
    """A static build asks `paths` for what to render, then each page by its path."""
    for code, page in accented.items():
        listed = graphql(PATHS, {"locale": code})["data"]["paths"]["edges"]
        paths = [edge["node"]["path"] for edge in listed]
        assert page.url in paths
        found = graphql(PAGE, {"path": page.url})["data"]["page"]
        assert found["title"] == TITLES[code]


def test_a_slug_typed_decomposed_is_stored_composed(site_structure):
    page = make_service(
        site_structure.service_indexes["es"],
        title="Acción",
        slug=unicodedata.normalize("NFD", "acción-común"),
    )
    assert page.slug == "acción-común"
    assert unicodedata.is_normalized("NFC", page.url_path)


def test_an_old_url_with_accents_redirects_in_every_form(accented, graphql):
    site = Site.objects.get(is_default_site=True)
    Redirect.add_redirect("/cat/serveis/Col·lectiu-ciència.html", accented["ca"], site=site)
    old = "/cat/serveis/Col·lectiu-ciència.html"
    expected = {"data": {"redirect": {"to": accented["ca"].url, "permanent": True}}}
    query = "query ($path: String!) { redirect(path: $path) { to permanent } }"
    for path in (old, quote(old), unicodedata.normalize("NFD", old)):
        assert graphql(query, {"path": path}) == expected, path
