"""The site structure and the demo content can be created any number of times."""

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from cms.models import Collaborator, HomePage
from cms.site_structure import ensure_site_structure
from services.models import ServiceIndexPage, ServicePage

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "pages": sorted(
            Page.objects.values_list(
                "url_path", "locale__language_code", "live", "content_type__model"
            )
        ),
        "revisions": Revision.objects.count(),
        "collaborators": sorted(
            Collaborator.objects.values_list("slug", "locale__language_code", "name")
        ),
        "images": get_image_model().objects.count(),
        "sites": list(
            Site.objects.values_list("hostname", "root_page__url_path", "is_default_site")
        ),
    }


@pytest.fixture
def fresh_wagtail(db):
    """The tree as Wagtail's migrations leave it: the root and its placeholder welcome page,
    the default site on it (the run's shared structure taken away inside this test)."""
    Site.objects.all().delete()
    Page.objects.filter(depth=2).delete()
    welcome = Page.get_first_root_node().add_child(
        instance=Page(title="Welcome to your new Wagtail site!", slug="home")
    )
    Site.objects.create(hostname="localhost", port=80, root_page=welcome, is_default_site=True)
    assert Page.objects.count() == 2


def test_structure_has_a_home_and_services_index_per_language(fresh_wagtail):
    site_structure = ensure_site_structure()
    assert {code: page.url for code, page in site_structure.homes.items()} == {
        "es": "/es/",
        "en": "/en/",
        "ca": "/ca/",
    }
    assert {code: page.url for code, page in site_structure.service_indexes.items()} == {
        "es": "/es/services/",
        "en": "/en/services/",
        "ca": "/ca/services/",
    }
    assert {code: page.title for code, page in site_structure.service_indexes.items()} == {
        "es": "Servicios",
        "en": "Services",
        "ca": "Serveis",
    }
    # The three homes and the three indexes are translations of one another.
    assert HomePage.objects.values("translation_key").distinct().count() == 1
    assert ServiceIndexPage.objects.values("translation_key").distinct().count() == 1
    # Wagtail's placeholder welcome page is gone.
    assert not Page.objects.filter(depth=2, content_type__model="page").exists()
    before = snapshot()
    ensure_site_structure()
    assert snapshot() == before


def test_demo_command_twice_creates_nothing_new(django_capture_on_commit_callbacks, capsys):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    first = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    assert snapshot() == first
    out = capsys.readouterr().out
    assert (
        out.count(
            "Demo content ready (es: /es/services/democratic-funding/, "
            "en: /en/services/democratic-funding/, ca: /ca/services/democratic-funding/)."
        )
        == 2
    )
    pages = ServicePage.objects.order_by("locale__language_code")
    assert [(p.locale.language_code, p.title, p.live) for p in pages] == [
        ("ca", "Crowdfunding cívic", True),
        ("en", "Civic crowdfunding", True),
        ("es", "Crowdfunding cívico", True),
    ]
    assert first["collaborators"] == [
        ("decidim", "ca", "Decidim"),
        ("decidim", "en", "Decidim"),
        ("decidim", "es", "Decidim"),
        ("goteo", "ca", "Goteo"),
        ("goteo", "en", "Goteo"),
        ("goteo", "es", "Goteo"),
    ]


def test_demo_english_page_carries_the_team_translation(demo_page):
    english = demo_page.get_translations().get(locale__language_code="en").specific
    blocks = list(english.body)
    assert [b.block_type for b in blocks] == [
        "markdown",
        "metrics",
        "markdown",
        "quote",
        "markdown",
        "collaborators",
    ]
    assert blocks[0].value.startswith("# What is Goteo?\n\n* Goteo is a project incubator")
    assert [(i["number"], i["text"]) for i in blocks[1].value["items"]] == [
        ("20.948.115", "Money raised"),
        ("83,8%", "Successful projects"),
        ("354.912", "Community"),
    ]
    assert blocks[3].value["author"] == "Kapipal"
    # The source's stray opening quotation mark is gone: quotes are shown between marks.
    assert blocks[3].value["text"].startswith("Your capital depends on trust")
    assert [c.locale.language_code for c in blocks[5].value["collaborators"]] == ["en", "en"]
    # The call to action is the page's own field; its button opens the English demo form.
    (block,) = english.call_to_action
    cta = block.value
    assert (cta["text"], cta["button_label"], cta["form"].title, cta.link_url) == (
        "Want to know more?",
        "Ask us",
        "Shall we work together?",
        "/en/cta-contact-demo/",
    )
