"""Collaborators are translatable snippets editors can search and choose."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cms.models import Collaborator

pytestmark = pytest.mark.django_db


@pytest.fixture
def collaborators(locales):
    return [
        Collaborator.objects.create(name="Decidim", slug="decidim", locale=locales["es"]),
        Collaborator.objects.create(name="Canòdrom", slug="canodrom", locale=locales["es"]),
        Collaborator.objects.create(
            name="Wikimedia Foundation",
            slug="wikimedia",
            locale=locales["es"],
            url="https://wikimediafoundation.org/",
        ),
    ]


def test_search_finds_collaborators_by_name(collaborators):
    assert [c.slug for c in Collaborator.objects.search("wikimedia")] == ["wikimedia"]
    assert [c.slug for c in Collaborator.objects.autocomplete("Deci")] == ["decidim"]


def test_chooser_in_the_admin_lists_and_searches_them(client, collaborators):
    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.org", "pw"))
    listing = client.get("/admin/snippets/choose/cms/collaborator/results/?q=Canòdrom")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Canòdrom" in html
    assert "Decidim" not in html


def test_slug_is_unique_per_language_and_translations_share_it(collaborators, locales):
    with pytest.raises(IntegrityError), transaction.atomic():
        Collaborator.objects.create(name="Otro", slug="decidim", locale=locales["es"])
    english = collaborators[0].copy_for_translation(locales["en"])
    english.save()
    assert (english.slug, english.translation_key) == ("decidim", collaborators[0].translation_key)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://x.org/"])
def test_website_must_be_http(collaborators, url):
    collaborator = collaborators[0]
    collaborator.url = url
    with pytest.raises(ValidationError) as exc:
        collaborator.full_clean()
    assert "url" in exc.value.message_dict
