"""An editor publishes a change in the admin and the public site, read without JavaScript
(a plain HTTP GET, as a crawler does), shows it within the documented bound: the CMS's
webhook worker calls the frontend's publish hook, which rebuilds the static page. The
measured time is written to artifacts/e2e/publish-to-visible.json."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.admin import (
    EDITOR,
    Metric,
    ServiceContent,
    create_service_page,
    edit_service_page,
    log_in,
)
from tests.e2e.conftest import ARTIFACTS, WEBHOOK_SECRET
from tests.e2e.site import PUBLISH_TO_VISIBLE_SECONDS, until_published

pytestmark = pytest.mark.e2e

TITLE = "Huertos solares"
PATH = "/es/services/huertos-solares/"


def read_html(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our server
        return response.read().decode()


def test_a_published_change_reaches_the_static_site_within_the_bound(servers, page, screenshots):
    log_in_and_create(servers, page)
    built = servers.dist / "es" / "services" / "huertos-solares" / "index.html"
    # The new page is rendered on demand at once, and built by the webhook's rebuild.
    assert "Placas solares" in read_html(f"{servers.frontend}{PATH}")
    assert until_published(built.is_file, bool), "the new page was never built"

    editor = edit_service_page(page, servers.cms, servers.page_id(PATH))
    editor.field("body-0-value-items-0-value-text").fill("Placas solares vecinales")
    editor.publish_changes(TITLE)
    published_at = time.monotonic()
    screenshots(page, "admin-published")

    html = until_published(
        lambda: read_html(f"{servers.frontend}{PATH}"),
        lambda text: "Placas solares vecinales" in text,
    )
    seconds = time.monotonic() - published_at
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "publish-to-visible.json").write_text(
        json.dumps(
            {
                "path": PATH,
                "seconds": round(seconds, 3),
                "bound_seconds": PUBLISH_TO_VISIBLE_SECONDS,
                "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            },
            indent=2,
        )
        + "\n"
    )
    assert "Placas solares vecinales" in html
    assert 'data-rendered="server"' in html
    # It is the static file that says so, not only an on-demand render.
    assert "Placas solares vecinales" in built.read_text()
    assert seconds <= PUBLISH_TO_VISIBLE_SECONDS, f"visible after {seconds:.1f} s"

    # What the builds wrote and removed (paths that may be of hidden pages by now) is told
    # only to whoever has the webhook secret; anyone else learns counts.
    status = f"{servers.frontend}/__hooks/status"
    public = json.loads(read_html(status))
    assert set(public) == {"builds", "pending"}
    assert public["builds"] >= 1
    bearer = {"Authorization": f"Bearer {WEBHOOK_SECRET}"}
    asked = urllib.request.Request(status, headers=bearer)  # noqa: S310 - our server
    with urllib.request.urlopen(asked, timeout=30) as response:  # noqa: S310 - our server
        told = json.loads(response.read())
    assert set(told) == {"builds", "pending", "last"}
    assert set(told["last"]) == {
        "full", "paths", "ok", "written", "removed", "seconds", "finished_at", "error",
    }  # fmt: skip
    guessed = {"Authorization": "Bearer guessed"}
    wrong = urllib.request.Request(status, headers=guessed)  # noqa: S310 - our server
    with urllib.request.urlopen(wrong, timeout=30) as response:  # noqa: S310 - our server
        assert set(json.loads(response.read())) == {"builds", "pending"}


def log_in_and_create(servers, page) -> None:
    log_in(page, servers.cms, EDITOR)
    create_service_page(
        page,
        servers.cms,
        servers.page_id("/es/services/"),
        ServiceContent(title=TITLE, metrics=[Metric("12", "Placas solares")]),
    )
    expect(page.locator(".messages")).to_contain_text(TITLE)
