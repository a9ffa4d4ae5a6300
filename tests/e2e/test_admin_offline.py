"""The admin works without the internet: from the dashboard to a page's Markdown editor,
every request goes to the CMS (no Gravatar, no release check, no CDN), the editor's
toolbar icons come from the CMS's own Font Awesome, and no spell checker (of the admin's
language, or downloading dictionaries) marks the page's words."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.admin import EDITOR, log_in

pytestmark = pytest.mark.e2e

ICON_FONT = """() => {
  const icon = document.querySelector(".editor-toolbar button.fa, .editor-toolbar button .fa");
  const style = getComputedStyle(icon, "::before");
  return {
    family: getComputedStyle(icon).fontFamily,
    glyph: style.content,
    loaded: document.fonts.check('900 16px "Font Awesome 6 Free"'),
  };
}"""


def test_the_admin_and_its_markdown_editor_ask_no_other_site(servers, browser):
    context = browser.new_context()
    context.set_default_timeout(20_000)
    page = context.new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    try:
        log_in(page, servers.cms, EDITOR)
        page.goto(
            f"{servers.cms}/admin/pages/{servers.page_id('/es/services/democratic-funding/')}/edit/"
        )
        toolbar = page.locator("[data-contentpath='description'] .editor-toolbar")
        expect(toolbar).to_be_visible()
        expect(toolbar.locator("button")).not_to_have_count(0)
        page.wait_for_load_state("networkidle")
        font = page.evaluate(ICON_FONT)
        assert "Font Awesome" in font["family"], font
        assert font["glyph"] not in ("", "none", "normal"), font
        assert font["loaded"], font
        # The editor's text area is not spell checked (no red marks in Spanish words).
        editable = page.locator(
            "[data-contentpath='description'] .CodeMirror [contenteditable], "
            "[data-contentpath='description'] .CodeMirror textarea"
        )
        assert editable.first.get_attribute("spellcheck") == "false"
        cms = urlsplit(servers.cms).netloc
        elsewhere = sorted(
            {
                url
                for url in asked
                if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != cms
            }
        )
        assert elsewhere == []
    finally:
        context.close()
