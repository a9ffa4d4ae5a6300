"""Preview and publishing as the frontend's readers see them."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import axe_violations
from tests.e2e.admin import (
    EDITOR,
    Metric,
    ServiceContent,
    create_service_page,
    edit_service_page,
    log_in,
)
from tests.e2e.site import PUBLISH_TO_VISIBLE_SECONDS, metrics, open_frontend, until_published

pytestmark = pytest.mark.e2e


def test_preview_of_a_draft_in_the_frontend(servers, context, page, screenshots):
    content = ServiceContent(
        title="Presupuestos participativos", metrics=[Metric("12", "Asambleas")]
    )
    log_in(page, servers.cms, EDITOR)
    create_service_page(page, servers.cms, servers.page_id("/es/services/"), content)
    page_id = servers.page_id("/es/services/presupuestos-participativos/")

    editor = edit_service_page(page, servers.cms, page_id)
    page.locator("#id_title").fill("Presupuestos participativos 2027")
    editor.field("body-0-value-items-0-value-text").fill("Asambleas de barrio")
    editor.save_draft("Presupuestos participativos 2027")
    screenshots(page, "admin-draft-saved")

    preview = editor.open_preview_in_frontend(context)
    expect(preview).to_have_url(re.compile(rf"^{re.escape(servers.frontend)}/preview\?token="))
    expect(preview.locator("body")).to_have_attribute("data-state", "ready")
    screenshots(preview, "frontend-preview")
    expect(preview.locator("#preview-banner")).to_have_text(
        "Vista previa: este contenido es un borrador y no está publicado."
    )
    expect(preview.locator("h1")).to_have_text("Presupuestos participativos 2027")
    assert metrics(preview) == [("12", "Asambleas de barrio")]
    expect(preview.locator("meta[name='robots']")).to_have_attribute("content", "noindex, nofollow")
    assert axe_violations(preview) == []

    # Readers still get the published version.
    open_frontend(page, f"{servers.frontend}/es/services/presupuestos-participativos/")
    screenshots(page, "frontend-public-unchanged")
    expect(page.locator("h1")).to_have_text("Presupuestos participativos")
    assert metrics(page) == [("12", "Asambleas")]
    expect(page.locator("#preview-banner")).to_be_hidden()


def test_published_changes_reach_readers_within_the_publish_bound(
    servers, browser, page, screenshots
):
    """The site is built: a change reaches new and returning readers once the publish
    webhook has rebuilt the page, within the documented bound. The pages are served with
    ``Cache-Control: no-cache``, so a returning reader's browser revalidates on reload."""
    title = "Compostaje comunitario"
    path = "/es/services/compostaje-comunitario/"
    log_in(page, servers.cms, EDITOR)
    create_service_page(
        page,
        servers.cms,
        servers.page_id("/es/services/"),
        ServiceContent(title=title, metrics=[Metric("40", "Composteras")]),
    )

    reader = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = reader.new_page()
        with tab.expect_response(lambda r: r.url.endswith(path)) as document:
            open_frontend(tab, f"{servers.frontend}{path}")
        assert "no-cache" in document.value.headers.get("cache-control", "")
        assert metrics(tab) == [("40", "Composteras")]
        screenshots(tab, "reader-before")

        editor = edit_service_page(page, servers.cms, servers.page_id(path))
        editor.field("body-0-value-items-0-value-text").fill("Composteras vecinales")
        editor.publish_changes(title)
        published_at = time.monotonic()

        # A new reader gets the new content as soon as the publish webhook has rebuilt the
        # page (within the documented bound): the API's cache never serves stale.
        newcomer = browser.new_context()
        try:
            fresh = newcomer.new_page()

            def read_fresh():
                open_frontend(fresh, f"{servers.frontend}{path}")
                return metrics(fresh)

            shown = until_published(read_fresh, lambda m: m == [("40", "Composteras vecinales")])
            assert shown == [("40", "Composteras vecinales")]
        finally:
            newcomer.close()

        # The returning reader's browser revalidates the page: a reload shows it too.
        def reload():
            tab.reload()
            expect(tab.locator("body")).to_have_attribute("data-state", "ready")
            return metrics(tab)

        shown = until_published(reload, lambda m: m == [("40", "Composteras vecinales")])
        screenshots(tab, "reader-after")
        assert shown == [("40", "Composteras vecinales")]
        assert time.monotonic() - published_at <= PUBLISH_TO_VISIBLE_SECONDS + 5
    finally:
        reader.close()
