"""Turn a content change into one delivery per subscribed endpoint, sent after commit."""

import uuid
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from .models import WebhookDelivery, WebhookEndpoint


def build_payload(event: str, obj: dict, urls: set[str], everything: bool = False) -> dict:
    ordered = sorted(urls)
    return {
        "event": event,
        "id": str(uuid.uuid4()),
        "occurred_at": timezone.now().isoformat(),
        "object": obj,
        "urls": ordered,
        "paths": sorted({urlsplit(url).path for url in ordered}),
        # "all": every page may show the change; "paths": the pages listed.
        "rebuild": "all" if everything else "paths",
    }


def notify(event: str, obj: dict, urls: set[str], everything: bool = False) -> None:
    """Queue the event for every endpoint that wants it, once the transaction commits.

    The URLs are worked out now, while the changed content is still readable
    (a deleted page's URL is gone after the commit).
    """
    payload = build_payload(event, obj, urls, everything)
    transaction.on_commit(lambda: _dispatch(event, payload))


def _dispatch(event: str, payload: dict) -> None:
    from .tasks import deliver_webhook

    for endpoint in WebhookEndpoint.objects.filter(active=True):
        if not endpoint.wants(event):
            continue
        delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event, payload=payload)
        deliver_webhook.enqueue(delivery.pk)
