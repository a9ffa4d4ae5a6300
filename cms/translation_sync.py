"""Translators see at once what a source's publish changed.

wagtail-localize keeps, per translated object, the source text its translators work from
(a TranslationSource); until someone finds "Sync translated pages", a publish of the
source leaves it as it was, so every report says the translations are up to date. Here a
publish of a page that is a translation source updates it at once, as that action does:
the changed texts become segments still to translate in every language, the unchanged
ones keep their translations (a changed one shows its previous translation, ready to
edit), and the translated pages stay as they are, live, until their translators publish.
``CIVIC_SYNC_TRANSLATIONS_ON_PUBLISH = False`` leaves it to the action.
"""

from django.conf import settings
from wagtail.signals import page_published
from wagtail_localize.models import TranslationSource

from .translation_memory import update_source


def on_published(sender, instance, **kwargs) -> None:
    if not getattr(settings, "CIVIC_SYNC_TRANSLATIONS_ON_PUBLISH", True):
        return
    if TranslationSource.objects.filter(
        object_id=instance.translation_key, locale_id=instance.locale_id
    ).exists():
        # Updated from the page as published; left as it is when no text changed. Each
        # changed segment gets its previous translation, to check (cms.translation_memory).
        update_source(instance)


def connect() -> None:
    page_published.connect(on_published, dispatch_uid="cms.translation_sync")
