"""An editor builds a page in the admin, a translator translates it, the frontend shows it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.admin import (
    EDITOR,
    TRANSLATOR,
    Metric,
    ServiceContent,
    create_service_page,
    log_in,
    open_translate_action,
    publish_translation,
    submit_for_translation,
    translate_segments,
)
from tests.e2e.site import (
    language_switcher,
    metrics,
    open_frontend,
    page_alternates,
    texts,
    until_published,
)

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

    # The services index of the same language lists the new page among all live services
    # (other tests of the session add theirs) once the publish webhook has rebuilt it.
    def listed():
        open_frontend(page, f"{servers.frontend}/es/services/")
        return texts(page, ".service-card h2")

    live = servers.graphql('{ services(locale: "es", first: 50) { edges { node { title } } } }')
    expected = [edge["node"]["title"] for edge in live["data"]["services"]["edges"]]
    titles = until_published(listed, lambda found: found == expected)
    screenshots(page, "frontend-services-index")
    assert titles == expected
    assert {"Crowdfunding cívico", "Huertos urbanos"} <= set(titles)
    expect(page.get_by_role("link", name="Huertos urbanos")).to_have_attribute(
        "href", "/es/services/huertos-urbanos/"
    )


TIME_BANK = ServiceContent(
    title="Bancos de tiempo",
    metrics=[Metric("320", "Horas intercambiadas")],
    quote="Una hora vale lo mismo para todas.",
    quote_author="Lucía Pérez",
    cta_text="¿Te sumas al banco de tiempo?",
    cta_button="Apúntate",
    cta_url="#alta",
)
TIME_BANK_ENGLISH = {
    "Bancos de tiempo": "Time banks",
    "Horas intercambiadas": "Hours exchanged",
    "Una hora vale lo mismo para todas.": "An hour is worth the same for everyone.",
    "¿Te sumas al banco de tiempo?": "Will you join the time bank?",
    "Apúntate": "Sign up",
}


def test_translator_translates_the_page_and_the_language_switch_shows_it(
    servers, context, page, screenshots
):
    index_id = servers.page_id("/es/services/")
    log_in(page, servers.cms, EDITOR)
    create_service_page(page, servers.cms, index_id, TIME_BANK)
    context.clear_cookies()

    log_in(page, servers.cms, TRANSLATOR)
    open_translate_action(page, servers.cms, index_id, TIME_BANK.title)
    screenshots(page, "admin-translate-action")
    submit_for_translation(page, "English")
    sources = translate_segments(page, TIME_BANK_ENGLISH)
    assert sources == [
        "Bancos de tiempo",
        "320",
        "Horas intercambiadas",
        "Una hora vale lo mismo para todas.",
        "Lucía Pérez",
        "¿Te sumas al banco de tiempo?",
        "Apúntate",
    ]
    screenshots(page, "admin-translation-editor")
    assert translate_segments(page, TIME_BANK_ENGLISH, tab="Promote") == ["bancos-de-tiempo"]
    publish_translation(page, "Time banks", "English")
    screenshots(page, "admin-translation-published")

    # The Spanish page is built: the publish webhook has it rebuilt with its new translation.
    def spanish_switcher():
        open_frontend(page, f"{servers.frontend}/es/services/bancos-de-tiempo/")
        return language_switcher(page)

    both = [("español", "es", "page"), ("English", "en", None)]
    assert until_published(spanish_switcher, lambda found: found == both) == both
    assert page_alternates(page) == {
        "es": f"{servers.frontend}/es/services/bancos-de-tiempo/",
        "en": f"{servers.frontend}/en/services/bancos-de-tiempo/",
        # The version for readers of any other language: the default language's.
        "x-default": f"{servers.frontend}/es/services/bancos-de-tiempo/",
    }
    screenshots(page, "frontend-spanish")
    page.locator(".language-switcher").get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{servers.frontend}/en/services/bancos-de-tiempo/")
    expect(page.locator("body")).to_have_attribute("data-state", "ready")
    screenshots(page, "frontend-english")
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.locator("h1")).to_have_text("Time banks")
    assert metrics(page) == [("320", "Hours exchanged")]
    expect(page.locator(".block-quote blockquote")).to_have_text(
        "An hour is worth the same for everyone."
    )
    expect(page.locator(".block-quote figcaption")).to_have_text("— Lucía Pérez")
    expect(page.locator(".cta-text")).to_have_text("Will you join the time bank?")
    expect(page.locator(".block-cta").get_by_role("link")).to_have_text("Sign up")
    assert language_switcher(page) == [("English", "en", "page"), ("español", "es", None)]

    # The Spanish page is unchanged.
    page.locator(".language-switcher").get_by_role("link", name="español").click()
    expect(page).to_have_url(f"{servers.frontend}/es/services/bancos-de-tiempo/")
    expect(page.locator("body")).to_have_attribute("data-state", "ready")
    expect(page.locator("h1")).to_have_text("Bancos de tiempo")
    assert metrics(page) == [("320", "Horas intercambiadas")]
    expect(page.locator(".block-quote blockquote")).to_have_text(
        "Una hora vale lo mismo para todas."
    )
    expect(page.locator(".cta-text")).to_have_text("¿Te sumas al banco de tiempo?")
    expect(page.locator(".block-cta").get_by_role("link")).to_have_text("Apúntate")
