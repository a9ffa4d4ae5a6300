"""Webhook delivery, run by the task queue outside the editor's request."""

import json
from datetime import timedelta

import urllib3
from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import outbound
from .models import WebhookDelivery
from .signing import signature_headers

QUEUE = "webhooks"


def _setting(name: str, default):
    return getattr(settings, name, default)


def backoff(attempts: int) -> timedelta:
    """Delay before the next try: base * 2 ** (attempts - 1), capped."""
    base = _setting("CIVIC_WEBHOOK_BACKOFF_SECONDS", 30)
    cap = _setting("CIVIC_WEBHOOK_BACKOFF_MAX_SECONDS", 3600)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def send(delivery: WebhookDelivery) -> None:
    """Make one attempt and record its outcome on the delivery: the status code, or the
    error's class and message; never what the endpoint answered."""
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "CivicCMS-Webhooks/1",
        "X-Civic-Event": delivery.event,
        **signature_headers(
            body, delivery.endpoint.secret, delivery=str(delivery.uuid), attempt=delivery.attempts
        ),
    }
    refused = False
    try:
        # Resolved and checked at every attempt: the name may point elsewhere by now.
        target = outbound.check(delivery.endpoint.url)
        status = outbound.post(
            target, body, headers, timeout=_setting("CIVIC_WEBHOOK_TIMEOUT_SECONDS", 10)
        )
    except outbound.InternalAddressError as error:
        delivery.last_status_code, delivery.last_error = None, outbound.describe(error)
        ok, refused = False, True
    except (outbound.UnresolvableHostError, urllib3.exceptions.HTTPError, OSError) as error:
        delivery.last_status_code, delivery.last_error = None, outbound.describe(error)[:2000]
        ok = False
    else:
        delivery.last_status_code, delivery.last_error = status, ""
        ok = 200 <= status < 300

    if ok:
        delivery.status = WebhookDelivery.Status.SUCCEEDED
        delivery.next_attempt_at = None
    elif refused or delivery.attempts >= _setting("CIVIC_WEBHOOK_MAX_ATTEMPTS", 6):
        # An internal address is refused for good: trying again would be refused again.
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = WebhookDelivery.Status.RETRYING
        delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
    delivery.save()


@task(queue_name=QUEUE, backend="webhooks")
def deliver_webhook(delivery_id: int) -> str:
    """Send one delivery; on failure, queue the next try after a growing delay."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status in (
        WebhookDelivery.Status.SUCCEEDED,
        WebhookDelivery.Status.FAILED,
    ):
        return "skipped"
    send(delivery)
    if delivery.status == WebhookDelivery.Status.RETRYING:
        deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    return delivery.status
