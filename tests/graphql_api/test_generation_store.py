"""What each process keeps per content generation never outlives what it depends on.

The store (graphql_api.generation) keeps sites, languages, restrictions, images,
documents, snippets, renditions and, until the next go-live or expiry date of any page,
what depends on which pages are visible. These tests warm it, then change what it depends
on and check that the next answer follows.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from delivery.cache import current_generation
from delivery.preview import issue_token
from tests.factories import make_service

pytestmark = pytest.mark.django_db

LINK = """query ($slug: String!) {
  service(slug: $slug) { title callToAction { buttonLabel url } }
}"""
COUNT = "{ services { totalCount edges { node { slug } } } }"
BODY = """query ($slug: String!) {
  service(slug: $slug) { title body { blockType ... on MarkdownBlock { markdown } } }
}"""
PREVIEW = """query ($token: String!) {
  page(previewToken: $token) {
    title ... on ServicePage { body { blockType ... on MarkdownBlock { markdown } } }
  }
}"""
IMAGE = """query ($slug: String!) {
  service(slug: $slug) { image { alt rendition(preset: THUMBNAIL) { width height } } }
}"""


def _cta(page):
    return (
        "call_to_action",
        {"text": "¿Hablamos?", "button_label": "Ven", "page": page, "url": "", "image": None},
    )


def test_a_linked_page_that_expires_disappears_without_any_save(
    site_structure, graphql, monkeypatch
):
    index = site_structure.service_indexes["es"]
    soon = timezone.now() + timedelta(hours=1)
    target = make_service(index, title="Destino", slug="destino", expire_at=soon)
    make_service(index, title="Origen", slug="origen", body=[_cta(target)])

    linked = {
        "service": {"title": "Origen", "callToAction": {"buttonLabel": "Ven", "url": target.url}}
    }
    assert graphql(LINK, {"slug": "origen"}) == {"data": linked}
    assert graphql(LINK, {"slug": "origen"}) == {"data": linked}  # served from the store
    assert graphql(COUNT)["data"]["services"]["totalCount"] == 2

    # Two hours later, with no save in between: the same generation, past the expiry date.
    generation = current_generation()
    later = soon + timedelta(hours=1)
    monkeypatch.setattr("graphql_api.visibility.timezone.now", lambda: later)
    assert current_generation() == generation
    assert graphql(LINK, {"slug": "origen"}) == {
        "data": {
            "service": {"title": "Origen", "callToAction": {"buttonLabel": "Ven", "url": None}}
        }
    }
    assert graphql(LINK, {"slug": "destino"}) == {"data": {"service": None}}
    assert graphql(COUNT) == {
        "data": {"services": {"totalCount": 1, "edges": [{"node": {"slug": "origen"}}]}}
    }


def test_a_preview_never_mixes_with_the_live_page(demo_page, graphql):
    draft = demo_page.get_latest_revision_as_object()
    draft.body = [("markdown", "Borrador secreto")]
    token = issue_token(draft)
    variables = {"slug": demo_page.slug}

    live = graphql(BODY, variables)
    assert "Borrador secreto" not in str(live)
    # The preview after the live page: the draft, not the live body kept by the store.
    assert graphql(PREVIEW, {"token": token}) == {
        "data": {
            "page": {
                "title": demo_page.title,
                "body": [{"blockType": "markdown", "markdown": "Borrador secreto"}],
            }
        }
    }
    # The live page after the preview: still the live body.
    assert graphql(BODY, variables) == live


def test_a_new_restriction_hides_a_page_at_once(demo_page, graphql):
    variables = {"slug": demo_page.slug}
    assert graphql(BODY, variables)["data"]["service"]["title"] == demo_page.title
    PageViewRestriction.objects.create(page=demo_page, restriction_type="login")
    assert graphql(BODY, variables) == {"data": {"service": None}}


def test_an_image_moved_to_a_private_collection_disappears_at_once(demo_page, graphql):
    variables = {"slug": demo_page.slug}
    shown = graphql(IMAGE, variables)["data"]["service"]["image"]
    assert shown["rendition"]["width"] > 0
    private = Collection.get_first_root_node().add_child(name="Privada")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    image = demo_page.image
    image.collection = private
    image.save()
    assert graphql(IMAGE, variables) == {"data": {"service": {"image": None}}}


def test_deleting_a_rendition_starts_a_new_generation(demo_page, graphql):
    graphql(IMAGE, {"slug": demo_page.slug})
    rendition = demo_page.image.renditions.first()
    before = current_generation()
    rendition.delete()
    assert current_generation() != before


def test_a_built_body_is_kept_per_stored_value(demo_page, rf):
    """Two rows of one page under one generation (read just before and just after a publish
    commits) never share a body: the kept body is keyed by the stored JSON too."""
    from graphql_api.loading import ContentLoader
    from graphql_api.visibility import Visibility
    from services.models import ServicePage

    visibility = Visibility(rf.post("/graphql/"))
    before = ServicePage.objects.get(pk=demo_page.pk)
    after = ServicePage.objects.get(pk=demo_page.pk)
    after.body = [("markdown", "Después de publicar")]

    first = ContentLoader(visibility)
    first.add_pages([before])
    kept = [block.block_type for block in first.stream(before, "body")]
    assert len(kept) > 1

    second = ContentLoader(visibility)
    second.add_pages([after])
    assert [(b.block_type, b.value) for b in second.stream(after, "body")] == [
        ("markdown", "Después de publicar")
    ]
    third = ContentLoader(visibility)
    again = ServicePage.objects.get(pk=demo_page.pk)
    third.add_pages([again])
    assert [block.block_type for block in third.stream(again, "body")] == kept
