"""What a change hides leaves the static site within the bound (``HIDDEN_TO_GONE_SECONDS``),
with the CMS's workers and the public site's server running: a page made private (a
restriction sends pages.changed), unpublished (page.unpublished), expired (applied by the
webhook worker at its date, then page.unpublished) leaves its built page, the listing, the
home page's services, the sitemap and the site's search (the API's ``search``); an image
whose collection is made private (media.changed, naming the pages that show the
collection's images) leaves the built page, the listing's card and the home page.

Times run from the change's commit (printed by the CMS process that made it, so a shell's
start is not counted) or from the expiry date, to the first moment every place lost it; they
are written to artifacts/e2e/hidden-to-gone.json (docs/DELIVERY.md)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.site import HIDDEN_TO_GONE_SECONDS, until_published

pytestmark = pytest.mark.e2e

# The site's search: the API's, over the CMS's search index (the frontend has none of its own).
SEARCH = 'query ($q: String!) { search(query: $q, locale: "es") { url } }'
# How long before its date an expiring page is published: enough to be built first.
EXPIRY_AHEAD_SECONDS = 8


def read(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def _on_the_site(servers, path: str, image: str | None) -> dict[str, bool]:
    """Where the page (or, with ``image``, that image) is on the static site."""
    built = servers.dist / path.strip("/") / "index.html"
    listing = read(f"{servers.frontend}/es/services/")[1]
    home = read(f"{servers.frontend}/es/")[1]
    if image:
        return {
            "page": built.is_file() and image in built.read_text(),
            "listing": image in listing,
            "home": image in home,
        }
    found = servers.graphql(SEARCH, {"q": path.strip("/").split("/")[-1].replace("-", " ")})
    return {
        "page": built.is_file(),
        "listing": f'href="{path}"' in listing,
        "home": f'href="{path}"' in home,
        "sitemap": path in read(f"{servers.frontend}/sitemap-es.xml")[1],
        "search": path in [result["url"] for result in found["data"]["search"]],
    }


def _run(servers, call: str) -> dict:
    return json.loads(servers.shell(f"from tests.e2e.hidden import *; {call}").splitlines()[-1])


def _shown(servers, slug: str, *, image: bool = False) -> tuple[str, str | None]:
    path = _run(servers, f"timed_page({slug!r}, image={image!r})")["path"]
    marker = f"imagen-{slug}" if image else None
    shown = until_published(
        lambda: _on_the_site(servers, path, marker), lambda found: all(found.values())
    )
    assert all(shown.values()), shown
    return path, marker


def _gone_after(servers, path: str, marker: str | None, since: float) -> float:
    """Seconds from ``since`` (Unix time) until the page or image is gone from every place."""
    gone = until_published(
        lambda: _on_the_site(servers, path, marker),
        lambda found: not any(found.values()),
        timeout=HIDDEN_TO_GONE_SECONDS + 10,
    )
    assert not any(gone.values()), gone
    if marker is None:
        assert read(f"{servers.frontend}{path}")[0] == 404
    return time.time() - since


def test_what_a_change_hides_leaves_the_static_site_within_the_bound(servers):
    measured = {}
    for how in ("restriction", "unpublish", "collection"):
        slug = f"se-va-por-{how}"
        path, marker = _shown(servers, slug, image=how == "collection")
        committed = _run(servers, f"hide_timed({slug!r}, {how!r})")["committed_at"]
        measured[how] = _gone_after(servers, path, marker, committed)

    path, marker = _shown(servers, "se-va-por-expiry")
    hidden = _run(
        servers, f"hide_timed('se-va-por-expiry', 'expiry', expire_in={EXPIRY_AHEAD_SECONDS})"
    )
    expire_at = hidden["expire_at"]
    if time.time() < expire_at - 1:
        # Still built before its date: the publish with the date rebuilt it as it was.
        before = _on_the_site(servers, path, None)
        assert all(before[place] for place in ("page", "listing", "home", "sitemap")), before
    time.sleep(max(0.0, expire_at - time.time()))
    measured["expiry"] = _gone_after(servers, path, None, expire_at)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "hidden-to-gone.json").write_text(
        json.dumps(
            {
                **{f"{how}_seconds": round(seconds, 3) for how, seconds in measured.items()},
                "bound_seconds": HIDDEN_TO_GONE_SECONDS,
            },
            indent=2,
        )
        + "\n"
    )
    late = {how: round(seconds, 1) for how, seconds in measured.items()}
    assert max(measured.values()) <= HIDDEN_TO_GONE_SECONDS, f"gone after (s): {late}"
