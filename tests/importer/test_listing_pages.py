"""The old site's listing pages (a page whose layout is a collection's listing: projects,
who...) become the CMS listing pages' own fields, in every language, at the same path or
behind a redirect, and the run exits 0."""

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from generic.models import StandardPage
from projects.models import ProjectIndexPage
from team.models import TeamIndexPage
from tests.importer.test_import_hostile import png, service

pytestmark = pytest.mark.django_db

PROJECTS = {
    "es": (
        "---\nlayout: projects\nslug: projects\ntitle: Nuestros proyectos\n"
        "description: Procesos **participativos**.\nimage:\n  path: /media/projects.png\n"
        "  alt: Un taller\ncategory_select: Filtrar por categoría\n---\n"
    ),
    "en": (
        "---\nlayout: projects\nslug: projects\ntitle: Our projects\n"
        "description: Participatory processes.\ncategory_select: Filter by category\n---\n"
    ),
    # A Catalan stub: the Spanish texts, flagged for translators.
    "cat": "---\nlayout: projects\nslug: projects\n---\n",
}
WHO = {
    "es": (
        "---\nlayout: who\nslug: who\ntitle: Quiénes somos\nimg:\n  source: /media/team.png\n"
        "  alt: El equipo\nhide: true\n---\nUn equipo **diverso**.\n\n"
        '{% video {"title": "V", "url": "https://vimeo.com/1"} %}\n'
    ),
    "en": "---\nlayout: who\nslug: who\ntitle: Who we are\n---\nA diverse team.\n",
}


def _listing_site(write_site, tmp_path):
    files = {f"_pages/{lang}/projects.md": text for lang, text in PROJECTS.items()}
    files |= {f"_pages/{lang}/who.md": text for lang, text in WHO.items()}
    files["_services/es/a.md"] = service("a")
    root = write_site(files)
    png(root / "media" / "projects.png")
    png(root / "media" / "team.png", colour=(200, 10, 10))
    return root


def test_listing_pages_fill_the_listings(run_import, write_site, tmp_path, site_structure):
    root = _listing_site(write_site, tmp_path)
    run = run_import(root)
    assert run.failed is None
    assert run.report["errors"] == 0
    # Nothing became a generic page beside the listings.
    assert not StandardPage.objects.exists()

    indexes = site_structure.project_indexes
    es, en, ca = (ProjectIndexPage.objects.get(pk=indexes[c].pk) for c in ("es", "en", "ca"))
    assert [
        (p.title, p.slug, p.url, p.intro, p.category_filter_label, p.live) for p in (es, en, ca)
    ] == [
        (
            "Nuestros proyectos",
            "projects",
            "/es/projects/",
            "Procesos **participativos**.",
            "Filtrar por categoría",
            True,
        ),
        (
            "Our projects",
            "projects",
            "/en/projects/",
            "Participatory processes.",
            "Filter by category",
            True,
        ),
        (
            "Nuestros proyectos",
            "projects",
            "/ca/projects/",
            "Procesos **participativos**.",
            "Filtrar por categoría",
            True,
        ),
    ]
    assert (es.image.title, es.image_alt) == ("Un taller", "Un taller")
    assert en.image is None
    assert run.file("_pages/es/projects.md")["status"] == "created"
    assert run.file("_pages/es/projects.md")["object_id"] == es.pk
    assert run.file("_pages/es/projects.md")["warnings"] == []
    stub = run.file("_pages/cat/projects.md")
    assert (stub["object_id"], stub["untranslated"], stub["warnings"]) == (
        ca.pk,
        True,
        [
            "_pages/cat/projects.md: no words of its own: the es listing's texts, waiting "
            "for translators"
        ],
    )

    teams = {t.locale.language_code: t for t in TeamIndexPage.objects.select_related("locale")}
    assert sorted(teams) == ["en", "es"]
    team = teams["es"]
    assert (team.title, team.url, team.intro, team.image_alt, team.live) == (
        "Quiénes somos",
        "/es/team/",
        "Un equipo **diverso**.",
        "El equipo",
        True,
    )
    assert team.get_parent().pk == site_structure.homes["es"].pk
    assert teams["en"].translation_key == team.translation_key
    assert (teams["en"].title, teams["en"].url, teams["en"].intro) == (
        "Who we are",
        "/en/team/",
        "A diverse team.",
    )
    assert run.file("_pages/es/who.md")["warnings"] == [
        "_pages/es/who.md: layout switch 'hide: True' has no use in the CMS; kept in the "
        "page's notes",
        "_pages/es/who.md, line 12: {% video %} cannot be part of a listing's introduction; "
        "kept in the page's notes",
    ]
    assert team.notes == (
        "# from _pages/es/who.md\n"
        "hide: true\n"
        'body: \'{% video {"title": "V", "url": "https://vimeo.com/1"} %}\'\n'
    )

    # The old URLs: the same path, or a permanent redirect to the listing.
    redirects = {
        r.old_path: r.redirect_page_id
        for r in Redirect.objects.filter(redirect_page__in=[es, en, ca, *teams.values()])
    }
    assert redirects == {
        "/es/projects.html": es.pk,
        "/en/projects.html": en.pk,
        "/cat/projects": ca.pk,
        "/cat/projects.html": ca.pk,
        "/es/who": team.pk,
        "/es/who.html": team.pk,
        "/en/who": teams["en"].pk,
        "/en/who.html": teams["en"].pk,
    }

    # A second run: nothing changed, nothing rewritten, still no slug conflict.
    pages = Page.objects.count()
    again = run_import(root)
    assert again.failed is None
    assert {
        f["path"]: f["status"] for f in again.report["files"] if f["path"].startswith("_pages")
    } == {
        "_pages/cat/projects.md": "unchanged",
        "_pages/en/projects.md": "unchanged",
        "_pages/en/who.md": "unchanged",
        "_pages/es/projects.md": "unchanged",
        "_pages/es/who.md": "unchanged",
    }
    assert Page.objects.count() == pages


def test_a_changed_listing_file_updates_its_listing(run_import, write_site, tmp_path):
    root = _listing_site(write_site, tmp_path)
    run_import(root)
    (root / "_pages/en/projects.md").write_text(
        PROJECTS["en"].replace("Our projects", "Projects we run"), encoding="utf-8"
    )
    run = run_import(root)
    assert run.file("_pages/en/projects.md")["status"] == "updated"
    assert run.file("_pages/es/projects.md")["status"] == "unchanged"
    assert ProjectIndexPage.objects.get(locale__language_code="en").title == "Projects we run"


def test_the_whole_site_with_listing_pages_exits_0(sample_copy, run_import):
    """The sample with the organisation's listing pages in every language imports cleanly."""
    for lang in ("es", "en", "cat"):
        folder = sample_copy / "_pages" / lang
        (folder / "projects.md").write_text(PROJECTS["es"].replace("/media/projects.png", ""))
        (folder / "who.md").write_text(WHO["en"])
    run = run_import(sample_copy)
    assert run.failed is None
    assert run.report["errors"] == 0
    statuses = run.statuses()
    for lang in ("es", "en", "cat"):
        assert statuses[f"_pages/{lang}/projects.md"] == "created"
        assert statuses[f"_pages/{lang}/who.md"] == "created"
    assert TeamIndexPage.objects.count() == 3
