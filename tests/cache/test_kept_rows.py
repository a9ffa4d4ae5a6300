"""The rows of images, documents and snippets, kept per process under the structure token.

graphql_api.loading keeps the visible rows of what pages point to (images, documents,
organisations) under the structure token, which every change to those models renews
(graphql_api.invalidation). So a page publish keeps them: the next request reads the pages
again and nothing else. Every change to a kept row, or to what decides whether it is
visible, is answered at once; each request builds its own objects from plain tuples.
"""

import json

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.images.rect import Rect
from wagtail.models import Collection, CollectionViewRestriction, Page

from cms.models import Collaborator
from graphql_api.visibility import structure_memo

QUERY = """
query ($slug: String!) {
  service(slug: $slug, locale: "es") {
    title
    image { url focalPoint { x y width height } }
    collaborators { slug name logo { alt } }
  }
}
"""
TABLES = ("wagtailimages_image", "cms_collaborator")


@pytest.fixture
def read(client, demo_page):
    """Ask for the demo page; return its answer and the kept tables the request read."""

    def run() -> tuple[dict, set[str]]:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                "/graphql/",
                json.dumps({"query": QUERY, "variables": {"slug": demo_page.slug}}),
                content_type="application/json",
            )
        tables = {t for t in TABLES for q in queries.captured_queries if f'FROM "{t}"' in q["sql"]}
        return response.json(), tables

    return run


def _collaborators(answer: dict) -> list[tuple[str, str]]:
    return [(c["slug"], c["name"]) for c in answer["data"]["service"]["collaborators"]]


def test_a_page_publish_keeps_the_rows_and_their_own_changes_are_answered_at_once(
    demo_page, read, django_capture_on_commit_callbacks
):
    def commit(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()

    first, tables = read()
    assert tables == set(TABLES)
    service = first["data"]["service"]
    image = get_image_model().objects.get(pk=demo_page.image_id)
    names = _collaborators(first)
    assert names
    assert service["image"]["url"].endswith(image.file.url)

    # A page publish: the page is read again, the images and organisations are not.
    page = Page.objects.get(pk=demo_page.pk).specific
    page.title = "Crowdfunding cívico (otra vez)"
    commit(lambda: page.save_revision().publish())
    again, tables = read()
    assert (again["data"]["service"]["title"], tables) == ("Crowdfunding cívico (otra vez)", set())
    assert again["data"]["service"]["collaborators"] == service["collaborators"]
    assert again["data"]["service"]["image"] == service["image"]

    # An organisation renamed: the new name at once.
    slug = names[0][0]
    collaborator = Collaborator.objects.get(slug=slug, locale__language_code="es")
    collaborator.name = "Otro nombre"
    commit(collaborator.save)
    renamed, tables = read()
    assert _collaborators(renamed) == [(slug, "Otro nombre"), *names[1:]]
    assert tables == set(TABLES)

    # The image's focal point set.
    image.set_focal_point(Rect(10, 20, 30, 40))
    commit(image.save)
    focused, _tables = read()
    assert focused["data"]["service"]["image"]["focalPoint"] == {
        "x": 20,
        "y": 30,
        "width": 20,
        "height": 20,
    }

    # The image moved into a private collection: hidden at once.
    private = Collection.get_first_root_node().add_child(name="Privada")
    commit(
        lambda: CollectionViewRestriction.objects.create(
            collection=private, restriction_type="login"
        )
    )
    image.collection = private
    commit(image.save)
    hidden, _tables = read()
    assert hidden["data"]["service"]["image"] is None

    # The organisation deleted: gone at once.
    commit(collaborator.delete)
    gone, _tables = read()
    assert _collaborators(gone) == names[1:]


def test_a_restriction_on_the_collection_hides_a_kept_image(
    demo_page, read, django_capture_on_commit_callbacks
):
    first, _tables = read()
    assert first["data"]["service"]["image"]
    image = get_image_model().objects.get(pk=demo_page.image_id)
    with django_capture_on_commit_callbacks(execute=True):
        CollectionViewRestriction.objects.create(
            collection=image.collection, restriction_type="password", password="x"
        )
    hidden, tables = read()
    assert (hidden["data"]["service"]["image"], tables) == (None, set(TABLES))


def test_the_kept_rows_are_plain_values_never_objects(read):
    """Each request builds its own objects from the kept tuples (loading._built)."""
    read()
    kept = dict(structure_memo._values)
    assert {"wagtailimages.Image", "cms.Collaborator"} <= {key[0] for key in kept}

    def plain(value) -> bool:
        if isinstance(value, tuple):
            return all(plain(item) for item in value)
        return not isinstance(value, models.Model)

    assert all(plain(value) for value in kept.values())
