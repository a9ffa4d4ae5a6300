"""The old site's URLs keep working: every URL the Jekyll site served an imported page at is
the CMS page's own URL or redirects to it, through the API and through the CMS itself."""

import json
from pathlib import Path

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from cms.demo import DEMO_CONTENT
from importer.redirects import old_urls

REDIRECT = "query ($path: String!) { redirect(path: $path) { to permanent } }"
PAGE_COLLECTIONS = ("_services", "_projects", "_categories", "_pages")


@pytest.fixture
def graphql(client):
    def run(query: str, variables: dict) -> dict:
        body = json.dumps({"query": query, "variables": variables})
        return client.post("/graphql/", body, content_type="application/json").json()

    return run


def _front_matter(path: Path) -> dict:
    import yaml

    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1]) or {}


def _old_urls_of(root: Path, run) -> list[tuple[str, str, Page]]:
    """(file, old URL, the page it became) for every page file of ``root``."""
    found = []
    for collection in PAGE_COLLECTIONS:
        for path in sorted((root / collection).rglob("*.md")):
            rel = path.relative_to(root).as_posix()
            report = run.file(rel)
            if not report["object_id"]:
                continue
            fm = _front_matter(path)
            slug = str(fm.get("slug", ""))
            page = Page.objects.get(pk=report["object_id"]).specific
            urls = old_urls(
                collection.lstrip("_"), rel, slug, fm.get("permalink"), home=slug == "home"
            )
            found += [(rel, url, page) for url in urls]
    return found


def _walk(found, client, graphql) -> dict[str, int]:
    """Each old URL: the page's own, or a redirect to it (API and CMS). Counts by outcome."""
    outcomes = {"own": 0, "redirected": 0, "waiting": 0}
    for rel, url, page in found:
        own = page.url
        if Redirect.normalise_path(url) == Redirect.normalise_path(own):
            outcomes["own"] += 1
            continue
        redirect = Redirect.objects.get(old_path=Redirect.normalise_path(url))
        assert redirect.redirect_page_id == page.pk, (rel, url)
        assert redirect.is_permanent, (rel, url)
        if not page.live:
            # A draft translation (a stub file) waiting for translators: the API leads to the
            # default language's version, the one the old site's readers saw.
            public = Page.objects.live().get(
                translation_key=page.translation_key, locale__language_code="es"
            )
            assert graphql(REDIRECT, {"path": url}) == {
                "data": {"redirect": {"to": public.url, "permanent": True}}
            }, (rel, url)
            outcomes["waiting"] += 1
            continue
        assert graphql(REDIRECT, {"path": url}) == {
            "data": {"redirect": {"to": own, "permanent": True}}
        }, (rel, url)
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (301, own), (rel, url)
        outcomes["redirected"] += 1
    return outcomes


# Of the sample's old URLs: already the page's own, redirected to a public page, and
# redirected to a draft translation (a stub file), for which the API names the Spanish page
# until the translation is published.
SAMPLE_OUTCOMES = {"own": 22, "redirected": 60, "waiting": 9}


def test_every_old_url_of_the_sample_leads_to_its_page(sample_dir, run_import, client, graphql):
    run = run_import(sample_dir)
    found = _old_urls_of(sample_dir, run)
    outcomes = _walk(found, client, graphql)
    assert outcomes == SAMPLE_OUTCOMES, outcomes
    counts = run.report["redirects"]
    assert counts["created"] == Redirect.objects.count()
    assert (counts["updated"], counts["unchanged"], counts["kept_editors"]) == (0, 0, [])
    # The kinds of old URL the scheme names, each seen in the sample.
    by_url = {url: page.url for _rel, url, page in found}
    assert by_url["/cat/services/democratic-funding/"] == "/ca/services/democratic-funding/"
    assert by_url["/404.html"] == "/en/404/"
    assert by_url["/cat/404.html"] == "/ca/404/"
    assert by_url["/es/home/"] == "/es/"

    again = run_import(sample_dir)
    assert again.report["redirects"] == {
        "created": 0,
        "updated": 0,
        "unchanged": counts["created"],
        "kept_editors": [],
    }
    assert Redirect.objects.count() == counts["created"]


# The demo content's old URLs that are not the CMS page's own, and where each now leads.
DEMO_REDIRECTS = sorted(
    [
        *[
            (f"/{kind}/{lang}/{stem}{ext}", f"/{to_lang}/{kind}/{slug}/")
            for kind, lang, stem, to_lang, slug in (
                ("categories", "ca", "economia-compartida", "ca", "shared-economy"),
                ("categories", "en", "shared-economy", "en", "shared-economy"),
                ("categories", "es", "economia-compartida", "es", "shared-economy"),
                ("projects", "ca", "fons-de-barri", "ca", "neighbourhood-fund"),
                ("projects", "en", "neighbourhood-fund", "en", "neighbourhood-fund"),
                ("projects", "es", "fondo-de-barrio", "es", "neighbourhood-fund"),
                ("services", "ca", "financiacion-democratica", "ca", "democratic-funding"),
                ("services", "en", "financiacion-democratica", "en", "democratic-funding"),
                ("services", "es", "financiacion-democratica", "es", "democratic-funding"),
            )
            for ext in ("", ".html")
        ],
        *[
            (f"/{lang}/{slug}.html", f"/{lang}/{slug}/")
            for lang in ("es", "en", "ca")
            for slug in ("404", "about-us", "contact", "legal-notice", "privacy-policy")
        ],
        *[
            (f"/{lang}/home{ext}", f"/{lang}/")
            for lang in ("es", "en", "ca")
            for ext in ("", ".html")
        ],
    ]
)


def _redirects() -> list[tuple[str, str]]:
    return sorted((r.old_path, r.link) for r in Redirect.objects.all())


def test_the_demo_contents_old_urls(
    run_import, client, graphql, django_capture_on_commit_callbacks
):
    """Runs without the sample: the content the team writes."""
    with django_capture_on_commit_callbacks(execute=True):
        run = run_import(DEMO_CONTENT)
    assert _redirects() == DEMO_REDIRECTS
    assert run.report["redirects"] == {
        "created": 39,
        "updated": 0,
        "unchanged": 0,
        "kept_editors": [],
    }
    found = _old_urls_of(Path(DEMO_CONTENT), run)
    assert _walk(found, client, graphql) == {"own": 27, "redirected": 39, "waiting": 0}
    assert all(r.site_id == r.site.pk and r.site.is_default_site for r in Redirect.objects.all())

    again = run_import(DEMO_CONTENT)
    assert again.report["redirects"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 39,
        "kept_editors": [],
    }
    assert _redirects() == DEMO_REDIRECTS


def test_an_editors_redirect_is_kept_and_reported(site_structure, run_import):
    site = site_structure.site
    Redirect.objects.create(old_path="/es/home", site=site, redirect_link="https://otra.example/")
    # One the importer made earlier, now pointing at the wrong page: set right in place.
    wrong = Redirect.objects.create(
        old_path="/es/home.html",
        site=site,
        redirect_page=site_structure.service_indexes["es"],
        is_permanent=False,
        automatically_created=True,
    )
    run = run_import(DEMO_CONTENT)
    assert run.report["redirects"] == {
        "created": 37,
        "updated": 1,
        "unchanged": 0,
        "kept_editors": [
            "/es/home: an editor's redirect (to https://otra.example/) was kept; the old "
            "site served 'Inicio' there"
        ],
    }
    kept = Redirect.objects.get(old_path="/es/home")
    assert (kept.redirect_link, kept.redirect_page_id) == ("https://otra.example/", None)
    wrong.refresh_from_db()
    assert (wrong.redirect_page_id, wrong.is_permanent) == (site_structure.homes["es"].pk, True)
    assert Redirect.objects.count() == 39
