"""Webhooks for every change the API's invalidation registry watches.

One list says what can change a public answer (``graphql_api.invalidation.REGISTRY``), and
each of its entries says which public URLs its change reaches (``Reach``). Pages and
organisations send their own events (``delivery.signal_handlers``); every other change is
sent from here, with the URLs it reaches:

- ``pages.changed``: a page restriction (or the groups it admits): the page and every page
  below it, in every language, with the listings above them;
- ``media.changed`` and ``snippet.changed``: an image, a document or a snippet: every page
  that shows it (Wagtail's reference index), in every language;
- ``media.changed`` for a collection's privacy (a restriction, or the groups it admits):
  every page that shows an image or a document of it or of a collection below it;
- ``site.changed``, with ``"rebuild": "all"``: a change every page may show (a collection
  moved, the site's texts, menus, languages, social links, frontend address), or a run of
  many writes (an import): the whole site.
"""

from django.db.models import Model
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from cms.models import Collaborator
from graphql_api.invalidation import Reach, listen

from .affected import collection_urls, snippet_urls, subtree_urls
from .dispatch import notify
from .models import Event


def _described(sender: type[Model] | None, instance) -> dict:
    if sender is None:
        return {"type": "site"}
    described = {"type": sender._meta.label_lower}
    if getattr(instance, "pk", None) is not None:
        described["id"] = instance.pk
    return described


def _restricted_page(instance) -> Page | None:
    page_id = getattr(instance, "page_id", None)
    return Page.objects.filter(pk=page_id).first() if page_id else None


def _restricted_collection(instance) -> Collection | None:
    collection_id = getattr(instance, "collection_id", None)
    return Collection.objects.filter(pk=collection_id).first() if collection_id else None


def on_change(reach: Reach, sender: type[Model] | None, instance) -> None:
    if sender is not None and issubclass(sender, Collaborator):
        return  # collaborator.created / changed / deleted
    if reach is Reach.SITE:
        notify(Event.SITE_CHANGED, _described(sender, instance), set(), everything=True)
    elif reach is Reach.BELOW:
        page = _restricted_page(instance)
        if page is None:  # a group's restrictions changed from the group's side
            notify(Event.SITE_CHANGED, _described(sender, instance), set(), everything=True)
        else:
            obj = {**_described(sender, instance), "page": page.pk}
            notify(Event.PAGES_CHANGED, obj, subtree_urls(page))
    elif reach is Reach.COLLECTION:
        collection = _restricted_collection(instance)
        if collection is None:  # a group's restrictions changed from the group's side
            notify(Event.SITE_CHANGED, _described(sender, instance), set(), everything=True)
        else:
            obj = {**_described(sender, instance), "collection": collection.pk}
            notify(Event.MEDIA_CHANGED, obj, collection_urls(collection))
    elif reach is Reach.REFERENCING:
        media = issubclass(sender, (get_image_model(), get_document_model()))
        event = Event.MEDIA_CHANGED if media else Event.SNIPPET_CHANGED
        notify(event, _described(sender, instance), snippet_urls(instance))


def connect() -> None:
    listen(on_change)
