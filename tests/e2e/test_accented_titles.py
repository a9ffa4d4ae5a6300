"""A page whose title has accents, from the admin to the static HTML: its slug keeps the
accents, its address answers on the public site (built file and on-demand render), the
listing links to it, the sitemap lists it, and a later publish rebuilds it in place."""

from __future__ import annotations

import urllib.request
from urllib.parse import quote

import pytest

from tests.e2e.admin import (
    EDITOR,
    Metric,
    ServiceContent,
    create_service_page,
    edit_service_page,
    log_in,
)
from tests.e2e.site import until_published

pytestmark = pytest.mark.e2e

TITLE = "Crowdfunding cívico para barrios"
SLUG = "crowdfunding-cívico-para-barrios"
PATH = f"/es/services/{SLUG}/"


def read(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our server
        return response.status, response.read().decode()


def test_an_accented_title_is_served_built_listed_and_kept(servers, page, screenshots):
    log_in(page, servers.cms, EDITOR)
    content = ServiceContent(title=TITLE, metrics=[Metric("12", "Barrios con campaña")])
    create_service_page(page, servers.cms, servers.page_id("/es/services/"), content)
    built = servers.dist / "es" / "services" / SLUG / "index.html"
    address = f"{servers.frontend}{quote(PATH)}"

    # Served at once (rendered on demand), then built by the publish webhook's rebuild.
    status, html = read(address)
    assert (status, TITLE in html) == (200, True)
    assert until_published(built.is_file, bool), "the page was never built"
    assert 'data-rendered="server"' in built.read_text()

    # The listing links to it, and the link leads to it.
    def listing() -> str:
        return read(f"{servers.frontend}/es/services/")[1]

    assert until_published(listing, lambda text: f'href="{quote(PATH)}"' in text)
    page.goto(f"{servers.frontend}/es/services/")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(address)
    assert page.locator("h1").inner_text() == TITLE
    screenshots(page, "accented-title")

    # The sitemap lists its address, percent-encoded.
    def sitemap() -> str:
        return read(f"{servers.frontend}/sitemap-es.xml")[1]

    assert until_published(sitemap, lambda text: f"{servers.frontend}{quote(PATH)}" in text)

    # A later publish rebuilds it in its folder: it is never removed.
    editor = edit_service_page(page, servers.cms, servers.page_id(quote(PATH)))
    editor.field("body-0-value-items-0-value-text").fill("Barrios con campaña abierta")
    editor.publish_changes(TITLE)
    assert until_published(
        lambda: built.read_text() if built.is_file() else "",
        lambda text: "Barrios con campaña abierta" in text,
    )
    status, html = read(address)
    assert (status, "Barrios con campaña abierta" in html) == (200, True)
