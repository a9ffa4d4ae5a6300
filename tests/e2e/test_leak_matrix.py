"""The leak matrix: no surface shows what the public rules hide (cms.public).

Each hidden kind (a draft, a newer draft of a live page, a page private by password, by
login and by group, an expired page, a page not yet live, an image and a document of a
private collection, a page of another site) is checked on each surface (the CMS's own
HTML, the static site's built pages, its listings, the home page's sections, the
sitemaps, the on-demand renderer, the search index, redirects, the frontend's
``/__hooks/status`` and the webhooks' payloads): one test per cell, with the CMS, its
workers and the public site's server running (tests/e2e/conftest.py).

Everything is set up once for the module (``world``): the kinds that were public are made
public first and seen on the site (so each cell checks that hiding took them away, not
that they were never there), then hidden in one commit; the cells read what the servers
answer after the site has followed (the expiry date passed, the rebuilds done). Cells
that cannot apply are in ``NOT_APPLICABLE`` with the reason, and a test checks that every
other pair has its cell.

The reference frontend has no search of its own: a site's search is the API's ``search``
query over the CMS's search index (Wagtail's, filtered by the public rules at each query),
which is the "search index" surface here.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import ARTIFACTS, WEBHOOK_SECRET
from tests.e2e.hidden import (
    DRAFT_SLUG,
    DRAFT_TITLE,
    MEDIA_KINDS,
    OTHER_HOST,
    OTHER_SITE,
    PAGE_KINDS,
)
from tests.e2e.site import until_published

pytestmark = pytest.mark.e2e

KINDS = (*PAGE_KINDS, *MEDIA_KINDS, OTHER_SITE)
SURFACES = (
    "cms-html",
    "static-html",
    "listings",
    "home",
    "sitemap",
    "on-demand",
    "search",
    "redirects",
    "hooks-status",
    "webhooks",
)
NOT_APPLICABLE = {
    ("image", "sitemap"): "the sitemaps list page addresses, never an image",
    ("document", "sitemap"): "the sitemaps list page addresses, never a document",
    ("image", "search"): "search answers pages only; the page showing it is public, and "
    "what it shows is the static-html and on-demand cells'",
    ("document", "search"): "search answers pages only; the page showing it is public, "
    "and what it shows is the static-html and on-demand cells'",
    ("image", "redirects"): "a redirect leads to a page or a URL, never to an image",
    ("document", "redirects"): "a redirect leads to a page or a URL, never to a document",
}
# Seconds before its date the expiring page is given its expiry: the hiding's commit and
# the rebuild it asks for come first.
EXPIRE_IN = 3
# Public before the hiding: each is seen on the site first.
ONCE_PUBLIC = ("newer-draft", "password", "login", "group", "expired")


@dataclass
class Answer:
    status: int
    location: str
    body: str


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(_NoRedirects)


def fetch(url: str, headers: dict | None = None) -> Answer:
    """One request, redirects not followed."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - our servers
    try:
        with OPENER.open(request, timeout=30) as response:
            return Answer(response.status, response.headers.get("Location") or "", _text(response))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers.get("Location") or "", _text(error))


def _text(response) -> str:
    return response.read().decode("utf-8", "replace")


@dataclass
class World:
    """What was made (by kind), when it was hidden, and the servers."""

    servers: object
    made: dict
    started_at: float
    hidden_at: float  # when the hiding's transaction began
    expire_at: float
    deliveries: list[dict]

    settled: bool = False
    answers: dict = field(default_factory=dict)

    def _read(self, key, read):
        """Once the site has settled nothing changes it: each answer is read once."""
        if not self.settled:
            return read()
        if key not in self.answers:
            self.answers[key] = read()
        return self.answers[key]

    def site(self, path: str) -> Answer:
        return self._read(("site", path), lambda: fetch(f"{self.servers.frontend}{path}"))

    def cms(self, path: str) -> Answer:
        return self._read(("cms", path), lambda: fetch(f"{self.servers.cms}{path}"))

    def built_files(self) -> dict[Path, str]:
        return self._read(
            "built",
            lambda: {
                file: file.read_text(errors="replace")
                for file in self.servers.dist.rglob("*")
                if file.is_file() and file.suffix in (".html", ".xml", ".json", ".txt")
            },
        )


def _run(servers, call: str) -> dict:
    return json.loads(servers.shell(f"from tests.e2e.hidden import *; {call}").splitlines()[-1])


def _seen(world: World, kinds) -> dict[str, dict[str, bool]]:
    """Where each kind's page is on the static site (built, listing, home, sitemap)."""
    listing = world.site("/es/services/").body
    home = world.site("/es/").body
    sitemap = world.site("/sitemap-es.xml").body
    seen = {}
    for kind in kinds:
        path = world.made[kind]["path"]
        seen[kind] = {
            "built": (world.servers.dist / path.strip("/") / "index.html").is_file(),
            "listing": f'href="{path}"' in listing,
            "home": f'href="{path}"' in home,
            "sitemap": path in sitemap,
        }
    return seen


def _media_shown(world: World) -> dict[str, bool]:
    page = world.servers.dist / world.made["image"]["path"].strip("/") / "index.html"
    html = page.read_text() if page.is_file() else ""
    return {kind: world.made[kind]["marker"] in html for kind in MEDIA_KINDS}


@pytest.fixture(scope="module")
def world(servers):
    started = time.time()
    made = _run(servers, "matrix_shown()")
    world = World(servers, made, started, 0.0, 0.0, [])
    shown = until_published(
        lambda: (_seen(world, ONCE_PUBLIC), _media_shown(world)),
        lambda found: (
            all(all(where.values()) for where in found[0].values()) and all(found[1].values())
        ),
        timeout=30,
    )
    assert shown == (
        {
            kind: dict.fromkeys(("built", "listing", "home", "sitemap"), True)
            for kind in ONCE_PUBLIC
        },
        {"image": True, "document": True},
    ), "before the hiding, each kind that was public is on the site"

    hidden = _run(servers, f"matrix_hide({EXPIRE_IN})")
    world.hidden_at = hidden["began_at"]
    world.expire_at = hidden["expire_at"]
    time.sleep(max(0.0, world.expire_at - time.time()))
    gone = until_published(
        lambda: (
            _seen(world, ONCE_PUBLIC[1:]),
            _media_shown(world),
            world.site("/__hooks/status").body,
        ),
        lambda found: (
            not any(any(where.values()) for where in found[0].values())
            and not any(found[1].values())
            and '"pending": false' in found[2]
        ),
        timeout=30,
    )
    assert not any(any(where.values()) for where in gone[0].values()), gone
    assert not any(gone[1].values()), gone
    # The site may lose the expired page before its expiry's event is sent (a rebuild after
    # the date renders it as hidden): the payloads are read once that event is made.
    expired = world.made["expired"]["path"]
    world.deliveries = until_published(
        lambda: _run(servers, f"deliveries({started})")["deliveries"],
        lambda found: any(
            d["event"] == "page.unpublished" and expired in d["payload"]["paths"] for d in found
        ),
        timeout=30,
    )
    world.settled = True
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "leak-matrix.json").write_text(
        json.dumps({"setup_seconds": round(time.time() - started, 1)}, indent=2) + "\n"
    )
    yield world
    servers.shell("from tests.e2e.hidden import matrix_cleanup; matrix_cleanup()")


# --- the cells ---------------------------------------------------------------------------


def _title(world: World, kind: str) -> str:
    """What a visitor must never read of the kind: its title (or its file's name)."""
    return DRAFT_TITLE if kind == "newer-draft" else world.made[kind].get("title") or ""


def _no_secret(world: World, kind: str, text: str) -> None:
    marker = world.made[kind]["marker"]
    assert marker not in text, f"{kind}: {marker!r} shown"


def cms_html(world: World, kind: str) -> None:
    made = world.made[kind]
    frontend = world.servers.frontend
    if kind in MEDIA_KINDS:
        # The files answer 404 at their media URL, and Wagtail's document view asks a
        # visitor to log in; the page that shows them is sent to the public site.
        assert world.cms(made["file"]).status == 404
        if kind == "document":
            view = world.cms(made["view"])
            assert (view.status, view.location.split("?")[0]) == (302, "/es/_util/login/")
        page = world.cms(made["path"])
        assert (page.status, page.location, page.body) == (302, frontend + made["path"], "")
        return
    if kind == "newer-draft":
        live = world.cms(made["path"])
        assert (live.status, live.location, live.body) == (302, frontend + made["path"], "")
        draft = world.cms(f"/es/services/{DRAFT_SLUG}/")
        assert draft.status == 404
        assert DRAFT_TITLE not in draft.body
        return
    paths = [made["path"]] + ([made["site_path"]] if kind == OTHER_SITE else [])
    for path in paths:
        answer = world.cms(path)
        if kind == "password":
            assert answer.status == 200
            assert 'name="password"' in answer.body
        elif kind in ("login", "group"):
            # Wagtail's login form for the page's readers, in its language.
            assert (answer.status, answer.location.split("?")[0]) == (302, "/es/_util/login/")
        elif kind == OTHER_SITE and path == made["site_path"]:
            # Without a language the CMS sends the visitor to the default one's address.
            assert (answer.status, answer.location) == (302, made["path"])
            continue
        else:
            assert answer.status == 404
        assert _title(world, kind) not in answer.body


def static_html(world: World, kind: str) -> None:
    made = world.made[kind]
    files = world.built_files()
    assert files, "the static site is built"
    naming = sorted(str(file) for file, text in files.items() if made["marker"] in text)
    assert naming == [], f"{kind}: named in {naming}"
    if kind in MEDIA_KINDS:
        assert world.site(made["path"]).status == 200
        return
    if kind == "newer-draft":
        live = world.site(made["path"])
        assert (live.status, made["title"] in live.body) == (200, True)
        assert world.site(f"/es/services/{DRAFT_SLUG}/").status == 404
        return
    answer = world.site(made["path"])
    assert answer.status == 404
    assert _title(world, kind) not in answer.body


def listings(world: World, kind: str) -> None:
    listing = world.site("/es/services/")
    assert listing.status == 200
    _no_secret(world, kind, listing.body)
    if kind in ("newer-draft", *MEDIA_KINDS):
        # The live page (the one showing the media) is listed: only what is hidden went.
        assert f'href="{world.made[kind]["path"]}"' in listing.body


def home(world: World, kind: str) -> None:
    answer = world.site("/es/")
    assert answer.status == 200
    _no_secret(world, kind, answer.body)
    if kind in ("newer-draft", *MEDIA_KINDS):
        assert f'href="{world.made[kind]["path"]}"' in answer.body


def sitemap(world: World, kind: str) -> None:
    index = world.site("/sitemap.xml").body
    maps = re.findall(r"<loc>[^<]*(/sitemap-[a-z-]+\.xml)</loc>", index)
    assert "/sitemap-es.xml" in maps
    for name in maps:
        _no_secret(world, kind, world.site(name).body)
    if kind == "newer-draft":
        assert world.made[kind]["path"] in world.site("/sitemap-es.xml").body


def on_demand(world: World, kind: str) -> None:
    """A query string the built pages do not answer: the Node renderer renders the path."""
    made = world.made[kind]
    if kind in MEDIA_KINDS:
        answer = world.site(f"{made['path']}?vista=1")
        assert answer.status == 200
        _no_secret(world, kind, answer.body)
        return
    paths = [made["path"]] + ([made["site_path"]] if kind == OTHER_SITE else [])
    if kind == "newer-draft":
        live = world.site(f"{made['path']}?vista=1")
        assert (live.status, made["title"] in live.body) == (200, True)
        _no_secret(world, kind, live.body)
        paths = [f"/es/services/{DRAFT_SLUG}/"]
    for path in paths:
        answer = world.site(f"{path}?vista=1")
        assert answer.status == 404, path
        assert _title(world, kind) not in answer.body


def search(world: World, kind: str) -> None:
    query = 'query ($q: String!) { search(query: $q, locale: "es") { title url } }'
    found = world.servers.graphql(query, {"q": world.made[kind]["marker"]})
    assert found == {"data": {"search": []}}
    if kind == "newer-draft":
        live = world.servers.graphql(query, {"q": world.made[kind]["title"]})["data"]["search"]
        assert {"title": world.made[kind]["title"], "url": world.made[kind]["path"]} in live


def redirects(world: World, kind: str) -> None:
    old = world.made[kind]["redirect"]
    site, cms = world.site(old), world.cms(old)
    if kind == "newer-draft":
        # The live page's address, never the draft's.
        path = world.made[kind]["path"]
        assert (site.status, site.location) == (301, path)
        # The CMS's redirect is absolute, on the site's host.
        assert (cms.status, urlsplit(cms.location).path) == (301, path)
        return
    assert (site.status, site.location) == (404, "")
    assert (cms.status, cms.location) == (404, "")
    assert _title(world, kind) not in site.body + cms.body


def hooks_status(world: World, kind: str) -> None:
    for headers in ({}, {"Authorization": "Bearer not-the-secret"}):
        answer = fetch(f"{world.servers.frontend}/__hooks/status", headers)
        assert (answer.status, sorted(json.loads(answer.body))) == (200, ["builds", "pending"])
        _no_secret(world, kind, answer.body)
    # With the secret, the operator reads what the last build wrote and removed.
    given = fetch(
        f"{world.servers.frontend}/__hooks/status", {"Authorization": f"Bearer {WEBHOOK_SECRET}"}
    )
    assert sorted(json.loads(given.body)) == ["builds", "last", "pending"]


def webhooks(world: World, kind: str) -> None:
    made = world.made[kind]
    naming = [
        delivery
        for delivery in world.deliveries
        if made["marker"] in json.dumps(delivery["payload"], ensure_ascii=False)
        or (kind not in MEDIA_KINDS and made["path"] in json.dumps(delivery["payload"]))
    ]
    after = [d for d in naming if _when(d) >= world.hidden_at]
    events = [d["event"] for d in after]
    if kind in ("draft", "scheduled", "newer-draft", *MEDIA_KINDS):
        # Never public (or never named): nothing is sent about it.
        assert [d["event"] for d in naming if made["marker"] in json.dumps(d["payload"])] == []
    elif kind in ("password", "login", "group"):
        # Only the restriction's event, which asks the site to drop the page.
        assert set(events) == {"pages.changed"}, events
    elif kind == "expired":
        # The publish that set the date (still public then), and the expiry at the date.
        assert events == ["page.published", "page.unpublished"], events
        assert _when(after[-1]) >= world.expire_at
    else:
        # Its own site's addresses only.
        urls = {url for d in naming for url in d["payload"]["urls"]}
        assert urls, "its publish was sent"
        assert {url.split("/")[2] for url in urls} == {OTHER_HOST}, urls


def _when(delivery: dict) -> float:
    from datetime import datetime

    return datetime.fromisoformat(delivery["payload"]["occurred_at"]).timestamp()


CHECKS = {
    "cms-html": cms_html,
    "static-html": static_html,
    "listings": listings,
    "home": home,
    "sitemap": sitemap,
    "on-demand": on_demand,
    "search": search,
    "redirects": redirects,
    "hooks-status": hooks_status,
    "webhooks": webhooks,
}
CELLS = [
    pytest.param(kind, surface, id=f"{kind}-{surface}")
    for kind in KINDS
    for surface in SURFACES
    if (kind, surface) not in NOT_APPLICABLE
]


@pytest.mark.parametrize(("kind", "surface"), CELLS)
def test_no_surface_shows_a_hidden_kind(world, kind, surface):
    CHECKS[surface](world, kind)


def test_every_cell_is_checked_or_stated_not_applicable():
    checked = {(kind, surface) for kind, surface in (cell.values for cell in CELLS)}
    assert set(CHECKS) == set(SURFACES)
    assert set(NOT_APPLICABLE) <= {(k, s) for k in KINDS for s in SURFACES}
    assert checked | set(NOT_APPLICABLE) == {(k, s) for k in KINDS for s in SURFACES}
    assert not checked & set(NOT_APPLICABLE)
