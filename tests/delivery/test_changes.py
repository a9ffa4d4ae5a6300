"""Every change the invalidation registry watches sends a webhook naming what it reaches
(delivery.changes): a page restriction its pages, an image, a document or a snippet the
pages that show it, a collection's privacy the pages that show its images and documents, a
site-wide change the whole site."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Collection, CollectionViewRestriction, Locale, PageViewRestriction, Site

from cms.models import Collaborator
from delivery import changes
from delivery.affected import subtree_urls
from delivery.models import Event, FrontendSettings
from graphql_api.invalidation import REGISTRY, SITE_WIDE_SNIPPETS, Reach, held_renewals
from sitewide.models import Menu, SiteTexts, SocialSettings
from tests.factories import make_image, make_member, make_project, make_service
from tests.graphql_api.conftest import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """The events delivery.changes sends: (event, object, URLs, whole site)."""
    found: list[tuple[str, dict, set[str], bool]] = []
    monkeypatch.setattr(
        changes,
        "notify",
        lambda event, obj, urls, everything=False: found.append((event, obj, urls, everything)),
    )
    return found


def _urls(*pages) -> set[str]:
    urls = set()
    for page in pages:
        for version in page.get_translations(inclusive=True).specific():
            urls.add(version.get_full_url())
    return urls


def _site_changed(label: str, pk=None) -> tuple:
    obj = {"type": label} if pk is None else {"type": label, "id": pk}
    return (Event.SITE_CHANGED, obj, set(), True)


def test_a_page_restriction_reaches_the_page_and_every_page_below(sent, site_structure):
    index = site_structure.service_indexes["es"]
    page = make_service(index, title="Reservado", slug="reservado")
    restriction = PageViewRestriction.objects.create(page=index, restriction_type="login")
    expected = subtree_urls(index)
    assert page.get_full_url() in expected
    assert sent == [
        (
            Event.PAGES_CHANGED,
            {"type": "wagtailcore.pageviewrestriction", "id": restriction.pk, "page": index.pk},
            expected,
            False,
        )
    ]
    sent.clear()
    restriction.restriction_type = "groups"
    restriction.save()
    restriction.groups.add(Group.objects.create(name="Socias"))
    pk = restriction.pk
    restriction.delete()
    described = {"type": "wagtailcore.pageviewrestriction", "id": pk, "page": index.pk}
    assert [(event, obj) for event, obj, _urls, _all in sent] == [
        (Event.PAGES_CHANGED, described),
        (
            Event.PAGES_CHANGED,
            {"type": "wagtailcore.pageviewrestriction_groups", "id": pk, "page": index.pk},
        ),
        (Event.PAGES_CHANGED, described),
    ]
    assert all(urls == expected for _event, _obj, urls, _all in sent)


def test_an_image_a_document_and_a_snippet_reach_the_pages_that_show_them(
    sent, site_structure, locales
):
    image = make_image("Portada")
    document = make_document("Memoria")
    member = make_member(locales["es"], slug="ar", name="Ana Ruiz")
    service = make_service(
        site_structure.service_indexes["es"],
        title="Con portada",
        slug="con-portada",
        image=image,
        body=[("documents", {"title": "", "items": [{"document": document, "title": ""}]})],
    )
    project = make_project(
        site_structure.project_indexes["es"], slug="con-equipo", links={"members": [member]}
    )
    sent.clear()
    image.title = "Portada nueva"
    image.save()
    document.title = "Memoria 2026"
    document.save()
    member.position = "Coordinadora"
    member.save()
    assert sent == [
        (
            Event.MEDIA_CHANGED,
            {"type": "wagtailimages.image", "id": image.pk},
            _urls(service),
            False,
        ),
        (
            Event.MEDIA_CHANGED,
            {"type": "wagtaildocs.document", "id": document.pk},
            _urls(service),
            False,
        ),
        (Event.SNIPPET_CHANGED, {"type": "cms.member", "id": member.pk}, _urls(project), False),
    ]


def test_a_collection_s_privacy_reaches_the_pages_that_show_its_images_and_documents(
    sent, site_structure
):
    """Its images and documents, and those of the collections below it: not the whole site."""
    services = site_structure.service_indexes["es"]
    restricted = Collection.get_first_root_node().add_child(name="Reservada")
    inner = restricted.add_child(name="Dentro")
    image = make_image("Secreta", collection=restricted)
    document = make_document("Acta", collection=inner)
    elsewhere = make_image("Pública")
    with_image = make_service(services, title="Con imagen", slug="con-imagen", image=image)
    with_document = make_service(
        services,
        title="Con acta",
        slug="con-acta",
        body=[("documents", {"title": "", "items": [{"document": document, "title": ""}]})],
    )
    make_service(services, title="Otra", slug="otra", image=elsewhere)
    sent.clear()
    restriction = CollectionViewRestriction.objects.create(
        collection=restricted, restriction_type="login"
    )
    restriction.groups.add(Group.objects.create(name="Socias"))
    pk = restriction.pk
    restriction.delete()
    label = "wagtailcore.collectionviewrestriction"
    described = {"type": label, "id": pk, "collection": restricted.pk}
    expected = _urls(with_image, with_document)
    assert sent == [
        (Event.MEDIA_CHANGED, described, expected, False),
        (Event.MEDIA_CHANGED, {**described, "type": f"{label}_groups"}, expected, False),
        (Event.MEDIA_CHANGED, described, expected, False),
    ]
    # A group's restrictions changed from the group's side: which collections, not known.
    sent.clear()
    again = CollectionViewRestriction.objects.create(collection=inner, restriction_type="groups")
    group = Group.objects.create(name="Equipo")
    sent.clear()
    group.collectionviewrestriction_set.add(again)
    assert sent == [_site_changed(f"{label}_groups", group.pk)]


def test_site_wide_changes_rebuild_the_whole_site(sent, site_structure, locales):
    social = SocialSettings.load()  # its row, made with the defaults the first time
    sent.clear()
    restricted = Collection.get_first_root_node().add_child(name="Reservada")
    texts = SiteTexts.objects.create(locale=locales["es"], newsletter_title="Boletín")
    menu = Menu.objects.create(locale=locales["es"], handle="footer", title="Pie")
    social.save()
    frontend = FrontendSettings.for_site(site_structure.site)
    frontend.frontend_url = "https://www.example.org"
    frontend.save()
    site = Site.objects.get(pk=site_structure.site.pk)
    site.site_name = "Civic"
    site.save()
    locale = Locale.objects.create(language_code="fr")
    assert sent == [
        _site_changed("wagtailcore.collection", restricted.pk),
        _site_changed("sitewide.sitetexts", texts.pk),
        _site_changed("sitewide.menu", menu.pk),
        _site_changed("sitewide.socialsettings", social.pk),
        _site_changed("delivery.frontendsettings", frontend.pk),
        _site_changed("wagtailcore.site", site.pk),
        _site_changed("wagtailcore.locale", locale.pk),
    ]


def test_organisations_keep_their_own_events(sent, locales):
    Collaborator.objects.create(name="Socia", slug="socia", locale=locales["es"])
    assert sent == []


def test_a_run_of_writes_asks_for_the_whole_site_once(sent, locales):
    with held_renewals():
        for slug in ("a", "b", "c"):
            make_member(locales["es"], slug=slug, name=slug.upper())
        assert sent == []
    assert sent == [(Event.SITE_CHANGED, {"type": "site"}, set(), True)]


def test_every_entry_that_reaches_a_url_is_sent_by_a_test_here():
    tested = {
        "wagtailcore.PageViewRestriction",
        "wagtailcore.PageViewRestriction.groups",
        "wagtailcore.CollectionViewRestriction",
        "wagtailcore.CollectionViewRestriction.groups",
        "wagtailcore.Collection",
        "<the image model (WAGTAILIMAGES_IMAGE_MODEL)>",
        "<the document model (WAGTAILDOCS_DOCUMENT_MODEL)>",
        "<every registered snippet model>",
        "sitewide.SocialSettings",
        "delivery.FrontendSettings",
        "wagtailcore.Site",
        "wagtailcore.Locale",
    }
    reaching = {
        w.model
        for w in REGISTRY
        if w.reach in (Reach.BELOW, Reach.COLLECTION, Reach.REFERENCING, Reach.SITE)
    }
    assert reaching == tested
    # Those shown on every page reach the whole site: both are sent above.
    assert SITE_WIDE_SNIPPETS == ("sitewide.SiteTexts", "sitewide.Menu")
