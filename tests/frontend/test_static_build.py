"""The static build's files (pages, sitemaps, robots.txt, 404 pages) from fixed API answers:
the Node renderer and builder run against a fake API (tests/frontend/fake_api_build.mjs),
no CMS needed. The same build against the real CMS is exercised by tests/e2e."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")
HARNESS = Path(__file__).with_name("fake_api_build.mjs")
SITE = "https://www.example.org"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}

pytestmark = pytest.mark.skipif(
    NODE is None or not (ROOT / "frontend/node_modules/linkedom").is_dir(),
    reason="Node.js and frontend/node_modules (scripts/bootstrap) are needed",
)


def build(dist: Path, *args: str, state: str = "published") -> dict:
    result = subprocess.run(  # noqa: S603 - our own harness
        [NODE, str(HARNESS), str(dist), SITE, *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "STATE": state},
        timeout=120,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def dist(tmp_path) -> Path:
    return tmp_path / "dist"


def urls(sitemap: Path) -> dict[str, dict]:
    root = ET.parse(sitemap).getroot()  # noqa: S314 - our own build's output
    found = {}
    for url in root.findall("s:url", NS):
        found[url.find("s:loc", NS).text] = {
            "lastmod": url.find("s:lastmod", NS).text,
            "alternates": {
                link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
            },
        }
    return found


def test_the_build_writes_every_page_the_sitemaps_and_robots(dist):
    report = build(dist)
    assert sorted(report["written"]) == [
        "/en/",
        "/en/acción-cívica/",
        "/en/sobre/",
        "/en/team/",
        "/es/",
        "/es/acción-cívica/",
        "/es/contacto/",
        "/es/sobre/",
        "/es/team/",
    ]

    # A contact form's page is a page of the site: a plain form that posts to itself.
    contact = (dist / "es/contacto/index.html").read_text()
    assert "<title>Escríbenos · Civic CMS</title>" in contact
    assert re.search(r"<form[^>]*>", contact).group(0) == (
        '<form data-handle="contacto" enctype="multipart/form-data" action="/es/contacto/" '
        'method="post" class="contact-form" id="form-contacto">'
    )
    assert re.findall(r"<label[^>]*>.*?</label>", contact) == [
        '<label for="form-contacto-email">Correo<span aria-hidden="true" class="required">'
        " *</span></label>",
        '<label for="form-contacto-mensaje">Mensaje</label>',
        '<label for="form-contacto-privacidad">Acepto la política de privacidad<span '
        'aria-hidden="true" class="required"> *</span></label>',
        '<label for="form-contacto-website">Website</label>',
    ]
    # The hint is the API's HTML: its link kept, nothing else taken as markup.
    assert re.search(r'<div id="form-contacto-privacidad-help"[^>]*>.*?</div>', contact).group(
        0
    ) == (
        '<div id="form-contacto-privacidad-help" class="help">Lee <a href="/es/privacidad/">'
        "/es/privacidad/</a> &lt;b&gt;antes&lt;/b&gt;.</div>"
    )
    assert '<html lang="es"' in contact

    page = (dist / "es/sobre/index.html").read_text()
    body = re.search(r"<body[^>]*>", page).group(0)
    assert 'data-rendered="server"' in body
    assert 'data-state="ready"' in body
    assert "<title>Sobre nosotras · Civic CMS</title>" in page
    canonical = re.search(r'<link[^>]*rel="canonical"[^>]*>', page).group(0)
    assert f'href="{SITE}/es/sobre/"' in canonical
    # JSON-LD is data: it can never close its <script> element.
    ld = re.search(r'<script[^>]*type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)
    assert ld is not None
    assert "</script><script>" not in ld.group(1)
    assert json.loads(ld.group(1))["name"] == "Sobre nosotras </script><script>alert(1)</script>"

    index = ET.parse(dist / "sitemap.xml").getroot()  # noqa: S314 - our own output
    assert [s.find("s:loc", NS).text for s in index.findall("s:sitemap", NS)] == [
        f"{SITE}/sitemap-es.xml",
        f"{SITE}/sitemap-en.xml",
    ]
    spanish = urls(dist / "sitemap-es.xml")
    assert sorted(spanish) == [
        f"{SITE}/es/",
        f"{SITE}/es/acci%C3%B3n-c%C3%ADvica/",
        f"{SITE}/es/contacto/",
        f"{SITE}/es/sobre/",
        f"{SITE}/es/team/",
    ]
    assert spanish[f"{SITE}/es/sobre/"] == {
        "lastmod": "2026-11-20T10:00:00+00:00",
        "alternates": {
            "es": f"{SITE}/es/sobre/",
            "en": f"{SITE}/en/sobre/",
            "x-default": f"{SITE}/es/sobre/",
        },
    }
    assert sorted(urls(dist / "sitemap-en.xml")) == [
        f"{SITE}/en/",
        f"{SITE}/en/acci%C3%B3n-c%C3%ADvica/",
        f"{SITE}/en/sobre/",
        f"{SITE}/en/team/",
    ]

    robots = (dist / "robots.txt").read_text()
    assert "User-agent: *\nAllow: /\nDisallow: /preview\n" in robots
    assert f"Sitemap: {SITE}/sitemap.xml" in robots

    for language in ("es", "en"):
        not_found = (dist / language / "404.html").read_text()
        assert 'data-state="not-found"' in not_found
        assert "noindex, nofollow" in not_found
    assert (dist / "404.html").read_text() == (dist / "es/404.html").read_text()
    assert report["redirect"] == {"status": 301, "location": "/es/sobre/"}
    # Every file was renamed into place: no temporary file is left.
    assert not list(dist.rglob("*.tmp"))


def test_an_unpublished_page_is_removed_from_the_build_and_the_sitemap(dist):
    build(dist)
    report = build(dist, "update", "/es/sobre/", "/en/sobre/", state="unpublished")
    assert "/es/sobre/" in report["removed"]
    assert not (dist / "es/sobre/index.html").exists()
    assert (dist / "en/sobre/index.html").exists()
    assert f"{SITE}/es/sobre/" not in urls(dist / "sitemap-es.xml")
    assert f"{SITE}/en/sobre/" in urls(dist / "sitemap-en.xml")


@pytest.mark.parametrize(
    "given",
    ["/es/acci%C3%B3n-c%C3%ADvica/", "/es/acción-cívica/", "/es/accio\u0301n-ci\u0301vica/"],
    ids=["percent-encoded", "decoded", "decomposed"],
)
def test_a_page_with_accents_is_built_and_kept_by_a_publish_in_any_form_of_its_path(dist, given):
    """The publish webhook names a page by its URL (percent-encoded); a path may also come
    decoded, or decomposed (NFD): the page is rebuilt in its one folder, never removed."""
    build(dist)
    folder = dist / "es" / "acción-cívica"
    assert "<title>Acción cívica · Civic CMS</title>" in (folder / "index.html").read_text()
    report = build(dist, "update", given)
    assert report["written"][0] == "/es/acción-cívica/"
    assert report["removed"] == []
    assert (folder / "index.html").is_file()
    assert sorted(p.name for p in (dist / "es").iterdir() if p.is_dir()) == [
        "acción-cívica",
        "contacto",
        "sobre",
        "team",
    ]
    assert f"{SITE}/es/acci%C3%B3n-c%C3%ADvica/" in urls(dist / "sitemap-es.xml")
