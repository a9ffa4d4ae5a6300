"""A page made private, or whose expiry date passes, leaves the static site (its page, the
listing above it and the sitemap) within the bound, with the CMS's workers and the public
site's server running: a restriction sends pages.changed, an expiry is applied by the
webhook worker at its time and sends page.unpublished (docs/DELIVERY.md). The measured
times are written to artifacts/e2e/hidden-to-gone.json."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.site import PUBLISH_TO_VISIBLE_SECONDS, until_published

pytestmark = pytest.mark.e2e

MAKE = (
    "from datetime import UTC, datetime\n"
    "from services.models import ServiceIndexPage, ServicePage\n"
    "index = ServiceIndexPage.objects.get(locale__language_code='es')\n"
    "page = ServicePage(title={title!r}, slug={slug!r}, description='Se irá.')\n"
    "if {expire!r} is not None:\n"
    "    page.expire_at = datetime.fromtimestamp({expire!r}, tz=UTC)\n"
    "index.add_child(instance=page)\n"
    "page.save_revision().publish()\n"
)


def read(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def _on_the_site(servers, slug: str) -> dict[str, bool]:
    path = f"/es/services/{slug}/"
    return {
        "page": (servers.dist / path.strip("/") / "index.html").is_file(),
        "listing": f'href="{path}"' in read(f"{servers.frontend}/es/services/")[1],
        "sitemap": path in read(f"{servers.frontend}/sitemap-es.xml")[1],
    }


def _published(servers, slug: str, title: str, expire: float | None = None) -> None:
    servers.shell(MAKE.format(title=title, slug=slug, expire=expire))
    shown = until_published(lambda: _on_the_site(servers, slug), lambda found: all(found.values()))
    assert shown == {"page": True, "listing": True, "sitemap": True}, shown


def _gone_after(servers, slug: str, since: float) -> float:
    """Seconds from ``since`` (Unix time) until the page is gone from every place."""
    gone = until_published(
        lambda: _on_the_site(servers, slug),
        lambda found: not any(found.values()),
        timeout=PUBLISH_TO_VISIBLE_SECONDS + 5,
    )
    assert gone == {"page": False, "listing": False, "sitemap": False}, gone
    assert read(f"{servers.frontend}/es/services/{slug}/")[0] == 404
    return time.time() - since


def test_a_restricted_and_an_expired_page_leave_the_static_site(servers):
    _published(servers, "privada-pronto", "Privada pronto")
    restricted_at = time.time()
    servers.shell(
        "from wagtail.models import Page, PageViewRestriction\n"
        "page = Page.objects.get(slug='privada-pronto', locale__language_code='es')\n"
        "PageViewRestriction.objects.create(page=page, restriction_type='login')\n"
    )
    restricted = _gone_after(servers, "privada-pronto", restricted_at)

    expire = time.time() + 10  # the page is published and built before its date
    _published(servers, "caduca-pronto", "Caduca pronto", expire=expire)
    time.sleep(max(0.0, expire - time.time()))
    expired = _gone_after(servers, "caduca-pronto", expire)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "hidden-to-gone.json").write_text(
        json.dumps(
            {
                "restricted_seconds": round(restricted, 3),
                "expired_seconds": round(expired, 3),
                "bound_seconds": PUBLISH_TO_VISIBLE_SECONDS,
            },
            indent=2,
        )
        + "\n"
    )
    assert restricted <= PUBLISH_TO_VISIBLE_SECONDS, f"gone after {restricted:.1f} s"
    assert expired <= PUBLISH_TO_VISIBLE_SECONDS, f"gone after {expired:.1f} s"
