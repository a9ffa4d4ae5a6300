"""An editor publishes a project that names a service, a team member and a category: the
frontend's service, category and team pages show it, and unpublishing removes it from all."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.admin import EDITOR, log_in, search_in_chooser
from tests.e2e.site import open_frontend, until_published

pytestmark = pytest.mark.e2e

TITLE = "Huertos conectados"
SLUG = "huertos-conectados"

LINKED = """query {
  service(slug: "democratic-funding", locale: "es") { title url }
  members(locale: "es") { slug name }
  categories(locale: "es") { title url }
}"""


def choose_in_modal(page: Page, button: str, search: str, row_text: str) -> None:
    """A multiple chooser: open it, search, tick the row that holds ``row_text`` once the
    listing is the search's (search_in_chooser), confirm."""
    page.get_by_role("button", name=button, exact=True).click()
    modal = page.locator(".modal-content")
    search_in_chooser(page, modal, search)
    row = modal.locator("tr").filter(has_text=search).filter(has_text=row_text).first
    row.locator("input[type=checkbox]").check()
    modal.get_by_role("button", name="Confirm selection").click()
    expect(modal).to_be_hidden()


def fresh_read(browser, url: str, selector: str) -> list[str]:
    """The texts at ``selector`` as a first-time visitor sees them (no browser cache)."""
    context = browser.new_context()
    try:
        tab = context.new_page()
        open_frontend(tab, url)
        return [text.strip() for text in tab.locator(selector).all_inner_texts()]
    finally:
        context.close()


def test_a_published_project_shows_on_its_service_category_and_team_pages(
    servers, browser, page, screenshots
):
    linked = servers.graphql(LINKED)["data"]
    service, member, category = (
        linked["service"],
        linked["members"][0],
        linked["categories"][0],
    )
    log_in(page, servers.cms, EDITOR)
    index_id = servers.page_id("/es/projects/")
    page.goto(f"{servers.cms}/admin/pages/{index_id}/add_subpage/")
    page.locator("#id_title").fill(TITLE)
    choose_in_modal(page, "Add service", service["title"], "Servicios")
    choose_in_modal(page, "Add category", category["title"], "Categorías")
    choose_in_modal(page, "Add team member", member["name"], "Spanish")
    screenshots(page, "admin-project-filled-in")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(re.compile(rf"{TITLE}.*published"))
    project_id = servers.page_id(f"/es/projects/{SLUG}/")

    places = {
        "service": (f"{servers.frontend}{service['url']}", ".related-projects h3"),
        "category": (f"{servers.frontend}{category['url']}", ".related-projects h3"),
        "team": (
            f"{servers.frontend}/es/team/",
            f"#member-{member['slug']} .member-projects a",
        ),
    }
    # Those pages are built: the publish webhook has them rebuilt within the documented bound.
    for name, (url, selector) in places.items():
        shown = until_published(
            lambda url=url, selector=selector: fresh_read(browser, url, selector),
            lambda texts: TITLE in texts,
        )
        assert TITLE in shown, name

    open_frontend(page, f"{servers.frontend}/es/projects/{SLUG}/")
    screenshots(page, "frontend-project")
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".related-services a")).to_have_text([service["title"]])
    expect(page.locator(".related-categories a")).to_have_text([category["title"]])
    expect(page.locator(".related-members .member-name")).to_have_text([member["name"]])

    page.goto(f"{servers.cms}/admin/pages/{project_id}/unpublish/")
    page.get_by_role("button", name="Yes, unpublish it").click()
    expect(page.locator(".messages")).to_contain_text(re.compile(rf"{TITLE}.*unpublished"))
    for name, (url, selector) in places.items():
        shown = until_published(
            lambda url=url, selector=selector: fresh_read(browser, url, selector),
            lambda texts: TITLE not in texts,
        )
        assert TITLE not in shown, name
