"""The translator's loop, in the admin: translate a Spanish page into Catalan; the source
changes a metric and a paragraph and is published; the Catalan page is flagged outdated
with only the changed texts to do; they are translated and published; the API says the
Catalan page is up to date."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.admin import (
    EDITOR,
    TRANSLATOR,
    edit_service_page,
    log_in,
    open_translate_action,
    publish_translation,
    submit_for_translation,
    translate_segments,
)

pytestmark = pytest.mark.e2e

# The Spanish page, as an editor left it: two metrics, a quote and a call to action.
CREATE_GARDENS = """
from services.models import ServiceIndexPage, ServicePage
index = ServiceIndexPage.objects.get(locale__language_code="es")
page = ServicePage(title="Huertos compartidos", slug="huertos-compartidos", body=[
    ("metrics", {"items": [
        {"number": "40", "text": "Huertos activos"}, {"number": "12", "text": "Barrios"},
    ]}),
    ("quote", {"text": "Cultivamos en comunidad.", "author": "Ana Soler"}),
    ("call_to_action", {"text": "¿Quieres un huerto?", "button_label": "Escríbenos",
        "form": None, "page": None, "url": "#contacto", "image": None, "image_alt": ""}),
])
index.add_child(instance=page)
page.save_revision().publish()
"""
TITLE = "Huertos compartidos"
CATALAN = {
    "Huertos compartidos": "Horts compartits",
    "Huertos activos": "Horts actius",
    "Barrios": "Barris",
    "Cultivamos en comunidad.": "Conreem en comunitat.",
    "¿Quieres un huerto?": "Vols un hort?",
    "Escríbenos": "Escriu-nos",
}
CHANGED = {
    "Distritos": "Districtes",
    "Cultivamos en comunidad, cada sábado.": "Conreem en comunitat, cada dissabte.",
}

CHANGED_NOTE = "The source changed."

STATUS = """query ($path: String!) { page(path: $path) { title locale { code }
  translation { state upToDate untranslatedSegments totalSegments sourceLocale { code } } } }"""


def _status(servers, path: str) -> dict:
    return servers.graphql(STATUS, {"path": path})["data"]["page"]


def _replace_markdown(page, name: str, text: str) -> None:
    """Replace the text of a Markdown field (an EasyMDE editor) as a person does."""
    editor = page.locator(f"[name='{name}']").locator("xpath=..").locator(".CodeMirror").first
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def retranslate_changed(page, translations: dict[str, str]) -> list[str]:
    """Edit, one after the other, each text whose source changed: the editor shows it with
    its previous translation pre-filled and a note quoting the old source. Returns their
    new source texts in the order shown."""
    sources = []
    # The editor renders its segments after the page loads: wait for the first changed one.
    page.get_by_text(CHANGED_NOTE).first.wait_for()
    while True:
        edits = page.get_by_role("button", name="Edit", exact=True).all()
        segments = [edit.locator("xpath=ancestor::li[2]").element_handle() for edit in edits]
        flagged = [segment for segment in segments if CHANGED_NOTE in segment.inner_text()]
        if not flagged:
            return sources
        segment = flagged[0]
        source = segment.query_selector("p").inner_text().strip()
        sources.append(source)
        segment.query_selector("button:text-is('Edit')").click()
        segment.wait_for_selector("textarea").fill(translations[source])
        segment.query_selector("button:text-is('Save')").click()
        page.wait_for_function(
            "([segment, note]) => !segment.innerText.includes(note)", arg=[segment, CHANGED_NOTE]
        )


def test_a_translation_follows_its_source(servers, context, page, screenshots):
    index_id = servers.page_id("/es/services/")
    servers.shell(CREATE_GARDENS)
    spanish_id = servers.page_id("/es/services/huertos-compartidos/")

    # The translator translates every text into Catalan and publishes.
    log_in(page, servers.cms, TRANSLATOR)
    open_translate_action(page, servers.cms, index_id, TITLE)
    submit_for_translation(page, "Catalan")
    assert translate_segments(page, CATALAN) == [
        "Huertos compartidos",
        "40",
        "Huertos activos",
        "12",
        "Barrios",
        "Cultivamos en comunidad.",
        "Ana Soler",
        "¿Quieres un huerto?",
        "Escríbenos",
    ]
    assert translate_segments(page, CATALAN, tab="Promote") == ["huertos-compartidos"]
    publish_translation(page, "Horts compartits", "Catalan")
    catalan_path = "/ca/services/huertos-compartidos/"
    catalan_id = servers.page_id(catalan_path)
    total = _status(servers, catalan_path)["translation"]["totalSegments"]
    assert _status(servers, catalan_path) == {
        "title": "Horts compartits",
        "locale": {"code": "ca"},
        "translation": {
            "state": "UP_TO_DATE",
            "upToDate": True,
            "untranslatedSegments": 0,
            "totalSegments": total,
            "sourceLocale": {"code": "es"},
        },
    }
    context.clear_cookies()

    # The editor changes a metric and the quote's paragraph of the Spanish page, publishes.
    log_in(page, servers.cms, EDITOR)
    editor = edit_service_page(page, servers.cms, spanish_id)
    editor.field("body-0-value-items-1-value-text").fill("Distritos")
    _replace_markdown(page, "body-1-value-text", "Cultivamos en comunidad, cada sábado.")
    editor.publish_changes(TITLE)
    context.clear_cookies()

    # The translator sees the Catalan page outdated, in the report and through the API.
    log_in(page, servers.cms, TRANSLATOR)
    page.goto(f"{servers.cms}/admin/reports/waiting-for-translation/")
    row = page.locator("tr").filter(has_text="Horts compartits")
    expect(row).to_contain_text("outdated since")
    expect(row).to_contain_text(f"2 of {total} segments untranslated")
    screenshots(page, "admin-translation-report-outdated")
    assert _status(servers, catalan_path) == {
        "title": "Horts compartits",
        "locale": {"code": "ca"},
        "translation": {
            "state": "OUTDATED",
            "upToDate": False,
            "untranslatedSegments": 2,
            "totalSegments": total,
            "sourceLocale": {"code": "es"},
        },
    }

    # Publishing now asks first, and says how many texts would show in Spanish.
    page.goto(f"{servers.cms}/admin/pages/{catalan_id}/edit/")
    page.get_by_role("button", name="Publish in Catalan").click()
    expect(page.locator("[data-untranslated]")).to_contain_text(
        f"2 of {total} segments of “Horts compartits” are not translated into Catalan. "
        "Published now, they will show the Spanish text to readers."
    )
    screenshots(page, "admin-publish-with-untranslated-segments")
    page.get_by_role("link", name="Back to translating").click()

    # Only the changed texts are left to translate, each with its previous translation.
    expect(page.get_by_role("button", name="Translate", exact=True)).to_have_count(0)
    assert retranslate_changed(page, CHANGED) == list(CHANGED)
    screenshots(page, "admin-translation-editor-changes")
    publish_translation(page, "Horts compartits", "Catalan")
    assert _status(servers, catalan_path) == {
        "title": "Horts compartits",
        "locale": {"code": "ca"},
        "translation": {
            "state": "UP_TO_DATE",
            "upToDate": True,
            "untranslatedSegments": 0,
            "totalSegments": total,
            "sourceLocale": {"code": "es"},
        },
    }
