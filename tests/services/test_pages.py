"""Page tree rules and server-side rendering of service pages."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from cms.models import HomePage
from services.models import ServiceIndexPage, ServicePage
from tests.factories import make_service

# The CMS's own HTML: read with no public site configured (else it redirects there).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cms_templates")]


def test_page_types_only_go_where_they_belong(site_structure):
    root = Page.get_first_root_node()
    home = site_structure.homes["es"]
    index = site_structure.service_indexes["es"]
    allowed = {
        (model.__name__, parent.specific_class.__name__)
        for model in (HomePage, ServiceIndexPage, ServicePage)
        for parent in (root, home, index)
        if model.can_create_at(parent)
    }
    assert allowed == {
        ("HomePage", "Page"),
        ("ServiceIndexPage", "HomePage"),
        ("ServicePage", "ServiceIndexPage"),
    }
    assert ServicePage.subpage_types == []


@pytest.fixture
def admin_client(client, site_structure):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def test_admin_offers_service_pages_only_under_the_index(admin_client, site_structure):
    home = site_structure.homes["es"]
    index = site_structure.service_indexes["es"]
    add_url = "/admin/pages/add/services/servicepage/{}/"
    assert admin_client.get(add_url.format(index.pk)).status_code == 200
    refused = admin_client.get(add_url.format(home.pk))
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")


def test_editor_creates_and_publishes_a_service_page_in_the_admin(admin_client, site_structure):
    index = site_structure.service_indexes["es"]
    data = {
        "title": "Diagnóstico participativo",
        "slug": "participatory-diagnosis",
        "description": "Dinamizamos **documentos** participativos.",
        "image": "",
        "image_alt": "",
        "body-count": "2",
        "call_to_action-count": "0",
        "body-0-type": "metrics",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "",
        "body-0-value-items-count": "1",
        "body-0-value-items-0-deleted": "",
        "body-0-value-items-0-order": "0",
        "body-0-value-items-0-id": "",
        "body-0-value-items-0-value-number": "6",
        "body-0-value-items-0-value-text": "Talleres",
        "body-1-type": "video",
        "body-1-deleted": "",
        "body-1-order": "1",
        "body-1-id": "",
        "body-1-value-title": "Wikimedia",
        "body-1-value-url": "https://www.youtube.com/embed/vsErReqZJ2E",
        "action-publish": "action-publish",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    response = admin_client.post(f"/admin/pages/add/services/servicepage/{index.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors
    page = ServicePage.objects.get(slug="participatory-diagnosis")
    assert (page.live, page.locale.language_code, page.get_parent().pk) == (True, "es", index.pk)
    assert [
        (
            b.block_type,
            b.value["items"][0]["text"] if b.block_type == "metrics" else b.value.embed_url,
        )
        for b in page.body
    ] == [
        ("metrics", "Talleres"),
        ("video", "https://www.youtube-nocookie.com/embed/vsErReqZJ2E"),
    ]


def test_admin_shows_the_block_error_on_the_field(admin_client, site_structure):
    index = site_structure.service_indexes["es"]
    data = {
        "title": "Vídeo roto",
        "slug": "video-roto",
        "body-count": "1",
        "call_to_action-count": "0",
        "body-0-type": "video",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "",
        "body-0-value-title": "Malo",
        "body-0-value-url": "https://example.com/video/1",
        "action-publish": "action-publish",
    }
    response = admin_client.post(f"/admin/pages/add/services/servicepage/{index.pk}/", data)
    assert response.status_code == 200
    assert not ServicePage.objects.filter(slug="video-roto").exists()
    error = response.context["form"].errors["body"].as_data()[0]
    assert error.block_errors[0].block_errors["url"].messages == [
        "This is not a video address we can embed. Use a YouTube or Vimeo video URL, such as "
        "https://www.youtube.com/watch?v=… or https://vimeo.com/123456789."
    ]


def test_pages_render_server_side_in_each_language(client, demo_page):
    es = client.get("/es/services/democratic-funding/")
    en = client.get("/en/services/democratic-funding/")
    assert (es.status_code, en.status_code) == (200, 200)
    es_html, en_html = es.content.decode(), en.content.decode()
    assert '<html lang="es">' in es_html
    assert "<h1>Crowdfunding cívico</h1>" in es_html
    assert '<span class="metric__text">Dinero recaudado</span>' in es_html
    assert '<a class="cta__button" href="/es/cta-contact-demo/">Pregúntanos</a>' in es_html
    assert (
        '<link rel="alternate" hreflang="en" href="http://testserver/en/services/democratic-funding/">'
        in es_html
    )
    assert '<html lang="en">' in en_html
    assert "<h1>Civic crowdfunding</h1>" in en_html
    assert '<span class="metric__text">Money raised</span>' in en_html
    assert '<a class="cta__button" href="/en/cta-contact-demo/">Ask us</a>' in en_html
    listing = client.get("/es/services/").content.decode()
    assert '<a href="/es/services/democratic-funding/">Crowdfunding cívico</a>' in listing


def test_root_redirects_to_the_default_language_and_drafts_are_not_served(client, site_structure):
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/es/")
    make_service(site_structure.service_indexes["es"], title="Oculto", slug="oculto", publish=False)
    assert client.get("/es/services/oculto/").status_code == 404
    assert "Oculto" not in client.get("/es/services/").content.decode()
