"""Publish webhooks: signed, delivered by the task queue, retried, logged, with affected URLs."""

import hashlib
import hmac
import time

import pytest
from django.test import override_settings
from wagtail.models import Page

from cms.models import Collaborator
from delivery.models import WebhookDelivery, WebhookEndpoint
from delivery.signing import SIGNATURE_HEADER, sign, signature_headers, verify
from delivery.tasks import backoff
from tests.workers import run_worker as worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ES = "http://localhost/es/services/democratic-funding/"
EN = "http://localhost/en/services/democratic-funding/"
CA = "http://localhost/ca/services/democratic-funding/"
ES_INDEX = "http://localhost/es/services/"
EN_INDEX = "http://localhost/en/services/"
CA_INDEX = "http://localhost/ca/services/"


def run_worker() -> None:
    worker(backend="webhooks", queue="webhooks")


@pytest.fixture
def endpoint(receiver, demo_page, settings):
    # The receiver listens on 127.0.0.1, an internal address.
    settings.CIVIC_WEBHOOK_ALLOW_INTERNAL = True
    # Demo content was created before the endpoint existed: nothing is queued for it.
    return WebhookEndpoint.objects.create(name="Static build", url=receiver.url, secret="s3cret")


def test_signature_helpers():
    body = b'{"event":"page.published"}'
    delivery = "0b7e2c1a-5f0e-4c57-9a43-2b1c8e0f6d21"
    signed = f"1764000000.{delivery}.2.".encode() + body
    expected = "sha256=" + hmac.new(b"s3cret", signed, hashlib.sha256).hexdigest()
    assert sign(body, "s3cret", timestamp=1764000000, delivery=delivery, attempt=2) == expected
    headers = signature_headers(body, "s3cret", delivery=delivery, attempt=2, now=1764000000.7)
    assert headers == {
        "X-Civic-Timestamp": "1764000000",
        "X-Civic-Delivery": delivery,
        "X-Civic-Attempt": "2",
        "X-Civic-Signature-256": expected,
    }
    assert verify(body, "s3cret", headers, now=1764000000 + 300)
    assert verify(body, "s3cret", headers, now=1764000000 - 300)
    # Too old, or from too far in the future.
    assert not verify(body, "s3cret", headers, now=1764000000 + 301)
    assert not verify(body, "s3cret", headers, now=1764000000 - 301)
    # Anything signed changed: the body, the time, the delivery, the attempt.
    now = 1764000000
    assert not verify(body + b" ", "s3cret", headers, now=now)
    assert not verify(body, "s3cret", {**headers, "X-Civic-Timestamp": "1764000001"}, now=now)
    assert not verify(body, "s3cret", {**headers, "X-Civic-Delivery": "other"}, now=now)
    assert not verify(body, "s3cret", {**headers, "X-Civic-Attempt": "3"}, now=now)
    assert not verify(body, "other", headers, now=now)
    assert not verify(body, "", headers, now=now)
    assert not verify(body, "s3cret", {**headers, "X-Civic-Signature-256": ""}, now=now)
    assert not verify(body, "s3cret", {}, now=now)


def test_backoff_grows_and_is_capped():
    with override_settings(CIVIC_WEBHOOK_BACKOFF_SECONDS=30, CIVIC_WEBHOOK_BACKOFF_MAX_SECONDS=300):
        assert [backoff(n).total_seconds() for n in range(1, 7)] == [30, 60, 120, 240, 300, 300]


def test_publish_sends_a_signed_post_with_every_affected_url(receiver, endpoint, demo_page):
    demo_page.title = "Crowdfunding cívico y abierto"
    demo_page.save_revision().publish()
    assert receiver.requests == []  # nothing is sent inside the editor's request
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 0)

    run_worker()

    [request] = receiver.requests
    headers = request["headers"]
    timestamp = int(headers["X-Civic-Timestamp"])
    assert time.time() - 60 < timestamp <= time.time()
    assert {name: value for name, value in headers.items() if name.startswith("X-Civic")} == {
        "X-Civic-Event": "page.published",
        "X-Civic-Delivery": str(delivery.uuid),
        "X-Civic-Attempt": "1",
        "X-Civic-Timestamp": str(timestamp),
        SIGNATURE_HEADER: sign(
            request["body"], "s3cret", timestamp=timestamp, delivery=str(delivery.uuid), attempt=1
        ),
    }
    assert verify(request["body"], "s3cret", headers)
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    [payload] = receiver.payloads
    assert payload["event"] == "page.published"
    assert payload["object"] == {
        "type": "page",
        "id": demo_page.pk,
        "page_type": "services.ServicePage",
        "locale": "es",
        "slug": "democratic-funding",
    }
    assert payload["urls"] == sorted([ES, EN, CA, ES_INDEX, EN_INDEX, CA_INDEX])
    assert payload["paths"] == sorted(
        [
            "/es/services/democratic-funding/",
            "/en/services/democratic-funding/",
            "/ca/services/democratic-funding/",
            "/es/services/",
            "/en/services/",
            "/ca/services/",
        ]
    )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 1, 200)


@override_settings(CIVIC_WEBHOOK_BACKOFF_SECONDS=0)
def test_failed_deliveries_are_retried_and_logged(receiver, endpoint, demo_page):
    receiver.fail_first = 2
    demo_page.save_revision().publish()
    run_worker()
    assert [r["status"] for r in receiver.requests] == [503, 503, 200]
    delivery = WebhookDelivery.objects.get()
    # The three tries carry the same delivery id and body, so a receiver can deduplicate,
    # and each its own attempt number and signature, so none is refused as a replay.
    assert [
        (r["headers"]["X-Civic-Delivery"], r["headers"]["X-Civic-Attempt"])
        for r in receiver.requests
    ] == [(str(delivery.uuid), str(attempt)) for attempt in (1, 2, 3)]
    assert len({r["body"] for r in receiver.requests}) == 1
    assert all(verify(r["body"], "s3cret", r["headers"]) for r in receiver.requests)
    assert (delivery.status, delivery.attempts, delivery.last_status_code, delivery.last_error) == (
        "succeeded",
        3,
        200,
        "",
    )


@override_settings(CIVIC_WEBHOOK_BACKOFF_SECONDS=0, CIVIC_WEBHOOK_MAX_ATTEMPTS=3)
def test_a_delivery_gives_up_after_its_last_attempt(receiver, endpoint, demo_page):
    receiver.fail_first = 10
    demo_page.save_revision().publish()
    run_worker()
    assert [r["status"] for r in receiver.requests] == [503, 503, 503]
    delivery = WebhookDelivery.objects.get()
    # What the endpoint answered ("busy") is not kept: its status code is.
    assert (delivery.status, delivery.attempts, delivery.last_status_code, delivery.last_error) == (
        "failed",
        3,
        503,
        "",
    )


def test_unreachable_endpoint_is_logged_not_raised(endpoint, demo_page):
    endpoint.url = "http://127.0.0.1:9/unreachable"
    endpoint.save()
    with override_settings(CIVIC_WEBHOOK_MAX_ATTEMPTS=1):
        demo_page.save_revision().publish()
        run_worker()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code, delivery.last_error) == (
        "failed",
        1,
        None,
        "NewConnectionError: HTTPConnection(host='127.0.0.1', port=9): Failed to establish a "
        "new connection: [Errno 111] Connection refused",
    )


def test_collaborator_change_lists_the_pages_that_show_it(receiver, endpoint, demo_page):
    decidim = Collaborator.objects.get(slug="decidim", locale__language_code="es")
    decidim.name = "Decidim.org"
    decidim.save()
    run_worker()
    [payload] = receiver.payloads
    assert (payload["event"], payload["object"]["slug"]) == ("collaborator.changed", "decidim")
    assert payload["urls"] == sorted([ES, EN, CA])


def test_collaborator_created_and_deleted(receiver, endpoint, demo_page):
    new = Collaborator.objects.create(name="Canòdrom", slug="canodrom", locale=decidim_locale())
    goteo = Collaborator.objects.get(slug="goteo", locale__language_code="es")
    goteo.delete()
    new.delete()
    run_worker()
    assert [(p["event"], p["object"]["slug"], p["urls"]) for p in receiver.payloads] == [
        ("collaborator.created", "canodrom", []),
        # The demo project names goteo too, in every language.
        (
            "collaborator.deleted",
            "goteo",
            sorted(
                [
                    ES,
                    EN,
                    CA,
                    *(
                        f"http://localhost/{code}/projects/neighbourhood-fund/"
                        for code in ("es", "en", "ca")
                    ),
                ]
            ),
        ),
        ("collaborator.deleted", "canodrom", []),
    ]


def decidim_locale():
    return Collaborator.objects.get(slug="decidim", locale__language_code="es").locale


def test_unpublish_move_and_delete(receiver, endpoint, demo_page, site_structure):
    es_index = site_structure.service_indexes["es"]
    other = es_index.copy(update_attrs={"slug": "servicios-2", "title": "Más servicios"})
    run_worker()
    receiver.requests.clear()

    english = demo_page.get_translations().get(locale__language_code="en").specific
    english.unpublish()
    demo_page.move(other, pos="last-child")
    Page.objects.get(pk=demo_page.pk).delete()
    run_worker()

    moved = "http://localhost/es/servicios-2/democratic-funding/"
    other_index = "http://localhost/es/servicios-2/"
    # Deleting a live page also unpublishes it (Wagtail sends both signals).
    after_move = sorted([moved, EN, CA, other_index])
    received = [(p["event"], p["object"]["locale"], p["urls"]) for p in receiver.payloads]
    assert sorted(received) == [
        ("page.deleted", "es", after_move),
        (
            "page.moved",
            "es",
            sorted([ES, moved, EN, CA, ES_INDEX, EN_INDEX, CA_INDEX, other_index]),
        ),
        ("page.unpublished", "en", sorted([ES, EN, CA, ES_INDEX, EN_INDEX, CA_INDEX])),
        ("page.unpublished", "es", after_move),
    ]


def test_endpoint_subscriptions_and_inactive_endpoints(receiver, endpoint, demo_page):
    endpoint.events = ["collaborator.changed"]
    endpoint.save()
    WebhookEndpoint.objects.create(name="Off", url=receiver.url, active=False)
    demo_page.save_revision().publish()
    decidim = Collaborator.objects.get(slug="decidim", locale__language_code="es")
    decidim.save()
    run_worker()
    assert [p["event"] for p in receiver.payloads] == ["collaborator.changed"]
    assert WebhookDelivery.objects.count() == 1
