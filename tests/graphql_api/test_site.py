"""The site's chrome (`site`), the home page's sections and generic pages: whole responses,
languages and fallback, and pinned query counts."""

import pytest

from tests import query_costs
from tests.factories import (
    make_contact_form,
    make_image,
    make_menu,
    make_site_texts,
    make_standard_page,
    menu_item,
    set_social_links,
)
from tests.graphql_api.conftest import translate_page
from tests.query_costs import cold_then_again

pytestmark = pytest.mark.django_db

SITE = """
query ($locale: String, $fallback: Boolean! = false, $keys: [String!]) {
  site(locale: $locale, fallback: $fallback) {
    name
    locale { code }
    homePage { title }
    menus {
      handle title
      items { label url page { id title url } children { label url page { title } } }
    }
    footer: menu(handle: "footer") { handle }
    socialLinks { kind url }
    strings(keys: $keys) { key value locale { code } }
    newsletter { title text { html } emailLabel consent { html } buttonLabel }
    contact { email phone address { markdown } }
  }
}
"""


@pytest.fixture
def chrome(site_structure, locales):
    """Texts and menus in Spanish and English (none in Catalan), a standard page, a form."""
    es, en = locales["es"], locales["en"]
    home = site_structure.homes["es"]
    about = make_standard_page(home, title="Sobre nosotros", slug="sobre-nosotros")
    about_en = translate_page(about, en, title="About us", slug="about-us")
    form = make_contact_form(home)
    make_site_texts(
        es,
        strings=[("contact_btn", "Contacta"), ("cookies.approve", "Aceptar"), ("only_es", "Sí")],
        newsletter_title="Boletín",
        newsletter_text="Noticias *mensuales*.",
        newsletter_email_label="Tu correo",
        newsletter_consent="Acepto la [política](/es/privacidad/).",
        newsletter_button="Suscribirme",
        contact_email="hola@example.org",
        contact_phone="+34 600 000 000",
        contact_address="Calle Mayor 1\nMadrid",
        notes="Nunca público",
    )
    make_site_texts(en, strings=[("contact_btn", "Contact us")], contact_email="hi@example.org")
    make_menu(
        es,
        "about_nav",
        [
            menu_item(
                "Nosotros",
                page=about,
                children=[("Escríbenos", form, ""), ("Blog", None, "https://blog.example/")],
            ),
            menu_item("Mal", url="javascript:alert(1)"),
        ],
        title="Sobre",
    )
    make_menu(es, "footer", [menu_item("Inicio", page=home)])
    make_menu(en, "footer", [menu_item("Home", page=site_structure.homes["en"])])
    set_social_links(("facebook", "https://facebook.com/civic"), ("other", "javascript:alert(1)"))
    return {"about": about, "about_en": about_en, "form": form}


def test_site_in_spanish(chrome, site_structure, graphql):
    about, form = chrome["about"], chrome["form"]
    cold, _again, response = cold_then_again(graphql, SITE, {"locale": "es"})
    assert cold <= query_costs.SITE
    assert response == {
        "data": {
            "site": {
                "name": site_structure.site.site_name,
                "locale": {"code": "es"},
                "homePage": {"title": "Inicio"},
                "menus": [
                    {
                        "handle": "about_nav",
                        "title": "Sobre",
                        "items": [
                            {
                                "label": "Nosotros",
                                "url": "/es/sobre-nosotros/",
                                "page": {
                                    "id": str(about.pk),
                                    "title": "Sobre nosotros",
                                    "url": "/es/sobre-nosotros/",
                                },
                                "children": [
                                    {
                                        "label": "Escríbenos",
                                        "url": "/es/cta-contact-service/",
                                        "page": {"title": "Contacto"},
                                    },
                                    {"label": "Blog", "url": "https://blog.example/", "page": None},
                                ],
                            },
                            {"label": "Mal", "url": None, "page": None, "children": []},
                        ],
                    },
                    {
                        "handle": "footer",
                        "title": "",
                        "items": [
                            {
                                "label": "Inicio",
                                "url": "/es/",
                                "page": {
                                    "id": str(site_structure.homes["es"].pk),
                                    "title": "Inicio",
                                    "url": "/es/",
                                },
                                "children": [],
                            }
                        ],
                    },
                ],
                "footer": {"handle": "footer"},
                "socialLinks": [{"kind": "facebook", "url": "https://facebook.com/civic"}],
                "strings": [
                    {"key": "contact_btn", "value": "Contacta", "locale": {"code": "es"}},
                    {"key": "cookies.approve", "value": "Aceptar", "locale": {"code": "es"}},
                    {"key": "only_es", "value": "Sí", "locale": {"code": "es"}},
                ],
                "newsletter": {
                    "title": "Boletín",
                    "text": {"html": "<p>Noticias <em>mensuales</em>.</p>"},
                    "emailLabel": "Tu correo",
                    "consent": {
                        "html": '<p>Acepto la <a href="/es/privacidad/" '
                        'rel="noopener noreferrer">política</a>.</p>'
                    },
                    "buttonLabel": "Suscribirme",
                },
                "contact": {
                    "email": "hola@example.org",
                    "phone": "+34 600 000 000",
                    "address": {"markdown": "Calle Mayor 1\nMadrid"},
                },
            }
        }
    }
    assert "Nunca" not in str(response)
    assert form.pk  # the form is linked by a menu, through the page rules


def test_site_in_english_without_fallback(chrome, site_structure, graphql):
    response = graphql(SITE, {"locale": "en", "keys": ["only_es", "contact_btn"]})
    site = response["data"]["site"]
    assert site["homePage"] == {"title": "Home"}
    assert [menu["handle"] for menu in site["menus"]] == ["footer"]
    assert site["strings"] == [
        {"key": "contact_btn", "value": "Contact us", "locale": {"code": "en"}}
    ]
    assert site["newsletter"] is None
    assert site["contact"] == {"email": "hi@example.org", "phone": "", "address": {"markdown": ""}}


def test_site_in_catalan_with_fallback(chrome, graphql):
    """Nothing in Catalan: each menu, the texts key by key, the newsletter and the contact
    details come from Spanish (ca → es → en)."""
    response = graphql(
        SITE, {"locale": "ca", "fallback": True, "keys": ["contact_btn", "missing", "only_es"]}
    )
    site = response["data"]["site"]
    assert site["locale"] == {"code": "ca"}
    assert site["homePage"] == {"title": "Inici"} or site["homePage"]["title"]
    assert [menu["handle"] for menu in site["menus"]] == ["about_nav", "footer"]
    assert site["menus"][1]["items"][0]["label"] == "Inicio"
    # Each text says it is Spanish: a client keeps its own Catalan words for those keys.
    assert site["strings"] == [
        {"key": "contact_btn", "value": "Contacta", "locale": {"code": "es"}},
        {"key": "only_es", "value": "Sí", "locale": {"code": "es"}},
    ]
    assert site["newsletter"]["title"] == "Boletín"
    assert site["contact"]["email"] == "hola@example.org"
    without = graphql(SITE, {"locale": "ca"})["data"]["site"]
    assert (without["menus"], without["strings"], without["newsletter"], without["contact"]) == (
        [],
        [],
        None,
        None,
    )


def test_strings_key_by_key_with_fallback(chrome, locales, graphql):
    from sitewide.models import SiteTexts

    SiteTexts.objects.filter(locale=locales["en"]).delete()
    make_site_texts(locales["ca"], strings=[("contact_btn", "Contacta'ns")])
    query = 'query { site(locale: "ca", fallback: true) { strings { key value locale { code } } } }'
    assert graphql(query)["data"]["site"]["strings"] == [
        {"key": "contact_btn", "value": "Contacta'ns", "locale": {"code": "ca"}},
        {"key": "cookies.approve", "value": "Aceptar", "locale": {"code": "es"}},
        {"key": "only_es", "value": "Sí", "locale": {"code": "es"}},
    ]


def test_menus_by_handle_in_the_order_asked(chrome, graphql):
    query = """query { site(locale: "es") {
      menus(handles: ["footer", "nope", "about_nav", "footer"]) { handle }
      nope: menu(handle: "nope") { handle } } }"""
    assert graphql(query) == {
        "data": {"site": {"menus": [{"handle": "footer"}, {"handle": "about_nav"}], "nope": None}}
    }


def test_unknown_locale_is_refused(site_structure, graphql):
    response = graphql('{ site(locale: "fr") { name } }')
    assert response["errors"][0]["extensions"]["code"] == "UNKNOWN_LOCALE"
    assert response["errors"][0]["message"] == "Unknown locale 'fr'. Use one of: es, en, ca."


HOME = """
query ($path: String!) { page(path: $path) { __typename title ... on HomePage {
  intro { html } subtitle { markdown } highlightColor
  heroTitle { text plain html lines { text highlighted } }
  image { alt } values { title text { html } image { alt } items { markdown html } }
  projectsTitle collaboratorsTitle journalTitle } } }
"""


def test_home_page(site_structure, graphql):
    hero = make_image("Héroe")
    values_image = make_image("Valores")
    home = site_structure.homes["es"]
    home.hero_title = "Financiación ==cívica==\npara <b>todos</b> ==y todas=="
    home.highlight_color = "#e30062"
    home.subtitle = "Una línea"
    home.intro = "Hola *mundo*."
    home.image = hero
    home.values_title = "Valores"
    home.values_text = "Lo que *nos* mueve."
    home.values_image = values_image
    home.values = [("value", "**Transparencia**"), ("value", "Comunidad")]
    home.projects_title, home.collaborators_title, home.journal_title = "P", "C", "J"
    home.notes = "Nunca público"
    home.save_revision().publish()
    graphql(HOME, {"path": "/es/"})  # renditions made once
    cold, _again, response = cold_then_again(graphql, HOME, {"path": "/es/"})
    assert cold <= query_costs.PAGE
    assert response == {
        "data": {
            "page": {
                "__typename": "HomePage",
                "title": "Inicio",
                "intro": {"html": "<p>Hola <em>mundo</em>.</p>"},
                "subtitle": {"markdown": "Una línea"},
                "highlightColor": "#e30062",
                "heroTitle": {
                    "text": "Financiación ==cívica==\npara <b>todos</b> ==y todas==",
                    "plain": "Financiación cívica para <b>todos</b> y todas",
                    "html": "Financiación <mark>cívica</mark><br>para &lt;b&gt;todos&lt;/b&gt; "
                    "<mark>y todas</mark>",
                    "lines": [
                        [
                            {"text": "Financiación ", "highlighted": False},
                            {"text": "cívica", "highlighted": True},
                        ],
                        [
                            {"text": "para <b>todos</b> ", "highlighted": False},
                            {"text": "y todas", "highlighted": True},
                        ],
                    ],
                },
                "image": {"alt": ""},
                "values": {
                    "title": "Valores",
                    "text": {"html": "<p>Lo que <em>nos</em> mueve.</p>"},
                    "image": {"alt": values_image.default_alt_text},
                    "items": [
                        {
                            "markdown": "**Transparencia**",
                            "html": "<p><strong>Transparencia</strong></p>",
                        },
                        {"markdown": "Comunidad", "html": "<p>Comunidad</p>"},
                    ],
                },
                "projectsTitle": "P",
                "collaboratorsTitle": "C",
                "journalTitle": "J",
            }
        }
    }
    assert "Nunca" not in str(response)


def test_home_page_without_values(site_structure, graphql):
    query = """{ page(path: "/en/") { ... on HomePage {
      values { title } heroTitle { lines { text } html plain } highlightColor } } }"""
    assert graphql(query) == {
        "data": {
            "page": {
                "values": None,
                "heroTitle": {"lines": [], "html": "", "plain": ""},
                "highlightColor": None,
            }
        }
    }


STANDARD = """
query ($path: String!) { page(path: $path, fallback: true) { __typename title url
  locale { code } translations { locale { code } url } breadcrumbs { title }
  ... on StandardPage { subtitle { html } description { markdown } layout
    image { alt } body { __typename blockType ... on MarkdownBlock { html }
      ... on CallToActionBlock { buttonLabel url form { handle title } } } } } }
"""


def test_standard_page(chrome, site_structure, locales, graphql):
    form = chrome["form"]
    image = make_image("Equipo")
    page = make_standard_page(
        chrome["about"],
        title="Quiénes somos",
        slug="quienes-somos",
        subtitle="Un *equipo*.",
        description="Resumen.",
        image=image,
        image_alt="El equipo",
        layout="about-us",
        notes="Nunca público",
        body=[
            ("markdown", "Texto."),
            (
                "call_to_action",
                {"text": "¿Hablamos?", "button_label": "Escríbenos", "form": form, "url": ""},
            ),
        ],
    )
    graphql(STANDARD, {"path": page.url})  # renditions made once
    cold, _again, response = cold_then_again(graphql, STANDARD, {"path": page.url})
    assert cold <= query_costs.PAGE
    assert response == {
        "data": {
            "page": {
                "__typename": "StandardPage",
                "title": "Quiénes somos",
                "url": "/es/sobre-nosotros/quienes-somos/",
                "locale": {"code": "es"},
                "translations": [],
                "breadcrumbs": [{"title": "Inicio"}, {"title": "Sobre nosotros"}],
                "subtitle": {"html": "<p>Un <em>equipo</em>.</p>"},
                "description": {"markdown": "Resumen."},
                "layout": "about-us",
                "image": {"alt": "El equipo"},
                "body": [
                    {
                        "__typename": "MarkdownBlock",
                        "blockType": "markdown",
                        "html": "<p>Texto.</p>",
                    },
                    {
                        "__typename": "CallToActionBlock",
                        "blockType": "call_to_action",
                        "buttonLabel": "Escríbenos",
                        "url": "/es/cta-contact-service/",
                        "form": {"handle": "cta-contact-service", "title": "Contacto"},
                    },
                ],
            }
        }
    }
    assert "Nunca" not in str(response)
    about_en = graphql(STANDARD, {"path": "/en/about-us/"})["data"]["page"]
    assert (about_en["title"], about_en["locale"], about_en["translations"]) == (
        "About us",
        {"code": "en"},
        [{"locale": {"code": "es"}, "url": "/es/sobre-nosotros/"}],
    )
    # Not translated to Catalan: the Spanish page, with fallback.
    fallback = graphql(STANDARD, {"path": "/ca/sobre-nosotros/"})["data"]["page"]
    assert (fallback["title"], fallback["locale"]) == ("Sobre nosotros", {"code": "es"})
