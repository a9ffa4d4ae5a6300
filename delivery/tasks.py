"""Webhook delivery, run by the task queue outside the editor's request."""

import json
from datetime import timedelta

import requests
from django.conf import settings
from django.utils import timezone
from django_tasks import task

from .models import WebhookDelivery
from .signing import SIGNATURE_HEADER, sign

QUEUE = "webhooks"


def _setting(name: str, default):
    return getattr(settings, name, default)


def backoff(attempts: int) -> timedelta:
    """Delay before the next try: base * 2 ** (attempts - 1), capped."""
    base = _setting("CIVIC_WEBHOOK_BACKOFF_SECONDS", 30)
    cap = _setting("CIVIC_WEBHOOK_BACKOFF_MAX_SECONDS", 3600)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def send(delivery: WebhookDelivery) -> None:
    """Make one attempt and record its outcome on the delivery."""
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "CivicCMS-Webhooks/1",
        "X-Civic-Event": delivery.event,
        "X-Civic-Delivery": str(delivery.uuid),
        SIGNATURE_HEADER: sign(body, delivery.endpoint.secret),
    }
    delivery.attempts += 1
    try:
        response = requests.post(
            delivery.endpoint.url,
            data=body,
            headers=headers,
            timeout=_setting("CIVIC_WEBHOOK_TIMEOUT_SECONDS", 10),
            allow_redirects=False,
        )
    except requests.RequestException as error:
        delivery.last_status_code = None
        delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
        ok = False
    else:
        delivery.last_status_code = response.status_code
        ok = 200 <= response.status_code < 300
        delivery.last_error = "" if ok else response.text[:2000]

    if ok:
        delivery.status = WebhookDelivery.Status.SUCCEEDED
        delivery.next_attempt_at = None
    elif delivery.attempts >= _setting("CIVIC_WEBHOOK_MAX_ATTEMPTS", 6):
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
