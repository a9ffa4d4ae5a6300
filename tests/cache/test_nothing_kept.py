"""With the response cache off, nothing is kept from one request to the next.

A warm request runs exactly the SQL of the first request after a publish, and every change
to what a page shows (an organisation, an image's focal point, a collection's privacy) is
answered by the next request.
"""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.images.rect import Rect
from wagtail.models import Collection, CollectionViewRestriction, Page

from cms.models import Collaborator

QUERY = """
query ($slug: String!) {
  service(slug: $slug, locale: "es") {
    title
    image { url focalPoint { x y width height } rendition(preset: CARD) { url } placeholder }
    collaborators { slug name logo { alt } }
    body { __typename }
  }
}
"""
# The request's time, as the database receives it: the one part of the SQL that changes.
TIME = re.compile(r"'?\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?(\+00:00)?'?")


@pytest.fixture
def read(client, demo_page):
    """Ask for the demo page; return its answer and the SQL the request ran."""

    def run() -> tuple[dict, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                "/graphql/",
                json.dumps({"query": QUERY, "variables": {"slug": demo_page.slug}}),
                content_type="application/json",
            )
        assert response.status_code == 200
        return response.json(), [TIME.sub("<now>", q["sql"]) for q in queries.captured_queries]

    return run


def _collaborators(answer: dict) -> list[tuple[str, str]]:
    return [(c["slug"], c["name"]) for c in answer["data"]["service"]["collaborators"]]


def test_a_warm_request_runs_the_sql_of_the_first_after_a_publish(
    demo_page, read, django_capture_on_commit_callbacks
):
    read()
    page = Page.objects.get(pk=demo_page.pk).specific
    page.title = "Crowdfunding cívico (otra vez)"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    first, first_sql = read()
    assert first["data"]["service"]["title"] == "Crowdfunding cívico (otra vez)"
    warm, warm_sql = read()
    assert warm == first
    assert warm_sql == first_sql
    # Every table the answer needs is read again: the site, its languages, the
    # restrictions, the images, their renditions and the organisations.
    for table in (
        "wagtailcore_site",
        "wagtailcore_locale",
        "wagtailcore_pageviewrestriction",
        "wagtailimages_image",
        "wagtailimages_rendition",
        "delivery_imageplaceholder",
        "cms_collaborator",
    ):
        assert any(f'FROM "{table}"' in sql for sql in warm_sql), table


def test_each_change_to_what_a_page_shows_is_answered_by_the_next_request(
    demo_page, read, django_capture_on_commit_callbacks
):
    def commit(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()

    first, _sql = read()
    image = get_image_model().objects.get(pk=demo_page.image_id)
    names = _collaborators(first)
    assert names
    assert first["data"]["service"]["image"]["url"].endswith(image.file.url)

    # An organisation renamed.
    slug = names[0][0]
    collaborator = Collaborator.objects.get(slug=slug, locale__language_code="es")
    collaborator.name = "Otro nombre"
    commit(collaborator.save)
    renamed, _sql = read()
    assert _collaborators(renamed) == [(slug, "Otro nombre"), *names[1:]]

    # The image's focal point set: the crop made for it by the worker, at once.
    image.set_focal_point(Rect(10, 20, 30, 40))
    commit(image.save)
    focused, _sql = read()
    shown = focused["data"]["service"]["image"]
    assert shown["focalPoint"] == {"x": 20, "y": 30, "width": 20, "height": 20}
    crop = get_image_model().objects.get(pk=image.pk).get_rendition("fill-640x360")
    assert shown["rendition"]["url"].endswith(crop.url)

    # The image moved into a private collection: hidden at once.
    private = Collection.get_first_root_node().add_child(name="Privada")
    commit(
        lambda: CollectionViewRestriction.objects.create(
            collection=private, restriction_type="login"
        )
    )
    image.collection = private
    commit(image.save)
    hidden, _sql = read()
    assert hidden["data"]["service"]["image"] is None

    # The organisation deleted: gone at once.
    commit(collaborator.delete)
    gone, _sql = read()
    assert _collaborators(gone) == names[1:]


def test_a_restriction_on_the_collection_hides_an_image_at_once(
    demo_page, read, django_capture_on_commit_callbacks
):
    first, _sql = read()
    assert first["data"]["service"]["image"]
    image = get_image_model().objects.get(pk=demo_page.image_id)
    with django_capture_on_commit_callbacks(execute=True):
        CollectionViewRestriction.objects.create(
            collection=image.collection, restriction_type="password", password="x"
        )
    hidden, _sql = read()
    assert hidden["data"]["service"]["image"] is None
