"""Where each page or team member of an answer stands in translation, and the language of
the text it serves.

The rule is cms.translation_status (the one the admin's report reads): the Translation
that targets an object's language, and how many of its source's segments are translated.
Here it is read for every object of an answer at once: the objects a resolver returns
(graphql_api.links) are batched, in one query (the Translations of their translation keys
with wagtail-localize's progress of each), whatever their number.

A version no segment of which is translated yet (the importer's copies, a translation
just started) holds the source's words: its ``locale`` is the source's language, and
``translation.versionLocale`` the language it was made for.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
import strawberry_django
from wagtail.models import Locale, TranslatableMixin
from wagtail_localize.models import Translation

from cms.translation_status import (
    Status,
    never_translated,
    progress,
    status,
    translations_of,
)

from .context import get_context
from .locales import LocaleType

# What a page's status reads of its own row (the rest comes from wagtail-localize's tables).
KEY_FIELDS = ["translation_key", "locale_id"]
PAGE_FIELDS = [*KEY_FIELDS, "live", "has_unpublished_changes", "last_published_at"]


@strawberry.enum(name="TranslationState", description="Where a language version stands.")
class TranslationState(Enum):
    UP_TO_DATE = strawberry.enum_value(
        "", description="A source, or a translation with every segment translated and published."
    )
    OUTDATED = strawberry.enum_value(
        "outdated",
        description="Some segments are not translated: the source changed since "
        "(`outdatedSince`), or the translation is under way. They show the source's words.",
    )
    NEVER_TRANSLATED = strawberry.enum_value(
        "never translated",
        description="No segment is translated yet: the version holds the source's words, "
        "and `locale` is the source's language.",
    )
    NOT_PUBLISHED = strawberry.enum_value(
        "not published",
        description="Every segment is translated, but the translation is not published yet: "
        "the text served is older.",
    )


@strawberry.type(
    name="TranslationStatus",
    description="Where a language version stands against the source its translators work "
    "from. A source (or a version written by hand) is its own source and is up to date.",
)
class TranslationStatusType:
    source_locale: LocaleType = strawberry.field(
        description="The language of the source the translators work from."
    )
    version_locale: LocaleType = strawberry.field(
        description="The language this version was made for, the language of its URL. It "
        "differs from the object's `locale` only while no segment is translated "
        "(`state: NEVER_TRANSLATED`): the text served is then the source's."
    )
    state: TranslationState = strawberry.field(description="Where the version stands.")
    up_to_date: bool = strawberry.field(
        description="True when the text served is the whole, current translation (or the source)."
    )
    outdated_since: datetime | None = strawberry.field(
        description="When the source changed since the version was translated; null when "
        "up to date or never translated."
    )
    translated_at: datetime | None = strawberry.field(
        description="When this version was last published (for a source, when it was); "
        "null for team members, which have no publishing dates."
    )
    untranslated_segments: int = strawberry.field(
        description="How many texts of the source have no translation in this language: "
        "they show in the source's language. 0 for a source."
    )
    total_segments: int = strawberry.field(
        description="How many texts the source offers its translators (0 for a source)."
    )


class TranslationStatuses:
    """The status of every translatable object one request returns, a batch at a time."""

    def __init__(self) -> None:
        self._keys: set = set()
        self._translations: dict[tuple, Translation] = {}

    def status(self, info: strawberry.Info, obj: Any) -> Status:
        """Where ``obj`` (a page or snippet in one language) stands."""
        return status(obj, *self._found(info, obj))

    def never_translated(self, info: strawberry.Info, obj: Any) -> Translation | None:
        """The Translation that targets ``obj`` when none of its segments is translated."""
        translation, progress = self._found(info, obj)
        return translation if never_translated(translation, progress) else None

    def _found(self, info: strawberry.Info, obj: Any) -> tuple[Translation | None, tuple]:
        if obj.translation_key not in self._keys:
            self._load(info, obj)
        translation = self._translations.get((obj.translation_key, obj.locale_id))
        return translation, progress(translation) if translation is not None else (0, 0)

    def _load(self, info: strawberry.Info, obj: Any) -> None:
        # Every translatable object the answer has returned so far, with ``obj``.
        keys = {obj.translation_key} | {
            other.translation_key
            for other in get_context(info).links.seen()
            if isinstance(other, TranslatableMixin)
        }
        keys -= self._keys
        locale_ids = [locale.pk for locale in get_context(info).visibility.locales.values()]
        self._translations.update(translations_of(keys, locale_ids))
        self._keys |= keys


def statuses(info: strawberry.Info) -> TranslationStatuses:
    """This request's statuses (kept in the request's context, never beyond it)."""
    return get_context(info).extra.setdefault("translation_statuses", TranslationStatuses())


def _locale(info: strawberry.Info, locale_id: int) -> Locale:
    return get_context(info).visibility.locales_by_id[locale_id]


def served_locale(info: strawberry.Info, obj: Any) -> Locale:
    """The language of the text ``obj`` serves: its own, or its source's while none of it
    is translated."""
    # Read of the object's key and language only: the other versions a page lists
    # (`translations`) are loaded with those and no more.
    stub = statuses(info).never_translated(info, obj)
    return _locale(info, stub.source.locale_id if stub is not None else obj.locale_id)


def translation_status(info: strawberry.Info, obj: Any) -> TranslationStatusType:
    found = statuses(info).status(info, obj)
    return TranslationStatusType(
        source_locale=_locale(info, found.source_locale_id),
        version_locale=_locale(info, obj.locale_id),
        state=TranslationState(found.state),
        up_to_date=found.up_to_date,
        outdated_since=found.outdated_since,
        translated_at=found.translated_at,
        untranslated_segments=found.untranslated,
        total_segments=found.total,
    )


LOCALE_DESCRIPTION = (
    "The language of the text served: the version's own, except while none of it is "
    "translated (a copy of the source waiting for its translators), when it is the "
    "source's language; `translation.versionLocale` then names the version's language. "
    "With fallback, it also tells which language was served."
)


def locale_field(only: list[str]) -> Any:
    """The `locale` field of a translatable type: the language of the text it serves."""

    def resolve(root: Any, info: strawberry.Info) -> LocaleType:
        return served_locale(info, root)

    return strawberry_django.field(resolver=resolve, only=only, description=LOCALE_DESCRIPTION)


def status_field(only: list[str]) -> Any:
    """The `translation` field of a translatable type."""

    def resolve(root: Any, info: strawberry.Info) -> TranslationStatusType:
        return translation_status(info, root)

    return strawberry_django.field(
        resolver=resolve,
        only=only,
        description="Where this version stands in translation: its source's language, up "
        "to date or not, since when, and how many texts still show the source's words.",
    )
