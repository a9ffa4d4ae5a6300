"""The demo service page, whole, in Spanish, English and Catalan; the Catalan site's menus."""

import pytest
from wagtail.models import Page

from tests.graphql_api import expected
from tests.graphql_api.queries import FRAGMENTS, SERVICE

NAMES = {"es": "español", "en": "English", "ca": "català"}


def expected_service(page) -> dict:
    page = page.specific
    code = page.locale.language_code
    translations = [
        {"locale": {"code": other.locale.language_code}, "title": other.title, "url": other.url}
        for other in page.get_translations().live().order_by("locale__id")
    ]
    breadcrumbs = [
        {"id": str(a.pk), "title": a.title, "url": a.url}
        for a in page.get_ancestors().filter(depth__gte=2).order_by("depth")
    ]
    body = [expected.block(bound) for bound in page.body]
    # The page's own call to action, else the first of its body.
    ctas = [expected.block(bound) for bound in page.call_to_action] + [
        b for b in body if b["blockType"] == "call_to_action"
    ]
    first_cta = ctas[0]
    return {
        "__typename": "ServicePage",
        "id": str(page.pk),
        "title": page.title,
        "slug": page.slug,
        "url": page.url,
        "locale": {"code": code, "name": NAMES[code], "isDefault": code == "es"},
        "seoTitle": page.seo_title or page.title,
        "searchDescription": page.search_description,
        "lastPublishedAt": page.last_published_at.isoformat(),
        "translations": translations,
        "breadcrumbs": breadcrumbs,
        "description": expected.markdown(page.description),
        "image": expected.image(page.image, page.image_alt_text),
        "collaborators": [expected.collaborator(c) for c in page.collaborators],
        "callToAction": {k: first_cta[k] for k in ("id", "text", "buttonLabel", "url")},
        "body": body,
    }


@pytest.mark.parametrize("code", ["es", "en", "ca"])
def test_demo_service_whole_response(demo_page, locales, graphql, code):
    page = demo_page.get_translation(locales[code])
    response = graphql(SERVICE, {"slug": page.slug, "locale": code})
    assert response == {"data": {"service": expected_service(page)}}


def test_demo_page_has_the_promised_blocks(demo_page, locales, graphql):
    response = graphql(SERVICE, {"slug": demo_page.slug, "locale": "es"})
    service = response["data"]["service"]
    assert [b["blockType"] for b in service["body"]] == [
        "markdown",
        "metrics",
        "markdown",
        "quote",
        "markdown",
        "collaborators",
    ]
    # The call to action is the page's own field (it may open the contact form).
    assert service["callToAction"]["buttonLabel"]
    assert len(service["body"][1]["metrics"]) == 3
    assert [c["slug"] for c in service["body"][5]["collaborators"]] == ["decidim", "goteo"]
    assert [c["slug"] for c in service["collaborators"]] == ["decidim", "goteo"]
    assert [t["locale"] for t in service["translations"]] == [{"code": "en"}, {"code": "ca"}]


@pytest.mark.parametrize("code", ["es", "en", "ca"])
def test_demo_page_by_path_and_by_id_match_service(demo_page, locales, graphql, code):
    page = demo_page.get_translation(locales[code])
    query = (
        """
        query ($path: String, $id: ID) {
          byPath: page(path: $path) { ...ServiceFields }
          byId: page(id: $id) { ...ServiceFields }
        }
        """
        + FRAGMENTS
    )
    response = graphql(query, {"path": page.url, "id": str(page.pk)})
    whole = expected_service(Page.objects.get(pk=page.pk))
    assert response == {"data": {"byPath": whole, "byId": whole}}


def test_the_catalan_demo_has_its_own_menus_and_texts(demo_page, graphql):
    """Every menu of the Catalan site is Catalan and leads to Catalan pages; its texts are
    Catalan, none taken from Spanish."""
    query = """query { site(locale: "ca", fallback: true) {
      homePage { url title }
      menus { handle items { label url } }
      strings(keys: ["skip_to_content", "contact_btn", "close"]) { key value locale { code } }
      newsletter { title } } }"""
    assert graphql(query) == {
        "data": {
            "site": {
                "homePage": {"url": "/ca/", "title": "Inici"},
                "menus": [
                    {
                        "handle": "about_nav",
                        "items": [
                            {"label": "Inici", "url": "/ca/"},
                            {"label": "Serveis", "url": "/ca/services/"},
                            {"label": "Qui som", "url": "/ca/about-us/"},
                            {"label": "Projectes", "url": "/ca/projects/"},
                            {"label": "Contacte", "url": "/ca/contact/"},
                        ],
                    },
                    {
                        "handle": "footer_links",
                        "items": [
                            {"label": "Serveis", "url": "/ca/services/"},
                            {"label": "Qui som", "url": "/ca/about-us/"},
                            {"label": "Contacte", "url": "/ca/contact/"},
                            {"label": "Codi font", "url": "https://example.org/civic-cms"},
                        ],
                    },
                    {
                        "handle": "legal_links",
                        "items": [
                            {"label": "Avís legal", "url": "/ca/legal-notice/"},
                            {"label": "Política de privadesa", "url": "/ca/privacy-policy/"},
                        ],
                    },
                ],
                "strings": [
                    {
                        "key": "skip_to_content",
                        "value": "Salta al contingut",
                        "locale": {"code": "ca"},
                    },
                    {
                        "key": "contact_btn",
                        "value": "Contacta amb nosaltres",
                        "locale": {"code": "ca"},
                    },
                    {"key": "close", "value": "Tanca", "locale": {"code": "ca"}},
                ],
                "newsletter": {"title": "Rep les nostres notícies"},
            }
        }
    }
