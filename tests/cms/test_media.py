"""The CMS serves media files, never those of an image or document of a private
collection (cms/media.py): an original, a rendition and a document file all answer 404,
and answer again once the collection is public."""

import pytest
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from tests.factories import make_image
from tests.graphql_api.conftest import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(settings):
    settings.CIVIC_SERVE_MEDIA = True


def _status(client, url: str) -> int:
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response.status_code


def test_files_of_a_private_collection_are_not_served(served, client):
    parent = Collection.get_first_root_node().add_child(name="Reservada")
    inner = parent.add_child(name="Dentro")
    secret = make_image("secreta", collection=inner)
    shown = make_image("visible")
    rendition = secret.get_rendition("fill-32x32")
    shown_rendition = shown.get_rendition("fill-32x32")
    document = make_document("Acta", collection=inner)
    urls = {
        "original": secret.file.url,
        "rendition": rendition.file.url,
        "document": document.file.url,
        "public original": shown.file.url,
        "public rendition": shown_rendition.file.url,
    }
    assert all(url.startswith("/media/") for url in urls.values()), urls
    everything = dict.fromkeys(urls, 200)
    assert {name: _status(client, url) for name, url in urls.items()} == everything

    restriction = CollectionViewRestriction.objects.create(
        collection=parent, restriction_type="login"
    )
    assert {name: _status(client, url) for name, url in urls.items()} == {
        "original": 404,
        "rendition": 404,
        "document": 404,
        "public original": 200,
        "public rendition": 200,
    }

    restriction.delete()
    assert {name: _status(client, url) for name, url in urls.items()} == everything


def test_nothing_is_served_where_a_server_in_front_serves_media(client, settings):
    settings.CIVIC_SERVE_MEDIA = False
    image = make_image("visible")
    assert _status(client, image.file.url) == 404
    assert get_image_model().objects.count() == 1
