"""Content signals that become webhook events.

Renewing the content generation is not done here: graphql_api.invalidation wires it from
its registry of what can change a public answer.
"""

import threading

from django.db.models.signals import post_save, pre_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

from cms.models import Collaborator

from .affected import page_urls, snippet_urls, subtree_urls
from .dispatch import notify
from .models import Event


def _page(page: Page) -> dict:
    return {
        "type": "page",
        "id": page.pk,
        "page_type": page.specific_class._meta.label if page.specific_class else "wagtailcore.Page",
        "locale": page.locale.language_code,
        "slug": page.slug,
    }


def _collaborator(collaborator: Collaborator) -> dict:
    return {
        "type": "collaborator",
        "id": collaborator.pk,
        "locale": collaborator.locale.language_code,
        "slug": collaborator.slug,
    }


def on_published(sender, instance, **kwargs):
    # Wagtail also sends page_published when a page that is not live is scheduled for
    # later: nothing is public yet. It sends it again when the page goes live.
    if not instance.live:
        return
    notify(Event.PAGE_PUBLISHED, _page(instance), page_urls(instance))


def on_unpublished(sender, instance, **kwargs):
    notify(Event.PAGE_UNPUBLISHED, _page(instance), page_urls(instance))


def on_page_deleted(sender, instance, **kwargs):
    # Wagtail's page models share one table tree; react once, to the base Page row.
    if sender is Page:
        notify(Event.PAGE_DELETED, _page(instance), page_urls(instance))


# URLs a page had before its move, kept per thread until the move is done.
_moves = threading.local()


def before_move(sender, instance, **kwargs):
    if not hasattr(_moves, "urls"):
        _moves.urls = {}
    _moves.urls[instance.pk] = subtree_urls(instance)


def after_move(sender, instance, **kwargs):
    before = getattr(_moves, "urls", {}).pop(instance.pk, set())
    if kwargs.get("url_path_before") == kwargs.get("url_path_after"):
        return
    page = Page.objects.get(pk=instance.pk)
    notify(Event.PAGE_MOVED, _page(page), before | subtree_urls(page))


def on_collaborator_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    event = Event.COLLABORATOR_CREATED if created else Event.COLLABORATOR_CHANGED
    notify(event, _collaborator(instance), set() if created else snippet_urls(instance))


def on_collaborator_deleting(sender, instance, **kwargs):
    notify(Event.COLLABORATOR_DELETED, _collaborator(instance), snippet_urls(instance))


def connect() -> None:
    page_published.connect(on_published, dispatch_uid="delivery.published")
    page_unpublished.connect(on_unpublished, dispatch_uid="delivery.unpublished")
    pre_delete.connect(on_page_deleted, sender=Page, dispatch_uid="delivery.page_deleted")
    pre_page_move.connect(before_move, dispatch_uid="delivery.before_move")
    post_page_move.connect(after_move, dispatch_uid="delivery.after_move")
    post_save.connect(on_collaborator_saved, sender=Collaborator, dispatch_uid="delivery.collab")
    pre_delete.connect(
        on_collaborator_deleting, sender=Collaborator, dispatch_uid="delivery.collab_deleted"
    )
