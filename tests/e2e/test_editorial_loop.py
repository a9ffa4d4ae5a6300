"""An editor builds a page in the admin, a translator translates it, the frontend shows it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.admin import EDITOR, Metric, ServiceContent, create_service_page, log_in
from tests.e2e.site import metrics, open_frontend, texts

pytestmark = pytest.mark.e2e


def test_editor_publishes_a_page_and_the_frontend_shows_each_block(servers, page, screenshots):
    content = ServiceContent(
        title="Huertos urbanos",
        metrics=[Metric("1.250", "Personas participantes"), Metric("87%", "Huertos activos")],
        quote="La ciudad se cultiva entre vecinas.",
        quote_author="Marta Ruiz",
        collaborators_title="Con quién lo hacemos",
        collaborators=["Decidim", "Goteo"],
        cta_text="¿Quieres un huerto en tu barrio?",
        cta_button="Escríbenos",
        cta_url="#contacto",
    )
    log_in(page, servers.cms, EDITOR)
    index_id = servers.page_id("/es/services/")
    create_service_page(page, servers.cms, index_id, content, screenshots=screenshots)

    open_frontend(page, f"{servers.frontend}/es/services/huertos-urbanos/")
    screenshots(page, "frontend-service-page")
    expect(page.locator("h1")).to_have_text("Huertos urbanos")
    assert page.evaluate("document.documentElement.lang") == "es"
    assert metrics(page) == [("1.250", "Personas participantes"), ("87%", "Huertos activos")]
    quote = page.locator(".block-quote")
    expect(quote.locator("blockquote")).to_have_text("La ciudad se cultiva entre vecinas.")
    expect(quote.locator("figcaption")).to_have_text("— Marta Ruiz")
    collaborators = page.locator(".block-collaborators")
    expect(collaborators.locator("h2")).to_have_text("Con quién lo hacemos")
    assert texts(page, ".block-collaborators .collaborator-name") == ["Decidim", "Goteo"]
    assert [link.get_attribute("href") for link in collaborators.locator("a").all()] == [
        "https://decidim.org/",
        "https://www.goteo.org/",
    ]
    logos = collaborators.locator("img.logo")
    expect(logos).to_have_count(2)
    for logo in logos.all():
        assert logo.get_attribute("src").startswith(f"{servers.cms}/media/images/")
        assert ".webp " in logo.get_attribute("srcset")
        # Each logo really loaded from the CMS (a broken image has no natural width).
        assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
    cta = page.locator(".block-cta")
    expect(cta.locator(".cta-text")).to_have_text("¿Quieres un huerto en tu barrio?")
    expect(cta.get_by_role("link", name="Escríbenos")).to_have_attribute("href", "#contacto")

    # The services index of the same language lists the new page beside the demo page.
    open_frontend(page, f"{servers.frontend}/es/services/")
    screenshots(page, "frontend-services-index")
    assert sorted(texts(page, ".service-card h2")) == ["Crowdfunding cívico", "Huertos urbanos"]
    expect(page.get_by_role("link", name="Huertos urbanos")).to_have_attribute(
        "href", "/es/services/huertos-urbanos/"
    )
