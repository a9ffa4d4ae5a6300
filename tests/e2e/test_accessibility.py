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
from axe_playwright_python.base import AXE_FILE_PATH

from tests.e2e.admin import EDITOR, log_in
from tests.e2e.content import SLUG as EVERY_BLOCK_SLUG
from tests.e2e.site import open_frontend

pytestmark = pytest.mark.e2e

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}

# (axe rule, CSS selector the offending element matches, why it is tolerated).
ADMIN_EXCLUSIONS: list[tuple[str, str, str]] = [
    (
        "label",
        ".CodeMirror textarea",
        "wagtail-markdown's EasyMDE editor: CodeMirror's own hidden input textarea has no "
        "label (the field's visible label belongs to the textarea EasyMDE replaces). "
        "Upstream markup of EasyMDE/wagtail-markdown.",
    ),
    (
        "label",
        "form[enctype='multipart/form-data'] input[type='file']",
        "wagtail-localize's translation editor: the 'Upload PO file' file input is named only "
        "by the button beside it. Upstream markup of wagtail-localize.",
    ),
    (
        "color-contrast",
        "[class^='sc-'], [class*=' sc-']",
        "wagtail-localize's translation editor (its styled-components classes .sc-*): the "
        "grey segment labels are below 4.5:1 on their background. Upstream styles of "
        "wagtail-localize.",
    ),
]


# Whether the element axe points at (outside iframes) matches one of the selectors.
EXCLUDED = """({target, selectors}) => {
  if (target.length !== 1 || !selectors.length) return false;
  const element = document.querySelector(target[0]);
  return !!element && selectors.some((selector) => element.matches(selector));
}"""


def axe_violations(page, exclusions=()) -> list[dict]:
    """Serious and critical violations on the page: rule, impact, help and offending elements."""
    page.evaluate(AXE_FILE_PATH.read_text(encoding="utf-8"))
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        selectors = [selector for rule, selector, _why in exclusions if rule == violation["id"]]
        targets = [
            " ".join(node["target"])
            for node in violation["nodes"]
            if not page.evaluate(EXCLUDED, {"target": node["target"], "selectors": selectors})
        ]
        if targets:
            found.append(
                {
                    "rule": violation["id"],
                    "impact": violation["impact"],
                    "help": violation["help"],
                    "targets": targets[:5],
                }
            )
    return found


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
