"""The site of the long runs and the editor who publishes during them.

Run inside Django with the server's environment (``python -m tests.reliability.long.content
COMMAND``):

``prepare``
    the demo content, more service pages for a full listing page, a webhook endpoint
    (deliveries are queued on every publish, as in production), and version 0 of the
    versioned page.
``publish SECONDS INTERVAL``
    waits for a line on stdin, then publishes a new version of the demo page every
    INTERVAL seconds for SECONDS seconds, through Wagtail's revisions (so every signal
    handler runs: content generation, webhooks, search index, reference index). After
    each publish has committed it prints ``{"version": N, "committed": T}`` (T:
    ``time.monotonic()``, comparable across processes); at the end a summary line.

Every version N writes the marker ``LMK{N:06d}`` into several fields of the page: the
title, the search description, the Markdown description, a Markdown block, a metric,
the quote and the call to action. A reader's answer shows one version only if every
marker in it is the same.
"""

from __future__ import annotations

import json
import re
import sys
import time

SLUG = "democratic-funding"
EXTRA_PAGES = 24
MARKER = re.compile(r"LMK(\d{6})")
_UNMARK = re.compile(r"\s+LMK\d{6}$")


def marker(version: int) -> str:
    return f"LMK{version:06d}"


def _mark(text: str, version: int, separator: str = " ") -> str:
    return _UNMARK.sub("", text) + separator + marker(version)


def _django() -> None:
    import django

    django.setup()


def _page():
    from services.models import ServicePage

    return ServicePage.objects.get(slug=SLUG, locale__language_code="es")


def write_version(page, version: int, user=None):
    """Publish ``version`` of the page through a new revision; the published revision."""
    page.title = _mark(page.title, version)
    page.search_description = _mark(page.search_description or "Versión", version)
    page.description = _mark(page.description, version)
    body = []
    seen: set[str] = set()
    for block in page.body.raw_data:
        block = json.loads(json.dumps(block))
        kind, value = block["type"], block["value"]
        if kind == "markdown" and kind not in seen:
            block["value"] = _mark(value, version, "\n\n")
        elif kind == "metrics" and kind not in seen:
            value["items"][0]["value"]["text"] = _mark(value["items"][0]["value"]["text"], version)
        elif kind in ("quote", "call_to_action") and kind not in seen:
            value["text"] = _mark(value["text"], version)
        seen.add(kind)
        body.append(block)
    page.body = body
    revision = page.save_revision(user=user, log_action=True)
    revision.publish(user=user)
    return revision


def prepare() -> None:
    from django.contrib.auth import get_user_model

    from cms.demo import load_demo
    from delivery.models import WebhookEndpoint
    from services.models import ServicePage

    page = load_demo()
    index = page.get_parent()
    for number in range(EXTRA_PAGES):
        slug = f"extra-service-{number:02d}"
        if ServicePage.objects.filter(slug=slug, locale=page.locale).exists():
            continue
        extra = ServicePage(
            title=f"Servicio adicional {number:02d}",
            slug=slug,
            description=f"Un servicio más, el número **{number}**.",
            body=[("markdown", f"Texto del servicio {number}.")],
        )
        index.add_child(instance=extra)
        extra.save_revision().publish()
    WebhookEndpoint.objects.get_or_create(
        name="Reliability runs",
        defaults={"url": "http://127.0.0.1:9/hooks/civic", "events": ["page.published"]},
    )
    user = get_user_model().objects.filter(username="editor").first()
    if user is None:
        user = get_user_model().objects.create_superuser("editor", "editor@example.org", "unused")
    if not MARKER.search(page.title):
        write_version(page, 0, user)
    print(json.dumps({"page": page.pk, "version": current_version()}), flush=True)


def current_version() -> int:
    match = MARKER.search(_page().title)
    return int(match.group(1)) if match else -1


def publish(seconds: float, interval: float) -> None:
    from django.contrib.auth import get_user_model

    from delivery.models import WebhookDelivery

    user = get_user_model().objects.get(username="editor")
    version = current_version()
    deliveries_before = WebhookDelivery.objects.filter(event="page.published").count()
    print(json.dumps({"ready": version}), flush=True)
    sys.stdin.readline()
    started = time.monotonic()
    published = []
    while time.monotonic() - started < seconds:
        due = started + len(published) * interval
        time.sleep(max(0.0, due - time.monotonic()))
        version += 1
        began = time.monotonic()
        write_version(_page(), version, user)
        committed = time.monotonic()
        published.append(committed - began)
        print(json.dumps({"version": version, "began": began, "committed": committed}), flush=True)
    deliveries = WebhookDelivery.objects.filter(event="page.published").count()
    print(
        json.dumps(
            {
                "done": len(published),
                "webhook_deliveries": deliveries - deliveries_before,
                "publish_seconds_max": round(max(published, default=0), 3),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    _django()
    command = sys.argv[1]
    if command == "prepare":
        prepare()
    elif command == "publish":
        publish(float(sys.argv[2]), float(sys.argv[3]))
    else:
        raise SystemExit(f"unknown command {command!r}")
