"""A CDN in front: Wagtail's frontend cache purges published and unpublished pages."""

import pytest

pytestmark = pytest.mark.django_db


def test_publishing_purges_the_page_in_the_cdn(receiver, demo_page, settings):
    settings.WAGTAILFRONTENDCACHE = {
        "cdn": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": receiver.url.rsplit("/hooks", 1)[0],
        }
    }
    demo_page.save_revision().publish()
    # Wagtail purges the path under every content language's prefix.
    expected = sorted(
        ("PURGE", f"/{code}/services/democratic-funding/", "localhost")
        for code in ("es", "en", "ca")
    )
    purges = [(r["method"], r["path"], r["headers"]["Host"]) for r in receiver.requests]
    assert sorted(purges) == expected
    receiver.requests.clear()
    demo_page.unpublish()
    purges = [(r["method"], r["path"], r["headers"]["Host"]) for r in receiver.requests]
    assert sorted(purges) == expected
