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
        "call_to_action",
    ]
    assert len(demo_page.body[1].value["items"]) == 3
    assert demo_page.body[3].value["author"] == "Kapipal"
    assert [c.slug for c in demo_page.body[5].value["collaborators"]] == ["decidim", "goteo"]
    cta = demo_page.body[6].value
    assert (cta["button_label"], cta["url"], cta["image"] is not None) == (
        "Pregúntanos",
        "#contact",
        True,
    )
    english = demo_page.get_translation(Locale.objects.get(language_code="en")).specific
    assert english.title == "Civic crowdfunding"
    assert [b.id for b in english.body] == [b.id for b in demo_page.body]
    assert english.body[1].value["items"][0]["text"] == "Money raised"
    assert english.body[6].value["button_label"] == "Ask us"
    assert {c.locale.language_code for c in english.body[5].value["collaborators"]} == {"en"}
    assert Translation.objects.get(
        source__object_id=demo_page.translation_key, target_locale__language_code="en"
    ).enabled


def test_loading_the_demo_twice_changes_nothing(demo_page):
    revisions = Revision.objects.count()
    again = load_demo()
    assert again.pk == demo_page.pk
    assert Revision.objects.count() == revisions
    assert ServicePage.objects.count() == 2
