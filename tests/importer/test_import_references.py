"""Projects and categories name other content by slug: resolved once every file is in."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from wagtail.models import Revision
from wagtail_localize.models import Translation

from categories.models import CategoryPage
from cms.models import Collaborator, ImportRecord, Member
from projects.models import ProjectMember, ProjectPage, ProjectService, ProjectState

pytestmark = pytest.mark.django_db

SERVICE = (
    "---\nlayout: service\nslug: democratic-funding\ntitle: Crowdfunding cívico\n---\nTexto.\n"
)
STATE = "---\nslug: open\ntitle: Proyecto abierto\ncolor: green\n---\n"
MEMBER = (
    "---\nslug: cp\ntitle: Cristian Palazzi\ntype: author\nposition: Comunicación\n"
    "description: Filósofo.\nemail: cp[at]example.net\n---\n"
)
COLLABORATOR = "---\nslug: canòdrom\ntitle: Canòdrom\n---\n"
AY_BCN = "---\nslug: ay-bcn\ntitle: Ayuntamiento de Barcelona\n---\n"
CATEGORY = (
    "---\nlayout: category\nslug: económica\ntitle: Economía\nsubtitle: Texto\n"
    "services:\n  - Democratic-Funding\ncall_to_action: cta-nowhere\n---\n"
)


def project(slug="p", title="Proyecto", extra="", body="Historia."):
    return (
        f"---\nlayout: project\nslug: {slug}\ntitle: {title}\nstate: Open\n"
        "services:\n  - democratic-funding\n  - ghost-service\n"
        "categories:\n  - ECONÓMICA\n"
        "members:\n  - cp\n  - CP\n  - zz\n"
        "collaborators:\n  - Ay-BCN\n  - Canòdrom\n"
        f"{extra}---\n{body}\n"
    )


def site_files(**overrides):
    files = {
        # Written first and named to sort first: the order of files does not matter.
        "_projects/es/a-project.md": project(),
        "_categories/es/economica.md": CATEGORY,
        "_services/es/funding.md": SERVICE,
        "_states/es/open.md": STATE,
        "_members/es/cp.md": MEMBER,
        "_collaborators/es/canodrom.md": COLLABORATOR,
        "_collaborators/es/ay-bcn.md": AY_BCN,
    }
    files.update(overrides)
    return files


def links(page):
    return {
        "state": page.state.slug if page.state else None,
        "services": [r.service.slug for r in page.service_links.all()],
        "categories": [r.category.slug for r in page.category_links.all()],
        "members": [r.member.slug for r in page.member_links.all()],
        "collaborators": [r.collaborator.slug for r in page.collaborator_links.all()],
    }


def test_references_resolve_case_insensitively_and_unknown_ones_are_warnings(
    run_import, write_site
):
    run = run_import(write_site(site_files()))
    assert run.failed is None, run.stderr
    page = ProjectPage.objects.get(slug="p")
    assert links(page) == {
        "state": "open",
        "services": ["democratic-funding"],
        "categories": ["económica"],
        "members": ["cp"],
        "collaborators": ["ay-bcn", "canòdrom"],
    }
    # The live page and its latest revision agree (the links were published).
    assert links(page.get_latest_revision_as_object()) == links(page)
    assert run.file("_projects/es/a-project.md")["warnings"] == [
        "_projects/es/a-project.md: services: no service with slug 'ghost-service'",
        "_projects/es/a-project.md: members: 'CP' is named more than once; linked once",
        "_projects/es/a-project.md: members: no member with slug 'zz'",
    ]
    category = CategoryPage.objects.get(slug="económica")
    assert [r.service.slug for r in category.service_links.all()] == ["democratic-funding"]
    assert run.file("_categories/es/economica.md")["warnings"] == [
        "_categories/es/economica.md: call_to_action: no call-to-action file with uid "
        "'cta-nowhere' (kept in the category's notes)"
    ]
    assert category.notes == "call_to_action: cta-nowhere\n"
    assert list(category.call_to_action) == []
    assert Collaborator.objects.get(slug="canòdrom").name == "Canòdrom"
    assert category.url == "/es/categories/econ%C3%B3mica/"


def test_references_are_re_resolved_on_re_run_without_duplicates(run_import, write_site, tmp_path):
    site = write_site(site_files())
    run_import(site)
    page = ProjectPage.objects.get(slug="p")
    assert links(page)["members"] == ["cp"]
    # The missing member arrives; nothing else changed.
    (site / "_members/es/zz.md").write_text(
        "---\nslug: zz\ntitle: Zoe Zapata\nposition: Diseño\n---\n", encoding="utf-8"
    )
    second = run_import(site)
    assert second.statuses()["_projects/es/a-project.md"] == "updated"
    assert second.statuses()["_members/es/zz.md"] == "created"
    page.refresh_from_db()
    assert links(page)["members"] == ["cp", "zz"]
    assert ProjectMember.objects.filter(project=page).count() == 2
    assert ProjectService.objects.filter(project=page).count() == 1
    # Once more: nothing changes, no rows are added, no revision is written.
    revisions = Revision.objects.count()
    third = run_import(site)
    assert set(third.statuses().values()) == {"unchanged"}
    assert Revision.objects.count() == revisions
    assert ProjectMember.objects.filter(project=page).count() == 2
    assert third.file("_projects/es/a-project.md")["warnings"] == [
        "_projects/es/a-project.md: services: no service with slug 'ghost-service'",
        "_projects/es/a-project.md: members: 'CP' is named more than once; linked once",
    ]
    # A reference removed from the file is removed from the page.
    path = site / "_projects/es/a-project.md"
    path.write_text(path.read_text(encoding="utf-8").replace("  - zz\n", ""), encoding="utf-8")
    run_import(site)
    page.refresh_from_db()
    assert links(page)["members"] == ["cp"]
    assert ProjectMember.objects.count() == 1


def test_each_language_links_its_own_version_else_the_spanish_one(run_import, write_site):
    files = site_files(
        **{
            "_projects/en/a-project.md": project(title="Project"),
            "_members/en/cp.md": MEMBER.replace("Comunicación", "Communication"),
            "_states/en/open.md": STATE.replace("Proyecto abierto", "Open project"),
        }
    )
    run_import(write_site(files))
    en = ProjectPage.objects.get(slug="p", locale__language_code="en")
    assert {r.member.locale.language_code for r in en.member_links.all()} == {"en"}
    assert en.state.locale.language_code == "en"
    # No English service, category or collaborators: the Spanish ones.
    assert [r.service.locale.language_code for r in en.service_links.all()] == ["es"]
    assert [r.category.locale.language_code for r in en.category_links.all()] == ["es"]


def test_a_stub_translation_is_a_draft_synced_from_its_source(run_import, write_site):
    stub = "---\nlayout: project\nslug: p\nstate: open\nbudget: '10'\n---\n"
    site = write_site(site_files(**{"_projects/cat/a-project.md": stub}))
    run = run_import(site)
    assert run.failed is None, run.stderr
    es = ProjectPage.objects.get(slug="p", locale__language_code="es")
    ca = ProjectPage.objects.get(slug="p", locale__language_code="ca")
    assert (es.live, ca.live, ca.first_published_at) == (True, False, None)
    assert ca.translation_key == es.translation_key
    assert (ca.title, ca.url_path.endswith("/projects/p/")) == ("Proyecto", True)
    assert links(ca) == links(es)
    translation = Translation.objects.get(
        source__object_id=es.translation_key, target_locale__language_code="ca"
    )
    assert translation.enabled
    result = run.file("_projects/cat/a-project.md")
    assert (result["status"], result["untranslated"]) == ("created", True)
    assert result["warnings"] == [
        "_projects/cat/a-project.md: no words of its own: a draft translation of the es page "
        "'Proyecto', synced from it and waiting for translators (not published)"
    ]
    record = ImportRecord.objects.get(collection="projects", language_code="ca", slug="p")
    assert (record.object_id, record.untranslated) == (ca.pk, True)
    # Re-run: unchanged.
    again = run_import(site)
    assert again.statuses()["_projects/cat/a-project.md"] == "unchanged"
    # The translators write it: a normal, published translation, same page.
    (site / "_projects/cat/a-project.md").write_text(
        project(title="Projecte", body="Història."), encoding="utf-8"
    )
    third = run_import(site)
    assert third.statuses()["_projects/cat/a-project.md"] == "updated"
    ca_after = ProjectPage.objects.get(slug="p", locale__language_code="ca")
    assert (ca_after.pk, ca_after.live, ca_after.title) == (ca.pk, True, "Projecte")
    assert third.file("_projects/cat/a-project.md")["untranslated"] is False


def test_a_stub_member_is_a_translation_with_the_source_texts(run_import, write_site):
    stub = "---\nslug: cp\ntitle: Cristian Palazzi\ntype: author\nemail: cp[at]example.net\n---\n"
    run = run_import(write_site(site_files(**{"_members/cat/cp.md": stub})))
    es = Member.objects.get(slug="cp", locale__language_code="es")
    ca = Member.objects.get(slug="cp", locale__language_code="ca")
    assert (ca.translation_key, ca.position, ca.bio, ca.email) == (
        es.translation_key,
        "Comunicación",
        "Filósofo.",
        "cp@example.net",
    )
    assert Translation.objects.filter(
        source__object_id=es.translation_key, target_locale__language_code="ca"
    ).exists()
    assert run.file("_members/cat/cp.md")["untranslated"] is True


def test_bad_dates_are_warnings_naming_file_and_field(run_import, write_site):
    extra = "date_start: not-a-date\ndate_end: 2024-12-12T23:30:00.000Z\ndate: 2023-10-20\n"
    run = run_import(write_site(site_files(**{"_projects/es/a-project.md": project(extra=extra)})))
    assert run.failed is None
    page = ProjectPage.objects.get(slug="p")
    # 23:30 UTC is already the next day in Madrid.
    assert (page.start_date, page.end_date, page.title) == (
        None,
        datetime.date(2024, 12, 13),
        "Proyecto",
    )
    # A date alone is midnight in the site's time zone.
    assert page.date == datetime.datetime(2023, 10, 20, tzinfo=ZoneInfo("Europe/Madrid"))
    assert run.file("_projects/es/a-project.md")["warnings"][0] == (
        "_projects/es/a-project.md: date_start: 'not-a-date' is not a date (expected e.g. "
        "2024-12-12 or 2024-12-12T17:43:00Z); kept verbatim at the end of the body"
    )
    assert [b.value["source"] for b in page.body if b.block_type == "verbatim"] == [
        "date_start: not-a-date\n"
    ]


def test_member_and_state_leftovers_are_kept_in_their_notes(run_import, write_site):
    member = MEMBER.replace("email: cp[at]example.net", "email: nobody\nmastodon: '@cp'")
    state = STATE.replace("color: green", "color: green\norder: 1")
    run = run_import(
        write_site(site_files(**{"_members/es/cp.md": member, "_states/es/open.md": state}))
    )
    assert Member.objects.get(slug="cp").notes == "mastodon: '@cp'\nemail: nobody\n"
    assert ProjectState.objects.get(slug="open").notes == "order: 1\n"
    assert run.file("_members/es/cp.md")["warnings"] == [
        "_members/es/cp.md: unexpected front-matter key 'mastodon' kept in the member's notes",
        "_members/es/cp.md: email 'nobody' is not an address; kept in the member's notes",
    ]


def test_dry_run_writes_nothing(run_import, write_site):
    run = run_import(write_site(site_files()), "--dry-run")
    assert run.failed is None
    assert run.statuses()["_projects/es/a-project.md"] == "created"
    assert (
        ProjectPage.objects.count(),
        CategoryPage.objects.count(),
        Member.objects.count(),
        ProjectState.objects.count(),
        ImportRecord.objects.count(),
    ) == (0, 0, 0, 0, 0)
