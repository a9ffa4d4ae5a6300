"""A page whose title has accents, from the admin to the static HTML, in es, en and ca: its
slug keeps the accents, its address answers on the public site (on-demand render and built
file), the listing links to it, the sitemap lists it, and a later publish rebuilds it in
place."""

from __future__ import annotations

import urllib.request
from html import escape
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

# A title per language, with á, é, í, ó, ú, ñ, ç, l·l, ü and à between them, and the slug
# Wagtail makes of it (slugify drops the middle dot of l·l).
TITLES = {
    # Not starting with a title other tests search for in the admin's choosers
    # ("Crowdfunding cívico", the demo's): their search would find this page too.
    "es": (
        "Financiación cívica para años de acción en Güímar",
        "financiación-cívica-para-años-de-acción-en-güímar",
    ),
    "en": ("Café and piñata: útil, qué", "café-and-piñata-útil-qué"),
    "ca": ("Col·lectiu de ciència i acció a Lleó", "collectiu-de-ciència-i-acció-a-lleó"),
}


def read(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our server
        return response.status, response.read().decode()


@pytest.mark.parametrize("language", TITLES)
def test_an_accented_title_is_served_built_listed_and_kept(servers, page, screenshots, language):
    title, slug = TITLES[language]
    path = f"/{language}/services/{slug}/"
    log_in(page, servers.cms, EDITOR)
    content = ServiceContent(title=title, metrics=[Metric("12", "Barrios con campaña")])
    create_service_page(page, servers.cms, servers.page_id(f"/{language}/services/"), content)
    built = servers.dist / language / "services" / slug / "index.html"
    address = f"{servers.frontend}{quote(path)}"

    # Served at once (rendered on demand), then built by the publish webhook's rebuild.
    status, html = read(address)
    assert (status, escape(title, quote=False) in html) == (200, True)
    assert until_published(built.is_file, bool), "the page was never built"
    assert 'data-rendered="server"' in built.read_text()

    # The listing links to it, and the link leads to it.
    def listing() -> str:
        return read(f"{servers.frontend}/{language}/services/")[1]

    assert until_published(listing, lambda text: f'href="{quote(path)}"' in text)
    page.goto(f"{servers.frontend}/{language}/services/")
    page.get_by_role("link", name=title).click()
    page.wait_for_url(address)
    assert page.locator("h1").inner_text() == title
    screenshots(page, f"accented-title-{language}")

    # The sitemap lists its address, percent-encoded.
    def sitemap() -> str:
        return read(f"{servers.frontend}/sitemap-{language}.xml")[1]

    assert until_published(sitemap, lambda text: f"{servers.frontend}{quote(path)}" in text)

    # A later publish rebuilds it in its folder: it is never removed.
    editor = edit_service_page(page, servers.cms, servers.page_id(quote(path)))
    editor.field("body-0-value-items-0-value-text").fill("Barrios con campaña abierta")
    editor.publish_changes(title)
    assert until_published(
        lambda: built.read_text() if built.is_file() else "",
        lambda text: "Barrios con campaña abierta" in text,
    )
    status, html = read(address)
    assert (status, "Barrios con campaña abierta" in html) == (200, True)
