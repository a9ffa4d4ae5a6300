"""axe-core on the frontend and the admin screens editors and translators use.

axe-core comes bundled in the axe-playwright-python package (no download at test time).
A page passes when axe finds no violation of serious or critical impact against WCAG 2.1
A/AA. Nothing is excluded on the frontend. On the admin, ADMIN_EXCLUSIONS lists the
violations found inside third-party widgets this project does not render itself, each
by rule and by the markup it was found in, with the reason; any other violation, and the
same rule anywhere else, fails the test.
"""

from __future__ import annotations

import json

import pytest

from tests.e2e.a11y import ADMIN_EXCLUSIONS, axe_violations
from tests.e2e.admin import EDITOR, log_in
from tests.e2e.content import SLUG as EVERY_BLOCK_SLUG
from tests.e2e.site import open_frontend

pytestmark = pytest.mark.e2e


FRONTEND_PAGES = [
    ("services-index-es", "/es/services/"),
    ("home-en", "/en/"),
    ("demo-page-es", "/es/services/democratic-funding/"),
    ("demo-page-en", "/en/services/democratic-funding/"),
    ("every-block", f"/es/services/{EVERY_BLOCK_SLUG}/"),
]


def test_frontend_pages_have_no_serious_accessibility_violations(servers, page, screenshots):
    found = {}
    for name, path in FRONTEND_PAGES:
        open_frontend(page, f"{servers.frontend}{path}")
        screenshots(page, name)
        found[path] = axe_violations(page)
    open_frontend(page, f"{servers.frontend}/es/services/no-such-service/", state="not-found")
    screenshots(page, "not-found")
    found["not-found"] = axe_violations(page)
    assert found == {path: [] for path in found}, json.dumps(found, indent=2)


def test_every_block_type_is_rendered(servers, page):
    open_frontend(page, f"{servers.frontend}/es/services/{EVERY_BLOCK_SLUG}/")
    rendered = page.locator(".stream > [data-block-type]")
    assert [el.get_attribute("data-block-type") for el in rendered.all()] == [
        "markdown",
        "metrics",
        "numbers",
        "quote",
        "collaborators",
        "call_to_action",
        "image",
        "gallery",
        "video",
        "questions",
        "links",
        "documents",
        "file",
        "author",
        "stickers",
        "separator",
    ]
    video = page.locator(".block-video iframe")
    assert video.get_attribute("title") == "Presentación del proyecto"
    assert video.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/")
    image = page.locator(".block-image img")
    assert image.get_attribute("alt") == "Vista del barrio"
    assert ".webp" in image.get_attribute("srcset")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator(".block-image figcaption").inner_text() == "El barrio en 2026"
    assert page.locator(".block-documents a").inner_text() == "Memoria anual (PDF)"
    assert (
        page.locator(".block-documents a")
        .get_attribute("href")
        .startswith(f"{servers.cms}/documents/")
    )
    assert page.locator(".block-questions li").all_inner_texts() == [
        "¿Quién decide?",
        "¿Cómo participo?",
    ]
    assert page.locator(".block-stickers").get_attribute("aria-hidden") == "true"
    # Markdown headings sit one level below the page's h1.
    assert page.locator(".block-markdown h3").inner_text() == "Qué hacemos"


def test_admin_screens_have_no_serious_accessibility_violations(servers, page, screenshots):
    page.goto(f"{servers.cms}/admin/login/")
    found = {"login": axe_violations(page, ADMIN_EXCLUSIONS)}
    log_in(page, servers.cms, EDITOR)
    index_id = servers.page_id("/es/services/")
    demo_id = servers.page_id("/es/services/democratic-funding/")
    english_id = servers.page_id("/en/services/democratic-funding/")
    screens = {
        "dashboard": "/admin/",
        "services-listing": f"/admin/pages/{index_id}/",
        "page-editor": f"/admin/pages/{demo_id}/edit/",
        "new-service-page": f"/admin/pages/add/services/servicepage/{index_id}/",
        "translation-editor": f"/admin/pages/{english_id}/edit/",
        "collaborators": "/admin/snippets/cms/collaborator/",
    }
    for name, path in screens.items():
        page.goto(f"{servers.cms}{path}")
        page.wait_for_load_state("networkidle")
        screenshots(page, f"admin-{name}")
        found[name] = axe_violations(page, ADMIN_EXCLUSIONS)
    assert found == {name: [] for name in found}, json.dumps(found, indent=2)
