"""Go-live and expiry at their time, by the task worker: no cron.

Wagtail applies scheduled publishing and expiry when its ``publish_scheduled`` command
runs. Every save that sets a date ahead (a page's go-live or expiry date, a revision
approved to go live later) queues that command on the webhook worker's queue, to run at the
date: the page goes live or expires there and then, and Wagtail's signals send its webhook
and renew the API's caches, as a publish by hand does. The API and the CMS's own pages hide
a page by the clock already (``cms.public``); this is what makes the page's live flag, its
webhook and so the static site follow within the worker's polling interval.

A run applies everything due, so a run that was missed (the worker was down) is caught up
by the next, and ``manage.py publish_scheduled`` still does it by hand. One run is queued
per date, whichever process saved.
"""

from datetime import datetime

from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django_tasks import task
from wagtail.models import Page, Revision

from .tasks import QUEUE


@task(queue_name=QUEUE, backend="webhooks")
def apply_schedules() -> str:
    """Publish the revisions whose time has come and expire the pages whose time is up."""
    call_command("publish_scheduled", verbosity=0)
    return "applied"


def _queue_at(when: datetime | None) -> None:
    if when is None or when <= timezone.now():
        return

    def queue() -> None:
        # Seconds kept: one run per date across processes, until a minute after it.
        key = f"civic-schedule:{when.timestamp()}"
        if cache.add(key, True, timeout=(when - timezone.now()).total_seconds() + 60):
            apply_schedules.using(run_after=when).enqueue()

    transaction.on_commit(queue)


def on_page_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw or not isinstance(instance, Page):
        return
    if not instance.live:
        _queue_at(instance.go_live_at)
    _queue_at(instance.expire_at)


def on_revision_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _queue_at(instance.approved_go_live_at)


def connect() -> None:
    post_save.connect(on_page_saved, dispatch_uid="delivery.schedule.page")
    post_save.connect(on_revision_saved, sender=Revision, dispatch_uid="delivery.schedule.rev")
