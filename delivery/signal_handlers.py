"""Content signals that become webhook events and renew the content generation."""

import threading

from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Locale,
    Page,
    PageViewRestriction,
    Site,
)
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

from cms.models import Collaborator

from .affected import page_urls, snippet_urls, subtree_urls
from .cache import renew_after_commit
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


# Models whose changes can alter what the public API returns. Renditions are left
# out on purpose: they are created while reading.
CONTENT_MODELS = (
    Page,
    Collaborator,
    Collection,
    CollectionViewRestriction,
    PageViewRestriction,
    Site,
    Locale,
)


def on_any_change(sender, instance, **kwargs):
    # Page subclasses and the image model send signals under their own class.
    if isinstance(instance, (*CONTENT_MODELS, get_image_model())):
        renew_after_commit()


def on_rendition_deleted(sender, instance, **kwargs):
    # Renditions are created while reading and change nothing then; a deleted one may
    # still be named by what the API keeps per generation (graphql_api.generation).
    renew_after_commit()


def connect() -> None:
    post_save.connect(on_any_change, dispatch_uid="delivery.cache.save")
    post_delete.connect(on_any_change, dispatch_uid="delivery.cache.delete")
    post_delete.connect(
        on_rendition_deleted,
        sender=get_image_model().get_rendition_model(),
        dispatch_uid="delivery.cache.rendition_deleted",
    )
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(renew_after_commit, dispatch_uid=f"delivery.cache.{signal}")
    page_published.connect(on_published, dispatch_uid="delivery.published")
    page_unpublished.connect(on_unpublished, dispatch_uid="delivery.unpublished")
    pre_delete.connect(on_page_deleted, sender=Page, dispatch_uid="delivery.page_deleted")
    pre_page_move.connect(before_move, dispatch_uid="delivery.before_move")
    post_page_move.connect(after_move, dispatch_uid="delivery.after_move")
    post_save.connect(on_collaborator_saved, sender=Collaborator, dispatch_uid="delivery.collab")
    pre_delete.connect(
        on_collaborator_deleting, sender=Collaborator, dispatch_uid="delivery.collab_deleted"
    )
