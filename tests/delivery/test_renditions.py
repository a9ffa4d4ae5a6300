"""Renditions are made by the task worker, never by an API request.

With the rendition queue of production (the database queue and its worker), an image saved
queues its renditions; until the worker has run, the API names the original file, keeps
that answer nowhere and makes nothing. A deleted rendition is made again by the worker,
and the next answer names a file that exists.
"""

import json

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from wagtail.images import get_image_model

from delivery.models import ImagePlaceholder
from delivery.renditions import NEUTRAL_PLACEHOLDER
from tests.factories import make_image, make_service
from tests.graphql_api.expected import absolute
from tests.workers import run_worker as worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

QUERY = """
{
  service(slug: "con-foto", locale: "es") {
    image {
      url
      placeholder
      card: rendition(preset: CARD) { url width height }
      srcset(preset: CARD)
    }
  }
}
"""
CARD = ("fill-640x360", "fill-1280x720")


@pytest.fixture
def queued(settings):
    """The rendition queue as in production: the database, and a worker run on demand."""
    settings.TASKS = settings.QUEUED_TASKS


def run_worker() -> None:
    worker(backend="media", queue="renditions")


def ask(client):
    response = client.get("/graphql/", {"query": QUERY})
    assert response.status_code == 200
    return response, json.loads(response.content)


def renditions_of(image) -> dict:
    made = get_image_model().get_rendition_model().objects.filter(image=image)
    return {rendition.filter_spec: rendition for rendition in made}


def original(image) -> dict:
    url = absolute(image.file.url)
    return {
        "url": url,
        "placeholder": NEUTRAL_PLACEHOLDER,
        "card": {"url": url, "width": 1600, "height": 900},
        "srcset": f"{url} 1600w",
    }


def made(image) -> dict:
    found = renditions_of(image)
    small, large = (found[spec] for spec in CARD)
    return {
        "url": absolute(image.file.url),
        "placeholder": ImagePlaceholder.objects.get(image=image).data_uri,
        "card": {"url": absolute(small.url), "width": 640, "height": 360},
        "srcset": f"{absolute(small.url)} 640w, {absolute(large.url)} 1280w",
    }


def test_the_worker_makes_them_and_no_request_does(queued, site_structure, client, settings):
    settings.CIVIC_GRAPHQL_CACHE_SECONDS = 600
    image = make_image("Foto", size=(1600, 900))
    make_service(site_structure.service_indexes["es"], slug="con-foto", image=image)
    assert list(DBTaskResult.objects.values_list("queue_name", "args_kwargs")) == [
        ("renditions", {"args": [image.pk], "kwargs": {}})
    ]

    # Before the worker: the original, kept nowhere, nothing made.
    for _ in range(2):
        response, answer = ask(client)
        assert answer == {"data": {"service": {"image": original(image)}}}
        assert response["Cache-Control"] == "private, no-store"
        assert "X-Civic-Cache" not in response
    assert renditions_of(image) == {}
    assert not ImagePlaceholder.objects.filter(image=image).exists()

    run_worker()
    response, answer = ask(client)
    assert answer == {"data": {"service": {"image": made(image)}}}
    assert response["X-Civic-Cache"] == "miss"
    assert response["Cache-Control"].startswith("public, max-age=")


def test_a_deleted_rendition_is_made_again(queued, site_structure, client):
    image = make_image("Foto", size=(1600, 900))
    make_service(site_structure.service_indexes["es"], slug="con-foto", image=image)
    run_worker()
    _response, before = ask(client)
    assert before == {"data": {"service": {"image": made(image)}}}

    gone = renditions_of(image)["fill-640x360"]
    storage, name = gone.file.storage, gone.file.name
    gone.delete()
    storage.delete(name)
    response, answer = ask(client)
    # Not the deleted file: the original, while the worker makes it again.
    shown = answer["data"]["service"]["image"]
    assert (shown["card"], shown["srcset"]) == (original(image)["card"], original(image)["srcset"])
    assert response["Cache-Control"] == "private, no-store"
    assert "fill-640x360" not in renditions_of(image)

    run_worker()
    _response, after = ask(client)
    assert after == {"data": {"service": {"image": made(image)}}}
    remade = renditions_of(image)["fill-640x360"]
    assert remade.file.storage.exists(remade.file.name)


def test_the_command_queues_every_image_and_makes_them_with_now(queued, site_structure):
    first = make_image("Una", size=(320, 200))
    second = make_image("Otra", size=(320, 200))
    DBTaskResult.objects.all().delete()
    call_command("make_renditions", verbosity=0)
    queued_for = sorted(
        args["args"][0] for args in DBTaskResult.objects.values_list("args_kwargs", flat=True)
    )
    assert queued_for == [first.pk, second.pk]
    call_command("make_renditions", str(second.pk), "--now", verbosity=0)
    assert set(renditions_of(second)) >= set(CARD)
    assert renditions_of(first) == {}


def test_a_run_asks_for_the_renditions_of_the_images_it_kept_when_it_ends(queued):
    from django.db import transaction

    from delivery.renditions import renditions_at_end

    with renditions_at_end():
        kept = make_image("Guardada", size=(320, 200))
        try:
            with transaction.atomic():
                make_image("Deshecha", size=(320, 200))
                raise RuntimeError("the file failed")
        except RuntimeError:
            pass
        assert DBTaskResult.objects.count() == 0
    queued_for = [
        args["args"] for args in DBTaskResult.objects.values_list("args_kwargs", flat=True)
    ]
    assert queued_for == [[kept.pk]]
