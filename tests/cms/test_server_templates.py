"""Wagtail's own rendering of pages (served and previewed): one h1, hreflang on the real host."""

import re

import pytest

# The CMS's own HTML: read with no public site configured (else it redirects there).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cms_templates")]


def test_the_demo_page_has_one_h1_and_absolute_hreflang_links(client, demo_page):
    response = client.get("/es/services/democratic-funding/", HTTP_HOST="cms.example.org")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r"<h1\b", html) == ["<h1"]
    # The body's own level-1 headings render one level down.
    assert "<h2>" in html
    alternates = re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)">', html)
    assert alternates == [
        ("es", "http://cms.example.org/es/services/democratic-funding/"),
        ("en", "http://cms.example.org/en/services/democratic-funding/"),
        ("ca", "http://cms.example.org/ca/services/democratic-funding/"),
    ]
