"""Wagtail's own rendering of pages (served and previewed): one h1, hreflang on the real host."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from services.models import ServicePage
from tests.factories import make_image, make_service

# The CMS's own HTML: read with no public site configured (else it redirects there).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cms_templates")]


def test_the_demo_page_has_one_h1_and_absolute_hreflang_links(client, demo_page):
    response = client.get("/es/services/democratic-funding/", HTTP_HOST="cms.example.org")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r"<h1\b", html) == ["<h1"]
    # The body's own level-1 headings render one level down.
    assert "<h2>" in html
    alternates = re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)">', html)
    assert alternates == [
        ("es", "http://cms.example.org/es/services/democratic-funding/"),
        ("en", "http://cms.example.org/en/services/democratic-funding/"),
        ("ca", "http://cms.example.org/ca/services/democratic-funding/"),
    ]


@pytest.mark.parametrize(
    "hidden",
    ["expired", "private", "scheduled"],
)
def test_the_cms_listings_show_what_the_api_shows(hidden, client, site_structure):
    """The services listing the CMS serves applies the public rules the API applies
    (cms.public): a page still marked live but expired, restricted or not yet gone live is
    in neither."""
    index = site_structure.service_indexes["es"]
    make_service(index, title="Visible", slug="visible")
    page = make_service(index, title="Oculto", slug="oculto")
    now = timezone.now()
    if hidden == "expired":
        ServicePage.objects.filter(pk=page.pk).update(expire_at=now - timedelta(minutes=1))
    elif hidden == "private":
        PageViewRestriction.objects.create(page=page, restriction_type="login")
    else:
        ServicePage.objects.filter(pk=page.pk).update(go_live_at=now + timedelta(hours=1))
    assert ServicePage.objects.get(pk=page.pk).live
    html = client.get(index.url).content.decode()
    api = client.post(
        "/graphql/",
        {"query": '{ services(locale: "es") { edges { node { title } } } }'},
        content_type="application/json",
    ).json()
    shown = [edge["node"]["title"] for edge in api["data"]["services"]["edges"]]
    assert (shown, "Visible" in html, "Oculto" in html) == (["Visible"], True, False)


@pytest.mark.parametrize("hidden", ["expired", "scheduled"])
def test_a_page_the_public_rules_hide_answers_404_on_the_cms_whatever_its_live_flag(
    hidden, client, site_structure
):
    index = site_structure.service_indexes["es"]
    page = make_service(index, title="Fechado", slug="fechado")
    assert client.get(page.url).status_code == 200
    now = timezone.now()
    if hidden == "expired":
        ServicePage.objects.filter(pk=page.pk).update(expire_at=now - timedelta(minutes=1))
    else:
        ServicePage.objects.filter(pk=page.pk).update(go_live_at=now + timedelta(hours=1))
    assert ServicePage.objects.get(pk=page.pk).live
    response = client.get(page.url)
    assert response.status_code == 404
    assert "Fechado" not in response.content.decode()


def test_a_restricted_page_still_asks_for_its_password(client, site_structure):
    """View restrictions stay Wagtail's own check: its password form, never the content."""
    page = make_service(site_structure.service_indexes["es"], title="Con clave", slug="clave")
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="password"' in html
    assert "Con clave" not in html


@pytest.mark.parametrize(
    "hidden", ["draft", "unpublished", "private", "expired", "scheduled", "other-site"]
)
def test_a_redirect_to_a_hidden_page_answers_404_and_names_nothing(hidden, client, site_structure):
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.models import Page, Site

    from generic.models import StandardPage

    index = site_structure.service_indexes["es"]
    if hidden == "other-site":
        root = Page.get_first_root_node().add_child(
            instance=StandardPage(title="Otra", slug="otra")
        )
        Site.objects.create(hostname="otra.example.org", root_page=root)
        page = root.add_child(instance=StandardPage(title="Escondida", slug="escondida"))
    else:
        page = make_service(index, title="Escondida", slug="escondida", publish=hidden != "draft")
    now = timezone.now()
    if hidden == "unpublished":
        page.unpublish()
    elif hidden == "private":
        PageViewRestriction.objects.create(page=page, restriction_type="login")
    elif hidden == "expired":
        ServicePage.objects.filter(pk=page.pk).update(expire_at=now - timedelta(minutes=1))
    elif hidden == "scheduled":
        ServicePage.objects.filter(pk=page.pk).update(go_live_at=now + timedelta(hours=1))
    shown = make_service(index, title="Visible", slug="visible")
    Redirect.objects.create(old_path="/es/antigua", redirect_page=page)
    Redirect.objects.create(old_path="/es/antigua-visible", redirect_page=shown)
    Redirect.objects.create(old_path="/es/fuera", redirect_link="https://otra.example/x")

    response = client.get("/es/antigua/?utm=1")
    assert response.status_code == 404
    assert "Location" not in response
    assert "escondida" not in response.content.decode()
    # Redirects to a public page or to a URL are Wagtail's, as before.
    visible = client.get("/es/antigua-visible/")
    assert (visible.status_code, visible["Location"]) == (301, shown.url)
    elsewhere = client.get("/es/fuera/")
    assert (elsewhere.status_code, elsewhere["Location"]) == (301, "https://otra.example/x")


@pytest.mark.parametrize("private", [False, True], ids=["public-collection", "private-collection"])
def test_the_cms_shows_no_image_or_document_of_a_private_collection(
    private, client, site_structure, locales
):
    """The page's own picture, images, files and documents of its blocks and an
    organisation's logo follow the rule the API follows (cms.public)."""
    from wagtail.models import Collection, CollectionViewRestriction

    from cms.models import Collaborator
    from tests.graphql_api.conftest import make_document

    collection = Collection.get_first_root_node().add_child(name="Reservada")
    if private:
        # A restriction on a parent: its child collections are private too.
        CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
        collection = collection.add_child(name="Dentro")
    header = make_image("cabecera-secreta", collection=collection)
    photo = make_image("foto-secreta", collection=collection)
    logo = make_image("logo-secreto", collection=collection)
    document = make_document("Acta secreta", collection=collection)
    attached = make_document("Anexo secreto", collection=collection)
    partner = Collaborator.objects.create(
        name="Socia", slug="socia", logo=logo, logo_alt="Logo", locale=locales["es"]
    )
    page = make_service(
        site_structure.service_indexes["es"],
        title="Con adjuntos",
        slug="con-adjuntos",
        image=header,
        body=[
            ("image", {"image": photo, "alt": "Foto", "caption": ""}),
            ("collaborators", {"title": "", "collaborators": [partner]}),
            ("documents", {"title": "", "items": [{"document": document, "title": ""}]}),
            (
                "file",
                {
                    "title": "Informe",
                    "info": "",
                    "document": attached,
                    "image": photo,
                    "button_text": "Bajar",
                    "button_icon": "",
                },
            ),
        ],
    )
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    shown = {
        name: name in html
        for name in (
            "cabecera-secreta",
            "foto-secreta",
            "logo-secreto",
            "Acta secreta",
            "Anexo_secreto",
        )
    }
    assert shown == {
        "cabecera-secreta": not private,
        "foto-secreta": not private,
        "logo-secreto": not private,
        "Acta secreta": not private,
        "Anexo_secreto": not private,  # the file block's link: the document's URL
    }
    # The organisation itself is public: its name stands in for the hidden logo.
    assert ("Socia" in html) is private
