"""The demo content is a small Jekyll site in the repository, loaded through the importer."""

import pytest
from wagtail.models import Locale, Revision
from wagtail_localize.models import Translation

from cms.demo import load_demo
from services.models import ServicePage

pytestmark = pytest.mark.django_db


def test_demo_page_keeps_its_contract(demo_page):
    assert (demo_page.slug, demo_page.title, demo_page.locale.language_code) == (
        "democratic-funding",
        "Crowdfunding cívico",
        "es",
    )
    assert [b.block_type for b in demo_page.body] == [
        "markdown",
        "metrics",
        "markdown",
        "quote",
        "markdown",
        "collaborators",
    ]
    assert len(demo_page.body[1].value["items"]) == 3
    assert demo_page.body[3].value["author"] == "Kapipal"
    assert [c.slug for c in demo_page.body[5].value["collaborators"]] == ["decidim", "goteo"]
    # The button opens the demo's contact form (--default-form), in the page's own field.
    (block,) = demo_page.call_to_action
    cta = block.value
    assert (cta["button_label"], cta["form"].slug, cta["form"].locale.language_code) == (
        "Pregúntanos",
        "cta-contact-demo",
        "es",
    )
    assert (cta["url"], cta["page"], cta["image"] is not None) == ("", None, True)
    english = demo_page.get_translation(Locale.objects.get(language_code="en")).specific
    assert english.title == "Civic crowdfunding"
    assert [b.id for b in english.body] == [b.id for b in demo_page.body]
    assert english.body[1].value["items"][0]["text"] == "Money raised"
    english_cta = english.call_to_action[0].value
    assert (english_cta["button_label"], english_cta["form"].locale.language_code) == (
        "Ask us",
        "en",
    )
    assert english_cta["form"].translation_key == cta["form"].translation_key
    assert {c.locale.language_code for c in english.body[5].value["collaborators"]} == {"en"}
    catalan = demo_page.get_translation(Locale.objects.get(language_code="ca")).specific
    assert (catalan.title, catalan.live) == ("Crowdfunding cívic", True)
    assert [b.id for b in catalan.body] == [b.id for b in demo_page.body]
    assert [i["text"] for i in catalan.body[1].value["items"]] == [
        "Diners recaptats",
        "Projectes reeixits",
        "Comunitat",
    ]
    catalan_cta = catalan.call_to_action[0].value
    assert (catalan_cta["button_label"], catalan_cta["form"].locale.language_code) == (
        "Pregunta'ns",
        "ca",
    )
    assert {c.locale.language_code for c in catalan.body[5].value["collaborators"]} == {"ca"}
    for code in ("en", "ca"):
        assert Translation.objects.get(
            source__object_id=demo_page.translation_key, target_locale__language_code=code
        ).enabled


def test_loading_the_demo_twice_changes_nothing(demo_page):
    revisions = Revision.objects.count()
    again = load_demo()
    assert again.pk == demo_page.pk
    assert Revision.objects.count() == revisions
    assert ServicePage.objects.count() == 3


def test_demo_project_category_team_and_states(demo_page):
    from categories.models import CategoryPage
    from cms.models import Member
    from projects.models import ProjectPage, ProjectState

    assert sorted(ProjectState.objects.values_list("locale__language_code", "slug", "title")) == [
        ("ca", "closed", "Projecte tancat"),
        ("ca", "open", "Projecte obert"),
        ("en", "closed", "Closed project"),
        ("en", "open", "Open project"),
        ("es", "closed", "Proyecto cerrado"),
        ("es", "open", "Proyecto abierto"),
    ]
    assert sorted(Member.objects.values_list("locale__language_code", "slug", "email")) == [
        ("ca", "ar", "ana@example.org"),
        ("ca", "bs", "bruno@example.org"),
        ("en", "ar", "ana@example.org"),
        ("en", "bs", "bruno@example.org"),
        ("es", "ar", "ana@example.org"),
        ("es", "bs", "bruno@example.org"),
    ]
    for code in ("es", "en", "ca"):
        project = ProjectPage.objects.get(slug="neighbourhood-fund", locale__language_code=code)
        assert project.live
        assert (project.state.slug, project.state.locale.language_code) == ("open", code)
        assert [r.service.pk for r in project.service_links.all()] == [
            demo_page.get_translation(project.locale).pk
        ]
        assert [
            (r.member.slug, r.member.locale.language_code) for r in project.member_links.all()
        ] == [
            ("ar", code),
            ("bs", code),
        ]
        assert [r.collaborator.slug for r in project.collaborator_links.all()] == ["goteo"]
        assert [r.category.slug for r in project.category_links.all()] == ["shared-economy"]
        assert (project.budget, project.public_percentage, str(project.start_date)) == (
            "45.000",
            "50%",
            "2025-03-01",
        )
        assert [b.block_type for b in project.body] == ["markdown", "metrics", "quote"]
        project_cta = project.call_to_action[0].value
        assert (project_cta["url"], project_cta["form"].slug) == ("", "cta-contact-demo")
        assert project_cta["form"].locale.language_code == code
        category = CategoryPage.objects.get(slug="shared-economy", locale__language_code=code)
        assert [r.service.slug for r in category.service_links.all()] == ["democratic-funding"]
        cta = category.call_to_action[0].value
        assert (cta["text"], cta["button_label"], cta["url"], cta["form"].pk) == {
            "es": ("¿Trabajamos juntas?", "Escríbenos", "", project_cta["form"].pk),
            "en": ("Shall we work together?", "Write to us", "", project_cta["form"].pk),
            "ca": ("Treballem plegades?", "Escriu-nos", "", project_cta["form"].pk),
        }[code]
