"""Reading the reference frontend the way a visitor's browser shows it."""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect


def open_frontend(page: Page, url: str, state: str = "ready") -> None:
    """Load a frontend URL and wait until the app has rendered it (body[data-state])."""
    page.goto(url)
    expect(page.locator("body")).not_to_have_attribute("data-state", "loading")
    expect(page.locator("body")).to_have_attribute("data-state", state)


def texts(page: Page, selector: str) -> list[str]:
    return [text.strip() for text in page.locator(selector).all_inner_texts()]


def metrics(page: Page) -> list[tuple[str, str]]:
    items = page.locator(".block-metrics li")
    return [
        (
            items.nth(i).locator(".figure-number").inner_text(),
            items.nth(i).locator(".figure-text").inner_text(),
        )
        for i in range(items.count())
    ]


def language_switcher(page: Page) -> list[tuple[str, str, str | None]]:
    """(language name, hreflang, aria-current) of each entry of the language switcher."""
    links = page.locator(".language-switcher a")
    return [
        (
            links.nth(i).inner_text(),
            links.nth(i).get_attribute("hreflang"),
            links.nth(i).get_attribute("aria-current"),
        )
        for i in range(links.count())
    ]


def page_alternates(page: Page) -> dict[str, str]:
    """hreflang → href of the <link rel="alternate"> tags in the document's head."""
    links = page.locator("head link[rel='alternate'][hreflang]")
    return {
        links.nth(i).get_attribute("hreflang"): links.nth(i).get_attribute("href")
        for i in range(links.count())
    }


# The documented bound (docs/FRONTEND.md) between an editor's publish and the public
# site's static page showing it: the CMS's webhook worker sends the publish webhook, the
# frontend rebuilds the page, the pages around it and the sitemaps.
PUBLISH_TO_VISIBLE_SECONDS = 10
# The bound between a change that hides content (a restriction, an unpublish, an expiry
# date, a collection made private) and its leaving every surface of the static site
# (docs/DELIVERY.md): measured from the change's commit, or from the expiry date.
HIDDEN_TO_GONE_SECONDS = 5


def until_published(read, done, timeout: float = PUBLISH_TO_VISIBLE_SECONDS):
    """Calls ``read()`` until ``done(value)`` or the bound is over; the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.25)
